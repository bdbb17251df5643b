package org.sglang4j.core.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three Hub HTTP calls, with {@link HttpClient}: list a repo's files ({@code GET /api/models/{repo}}), read a
 * file's ETag/size/commit ({@code HEAD /{repo}/resolve/{commit}/{file}}), and download it resumably. Redirects are
 * followed by hand so that the bearer token is only ever sent to the endpoint's own host (LFS files redirect to a
 * CDN), as {@code huggingface_hub} does.
 */
final class HubClient {
    record RepoInfo(String sha, List<String> files) {}

    /** @param size bytes, or -1 if unknown */
    record FileMeta(String etag, long size, String commit) {}

    /** The endpoint could not be reached at all (as opposed to answering with an error). */
    static final class UnreachableException extends HfHubException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_ATTEMPTS = 5;
    private static final int BUFFER = 1 << 20;

    private final HfEnvironment env;
    private final HttpClient http;
    private final PrintStream progressOut;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long retryDelayMillis;
    private final long stallTimeoutMillis;

    HubClient(HfEnvironment env, PrintStream progressOut, boolean terminal, LongSupplier clock, long retryDelayMillis,
              long stallTimeoutMillis) {
        this.env = env;
        this.stallTimeoutMillis = stallTimeoutMillis;
        this.progressOut = progressOut;
        this.terminal = terminal;
        this.clock = clock;
        this.retryDelayMillis = retryDelayMillis;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    RepoInfo repoInfo(String repo) throws IOException {
        URI uri = url("api/models/" + repo);
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET(), uri, HttpResponse.BodyHandlers.ofString());
        checkStatus(r.statusCode(), repo, uri);
        try {
            JsonNode json = JsonMapper.builder().build().readTree(r.body());
            String sha = json.path("sha").asString("");
            if (sha.isEmpty()) throw new HfHubException(uri + " returned no commit sha for " + repo);
            List<String> files = new ArrayList<>();
            for (JsonNode s : json.path("siblings")) files.add(s.path("rfilename").asString());
            return new RepoInfo(sha, files);
        } catch (JacksonException e) {
            throw new HfHubException(uri + " did not return repo metadata JSON for " + repo + ": " + e.getOriginalMessage());
        }
    }

