package org.sglang4j.core.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Chooses the chat template for a model: {@code --chat-template} (a built-in name or a file path) if given,
 * else the model's own template, else ChatML with a warning.
 */
public final class ChatTemplates {
    private ChatTemplates() {}

    private static final System.Logger LOG = System.getLogger(ChatTemplates.class.getName());

    /**
     * @param spec the {@code --chat-template} value, or null to use the model's own template
     * @throws IllegalArgumentException if {@code spec} is neither a built-in name nor a readable file
     */
    public static ChatTemplate forModel(String spec, Tokenizer tokenizer) {
        String bos = specialText(tokenizer, tokenizer.bosId());
        int[] eos = tokenizer.eosIds();
        String eosText = specialText(tokenizer, eos.length == 0 ? -1 : eos[0]);
        if (spec != null && !spec.isBlank()) {
            String builtin = BuiltinChatTemplates.byName(spec);
            if (builtin != null) return new ChatTemplate(spec, builtin, bos, eosText);
            Path file = Path.of(spec);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--chat-template \"" + spec + "\" is neither a built-in template "
                        + BuiltinChatTemplates.NAMES + " nor a readable file");
            }
            try {
                return new ChatTemplate(file.toString(), Files.readString(file), bos, eosText);
            } catch (IOException e) {
                throw new IllegalArgumentException("--chat-template " + file + ": " + e.getMessage(), e);
            }
        }
        String own = tokenizer.chatTemplate();
        if (own != null && !own.isBlank()) return new ChatTemplate("model", own, bos, eosText);
        LOG.log(System.Logger.Level.WARNING, "the model has no chat template; using chatml "
                + "(set --chat-template to one of " + BuiltinChatTemplates.NAMES + " or a file)");
        return new ChatTemplate("chatml", BuiltinChatTemplates.CHATML, bos, eosText);
    }

    /** The text of a special token ("" when the model has none). */
    private static String specialText(Tokenizer tokenizer, int id) {
        return id < 0 ? "" : tokenizer.decode(new int[] {id}, false);
    }
}
