package org.sglang4j.core.chat;

import java.util.List;

/**
 * The chat formats {@code --chat-template} can name, written as Jinja in the form the models' own
 * tokenizer_config.json files publish them.
 */
public final class BuiltinChatTemplates {
    private BuiltinChatTemplates() {}

    /** ChatML (Qwen, many fine-tunes): {@code <|im_start|>role\ncontent<|im_end|>\n}. */
    public static final String CHATML = """
            {%- for message in messages %}
            {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
            {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** Meta Llama 3 Instruct. */
    public static final String LLAMA_3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
            + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /** Meta Llama 2 Chat: {@code <s>[INST] <<SYS>>\n…\n<</SYS>>\n\nuser [/INST] answer </s>}. */
    public static final String LLAMA_2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
            + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
            + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{% if loop.index0 == 0 and system_message != false %}"
            + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    /** Mistral Instruct: {@code <s>[INST] user [/INST] answer</s>}; a system prompt joins the first user turn. */
    public static final String MISTRAL = "{%- if messages[0]['role'] == 'system' %}"
            + "{%- set system_message = messages[0]['content'] %}{%- set loop_messages = messages[1:] %}"
            + "{%- else %}{%- set loop_messages = messages %}{%- endif %}{{- bos_token }}"
            + "{%- for message in loop_messages %}"
            + "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif %}"
            + "{%- if message['role'] == 'user' %}{%- if loop.first and system_message is defined %}"
            + "{{- '[INST] ' + system_message + '\\n\\n' + message['content'] + ' [/INST]' }}"
            + "{%- else %}{{- '[INST] ' + message['content'] + ' [/INST]' }}{%- endif %}"
            + "{%- elif message['role'] == 'assistant' %}{{- ' ' + message['content'] + eos_token }}"
            + "{%- else %}{{- raise_exception('Only user and assistant roles are supported, with the exception of "
            + "an initial optional system message!') }}{%- endif %}{%- endfor %}";

    public static final List<String> NAMES = List.of("chatml", "llama-3", "llama-2", "mistral");

    /** The built-in template with this name (also {@code llama3}, {@code llama2}), or null. */
    public static String byName(String name) {
        return switch (name) {
            case "chatml" -> CHATML;
            case "llama-3", "llama3" -> LLAMA_3;
            case "llama-2", "llama2" -> LLAMA_2;
            case "mistral" -> MISTRAL;
            default -> null;
        };
    }
}
