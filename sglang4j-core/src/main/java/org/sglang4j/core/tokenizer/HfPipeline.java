package org.sglang4j.core.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code normalizer} and {@code pre_tokenizer} sections of a Hugging Face tokenizer.json into our
 * pieces. Only the shapes LLM tokenizers actually use are accepted; anything else fails loudly with the
 * component's name, because an approximate pre-tokenizer silently changes every prompt.
 */
final class HfPipeline {
    private HfPipeline() {}

    // The regexes as Hugging Face writes them; the hand-written scanners implement exactly these.
    static final String HF_LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String HF_QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** What the SentencePiece-style settings of a file say (space character, dummy prefix, split on spaces). */
    record SpmSettings(char spaceChar, SentencePieceBpe.Prefix prefix, boolean splitOnSpace) {}

    /** The text normalizer to run on each stretch of text, or null for none. */
    static UnaryOperator<String> textNormalizer(JsonNode normalizer) {
        if (normalizer == null || normalizer.isNull()) return null;
        List<UnaryOperator<String>> steps = new ArrayList<>();
        for (JsonNode n : flatten(normalizer, "normalizers")) {
            String type = n.path("type").asString("");
            switch (type) {
                case "NFC" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFC));
                case "NFKC" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKC));
                case "NFD" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFD));
                case "NFKD" -> steps.add(s -> Normalizer.normalize(s, Normalizer.Form.NFKD));
                case "Lowercase" -> steps.add(s -> s.toLowerCase(java.util.Locale.ROOT));
                // SentencePiece space handling is done by the model (see spmSettings); BERT's by WordPiece.
                case "Prepend", "Replace", "BertNormalizer" -> { }
                default -> throw new UnsupportedOperationException("tokenizer.json normalizer \"" + type
                        + "\" is not supported (supported: NFC, NFKC, NFD, NFKD, Lowercase, Prepend, Replace, "
                        + "BertNormalizer, Sequence)");
            }
        }
        if (steps.isEmpty()) return null;
        return s -> {
            for (UnaryOperator<String> f : steps) s = f.apply(s);
            return s;
        };
    }

    /** The pre-tokenizer of a byte-level BPE file. */
    static PreTokenizer byteLevelPreTokenizer(JsonNode preTokenizer) {
        if (preTokenizer == null || preTokenizer.isNull()) {
            throw new UnsupportedOperationException("byte-level BPE tokenizer.json without a pre_tokenizer");
        }
        List<PreTokenizer> steps = new ArrayList<>();
        for (JsonNode p : flatten(preTokenizer, "pretokenizers")) {
            String type = p.path("type").asString("");
            switch (type) {
                case "ByteLevel" -> {
                    if (p.path("add_prefix_space").asBoolean(false)) {
                        throw new UnsupportedOperationException("ByteLevel pre_tokenizer with add_prefix_space=true");
                    }
                    if (p.path("use_regex").asBoolean(true)) steps.add(new Gpt2Split());
                }
                case "Split" -> steps.add(split(p));
                case "Digits" -> steps.add(RegexSplit.of(p.path("individual_digits").asBoolean(false) ? "\\p{N}" : "\\p{N}+"));
                case "Punctuation" -> steps.add(RegexSplit.of("[\\p{P}!-/:-@\\[-`{-~]"));
                default -> throw new UnsupportedOperationException("tokenizer.json pre_tokenizer \"" + type
                        + "\" is not supported for byte-level BPE (supported: ByteLevel, Split, Digits, "
                        + "Punctuation, Sequence)");
            }
        }
        if (steps.isEmpty()) throw new UnsupportedOperationException("byte-level BPE tokenizer.json without a split");
        return steps.size() == 1 ? steps.getFirst() : new SplitSequence(steps);
    }

    private static PreTokenizer split(JsonNode p) {
        String behavior = p.path("behavior").asString("Isolated");
        if (!behavior.equals("Isolated")) {
            throw new UnsupportedOperationException("Split pre_tokenizer behavior \"" + behavior
                    + "\" is not supported (supported: Isolated)");
        }
        JsonNode pattern = p.path("pattern");
        if (pattern.has("String")) return new RegexSplit(Pattern.compile(Pattern.quote(pattern.get("String").asString())));
        String regex = pattern.path("Regex").asString(null);
        if (regex == null) throw new IllegalArgumentException("Split pre_tokenizer without a pattern: " + p);
        return switch (regex) {
            case HF_LLAMA3, PreTokenizer.LLAMA3 -> new Llama3Split(3);
            case HF_QWEN2, PreTokenizer.QWEN2 -> new Llama3Split(1);
            case PreTokenizer.GPT2 -> new Gpt2Split();
            default -> RegexSplit.of(regex);
        };
    }

    /** Space handling of a SentencePiece-style BPE file (normalizer Prepend/Replace or pre_tokenizer Metaspace). */
    static SpmSettings spmSettings(JsonNode normalizer, JsonNode preTokenizer) {
        char space = ' ';
        SentencePieceBpe.Prefix prefix = SentencePieceBpe.Prefix.NEVER;
        boolean split = false;
        for (JsonNode n : flatten(normalizer, "normalizers")) {
            switch (n.path("type").asString("")) {
                case "Prepend" -> prefix = SentencePieceBpe.Prefix.EVERY_SEGMENT;
                case "Replace" -> {
                    String from = n.path("pattern").path("String").asString(null);
                    String to = n.path("content").asString("");
                    if (" ".equals(from) && to.length() == 1) space = to.charAt(0);
                    else throw new UnsupportedOperationException("Replace normalizer other than ' ' -> one char: " + n);
                }
                default -> { }
            }
        }
        for (JsonNode p : flatten(preTokenizer, "pretokenizers")) {
            String type = p.path("type").asString("");
            if (!type.equals("Metaspace")) {
                throw new UnsupportedOperationException("tokenizer.json pre_tokenizer \"" + type
                        + "\" is not supported for SentencePiece-style BPE (supported: Metaspace)");
            }
            space = p.path("replacement").asString("\u2581").charAt(0);
            String scheme = p.path("prepend_scheme").asString(p.path("add_prefix_space").asBoolean(true) ? "always" : "never");
            prefix = switch (scheme) {
                case "always" -> SentencePieceBpe.Prefix.EVERY_SEGMENT;
                case "first" -> SentencePieceBpe.Prefix.FIRST_SEGMENT;
                case "never" -> SentencePieceBpe.Prefix.NEVER;
                default -> throw new UnsupportedOperationException("Metaspace prepend_scheme \"" + scheme + "\"");
            };
            split = p.path("split").asBoolean(true);
        }
        return new SpmSettings(space, prefix, split);
    }

    /** The components of a {@code Sequence}, or the single component; empty for null. */
    static List<JsonNode> flatten(JsonNode node, String listKey) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) return out;
        if ("Sequence".equals(node.path("type").asString(""))) {
            for (JsonNode child : node.path(listKey)) out.addAll(flatten(child, listKey));
        } else {
            out.add(node);
        }
        return out;
    }
}
