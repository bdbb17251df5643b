package org.sglang4j.core.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a repo to fetch for serving, and what path to hand to the model loader.
 * <ul>
 *   <li>A repo with GGUF files: one GGUF (all parts if it is split as {@code -00001-of-0000N.gguf}). With a
 *       {@code :quant} suffix, the file whose name contains it (case-insensitive), preferring the file where it is
 *       a whole name part ({@code -q4_k_m.gguf} for {@code :q4_k_m}), then the shortest name; without one, a
 *       {@code q8_0} file if there is one, else the first by name. Vision projectors ({@code mmproj}) are never
 *       the default.</li>
 *   <li>Otherwise a Hugging Face model directory: {@code config.json}, the safetensors weights (only
 *       {@code model.safetensors} when present, else the sharded files with their index; {@code consolidated.*}
 *       duplicates of Mistral repos are skipped) and the tokenizer and generation config files.</li>
 * </ul>
 *
 * @param files   repo-relative names to fetch
 * @param primary the GGUF file to load, or null when the model is the snapshot directory itself
 */
record ModelFileSelection(List<String> files, String primary) {
    private static final Pattern SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf", Pattern.CASE_INSENSITIVE);
    private static final Set<String> SIDE_FILES = Set.of("tokenizer.json", "tokenizer_config.json", "tokenizer.model",
            "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json", "generation_config.json",
            "model.safetensors.index.json");

    static ModelFileSelection choose(HfRepoRef ref, List<String> repoFiles) {
        List<String> ggufs = repoFiles.stream().filter(f -> lower(f).endsWith(".gguf")).sorted().toList();
        if (!ggufs.isEmpty()) return chooseGguf(ref, ggufs);
        if (ref.quant() != null) {
            throw new IllegalArgumentException(ref + ": the repo has no GGUF files, so the :" + ref.quant()
                    + " suffix cannot select one; drop it to load the safetensors model");
        }
        return chooseSafetensors(ref, repoFiles);
    }

    private static ModelFileSelection chooseGguf(HfRepoRef ref, List<String> ggufs) {
        String chosen;
        if (ref.quant() != null) {
            String q = ref.quant();
            List<String> matches = ggufs.stream().filter(f -> lower(f).contains(q)).toList();
            if (matches.isEmpty()) {
                throw new IllegalArgumentException(ref + ": no GGUF file name contains \"" + q + "\"; the repo has "
                        + String.join(", ", ggufs));
            }
            Pattern whole = Pattern.compile("(^|[-./])" + Pattern.quote(q) + "([-.]|$)");
            chosen = matches.stream()
                    .sorted(Comparator.comparing((String f) -> !whole.matcher(lower(baseName(f))).find())
                            .thenComparingInt(String::length)
                            .thenComparing(Comparator.naturalOrder()))
                    .findFirst().orElseThrow();
        } else {
            List<String> models = ggufs.stream().filter(f -> !lower(baseName(f)).contains("mmproj")).toList();
            List<String> pool = models.isEmpty() ? ggufs : models;
            chosen = pool.stream().filter(f -> lower(f).contains("q8_0")).findFirst().orElse(pool.getFirst());
        }
        Matcher m = SPLIT.matcher(chosen);
        if (!m.matches()) return new ModelFileSelection(List.of(chosen), chosen);
        int parts = Integer.parseInt(m.group(3));
        List<String> files = new ArrayList<>();
        for (int i = 1; i <= parts; i++) {
            String part = String.format("%s-%05d-of-%s.gguf", m.group(1), i, m.group(3));
            if (!ggufs.contains(part)) throw new IllegalArgumentException(ref + ": split GGUF part " + part + " is missing");
            files.add(part);
        }
        return new ModelFileSelection(files, files.getFirst());
    }

    private static ModelFileSelection chooseSafetensors(HfRepoRef ref, List<String> repoFiles) {
        List<String> topLevel = repoFiles.stream().filter(f -> !f.contains("/")).sorted().toList();
        List<String> weights = topLevel.contains("model.safetensors")
                ? List.of("model.safetensors")
                : topLevel.stream().filter(f -> f.endsWith(".safetensors") && !f.startsWith("consolidated")).toList();
        if (!topLevel.contains("config.json") || weights.isEmpty()) {
            throw new IllegalArgumentException(ref + ": the repo has neither GGUF files nor config.json with "
                    + "*.safetensors weights, so there is nothing to load");
        }
        List<String> files = new ArrayList<>();
        files.add("config.json");
        files.addAll(weights);
        topLevel.stream().filter(SIDE_FILES::contains).forEach(files::add);
        return new ModelFileSelection(List.copyOf(files), null);
    }

    private static String baseName(String f) {
        return f.substring(f.lastIndexOf('/') + 1);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
