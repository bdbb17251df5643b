package org.sglang4j.core.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.testing.SharedData;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes Hugging Face tokenizer.json files derived from the GGUF test vocabularies, in the shapes the real
 * models ship (Qwen2: NFC + Split regex + ByteLevel; Llama 3: Split + ignore_merges + TemplateProcessing; Llama 2:
 * Prepend/Replace normalizer + byte_fallback BPE with merges; BERT: WordPiece with ##). The GGUF side is read
 * with plain key lookups, independent of the loader under test.
 */
final class HfFixtures {
    private HfFixtures() {}

    static final ObjectMapper JSON = new ObjectMapper();

    record GgufVocab(String[] tokens, int[] types, float[] scores, String[] merges) {}

    static GgufVocab read(String name) {
        try (GgufFile g = GgufFile.open(SharedData.vocab("ggml-vocab-" + name + ".gguf"))) {
            return new GgufVocab(g.getStringArray("tokenizer.ggml.tokens"), g.getIntArray("tokenizer.ggml.token_type"),
                    g.getFloatArray("tokenizer.ggml.scores"), g.getStringArray("tokenizer.ggml.merges"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Byte-level BPE tokenizer.json; CONTROL tokens become special added tokens, USER_DEFINED plain ones. */
    static ObjectNode byteLevel(GgufVocab v, ObjectNode preTokenizer, boolean ignoreMerges) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < v.tokens().length; id++) {
            int type = v.types()[id];
            if (type == 5) continue; // [PAD…] fillers do not exist in the HF files
            if (type == 3 || type == 4) {
                added.addObject().put("id", id).put("content", v.tokens()[id]).put("special", type == 3)
                        .put("lstrip", false).put("rstrip", false).put("single_word", false).put("normalized", false);
            }
            vocab.put(v.tokens()[id], id);
        }
        ArrayNode merges = model.putArray("merges");
        for (String m : v.merges()) merges.add(m);
        root.set("pre_tokenizer", preTokenizer);
        root.putObject("decoder").put("type", "ByteLevel");
        return root;
    }

    static ObjectNode splitThenByteLevel(String regex) {
        ObjectNode seq = JSON.createObjectNode().put("type", "Sequence");
        ArrayNode list = seq.putArray("pretokenizers");
        list.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false)
                .putObject("pattern").put("Regex", regex);
        list.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false)
                .put("use_regex", false);
        return seq;
    }

    static ObjectNode splitsThenByteLevel(String... regexes) {
        ObjectNode seq = JSON.createObjectNode().put("type", "Sequence");
        ArrayNode list = seq.putArray("pretokenizers");
        for (String r : regexes) {
            list.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false)
                    .putObject("pattern").put("Regex", r);
        }
        list.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", false);
        return seq;
    }

    /**
     * Llama-2-style tokenizer.json from a SentencePiece GGUF: merges derived from the piece scores the way
     * transformers' SentencePiece converter does (every split of a piece into two pieces, best piece first).
     */
    static ObjectNode sentencePiece(GgufVocab v, boolean metaspace) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").put("byte_fallback", true).put("fuse_unk", true).put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int id = 0; id < v.tokens().length; id++) {
            vocab.put(v.tokens()[id], id);
            ids.put(v.tokens()[id], id);
            if (v.types()[id] == 2 || v.types()[id] == 3) {
                added.addObject().put("id", id).put("content", v.tokens()[id]).put("special", true);
            }
        }
        record Merge(String a, String b, float score, int id) {}
        List<Merge> merges = new ArrayList<>();
        for (int id = 0; id < v.tokens().length; id++) {
            String p = v.tokens()[id];
            if (v.types()[id] != 1 || p.codePointCount(0, p.length()) < 2) continue;
            for (int k = p.offsetByCodePoints(0, 1); k < p.length(); k = p.offsetByCodePoints(k, 1)) {
                Integer a = ids.get(p.substring(0, k)), b = ids.get(p.substring(k));
                if (a != null && b != null && v.types()[a] == 1 && v.types()[b] == 1) {
                    merges.add(new Merge(p.substring(0, k), p.substring(k), v.scores()[id], id));
                }
            }
        }
        merges.sort(Comparator.comparingDouble((Merge m) -> -m.score()).thenComparingInt(Merge::id));
        ArrayNode list = model.putArray("merges");
        for (Merge m : merges) list.addArray().add(m.a()).add(m.b());
        if (metaspace) {
            root.putObject("pre_tokenizer").put("type", "Metaspace").put("replacement", "\u2581")
                    .put("prepend_scheme", "first").put("split", false);
        } else {
            ObjectNode norm = root.putObject("normalizer").put("type", "Sequence");
            ArrayNode ns = norm.putArray("normalizers");
            ns.addObject().put("type", "Prepend").put("prepend", "\u2581");
            ns.addObject().put("type", "Replace").put("content", "\u2581").putObject("pattern").put("String", " ");
        }
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        return root;
    }

    /** BERT tokenizer.json from the GGUF WordPiece vocabulary ({@code ▁word} → {@code word}, {@code piece} → {@code ##piece}). */
    static ObjectNode wordPiece(GgufVocab v) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < v.tokens().length; id++) {
            String t = v.tokens()[id];
            if (v.types()[id] == 3) {
                added.addObject().put("id", id).put("content", t).put("special", true);
                vocab.put(t, id);
            } else {
                vocab.put(t.startsWith("\u2581") ? t.substring(1) : "##" + t, id);
            }
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "[CLS]");
        single.addObject().putObject("Sequence").put("id", "A");
        single.addObject().putObject("SpecialToken").put("id", "[SEP]");
        return root;
    }

    static Path write(Path dir, ObjectNode tokenizerJson, ObjectNode config, ObjectNode generation) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson);
            if (config != null) JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
            if (generation != null) JSON.writeValue(dir.resolve("generation_config.json").toFile(), generation);
            return dir;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
