package org.sglang4j.core.hub;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns a {@code --model-path} into a local path: a local file or directory passes through unchanged; a Hugging
 * Face repo id ({@code org/name[:quant]}) is resolved in the standard HF cache and downloaded when missing (see
 * {@link ModelFileSelection} for which files). The result is a {@code .gguf} file or a model directory inside
 * {@code snapshots/{commit}/}. Online, the repo's current commit is looked up and missing files fetched with a
 * progress display on stderr, resuming partial downloads; with {@code HF_HUB_OFFLINE=1} only the cache is used;
 * when the endpoint cannot be reached at all, a cached copy is used with a warning.
 */
public final class HfHub {
    private static final String REVISION = "main";

    private final HfEnvironment env;
    private final HubClient client;
    private final PrintStream log;

    /** With the real environment, progress on stderr. */
    public HfHub(HfEnvironment env) {
        this(env, System.err, DownloadProgress.stderrIsTerminal(), System::nanoTime, 1000, 60_000);
    }

    HfHub(HfEnvironment env, PrintStream log, boolean terminal, LongSupplier clock, long retryDelayMillis,
          long stallTimeoutMillis) {
        this.env = env;
        this.log = log;
        this.client = new HubClient(env, log, terminal, clock, retryDelayMillis, stallTimeoutMillis);
    }

    /** {@code new HfHub(HfEnvironment.fromSystem()).resolvePath(modelPath)}. */
    public static Path resolve(String modelPath) throws IOException {
        return new HfHub(HfEnvironment.fromSystem()).resolvePath(modelPath);
    }

    public Path resolvePath(String modelPath) throws IOException {
        if (modelPath == null || modelPath.isBlank()) throw new IllegalArgumentException("model path is empty");
        try {
            Path local = Path.of(modelPath);
            if (Files.exists(local)) return local;
        } catch (InvalidPathException e) {
            // not a usable local path: may still be a repo id
        }
        HfRepoRef ref = HfRepoRef.parseOrNull(modelPath);
        if (ref == null || modelPath.startsWith("/") || modelPath.startsWith(".") || modelPath.startsWith("~")) {
            throw new IllegalArgumentException("model path " + modelPath + " does not exist and is not a Hugging Face "
                    + "repo id (org/name or org/name:quant)");
        }
        return fetch(ref);
    }

    /** Resolves a repo in the cache, downloading what is missing unless offline. */
    public Path fetch(HfRepoRef ref) throws IOException {
        HfCache cache = new HfCache(env.hubCache(), ref);
        if (env.offline()) {
            Path cached = fromCache(ref, cache);
            if (cached == null) {
                throw new HfHubException("HF_HUB_OFFLINE is set and " + ref + " is not in the Hugging Face cache ("
                        + cache.repoDir() + "); download it once with network access, or pass a local file as --model-path");
            }
            return cached;
        }
        HubClient.RepoInfo info;
        try {
            info = client.repoInfo(ref.repoId());
        } catch (HubClient.UnreachableException e) {
            Path cached = fromCache(ref, cache);
            if (cached == null) throw new HfHubException(e.getMessage() + "; " + ref + " is not cached in " + cache.repoDir(), e);
            log.println("warning: " + e.getMessage() + "; using the cached copy of " + ref);
            return cached;
        }
        ModelFileSelection selection = ModelFileSelection.choose(ref, info.files());
        for (String file : selection.files()) ensureFile(cache, ref.repoId(), info.sha(), file);
        cache.writeRef(REVISION, info.sha());
        return selection.primary() != null ? cache.snapshotFile(info.sha(), selection.primary())
                : cache.snapshotDir(info.sha());
    }

    private void ensureFile(HfCache cache, String repo, String commit, String file) throws IOException {
        if (Files.exists(cache.snapshotFile(commit, file))) return;
        HubClient.FileMeta meta = client.fileMeta(repo, commit, file);
        Path blob = cache.blob(meta.etag());
        Files.createDirectories(blob.getParent());
        if (!complete(blob, meta.size())) {
            // One downloader per blob across processes; a second one waits, then finds the blob complete.
            try (FileChannel lockFile = FileChannel.open(blob.resolveSibling(meta.etag() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (!complete(blob, meta.size())) {
                    Path incomplete = cache.incompleteBlob(meta.etag());
                    client.download(repo, commit, file, meta.size(), incomplete);
                    Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        cache.link(commit, file, meta.etag());
    }

    private static boolean complete(Path blob, long size) throws IOException {
        return Files.isRegularFile(blob) && (size < 0 || Files.size(blob) == size);
    }

    /** The cached model for {@code ref}, or null when the cache lacks it (or lacks part of it). */
    private Path fromCache(HfRepoRef ref, HfCache cache) throws IOException {
        String commit = cache.readRef(REVISION);
        if (commit == null) return null;
        List<String> files = cache.snapshotFiles(commit);
        if (files.isEmpty()) return null;
        ModelFileSelection selection;
        try {
            selection = ModelFileSelection.choose(ref, files);
        } catch (IllegalArgumentException e) {
            throw new HfHubException("using only the cache (offline or Hub unreachable): cached snapshot " + commit
                    + " of " + ref.repoId() + " does not fit: " + e.getMessage(), e);
        }
        if (!files.containsAll(selection.files())) return null;
        return selection.primary() != null ? cache.snapshotFile(commit, selection.primary()) : cache.snapshotDir(commit);
    }
}
