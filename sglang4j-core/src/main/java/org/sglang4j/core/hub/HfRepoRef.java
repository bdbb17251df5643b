package org.sglang4j.core.hub;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model named by Hugging Face repo id, as {@code --model-path} accepts it: {@code org/name}, optionally
 * {@code :quant} to pick the GGUF file whose name contains that quantization ({@code Qwen/Qwen2.5-0.5B-Instruct-GGUF:q8_0}).
 *
 * @param quant lower-case quantization tag, or null for the default choice
 */
public record HfRepoRef(String repoId, String quant) {
    // HF repo names: letters, digits, '-', '_', '.'; neither part starts with '-' or '.'.
    private static final Pattern ID = Pattern.compile("([A-Za-z0-9][\\w.-]*)/([A-Za-z0-9][\\w.-]*)(?::([\\w.+-]+))?");

    /** Parses {@code text}, or returns null if it is not of the repo-id form. */
    public static HfRepoRef parseOrNull(String text) {
        Matcher m = ID.matcher(text.trim());
        if (!m.matches() || m.group(2).endsWith(".gguf") || m.group(2).contains("..")) return null;
        return new HfRepoRef(m.group(1) + "/" + m.group(2), m.group(3) == null ? null : m.group(3).toLowerCase());
    }

    /** The cache directory name: {@code models--org--name}. */
    public String cacheDirName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return quant == null ? repoId : repoId + ":" + quant;
    }
}
