package org.sglang4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The {@code bench} command line: subcommands listed, bad input named. */
class BenchMainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryBenchmark() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("one-batch", "offline", "serving", "report", "gen-model");
    }

    @Test
    void unknownSubcommandsAndOptionsAreUsageErrors() {
        Result r = run("bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bogus");
        Result o = run("serving", "--no-such-flag");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--no-such-flag");
    }

    @Test
    void badValuesFailWithTheValueNamed() {
        Result kv = run("one-batch", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--kv-cache-dtype", "q8");
        assertThat(kv.code()).isNotZero();
        assertThat(kv.err()).contains("--kv-cache-dtype must be f16, f32 or bf16, got q8");
        Result batch = run("one-batch", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--batch-size", "0", "--no-peer");
        assertThat(batch.code()).isNotZero();
        assertThat(batch.err()).contains("--batch-size must be >= 1, got 0");
        Result rate = run("serving", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--request-rate", "fast");
        assertThat(rate.code()).isNotZero();
        assertThat(rate.err()).contains("--request-rate must be a number or inf, got fast");
        Result model = run("one-batch", "--model-path", "/no/such/model.gguf");
        assertThat(model.code()).isNotZero();
        assertThat(model.err()).contains("/no/such/model.gguf");
    }
}
