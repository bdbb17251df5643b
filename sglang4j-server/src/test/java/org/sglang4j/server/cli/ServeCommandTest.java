package org.sglang4j.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.sglang4j.engine.EngineConfig;
import org.sglang4j.server.ServerArgs;
import picocli.CommandLine;

class ServeCommandTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void defaultsFollowSglang() {
        ServerArgs a = ServeCommand.parse();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(30000);
        assertThat(a.tpSize()).isEqualTo(1);
        assertThat(a.logLevel()).isEqualTo("info");
        assertThat(a.schedulePolicy()).isEqualTo("fcfs");
        assertThat(a.maxPrefillTokens()).isEqualTo(16384);
        assertThat(a.modelPath()).isNull();
        assertThat(a.apiKey()).isNull();
        assertThat(a.enableMetrics()).isFalse();
        assertThat(a.warmups()).isEqualTo(1);
    }

    @Test
    void everyFlagReachesServerArgsAndTheEngineConfig() {
        ServerArgs a = ServeCommand.parse("--model-path", "/m/qwen.gguf", "--tokenizer-path", "/m/tok", "--host", "0.0.0.0",
                "--port", "8000", "--tp", "1", "--log-level", "debug", "--context-length", "4096", "--max-total-tokens",
                "20000", "--mem-fraction-static", "0.7", "--chunked-prefill-size", "-1", "--max-prefill-tokens", "8192",
                "--max-running-requests", "32", "--schedule-policy", "lpm", "--disable-radix-cache", "--api-key", "k",
                "--served-model-name", "qwen", "--chat-template", "chatml", "--threads", "3", "--warmups", "2",
                "--enable-metrics", "--kv-cache-dtype", "f16", "--enable-cache-report", "--tool-call-parser", "llama3",
                "--random-seed", "9", "--max-request-body-bytes", "1024", "--graceful-shutdown-timeout", "5",
                "--enable-mixed-chunk", "--schedule-conservativeness", "1.3");
        assertThat(a).isEqualTo(new ServerArgs("/m/qwen.gguf", "/m/tok", "0.0.0.0", 8000, 1, "debug", 4096, 20000, 0.7, -1,
                8192, 32, "lpm", true, "k", "qwen", "chatml", 3, 2, true, "f16", true, "llama3", 9L, 1024, 5, true, 1.3));
        EngineConfig e = a.engineConfig();
        assertThat(e).isEqualTo(new EngineConfig("/m/qwen.gguf", "/m/tok", 4096, 20000, 0.7, -1, 8192, 32, "lpm", true, 3,
                "f16", "qwen", "chatml", 0, 9L, true, 1.3));
        assertThat(ServeCommand.parse("--model", "x", "--tp-size", "1").modelPath()).isEqualTo("x");
    }

    @Test
    void tensorParallelismIsAClearError() {
        Result r = run("serve", "--tp", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--tp 2 is not supported").contains("scale out with several replicas behind the router");
    }

    @Test
    void unknownFlagIsNamed() {
        Result r = run("serve", "--model-pth", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown options: '--model-pth'").contains("Possible solutions: --model-path");
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() -> ServeCommand.parse("--port", "70000")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--port must be in [0, 65535]");
        assertThatThrownBy(() -> ServeCommand.parse("--schedule-policy", "dfs-weight"))
                .hasMessageContaining("--schedule-policy dfs-weight is not supported; use one of [fcfs, lpm]");
        assertThatThrownBy(() -> ServeCommand.parse("--log-level", "verbose")).hasMessageContaining("--log-level must be one of");
        assertThatThrownBy(() -> ServeCommand.parse("--mem-fraction-static", "1.5")).hasMessageContaining("--mem-fraction-static must be in (0, 1)");
        assertThatThrownBy(() -> ServeCommand.parse("--kv-cache-dtype", "fp8_e5m2")).hasMessageContaining("--kv-cache-dtype must be one of");
        assertThatThrownBy(() -> ServeCommand.parse("--port", "abc")).hasMessageContaining("'abc' is not an int");
        assertThatThrownBy(() -> ServeCommand.parse("--max-running-requests", "0")).hasMessageContaining("--max-running-requests must be >= 1");
    }

    @Test
    void helpListsTheFlags() {
        Result r = run("serve", "--help");
        assertThat(r.code()).isZero();
        for (String flag : new String[] {"--model-path", "--tokenizer-path", "--host", "--port", "--tp", "--log-level",
                "--context-length", "--max-total-tokens", "--mem-fraction-static", "--chunked-prefill-size",
                "--max-prefill-tokens", "--max-running-requests", "--schedule-policy", "--disable-radix-cache", "--api-key",
                "--served-model-name", "--chat-template", "--threads", "--warmups", "--enable-metrics", "--kv-cache-dtype"}) {
            assertThat(r.out()).contains(flag);
        }
        assertThat(r.out()).contains("(default: 30000)");
    }

    @Test
    void noArgumentsPrintsUsage() {
        Result r = run();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: sglang4j").contains("serve");
    }
}
