package org.sglang4j.core.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Builds a tokenizer from a Hugging Face model directory: {@code tokenizer.json} (vocabulary, merges, added
 * tokens, normalizer, pre-tokenizer, post-processor), {@code tokenizer_config.json} (BOS/EOS, add_bos_token,
 * chat_template), {@code generation_config.json} (the EOS ids generation stops on) and {@code chat_template.jinja}.
 */
final class HfTokenizerLoader {
    private HfTokenizerLoader() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static VocabTokenizer load(Path dir) throws IOException {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException(dir + " has no tokenizer.json (a tokenizer.model alone is not supported: "
                    + "convert it with transformers, or use the GGUF file)");
        }
        JsonNode config = readOptional(dir.resolve("tokenizer_config.json"));
        JsonNode generation = readOptional(dir.resolve("generation_config.json"));
        Path jinja = dir.resolve("chat_template.jinja");
        String template = Files.isRegularFile(jinja) ? Files.readString(jinja) : null;
        return build(JSON.readTree(tokenizerJson.toFile()), config, generation, template);
    }

    private static JsonNode readOptional(Path p) throws IOException {
        return Files.isRegularFile(p) ? JSON.readTree(p.toFile()) : null;
    }

    /** {@code config}, {@code generation} and {@code chatTemplateFile} may be null. */
    static VocabTokenizer build(JsonNode root, JsonNode config, JsonNode generation, String chatTemplateFile) {
        JsonNode model = root.path("model");
        String type = model.path("type").asString(model.has("merges") ? "BPE" : "");
        JsonNode added = root.path("added_tokens");
        boolean byteLevel = !HfPipeline.flatten(root.path("pre_tokenizer"), "pretokenizers").stream()
                .filter(n -> n.path("type").asString("").equals("ByteLevel")).toList().isEmpty()
                || root.path("decoder").path("type").asString("").equals("ByteLevel");
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);

        // Token table: model vocabulary plus added tokens; ids nobody names become UNUSED placeholders.
        int size = 0;
        for (var e : model.path("vocab").properties()) size = Math.max(size, e.getValue().asInt() + 1);
        for (JsonNode t : added) size = Math.max(size, t.path("id").asInt() + 1);
        String[] texts = new String[size];
        TokenType[] types = new TokenType[size];
        for (var e : model.path("vocab").properties()) {
            int id = e.getValue().asInt();
            texts[id] = e.getKey();
            types[id] = byteFallback && Vocabulary.parseByteToken(e.getKey()) >= 0 ? TokenType.BYTE : TokenType.NORMAL;
        }
        List<AddedToken> addedTokens = new ArrayList<>();
        for (JsonNode t : added) {
            int id = t.path("id").asInt();
            boolean special = t.path("special").asBoolean(false);
            texts[id] = t.path("content").asString();
            types[id] = special ? TokenType.CONTROL : TokenType.USER_DEFINED;
            addedTokens.add(new AddedToken(texts[id], id, special, t.path("lstrip").asBoolean(false),
                    t.path("rstrip").asBoolean(false), t.path("single_word").asBoolean(false)));
        }
        for (int i = 0; i < size; i++) {
            if (texts[i] == null) {
                texts[i] = "[UNUSED_" + i + "]";
                types[i] = TokenType.UNUSED;
            }
        }

        UnaryOperator<String> normalizer = HfPipeline.textNormalizer(root.path("normalizer"));
        String unkText = model.path("unk_token").asString(null);
        Vocabulary vocab;
        TokenizerModel tokenizerModel;
        switch (type) {
            case "BPE" -> {
                String prefix = model.path("continuing_subword_prefix").asString("");
                String suffix = model.path("end_of_word_suffix").asString("");
                if (!prefix.isEmpty() || !suffix.isEmpty()) {
                    throw new UnsupportedOperationException("BPE with continuing_subword_prefix/end_of_word_suffix");
                }
                if (byteLevel) {
                    vocab = new Vocabulary(texts, types, null, Vocabulary.PieceDecoding.BYTE_LEVEL);
                    tokenizerModel = ByteLevelBpe.of(vocab, mergeStrings(model.path("merges")),
                            HfPipeline.byteLevelPreTokenizer(root.path("pre_tokenizer")),
                            model.path("ignore_merges").asBoolean(false));
                } else {
                    vocab = new Vocabulary(texts, types, null, Vocabulary.PieceDecoding.SENTENCEPIECE);
                    var spm = HfPipeline.spmSettings(root.path("normalizer"), root.path("pre_tokenizer"));
                    tokenizerModel = SentencePieceBpe.of(vocab, mergeTable(vocab, model.path("merges")),
                            unkText == null ? -1 : vocab.id(unkText), spm.spaceChar(), spm.prefix(), spm.splitOnSpace());
                }
            }
            case "WordPiece" -> {
                vocab = new Vocabulary(texts, types, null, Vocabulary.PieceDecoding.WORDPIECE);
                boolean lowercase = HfPipeline.flatten(root.path("normalizer"), "normalizers").stream()
                        .anyMatch(n -> n.path("type").asString("").equals("BertNormalizer")
                                && n.path("lowercase").asBoolean(true));
                int unk = vocab.id(unkText == null ? "[UNK]" : unkText);
                tokenizerModel = WordPiece.of(vocab, unk, "", model.path("continuing_subword_prefix").asString("##"),
                        lowercase);
                normalizer = null; // BertNormalizer is applied inside WordPiece
            }
            default -> throw new UnsupportedOperationException("tokenizer.json model type \"" + type
                    + "\" is not supported (supported: BPE, WordPiece)");
        }
        SpecialTokens specials = specials(root, config, generation, chatTemplateFile, vocab);
        return new VocabTokenizer(vocab, tokenizerModel, specials, addedTokens, normalizer);
    }

    /** Byte-level merges as {@code "a b"} strings (byte-level text never contains a real space). */
    private static String[] mergeStrings(JsonNode merges) {
        String[] out = new String[merges.size()];
        int i = 0;
        for (JsonNode m : merges) out[i++] = m.isArray() ? m.get(0).asString() + " " + m.get(1).asString() : m.asString();
        return out;
    }

    /** Merges as {@code "a b"} strings or {@code ["a", "b"]} pairs; rank = position. */
    private static BpeMerges mergeTable(Vocabulary vocab, JsonNode merges) {
        BpeMerges table = new BpeMerges(Math.max(1, merges.size()));
        int rank = 0;
        for (JsonNode m : merges) {
            String left, right;
            if (m.isArray()) {
                left = m.get(0).asString();
                right = m.get(1).asString();
            } else {
                String s = m.asString();
                int sp = s.indexOf(' ', 1);
                if (sp < 0) throw new IllegalArgumentException("merge " + rank + " \"" + s + "\" has no space");
                left = s.substring(0, sp);
                right = s.substring(sp + 1);
            }
            ByteLevelBpe.addMerge(vocab, table, left, right, rank++);
        }
        return table;
    }

    private static SpecialTokens specials(JsonNode root, JsonNode config, JsonNode generation, String templateFile,
                                          Vocabulary vocab) {
        JsonNode cfg = config == null ? JSON.createObjectNode() : config;
        int bos = idOf(vocab, cfg.path("bos_token"));
        int eos = idOf(vocab, cfg.path("eos_token"));
        int unk = idOf(vocab, cfg.path("unk_token"));
        int pad = idOf(vocab, cfg.path("pad_token"));
        // What the post-processor adds around a single sequence (TemplateProcessing, Bert/Roberta processing).
        int firstAdded = -1, lastAdded = -1;
        JsonNode post = root.path("post_processor");
        for (JsonNode p : HfPipeline.flatten(post, "processors")) {
            switch (p.path("type").asString("")) {
                case "TemplateProcessing" -> {
                    JsonNode single = p.path("single");
                    if (!single.isEmpty() && single.get(0).has("SpecialToken")) {
                        firstAdded = vocab.id(single.get(0).path("SpecialToken").path("id").asString());
                    }
                    if (single.size() > 1 && single.get(single.size() - 1).has("SpecialToken")) {
                        lastAdded = vocab.id(single.get(single.size() - 1).path("SpecialToken").path("id").asString());
                    }
                }
                case "BertProcessing", "RobertaProcessing" -> {
                    firstAdded = p.path("cls").get(1).asInt();
                    lastAdded = p.path("sep").get(1).asInt();
                }
                default -> { }
            }
        }
        if (bos < 0) bos = firstAdded >= 0 ? firstAdded : generation == null ? -1 : generation.path("bos_token_id").asInt(-1);
        if (eos < 0 && lastAdded >= 0 && firstAdded != lastAdded) eos = lastAdded;
        boolean addBos = cfg.has("add_bos_token") ? cfg.path("add_bos_token").asBoolean() : firstAdded >= 0;
        boolean addEos = cfg.has("add_eos_token") ? cfg.path("add_eos_token").asBoolean() : lastAdded >= 0 && lastAdded != firstAdded;
        if (addBos && firstAdded >= 0) bos = firstAdded;
        List<Integer> declared = new ArrayList<>();
        if (generation != null) {
            JsonNode g = generation.path("eos_token_id");
            if (g.isArray()) for (JsonNode x : g) declared.add(x.asInt());
            else if (g.isNumber()) declared.add(g.asInt());
        }
        if (eos < 0 && !declared.isEmpty()) eos = declared.getFirst();
        if (addEos && lastAdded >= 0) eos = eos < 0 ? lastAdded : eos;
        int[] eosIds = EndOfGeneration.ids(vocab, eos, declared.stream().mapToInt(Integer::intValue).toArray());
        if (addEos && eosIds.length == 0) addEos = false;
        String template = chatTemplate(cfg.path("chat_template"));
        if (template == null) template = templateFile;
        return new SpecialTokens(bos, eosIds, unk, pad, addBos, addEos, template);
    }

    /** A special token given as {@code "<s>"} or {@code {"content": "<s>", ...}}; -1 when absent or unknown. */
    private static int idOf(Vocabulary vocab, JsonNode token) {
        String text = token.isString() ? token.asString() : token.path("content").asString(null);
        return text == null ? -1 : vocab.id(text);
    }

    /** {@code chat_template} is a string, or a list of {@code {name, template}} of which "default" is used. */
    private static String chatTemplate(JsonNode node) {
        if (node.isString()) return node.asString();
        if (node.isArray()) {
            String first = null;
            for (JsonNode t : node) {
                if (first == null) first = t.path("template").asString(null);
                if ("default".equals(t.path("name").asString(""))) return t.path("template").asString(null);
            }
            return first;
        }
        return null;
    }

}
