package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.demo.DemoModel;

/**
 * {@code serve --model-path org/name:quant} in a real process: the model is resolved through a Hugging Face
 * endpoint ({@code HF_ENDPOINT}, here a local server that speaks the hub's API for one generated GGUF repo), lands in
 * the standard cache layout under {@code HF_HOME}, and is served; a second start with {@code HF_HUB_OFFLINE=1} and
 * the hub gone serves it from the cache.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HubModelPathTest {
    private static final String REPO = "acme/demo-GGUF";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    @Test
    void repoIdIsDownloadedIntoTheHfCacheAndServedThenReusedOffline() throws Exception {
        Path model = dir.resolve("demo.gguf");
        DemoModel.write(model);
        byte[] gguf = Files.readAllBytes(model);
        Path hfHome = dir.resolve("hf-home");
        List<String> hubRequests = new ArrayList<>();
        HttpServer hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", ex -> serveHub(ex, gguf, hubRequests));
        hub.start();
        String endpoint = "http://127.0.0.1:" + hub.getAddress().getPort();
        try {
            String text1 = generateWithServer(Map.of("HF_HOME", hfHome.toString(), "HF_ENDPOINT", endpoint));
            assertThat(hubRequests).anyMatch(r -> r.startsWith("/api/models/" + REPO))
                    .anyMatch(r -> r.matches("/" + REPO + "/resolve/[^/]+/demo-Q8_0.gguf"));
            Path snapshot = hfHome.resolve("hub/models--acme--demo-GGUF/snapshots/" + SHA + "/demo-Q8_0.gguf");
            assertThat(snapshot).exists();
            assertThat(Files.mismatch(snapshot, model)).isEqualTo(-1L);

            hub.stop(0);
            String text2 = generateWithServer(Map.of("HF_HOME", hfHome.toString(), "HF_ENDPOINT", endpoint,
                    "HF_HUB_OFFLINE", "1"));
            assertThat(text2).as("same model, greedy: same answer from the cached copy").isEqualTo(text1);
        } finally {
            hub.stop(0);
        }
    }

    /** The two hub calls a GGUF repo needs: the model info listing its files, and the file itself. */
    private static void serveHub(HttpExchange ex, byte[] gguf, List<String> requests) throws IOException {
        String path = ex.getRequestURI().getPath();
        synchronized (requests) {
            requests.add(path);
        }
        try (ex) {
            byte[] body;
            if (path.equals("/api/models/" + REPO) || path.startsWith("/api/models/" + REPO + "/")) {
                body = ("{\"id\":\"" + REPO + "\",\"sha\":\"" + SHA + "\",\"siblings\":[{\"rfilename\":\"README.md\"},"
                        + "{\"rfilename\":\"demo-Q4_0.gguf\"},{\"rfilename\":\"demo-Q8_0.gguf\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
            } else if (path.matches("/" + REPO + "/resolve/(main|" + SHA + ")/demo-Q8_0.gguf")) {
                ex.getResponseHeaders().add("X-Repo-Commit", SHA);
                ex.getResponseHeaders().add("ETag", "\"demo-etag-0001\"");
                body = ex.getRequestMethod().equals("HEAD") ? null : gguf;
                if (body == null) {
                    ex.getResponseHeaders().add("Content-Length", Integer.toString(gguf.length));
                    ex.sendResponseHeaders(200, -1);
                    return;
                }
            } else {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** Starts {@code serve --model-path acme/demo-GGUF:q8_0} with {@code env}, asks for 8 greedy tokens, stops it. */
    private static String generateWithServer(Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.sglang4j.server.cli.Main", "serve", "--model-path", REPO + ":q8_0", "--port",
                Integer.toString(port), "--warmups", "0", "--max-total-tokens", "2048").redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) log.add(line);
            } catch (IOException ignored) {
                // process gone
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (log.stream().noneMatch(l -> l.contains("ready: http://")) && p.isAlive()) {
                if (System.nanoTime() > deadline) throw new AssertionError("server not ready in 180 s");
                Thread.sleep(50);
            }
            assertThat(p.isAlive()).as("server exited").isTrue();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"Where is my order?\", \"sampling_params\": "
                            + "{\"max_new_tokens\": 8, \"temperature\": 0}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/get_model_info")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(info.body()).contains("\"model_path\":\"" + REPO + ":q8_0\""); // as given, like SGLang
            return r.body().replaceAll("\"e2e_latency\":[0-9.eE-]+", "").replaceAll("\"id\":\"[^\"]*\"", "");
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e + "\nserver log:\n" + String.join("\n", log), e);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