    FileMeta fileMeta(String repo, String commit, String file) throws IOException {
        URI uri = resolveUrl(repo, commit, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> r = send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    uri, HttpResponse.BodyHandlers.discarding());
            var h = r.headers();
            String linkedEtag = h.firstValue("X-Linked-Etag").orElse(null);
            int status = r.statusCode();
            if (status / 100 == 3 && linkedEtag == null) { // e.g. a renamed repo: follow within the Hub
                uri = uri.resolve(h.firstValue("Location").orElseThrow(() ->
                        new HfHubException("redirect without Location for " + file + " of " + repo)));
                continue;
            }
            if (status / 100 != 3) checkStatus(status, repo + "/" + file, uri);
            String etag = linkedEtag != null ? linkedEtag : h.firstValue("ETag").orElse(null);
            if (etag == null) {
                throw new HfHubException(uri + " sent no ETag for " + file + "; is HF_ENDPOINT (" + env.endpoint()
                        + ") a Hugging Face Hub?");
            }
            long size = h.firstValue("X-Linked-Size").or(() -> status == 200 ? h.firstValue("Content-Length")
                    : java.util.Optional.empty()).map(Long::parseLong).orElse(-1L);
            return new FileMeta(normalizeEtag(etag), size, h.firstValue("X-Repo-Commit").orElse(commit));
        }
        throw new HfHubException("too many redirects resolving " + file + " of " + repo);
    }

    /**
     * Downloads {@code file} into {@code incomplete}, continuing from the bytes already there with a Range
     * request, and retrying (again from where it stopped) when the connection drops.
     */
    void download(String repo, String commit, String file, long expectedSize, Path incomplete) throws IOException {
        URI uri = resolveUrl(repo, commit, file);
        IOException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (expectedSize >= 0 && have > expectedSize) have = 0; // not our file: start over
            if (expectedSize >= 0 && have == expectedSize) return;
            try {
                if (transfer(uri, repo, file, expectedSize, incomplete, have)) return;
                last = new IOException("connection closed after " + Files.size(incomplete) + " of " + expectedSize + " bytes");
            } catch (UnreachableException e) {
                throw e;
            } catch (HfHubException e) {
                throw e; // an HTTP error status: retrying will not help
            } catch (IOException e) {
                last = e;
            }
            if (attempt < MAX_ATTEMPTS) {
                progressOut.println("  " + file + ": transfer interrupted (" + last.getMessage() + "), resuming (attempt "
                        + (attempt + 1) + " of " + MAX_ATTEMPTS + ")");
                sleep(retryDelayMillis * attempt);
            }
        }
        throw new HfHubException("downloading " + file + " of " + repo + " failed after " + MAX_ATTEMPTS + " attempts ("
                + Objects.requireNonNull(last).getMessage() + "); run again to resume from the " + Files.size(incomplete)
                + " bytes already in " + incomplete, last);
    }

    /** One GET; true when the file is complete. */
    private boolean transfer(URI start, String repo, String file, long expectedSize, Path incomplete, long have)
            throws IOException {
        HttpResponse<InputStream> r = null;
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
            if (have > 0) b.header("Range", "bytes=" + have + "-");
            r = send(b, uri, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() / 100 != 3) break;
            r.body().close();
            uri = uri.resolve(r.headers().firstValue("Location").orElseThrow(() ->
                    new HfHubException("redirect without Location for " + file + " of " + repo)));
        }
        int status = r.statusCode();
        try (InputStream in = r.body()) {
            if (status == 416) { // our partial file does not fit the server's: start over
                Files.deleteIfExists(incomplete);
                return expectedSize < 0 && have > 0; // size unknown and nothing left to send: done
            }
            if (status == 200) {
                have = 0; // the server ignored the range: take the whole body
            } else if (status == 206) {
                String range = r.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    throw new IOException("server answered Range bytes=" + have + "- with Content-Range '" + range + "'");
                }
            } else {
                checkStatus(status, repo + "/" + file, uri);
            }
            long total = expectedSize;
            if (total < 0) {
                long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                total = length < 0 ? -1 : length + have;
            }
            DownloadProgress progress = new DownloadProgress(progressOut, terminal, clock, file, total, have);
            StallWatchdog watchdog = new StallWatchdog(in, stallTimeoutMillis);
            try (FileChannel ch = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.truncate(have);
                ch.position(have);
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    watchdog.progressed();
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) ch.write(bb);
                    progress.advance(n);
                }
            } catch (IOException e) {
                if (!watchdog.fired()) throw e;
            } finally {
                watchdog.stop();
            }
            if (watchdog.fired()) throw new IOException("no data received for " + stallTimeoutMillis / 1000.0 + " s");
            progress.finish();
        }
        return expectedSize < 0 || Files.size(incomplete) == expectedSize;
    }

    /**
     * HttpClient has no read timeout once the body streams, so a connection that silently stops delivering would
     * block forever; this closes the body stream (which ends the blocked read) after a period without data.
     */
    private static final class StallWatchdog {
        private final InputStream in;
        private final long timeoutNanos;
        private final Thread thread;
        private volatile long lastProgress = System.nanoTime();
        private volatile boolean stopped;
        private volatile boolean fired;

        StallWatchdog(InputStream in, long timeoutMillis) {
            this.in = in;
            this.timeoutNanos = timeoutMillis * 1_000_000L;
            this.thread = Thread.ofVirtual().name("hf-download-watchdog").start(this::watch);
        }

        private void watch() {
            while (!stopped) {
                try {
                    Thread.sleep(Math.max(1, timeoutNanos / 4_000_000L));
                } catch (InterruptedException e) {
                    return;
                }
                if (!stopped && System.nanoTime() - lastProgress > timeoutNanos) {
                    fired = true;
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // closing is all we can do; the reader sees end of stream either way
                    }
                    return;
                }
            }
        }

        void progressed() {
            lastProgress = System.nanoTime();
        }

        boolean fired() {
            return fired;
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder b, URI uri, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        b.header("User-Agent", "sglang4j").timeout(Duration.ofSeconds(60));
        if (env.token() != null && sameHost(uri, env.endpoint())) b.header("Authorization", "Bearer " + env.token());
        try {
            return http.send(b.build(), handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UnreachableException("cannot reach " + env.endpoint() + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check the network or HF_ENDPOINT, "
                    + "or set HF_HUB_OFFLINE=1 to use only cached models", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to " + env.endpoint(), e);
        }
    }

    private void checkStatus(int status, String what, URI uri) throws HfHubException {
        if (status / 100 == 2) return;
        String hint = switch (status) {
            case 401, 404 -> "not found (HTTP " + status + "): check the repo id" + (env.token() == null
                    ? "; a private or gated repo needs HF_TOKEN" : ", and that HF_TOKEN can read it");
            case 403 -> "access denied (HTTP 403): a gated repo needs its license accepted on the Hub and HF_TOKEN set";
            default -> "failed with HTTP " + status;
        };
        throw new HfHubException(what + " at " + env.endpoint() + ": " + hint + " [" + uri + "]");
    }

    private static boolean sameHost(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    private URI resolveUrl(String repo, String commit, String file) {
        return url(repo + "/resolve/" + commit + "/" + file);
    }

    /** The endpoint plus a path whose segments are percent-encoded. */
    private URI url(String path) {
        StringBuilder sb = new StringBuilder(env.endpoint().toString());
        for (String segment : path.split("/")) sb.append('/').append(encodeSegment(segment));
        return URI.create(sb.toString());
    }

    private static String encodeSegment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }

    /** {@code W/"abc"} → {@code abc}. */
    static String normalizeEtag(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a download", e);
        }
    }
}
