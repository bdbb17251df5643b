package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * decode(encode(s)) == s for every byte-level vocabulary (and SentencePiece / llama2.c with byte fallback):
 * these tokenizers are lossless by construction, so any difference is a bug in the pre-tokenizer (a dropped or
 * duplicated char), the byte mapping or the merge loop.
 */
class RoundTripTest {
    static final String[] BYTE_LEVEL = {"qwen2-rebuilt", "llama-bpe-rebuilt", "gpt-2", "deepseek-llm",
            "deepseek-coder", "falcon", "mpt", "refact", "starcoder"};

    private static final Map<String, VocabTokenizer> TOKENIZERS = new LinkedHashMap<>();

    static synchronized Map<String, VocabTokenizer> tokenizers() {
        if (TOKENIZERS.isEmpty()) for (String n : BYTE_LEVEL) TOKENIZERS.put(n, VocabTestCases.tokenizer(n));
        return TOKENIZERS;
    }

    @Provide
    Arbitrary<String> texts() { return UnicodeTexts.text(); }

    /**
     * Falcon, StarCoder, Refact and MPT lack a few byte tokens (control bytes, lead bytes of unassigned planes);
     * those bytes cannot be spelled and are dropped, as Hugging Face and llama.cpp drop them. Everything else
     * comes back byte for byte.
     */
    @Property(tries = 400)
    void decodeOfEncodeIsIdentity(@ForAll("texts") String s) {
        byte[] utf8 = Utf8.encode(s);
        for (var e : tokenizers().entrySet()) {
            VocabTokenizer tok = e.getValue();
            int[] byteTokens = ((ByteLevelBpe) tok.model()).byteTokens();
            java.io.ByteArrayOutputStream spellable = new java.io.ByteArrayOutputStream();
            for (byte b : utf8) if (byteTokens[b & 0xFF] >= 0) spellable.write(b);
            int[] ids = tok.encode(s, false, false);
            java.io.ByteArrayOutputStream decoded = new java.io.ByteArrayOutputStream();
            for (int id : ids) decoded.writeBytes(tok.tokenBytes(id));
            assertThat(decoded.toByteArray()).as(e.getKey()).isEqualTo(spellable.toByteArray());
            if (spellable.size() == utf8.length) assertThat(tok.decode(ids, false)).as(e.getKey()).isEqualTo(s);
        }
    }

    /** SentencePiece with byte fallback is lossless too once the dummy-prefix space is dropped again. */
    @Property(tries = 300)
    void sentencePieceAndLlama2cRoundTrip(@ForAll("texts") String s) throws java.io.IOException {
        VocabTokenizer spm = sentencePiece();
        assertThat(spm.decode(spm.encode(s, true, false), true)).isEqualTo(s);
        VocabTokenizer tok512 = Llama2cTokenizerTest.tok512();
        assertThat(tok512.decode(tok512.encode(s, true, false), true)).isEqualTo(s);
    }

    private static VocabTokenizer sentencePiece() { return VocabTestCases.tokenizer("llama-spm"); }

    @Property(tries = 400)
    void parsingSpecialTokensKeepsTheText(@ForAll("texts") String s) {
        VocabTokenizer qwen = tokenizers().get("qwen2-rebuilt");
        String text = s + "<|im_end|>" + s;
        int[] ids = qwen.encode(text, false, true);
        assertThat(ids).contains(qwen.tokenId("<|im_end|>"));
        assertThat(qwen.decode(ids, false)).isEqualTo(text);
    }

    @Property(tries = 300)
    void scanAndHeapMergesAgree(@ForAll("texts") String s) {
        VocabTokenizer qwen = tokenizers().get("qwen2-rebuilt");
        ByteLevelBpe model = (ByteLevelBpe) qwen.model();
        byte[] bytes = Utf8.encode(s);
        int n = Math.min(bytes.length, BpeMerger.SCAN_LIMIT); // the scan handles words up to SCAN_LIMIT symbols
        net.jqwik.api.Assume.that(n >= 2);
        int[] a = new int[n], b = new int[n];
        for (int i = 0; i < n; i++) a[i] = b[i] = model.byteTokens()[bytes[i] & 0xFF];
        BpeMerger merger = new BpeMerger();
        int na = merger.mergeByScan(model.merges(), a, n);
        int nb = merger.mergeByHeap(model.merges(), b, n);
        assertThat(java.util.Arrays.copyOf(a, na)).isEqualTo(java.util.Arrays.copyOf(b, nb));
    }
}
