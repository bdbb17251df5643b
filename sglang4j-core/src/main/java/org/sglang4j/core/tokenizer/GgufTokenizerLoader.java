package org.sglang4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.gguf.GgufFile;

/**
 * Builds a tokenizer from the {@code tokenizer.ggml.*} keys of a GGUF file, with llama.cpp's defaults for the
 * keys a file leaves out.
 */
final class GgufTokenizerLoader {
    private GgufTokenizerLoader() {}

    static VocabTokenizer load(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model", null);
        if (model == null) throw new IllegalArgumentException(gguf.path() + ": no tokenizer.ggml.model key");
        String[] texts = gguf.getStringArray("tokenizer.ggml.tokens");
        if (texts == null) throw new IllegalArgumentException(gguf.path() + ": no tokenizer.ggml.tokens array");
        TokenType[] types = types(gguf, texts.length);
        float[] scores = gguf.getFloatArray("tokenizer.ggml.scores");
        String pre = gguf.getString("tokenizer.ggml.pre", null);
        return switch (model) {
            case "gpt2" -> {
                Vocabulary vocab = new Vocabulary(texts, types, scores, Vocabulary.PieceDecoding.BYTE_LEVEL);
                String[] merges = gguf.getStringArray("tokenizer.ggml.merges");
                if (merges == null) throw new IllegalArgumentException(gguf.path() + ": gpt2 vocabulary without tokenizer.ggml.merges");
                boolean llama3Style = pre != null && switch (pre) {
                    case "llama3", "llama-v3", "llama-bpe", "falcon3", "llama4", "dbrx", "smaug-bpe", "tekken",
                         "pixtral-llama" -> true;
                    default -> false;
                };
                ByteLevelBpe bpe = ByteLevelBpe.of(vocab, merges, PreTokenizer.forGgufName(pre), llama3Style);
                yield new VocabTokenizer(vocab, bpe, specials(gguf, vocab, -1, -1, llama3Style, false), addedTokens(vocab));
            }
            case "llama" -> {
                if (scores == null) throw new IllegalArgumentException(gguf.path() + ": llama (SentencePiece) vocabulary without tokenizer.ggml.scores");
                Vocabulary vocab = new Vocabulary(texts, types, scores, Vocabulary.PieceDecoding.SENTENCEPIECE);
                boolean prefix = gguf.getBoolean("tokenizer.ggml.add_space_prefix", true);
                SpecialTokens sp = specials(gguf, vocab, 1, 2, true, false);
                SentencePieceBpe spm = SentencePieceBpe.of(vocab, SentencePieceBpe.mergesFromScores(vocab), sp.unk(),
                        '\u2581', prefix ? SentencePieceBpe.Prefix.EVERY_SEGMENT : SentencePieceBpe.Prefix.NEVER, false);
                yield new VocabTokenizer(vocab, spm, sp, isPhi3(gguf) ? phi3AddedTokens(vocab) : addedTokens(vocab));
            }
            case "bert" -> {
                Vocabulary vocab = new Vocabulary(texts, types, scores, Vocabulary.PieceDecoding.SENTENCEPIECE);
                int unk = gguf.getInt("tokenizer.ggml.unknown_token_id", 100);
                int cls = gguf.getInt("tokenizer.ggml.cls_token_id", 101);
                int sep = gguf.getInt("tokenizer.ggml.seperator_token_id", 102);
                SpecialTokens sp = new SpecialTokens(cls, new int[] {sep}, unk,
                        gguf.getInt("tokenizer.ggml.padding_token_id", -1),
                        gguf.getBoolean("tokenizer.ggml.add_bos_token", true),
                        gguf.getBoolean("tokenizer.ggml.add_eos_token", true),
                        gguf.getString("tokenizer.chat_template", null));
                yield new VocabTokenizer(vocab, WordPiece.of(vocab, unk, "\u2581", "", true), sp, addedTokens(vocab));
            }
            default -> throw new UnsupportedOperationException(gguf.path() + ": tokenizer.ggml.model \"" + model
                    + "\" is not supported (supported: gpt2, llama, bert)");
        };
    }

    private static TokenType[] types(GgufFile gguf, int n) {
        int[] codes = gguf.getIntArray("tokenizer.ggml.token_type");
        TokenType[] types = new TokenType[n];
        if (codes != null && codes.length != n) {
            throw new IllegalArgumentException(gguf.path() + ": tokenizer.ggml.token_type has " + codes.length
                    + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) types[i] = codes == null ? TokenType.NORMAL : TokenType.ofGgufCode(codes[i]);
        return types;
    }

    private static SpecialTokens specials(GgufFile gguf, Vocabulary vocab, int defaultBos, int defaultEos,
                                          boolean defaultAddBos, boolean defaultAddEos) {
        int bos = gguf.getInt("tokenizer.ggml.bos_token_id", defaultBos);
        int eos = gguf.getInt("tokenizer.ggml.eos_token_id", defaultEos);
        int eot = gguf.getInt("tokenizer.ggml.eot_token_id", -1);
        int eom = gguf.getInt("tokenizer.ggml.eom_token_id", -1);
        return new SpecialTokens(bos, EndOfGeneration.ids(vocab, eos, eot, eom),
                gguf.getInt("tokenizer.ggml.unknown_token_id", -1),
                gguf.getInt("tokenizer.ggml.padding_token_id", -1),
                gguf.getBoolean("tokenizer.ggml.add_bos_token", defaultAddBos && bos >= 0),
                gguf.getBoolean("tokenizer.ggml.add_eos_token", defaultAddEos),
                gguf.getString("tokenizer.chat_template", null));
    }

    private static boolean isPhi3(GgufFile gguf) {
        String arch = gguf.getString("general.architecture", "").toLowerCase(java.util.Locale.ROOT);
        String name = gguf.getString("general.name", "").toLowerCase(java.util.Locale.ROOT);
        return arch.equals("phi3") || name.contains("phi-3") || name.contains("phi3");
    }

    /**
     * Phi-3's tokenizer.json marks its chat tokens ({@code <|user|>}, {@code <|end|>}, {@code </s>} …) rstrip: the
     * newline after them in the chat format is swallowed. GGUF has no field for it, so (as llama.cpp does) the
     * attribute is restored by model: every added token strips except {@code <unk>}, {@code <s>},
     * {@code <|endoftext|>}.
     */
    private static List<AddedToken> phi3AddedTokens(Vocabulary vocab) {
        List<AddedToken> out = new ArrayList<>();
        for (AddedToken t : addedTokens(vocab)) {
            boolean keep = t.content().equals("<unk>") || t.content().equals("<s>") || t.content().equals("<|endoftext|>");
            out.add(new AddedToken(t.content(), t.id(), t.special(), false, !keep, false));
        }
        return out;
    }

    /** CONTROL and UNKNOWN tokens are special (parsed only on request); USER_DEFINED tokens always match. */
    static List<AddedToken> addedTokens(Vocabulary vocab) {
        List<AddedToken> added = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            TokenType t = vocab.type(id);
            String text = vocab.text(id);
            if (text.isEmpty()) continue;
            if (t == TokenType.CONTROL || t == TokenType.UNKNOWN) added.add(AddedToken.of(text, id, true));
            else if (t == TokenType.USER_DEFINED) added.add(AddedToken.of(text, id, false));
        }
        return added;
    }
}
