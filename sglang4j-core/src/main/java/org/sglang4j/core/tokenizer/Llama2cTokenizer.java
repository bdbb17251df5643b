package org.sglang4j.core.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Karpathy's llama2.c tokenizer file ({@code tokenizer.bin}, {@code tok512.bin}): {@code int32 max_token_length},
 * then per token {@code float32 score, int32 len, len bytes} (little-endian; the count comes from the model).
 * Ids 1 and 2 are BOS and EOS, {@code <0xNN>} pieces are byte fallback, and spaces are stored as real spaces.
 * Encoding is llama2.c's: a dummy {@code " "} in front of the text, one token per code point (or its bytes),
 * then the best-scoring adjacent merge, leftmost on ties, until none is left — {@link SentencePieceBpe} with
 * {@code ' '} as the space character.
 */
public final class Llama2cTokenizer {
    private Llama2cTokenizer() {}

    public static VocabTokenizer load(Path file, int vocabSize) throws IOException {
        if (vocabSize < 3) throw new IllegalArgumentException("vocabSize must be >= 3 (unk, bos, eos), got " + vocabSize);
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String[] texts = new String[vocabSize];
        float[] scores = new float[vocabSize];
        TokenType[] types = new TokenType[vocabSize];
        try {
            buf.getInt(); // max_token_length: only a buffer size hint for the C code
            for (int i = 0; i < vocabSize; i++) {
                scores[i] = buf.getFloat();
                int len = buf.getInt();
                if (len < 0 || len > buf.remaining()) {
                    throw new IllegalArgumentException(file + ": token " + i + " has length " + len + " with "
                            + buf.remaining() + " bytes left");
                }
                byte[] b = new byte[len];
                buf.get(b);
                texts[i] = new String(b, StandardCharsets.UTF_8);
                types[i] = i == 0 ? TokenType.UNKNOWN
                        : i <= 2 ? TokenType.CONTROL
                        : Vocabulary.parseByteToken(texts[i]) >= 0 ? TokenType.BYTE : TokenType.NORMAL;
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException(file + " ends before " + vocabSize + " tokens: wrong file or vocab size", e);
        }
        Vocabulary vocab = new Vocabulary(texts, types, scores, Vocabulary.PieceDecoding.RAW);
        SentencePieceBpe model = SentencePieceBpe.of(vocab, SentencePieceBpe.mergesFromScores(vocab), 0, ' ',
                SentencePieceBpe.Prefix.EVERY_SEGMENT, false);
        SpecialTokens specials = new SpecialTokens(1, new int[] {2}, 0, -1, true, false, null);
        return new VocabTokenizer(vocab, model, specials, List.of());
    }
}
