package org.sglang4j.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a peer tool to completion: stdout captured, stderr to a temporary log (shown in the error when the tool
 * fails), killed by its PID when it outlives its time limit.
 */
record ProcessOutput(String stdout, int exitCode) {

    static ProcessOutput run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sglang4j-peer", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
            p.getOutputStream().close();
            var stdout = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    p.getInputStream().transferTo(stdout);
                } catch (IOException ignored) {
                    // the process died; its exit code says why
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                        + " s\n" + tail(log));
            }
            reader.join();
            String out = stdout.toString(StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue()
                        + "\n" + tail(log));
            }
            return new ProcessOutput(out, p.exitValue());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
