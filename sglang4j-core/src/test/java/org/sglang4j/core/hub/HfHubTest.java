package org.sglang4j.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufWriter;
import org.sglang4j.core.safetensors.SafetensorsModel;

/** The download path against a local server that mimics the Hub's endpoints and serves generated models. */
class HfHubTest {
    private static final String REPO = "test-org/Tiny-GGUF";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String TOKEN = "hf_testtoken";

    @TempDir Path tmp;
    private FakeHubServer server;
    private ByteArrayOutputStream log;
    private byte[] q8;
    private byte[] q4;

    @BeforeEach
    void start() throws IOException {
        server = new FakeHubServer();
        log = new ByteArrayOutputStream();
        q8 = gguf("q8_0", 200_000, 1);
        q4 = gguf("q4_0", 150_000, 2);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(".gitattributes", "*.gguf filter=lfs\n".getBytes(StandardCharsets.UTF_8));
        files.put("README.md", "# tiny\n".getBytes(StandardCharsets.UTF_8));
        files.put("tiny-q4_0.gguf", q4);
        files.put("tiny-q8_0.gguf", q8);
        server.addRepo(REPO, SHA, files);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A real GGUF (random weights) of about {@code floats * 4} bytes. */
    private byte[] gguf(String tag, int floats, long seed) throws IOException {
        Random r = new Random(seed);
        float[] w = new float[floats];
        for (int i = 0; i < floats; i++) w[i] = (float) r.nextGaussian();
        Path p = tmp.resolve("gen-" + tag + ".gguf");
        new GgufWriter().put("general.architecture", "llama").put("general.name", "tiny-" + tag)
                .addF32("token_embd.weight", new long[] {100, floats / 100}, w).write(p);
        byte[] bytes = Files.readAllBytes(p);
        Files.delete(p);
        return bytes;
    }

    private Path hubCache() {
        return tmp.resolve("hf-home").resolve("hub");
    }

    private HfEnvironment env(boolean offline) {
        return HfEnvironment.from(Map.of("HF_HOME", tmp.resolve("hf-home").toString(),
                "HF_ENDPOINT", server.endpoint().toString(), "HF_TOKEN", TOKEN,
                "HF_HUB_OFFLINE", offline ? "1" : "0"), tmp.resolve("home"));
    }

    private HfHub hub(HfEnvironment env) {
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        return new HfHub(env, out, false, System::nanoTime, 1, 1000);
    }

    private String logText() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void freshDownloadLandsInTheCacheLayoutAndLoads() throws IOException {
        Path path = hub(env(false)).resolvePath(REPO);

        Path repoDir = hubCache().resolve("models--test-org--Tiny-GGUF");
        String etag = FakeHubServer.sha256(q8);
        assertThat(path).isEqualTo(repoDir.resolve("snapshots").resolve(SHA).resolve("tiny-q8_0.gguf"));
        assertThat(Files.isSymbolicLink(path)).isTrue();
        assertThat(Files.readSymbolicLink(path)).isEqualTo(Path.of("..", "..", "blobs", etag));
        assertThat(Files.readString(repoDir.resolve("refs").resolve("main"))).isEqualTo(SHA);
        assertThat(Files.readAllBytes(repoDir.resolve("blobs").resolve(etag))).isEqualTo(q8);
        assertThat(Files.exists(repoDir.resolve("blobs").resolve(etag + ".incomplete"))).isFalse();
        try (GgufFile g = GgufFile.open(path)) {
            assertThat(g.getString("general.name")).isEqualTo("tiny-q8_0");
            assertThat(g.tensor("token_embd.weight").elementCount()).isEqualTo(200_000);
        }
        // Only the chosen file was fetched; the token went to the Hub but not to the CDN host.
        assertThat(server.requestsTo("/cdn/")).hasSize(1);
        assertThat(server.requestsTo("/cdn/").getFirst().authorization()).isNull();
        assertThat(server.requestsTo("/api/models/" + REPO)).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(server.requestsTo("/" + REPO + "/resolve/")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(logText()).contains("Downloading tiny-q8_0.gguf").contains("100%");

        // A second resolve finds everything cached: one API call, no downloads.
        server.requests.clear();
        assertThat(hub(env(false)).resolvePath(REPO)).isEqualTo(path);
        assertThat(server.requests).extracting(FakeHubServer.Request::path).containsExactly("/api/models/" + REPO);
    }

    @Test
    void quantSuffixPicksTheMatchingFileCaseInsensitively() throws IOException {
        Path path = hub(env(false)).resolvePath(REPO + ":Q4_0");
        assertThat(path.getFileName().toString()).isEqualTo("tiny-q4_0.gguf");
        assertThat(Files.readAllBytes(path)).isEqualTo(q4);
        assertThatThrownBy(() -> hub(env(false)).resolvePath(REPO + ":q5_k_m"))
                .hasMessageContaining("q5_k_m").hasMessageContaining("tiny-q4_0.gguf").hasMessageContaining("tiny-q8_0.gguf");
    }

    @Test
    void droppedConnectionResumesWithARangeRequestAndIdenticalBytes() throws IOException {
        server.dropsLeft.set(1);
        Path path = hub(env(false)).resolvePath(REPO);
        assertThat(Files.readAllBytes(path)).isEqualTo(q8);
        var cdn = server.requestsTo("/cdn/");
        assertThat(cdn).hasSize(2);
        assertThat(cdn.get(0).range()).isNull();
        // The server sent half the file before dropping; how much of it reached the partial file depends on TCP
        // timing (a reset can discard buffered bytes), so the resume point is somewhere in (0, half].
        String range = cdn.get(1).range();
        assertThat(range).startsWith("bytes=").endsWith("-");
        long resumeAt = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        assertThat(resumeAt).isPositive().isLessThanOrEqualTo(q8.length / 2);
        assertThat(logText()).contains("resuming");
    }

    @Test
    void stalledConnectionIsAbandonedAndResumed() throws IOException {
        server.stallsLeft.set(1);
        Path path = hub(env(false)).resolvePath(REPO);
        assertThat(Files.readAllBytes(path)).isEqualTo(q8);
        var cdn = server.requestsTo("/cdn/");
        assertThat(cdn).hasSize(2);
        // The server sent half the file before dropping; how much of it reached the partial file depends on TCP
        // timing (a reset can discard buffered bytes), so the resume point is somewhere in (0, half].
        String range = cdn.get(1).range();
        assertThat(range).startsWith("bytes=").endsWith("-");
        long resumeAt = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        assertThat(resumeAt).isPositive().isLessThanOrEqualTo(q8.length / 2);
        assertThat(logText()).contains("no data received");
    }

    @Test
    void partialFileLeftByAnEarlierRunIsResumed() throws IOException {
        String etag = FakeHubServer.sha256(q8);
        Path blobs = hubCache().resolve("models--test-org--Tiny-GGUF").resolve("blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(etag + ".incomplete"), java.util.Arrays.copyOf(q8, 12_345));
        Path path = hub(env(false)).resolvePath(REPO);
        assertThat(Files.readAllBytes(path)).isEqualTo(q8);
        assertThat(server.requestsTo("/cdn/")).singleElement()
                .satisfies(r -> assertThat(r.range()).isEqualTo("bytes=12345-"));
        assertThat(logText()).contains("resuming at 0.0 MB");
    }

    @Test
    void serverThatIgnoresRangeRestartsTheFileCleanly() throws IOException {
        server.ignoreRange = true;
        server.dropsLeft.set(1);
        assertThat(Files.readAllBytes(hub(env(false)).resolvePath(REPO))).isEqualTo(q8);
    }

    @Test
    void persistentFailureGivesUpWithAHintToRunAgain() {
        server.dropsLeft.set(5);
        assertThatThrownBy(() -> hub(env(false)).resolvePath(REPO))
                .isInstanceOf(HfHubException.class).hasMessageContaining("tiny-q8_0.gguf")
                .hasMessageContaining("run again to resume");
    }

    @Test
    void offlineModeUsesOnlyTheCache() throws IOException {
        assertThatThrownBy(() -> hub(env(true)).resolvePath(REPO))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("HF_HUB_OFFLINE").hasMessageContaining(REPO);
        assertThat(server.requests).isEmpty();

        Path online = hub(env(false)).resolvePath(REPO);
        server.requests.clear();
        assertThat(hub(env(true)).resolvePath(REPO)).isEqualTo(online);
        assertThat(server.requests).isEmpty();
        // A quantization that was never downloaded is not in the cache.
        assertThatThrownBy(() -> hub(env(true)).resolvePath(REPO + ":q4_0")).hasMessageContaining("q4_0");
    }

    @Test
    void unknownRepoIsAClearError() {
        assertThatThrownBy(() -> hub(env(false)).resolvePath("test-org/does-not-exist"))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("test-org/does-not-exist").hasMessageContaining("not found");
    }

    @Test
    void unreachableEndpointFallsBackToTheCacheWithAWarning() throws IOException {
        Path online = hub(env(false)).resolvePath(REPO);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HfEnvironment unreachable = new HfEnvironment(hubCache(), URI.create("http://127.0.0.1:" + closedPort), null, false);
        assertThat(hub(unreachable).resolvePath(REPO)).isEqualTo(online);
        assertThat(logText()).contains("warning").contains("cannot reach");
        assertThatThrownBy(() -> hub(unreachable).resolvePath("test-org/other"))
                .hasMessageContaining("cannot reach").hasMessageContaining("test-org/other");
    }

    @Test
    void repoWithoutGgufDownloadsTheSafetensorsModelDirectory() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("README.md", bytes("# model"));
        files.put("config.json", bytes("{\"architectures\":[\"LlamaForCausalLM\"]}"));
        files.put("model.safetensors", safetensors("lm_head.weight", 1.5f, -2f));
        files.put("tokenizer.json", bytes("{}"));
        files.put("tokenizer_config.json", bytes("{}"));
        files.put("onnx/model.onnx", bytes("not wanted"));
        server.addRepo("test-org/tiny-hf", "fedcba9876543210fedcba9876543210fedcba98", files);

        Path dir = hub(env(false)).resolvePath("test-org/tiny-hf");
        assertThat(dir.getFileName().toString()).isEqualTo("fedcba9876543210fedcba9876543210fedcba98");
        try (var list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json");
        }
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertThat(m.tensor("lm_head.weight").toFloatArray()).containsExactly(1.5f, -2f);
        }
        assertThat(Files.readString(dir.resolve("config.json"))).contains("LlamaForCausalLM");
    }

    @Test
    void localPathsPassThroughAndNonsenseIsRejected() throws IOException {
        Path local = Files.write(tmp.resolve("model.gguf"), q4);
        HfHub hub = hub(env(false));
        assertThat(hub.resolvePath(local.toString())).isEqualTo(local);
        assertThat(hub.resolvePath(tmp.toString())).isEqualTo(tmp);
        assertThatThrownBy(() -> hub.resolvePath(tmp.resolve("missing.gguf").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.gguf");
        assertThatThrownBy(() -> hub.resolvePath("just-a-name")).hasMessageContaining("just-a-name");
        assertThat(server.requests).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] safetensors(String name, float... values) {
        byte[] header = bytes("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[" + values.length
                + "],\"data_offsets\":[0," + values.length * 4 + "]}}");
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    @Test
    void progressIsReportedInPlainTenPercentStepsWhenNotOnATerminal() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        DownloadProgress p = new DownloadProgress(out, false, now::get, "m.gguf", 100_000_000, 0);
        for (int i = 0; i < 100; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per MB: 10 MB/s
            p.advance(1_000_000);
        }
        p.finish();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo("Downloading m.gguf (100.0 MB)");
        assertThat(lines).hasSize(1 + 9 + 1);
        assertThat(lines[1]).isEqualTo("  m.gguf:  10% 10.0/100.0 MB  10.0 MB/s  ETA 0:09");
        assertThat(lines[5]).isEqualTo("  m.gguf:  50% 50.0/100.0 MB  10.0 MB/s  ETA 0:05");
        assertThat(lines[10]).isEqualTo("  m.gguf: 100% 100.0/100.0 MB  10.0 MB/s done");
    }

    @Test
    void terminalProgressRedrawsOneLineWithABar() {
        AtomicLong now = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DownloadProgress p = new DownloadProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get,
                "m.gguf", 4_000_000_000L, 1_000_000_000L);
        now.addAndGet(2_000_000_000L);
        p.advance(1_000_000_000L); // 1 GB in 2 s, resumed at 1 GB: 500 MB/s, 2 GB left
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r").doesNotContain("\n");
        assertThat(text).contains("|############            |").contains(" 50% 2000.0/4000.0 MB")
                .contains("500.0 MB/s").contains("ETA 0:04");
        assertThat(DownloadProgress.duration(3725)).isEqualTo("1:02:05");
    }
}
