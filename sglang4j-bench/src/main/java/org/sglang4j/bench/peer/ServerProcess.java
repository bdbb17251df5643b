package org.sglang4j.bench.peer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sglang4j.engine.ResidentMemory;

/**
 * A server started for one benchmark run: its output goes to a temporary log, it is ready when
 * {@code GET /health} answers 200, and {@link #close()} stops it by its PID (SIGTERM, then SIGKILL after 15 s) —
 * a shutdown hook does the same if the benchmark itself is killed.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String baseUrl;
    private final String command;
    private final Thread hook;

    private ServerProcess(Process process, Path log, String baseUrl, String command) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
        this.command = command;
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code command} and waits up to {@code startTimeout} for {@code baseUrl}/health to answer 200. */
    public static ServerProcess start(List<String> command, String baseUrl, Duration startTimeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("sglang4j-bench-server", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        ServerProcess server = new ServerProcess(p, log, baseUrl, String.join(" ", command));
        try {
            server.awaitHealthy(startTimeout);
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server's resident memory now (Linux VmRSS), or -1 when it cannot be read. */
    public long residentBytes() {
        return ResidentMemory.ofProcess(process.pid());
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String command() {
        return command;
    }

    private void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with code " + process.exitValue() + ": " + command
                        + "\n" + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server not healthy after " + timeout.toSeconds() + " s: " + command + "\n"
                + logTail());
    }

    /** The last lines of the server's output. */
    public String logTail() {
        try {
            return ProcessOutput.tail(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file; the OS cleans it up
        }
    }
}
