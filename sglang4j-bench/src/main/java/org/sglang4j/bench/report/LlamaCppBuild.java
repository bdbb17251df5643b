package org.sglang4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sglang4j.bench.peer.LlamaCpp;

/** A one-line description of the peer build: its directory and the commit/build its README names, if any. */
final class LlamaCppBuild {
    private static final Pattern COMMIT = Pattern.compile("commit\\s+`?([0-9a-f]{7,40})`?\\s*\\(([^)]*)\\)");

    private LlamaCppBuild() {}

    static String describe(LlamaCpp llama) {
        Path readme = llama.dir().resolve("README.md");
        try {
            if (Files.isRegularFile(readme)) {
                Matcher m = COMMIT.matcher(String.join(" ", Files.readAllLines(readme)));
                if (m.find()) return llama.dir() + " (" + m.group(2) + ", commit " + m.group(1).substring(0, 10) + ")";
            }
        } catch (IOException e) {
            // describe by directory only
        }
        return llama.dir().toString();
    }
}
