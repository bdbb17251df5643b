package org.sglang4j.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jinja2 constructs of recent templates (Qwen3 style) that jinjava would otherwise misread. */
class JinjaCompatTest {

    @Test
    void rewritesReverseSlicesAndNamespaceArguments() {
        assertThat(JinjaCompat.rewrite("{% for m in messages[::-1] %}")).isEqualTo("{% for m in messages|reverse %}");
        assertThat(JinjaCompat.rewrite("{% set ns = namespace(a=true, last=messages|length - 1, s='x,=y') %}"))
                .isEqualTo("{% set ns = namespace(a=(true), last=(messages|length - 1), s=('x,=y')) %}");
        assertThat(JinjaCompat.rewrite("{{ my_namespace(x=1) }} namespace(")).isEqualTo("{{ my_namespace(x=1) }} namespace(");
        assertThat(JinjaCompat.rewrite("{{ a == b }}")).isEqualTo("{{ a == b }}");
    }

    /** A template in the style of Qwen3's: find the last real user query walking backwards, split out thinking. */
    @Test
    void qwen3StyleTemplateRenders() {
        String src = """
                {%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
                {%- for message in messages[::-1] %}
                    {%- set index = (messages|length - 1) - loop.index0 %}
                    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>')) %}
                        {%- set ns.multi_step_tool = false %}
                        {%- set ns.last_query_index = index %}
                    {%- endif %}
                {%- endfor %}
                {%- for message in messages %}
                    {%- if message.role == "assistant" %}
                        {%- set content = message.content.split('</think>')[-1].lstrip('\\n') %}
                        {%- if loop.index0 > ns.last_query_index %}
                            {{- '<|im_start|>assistant\\n<think>\\n' + message.content.split('</think>')[0].split('<think>')[-1].strip() + '\\n</think>\\n\\n' + content + '<|im_end|>\\n' }}
                        {%- else %}
                            {{- '<|im_start|>assistant\\n' + content + '<|im_end|>\\n' }}
                        {%- endif %}
                    {%- else %}
                        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endfor %}
                {%- if add_generation_prompt %}
                    {{- '<|im_start|>assistant\\n' }}
                    {%- if enable_thinking is defined and enable_thinking is false %}
                        {{- '<think>\\n\\n</think>\\n\\n' }}
                    {%- endif %}
                {%- endif %}
                """;
        ChatTemplate t = new ChatTemplate("qwen3-style", src, "", "<|im_end|>");
        List<ChatMessage> messages = List.of(ChatMessage.user("Q1"), ChatMessage.assistant("<think>\nold\n</think>\n\nA1"),
                ChatMessage.user("Q2"), ChatMessage.assistant("<think>\nnew\n</think>\n\nA2"),
                ChatMessage.user("<tool_response>r</tool_response>"));
        String out = t.render(messages, new ChatTemplate.RenderOptions(true, null, Map.of("enable_thinking", false)));
        assertThat(out).isEqualTo("<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                + "<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n<think>\nnew\n</think>\n\nA2<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>r</tool_response><|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }
}
