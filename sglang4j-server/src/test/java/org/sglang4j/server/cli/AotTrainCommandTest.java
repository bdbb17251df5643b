package org.sglang4j.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The launcher's AOT training run must keep working: every request it sends is answered 200 by the real server. */
class AotTrainCommandTest {

    @Test
    void trainingRunServesEveryRequestKindAndExitsZero() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "aot-train");
        assertThat(code).as("aot-train exit code; stderr: %s", err).isZero();
    }

    @Test
    void trainingCommandIsHiddenFromUsage() {
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(out.toString()).contains("serve").doesNotContain("aot-train");
    }
}
