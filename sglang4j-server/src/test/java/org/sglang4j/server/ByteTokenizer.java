package org.sglang4j.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * A test vocabulary: ids 0-255 are the bytes, 256 is BOS {@code <s>}, 257 EOS {@code </s>}. Every expected id in
 * the tests is then simply a UTF-8 byte, written by hand.
 */
final class ByteTokenizer implements Tokenizer {

    static final int BOS = 256;
    static final int EOS = 257;

    @Override
    public int vocabSize() {
        return 258;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int off = addSpecial ? 1 : 0;
        int[] ids = new int[b.length + off];
        if (addSpecial) ids[0] = BOS;
        for (int i = 0; i < b.length; i++) ids[i + off] = b[i] & 0xff;
        return ids;
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id == BOS) return "<s>".getBytes(StandardCharsets.US_ASCII);
        if (id == EOS) return "</s>".getBytes(StandardCharsets.US_ASCII);
        return new byte[] {(byte) id};
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (skipSpecialTokens && isSpecial(id)) continue;
            out.writeBytes(tokenBytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 256;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int[] eosIds() {
        return new int[] {EOS};
    }

    @Override
    public String chatTemplate() {
        return "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                + "{# tools are announced as <tool_call>{...}</tool_call> #}";
    }
}
