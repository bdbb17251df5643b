package org.sglang4j.core.hub;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One repo's directory in the standard Hugging Face cache, laid out exactly as {@code huggingface_hub} does so
 * the two share downloads:
 * <pre>
 * {hubCache}/models--{org}--{name}/
 *   refs/main                      commit hash the revision points to
 *   blobs/{etag}                   file contents, named by the server's ETag (sha256 for LFS files)
 *   blobs/{etag}.incomplete        a download in progress (resumed with an HTTP Range request)
 *   snapshots/{commit}/{file}      symlink → ../../blobs/{etag} (one more ../ per directory level of {file})
 * </pre>
 */
final class HfCache {
    private static final Pattern SAFE_NAME = Pattern.compile("[\\w.-]+");

    private final Path repoDir;

    HfCache(Path hubCache, HfRepoRef ref) {
        this.repoDir = hubCache.resolve(ref.cacheDirName());
    }

    Path repoDir() {
        return repoDir;
    }

    /** The commit {@code refs/{revision}} points to, or null when the revision was never resolved. */
    String readRef(String revision) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        return Files.isRegularFile(ref) ? Files.readString(ref).trim() : null;
    }

    void writeRef(String revision, String commit) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(revision + ".tmp");
        Files.writeString(tmp, commit);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Path snapshotDir(String commit) {
        return repoDir.resolve("snapshots").resolve(checkName(commit, "commit"));
    }

    /** The snapshot entry for {@code file}; it exists only once the file is fully downloaded. */
    Path snapshotFile(String commit, String file) {
        Path p = snapshotDir(commit).resolve(file).normalize();
        if (!p.startsWith(snapshotDir(commit))) throw new IllegalArgumentException("file name " + file + " escapes the snapshot");
        return p;
    }

    Path blob(String etag) {
        return repoDir.resolve("blobs").resolve(checkName(etag, "ETag"));
    }

    Path incompleteBlob(String etag) {
        return repoDir.resolve("blobs").resolve(checkName(etag, "ETag") + ".incomplete");
    }

    /** Points {@code snapshots/{commit}/{file}} at the blob (a relative symlink; a copy where links are not allowed). */
    Path link(String commit, String file, String etag) throws IOException {
        Path target = snapshotFile(commit, file);
        Files.createDirectories(target.getParent());
        Path blob = blob(etag);
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, target);
        }
        return target;
    }

    /** Files present in a snapshot, as repo-relative names with '/' separators, sorted. */
    List<String> snapshotFiles(String commit) throws IOException {
        Path dir = snapshotDir(commit);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile) // follows the symlink: dangling entries are not files
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static String checkName(String name, String what) {
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("server sent an unusable " + what + ": " + name);
        }
        return name;
    }
}
