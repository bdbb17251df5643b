package org.sglang4j.core.tokenizer;

import java.util.Arrays;

/**
 * The special ids and flags a vocabulary file declares. {@code eosIds} is every id that ends generation, the
 * file's own EOS first (e.g. Qwen: {@code <|im_end|>}, {@code <|endoftext|>}); -1 means "none".
 */
public record SpecialTokens(int bos, int[] eosIds, int unk, int pad, boolean addBos, boolean addEos,
                            String chatTemplate) {
    public SpecialTokens {
        eosIds = eosIds.clone();
        if (addBos && bos < 0) throw new IllegalArgumentException("add_bos_token is true but the vocabulary has no BOS id");
        if (addEos && eosIds.length == 0) {
            throw new IllegalArgumentException("add_eos_token is true but the vocabulary has no EOS id");
        }
    }

    /** The file's own EOS id (the first of {@link #eosIds}), or -1. */
    public int eos() { return eosIds.length == 0 ? -1 : eosIds[0]; }

    @Override
    public int[] eosIds() { return eosIds.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecialTokens s && bos == s.bos && Arrays.equals(eosIds, s.eosIds) && unk == s.unk
                && pad == s.pad && addBos == s.addBos && addEos == s.addEos
                && java.util.Objects.equals(chatTemplate, s.chatTemplate);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(eosIds) * 31 + bos; }
}
