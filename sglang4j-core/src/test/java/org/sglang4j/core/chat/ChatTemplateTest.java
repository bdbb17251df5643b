package org.sglang4j.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.testing.SharedData;
import org.sglang4j.core.tokenizer.Tokenizers;
import org.sglang4j.core.tokenizer.VocabTokenizer;

/**
 * The models' own templates render multi-turn conversations to exactly the strings their model cards document
 * (written out by hand below), and every turn's rendering extends the previous prompt plus the answer, so
 * multi-turn requests hit the prefix cache.
 */
class ChatTemplateTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("You are a helpful assistant."),
            ChatMessage.user("Hello!"),
            ChatMessage.assistant("Hi there! How can I help?"),
            ChatMessage.user("What is the capital of France?"));

    private static final Map<String, VocabTokenizer> TOKENIZERS = new java.util.concurrent.ConcurrentHashMap<>();

    static VocabTokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> {
            try (GgufFile g = GgufFile.open(SharedData.vocab("ggml-vocab-" + n + ".gguf"))) {
                return Tokenizers.fromGguf(g);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void qwen2InstructTemplateFromTheGgufRendersChatMl() throws IOException {
        ChatTemplate t = ChatTemplates.forModel(null, tokenizer("qwen2-rebuilt"));
        assertThat(t.name()).isEqualTo("model");
        assertThat(t.render(CONVERSATION, ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHello!<|im_end|>\n"
                        + "<|im_start|>assistant\nHi there! How can I help?<|im_end|>\n"
                        + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n"
                        + "<|im_start|>assistant\n");
        // Without a system message the Qwen2 template supplies its default one.
        assertThat(t.render(List.of(ChatMessage.user("Hi")), ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(
                "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void qwen25TemplateWithToolsRendersTheDocumentedFunctionCallingPrompt() throws IOException {
        ChatTemplate t = new ChatTemplate("qwen2.5", resource("qwen2.5-instruct.jinja"), "", "<|im_end|>");
        Map<String, Object> tool = ordered("type", "function", "function", ordered(
                "name", "get_weather", "description", "Get the weather", "parameters", ordered(
                        "type", "object", "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city"))));
        List<ChatMessage> messages = List.of(
                ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "get_weather", "{\"city\": \"Paris\"}"))),
                ChatMessage.tool("call_1", "get_weather", "{\"temp\": 18}"));
        String out = t.render(messages, new ChatTemplate.RenderOptions(true, List.of(tool), Map.of()));
        assertThat(out).isEqualTo("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                + "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
                + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
                + "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \"Get the weather\", "
                + "\"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, "
                + "\"required\": [\"city\"]}}}\n</tools>\n\n"
                + "For each function call, return a json object with function name and arguments within "
                + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
                + "<args-json-object>}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
                + "</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\n{\"temp\": 18}\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
        // Plain conversation with Qwen2.5's own default system prompt.
        assertThat(t.render(List.of(ChatMessage.user("Hi")), ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llama3InstructTemplateRendersTheDocumentedPrompt() throws IOException {
        VocabTokenizer llama3 = tokenizer("llama-bpe-rebuilt");
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHi there! How can I help?<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        ChatTemplate fromFile = new ChatTemplate("llama3", resource("llama3-instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>");
        assertThat(fromFile.render(CONVERSATION, ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(expected);
        ChatTemplate builtin = ChatTemplates.forModel("llama-3", llama3);
        assertThat(builtin.render(CONVERSATION, ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(expected);
    }

    @Test
    void eachTurnExtendsThePreviousPromptAndAnswerByteForByteAndTokenForToken() throws IOException {
        record Model(VocabTokenizer tok, ChatTemplate template, String endOfTurn) {}
        VocabTokenizer qwen = tokenizer("qwen2-rebuilt"), llama3 = tokenizer("llama-bpe-rebuilt");
        List<Model> models = List.of(
                new Model(qwen, ChatTemplates.forModel(null, qwen), "<|im_end|>"),
                new Model(qwen, new ChatTemplate("qwen2.5", resource("qwen2.5-instruct.jinja"), "", "<|im_end|>"), "<|im_end|>"),
                new Model(llama3, ChatTemplates.forModel("llama-3", llama3), "<|eot_id|>"),
                new Model(qwen, ChatTemplates.forModel("chatml", qwen), "<|im_end|>"));
        List<String> answers = List.of("Paris is the capital of France.", "It has about 2.1 million people.",
                "你好！我可以帮你。", "Sure:\n```python\nprint('hi')\n```");
        for (Model m : models) {
            List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.system("Be brief.")));
            String previous = null;
            for (int turn = 0; turn < answers.size(); turn++) {
                conversation.add(ChatMessage.user("Question " + turn + "?"));
                String prompt = m.template().render(conversation, ChatTemplate.RenderOptions.generationPrompt());
                if (previous != null) {
                    assertThat(prompt).as(m.template().name() + " turn " + turn).startsWith(previous);
                    // The ids the engine cached (prompt + generated answer + end-of-turn token) prefix the new prompt.
                    int[] cached = concat(m.tok().encode(previous, false, true), new int[] {m.tok().tokenId(m.endOfTurn())});
                    int[] now = m.tok().encode(prompt, false, true);
                    assertThat(Arrays.copyOf(now, cached.length)).as(m.template().name() + " ids, turn " + turn)
                            .isEqualTo(cached);
                }
                String answer = answers.get(turn);
                conversation.add(ChatMessage.assistant(answer));
                previous = prompt + answer;
            }
        }
    }

    @Test
    void llama2AndMistralBuiltinsRenderTheirFormats() {
        ChatTemplate llama2 = new ChatTemplate("llama-2", BuiltinChatTemplates.LLAMA_2, "<s>", "</s>");
        assertThat(llama2.render(CONVERSATION, ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(
                "<s>[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nHello! [/INST] Hi there! How can I help? </s>"
                        + "<s>[INST] What is the capital of France? [/INST]");
        ChatTemplate mistral = new ChatTemplate("mistral", BuiltinChatTemplates.MISTRAL, "<s>", "</s>");
        assertThat(mistral.render(CONVERSATION, ChatTemplate.RenderOptions.generationPrompt())).isEqualTo(
                "<s>[INST] You are a helpful assistant.\n\nHello! [/INST] Hi there! How can I help?</s>"
                        + "[INST] What is the capital of France? [/INST]");
        ChatTemplate chatml = new ChatTemplate("chatml", BuiltinChatTemplates.CHATML, "", "");
        assertThat(chatml.render(List.of(ChatMessage.user("x")), ChatTemplate.RenderOptions.generationPrompt()))
                .isEqualTo("<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void pythonIsmsTemplatesRelyOn() {
        String src = "{%- set ns = namespace(found=false) %}"
                + "{%- for m in messages %}{%- if m.content.startswith('  ') %}{%- set ns.found = true %}{%- endif %}{%- endfor %}"
                + "{{ ns.found }}|{{ messages[0].content.strip() }}|{{ messages[0].content.lstrip() }}|"
                + "{{ messages[0].content.rstrip() }}|{{ 'a b  c'.split() | length }}|{{ 'a,b'.split(',') | join('+') }}|"
                + "{{ messages[0].content.strip().upper() }}|{{ 'x'.endswith(('y', 'x')) }}|"
                + "{%- for i in range(9) %}{%- if i == 3 %}{%- break %}{%- endif %}{%- if i == 1 %}{%- continue %}{%- endif %}{{ i }}{%- endfor %}|"
                + "{{ {'b': [1, 2.5, none, true], 'a': 'é\"\\n'} | tojson }}|{{ {'k': 1} | tojson(indent=2) }}|"
                + "{{ strftime_now('%d %b %Y') }}|{{ messages[-1].get('missing', 'dflt') }}|{{ '\\n'.join(['p', 'q']) }}|"
                + "{% for k, v in {'z': 1}.items() %}{{ k }}={{ v }}{% endfor %}|{{ undefined_var is defined }}";
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2024-07-26T10:00:00Z"), java.time.ZoneOffset.UTC);
        ChatTemplate t = new ChatTemplate("t", src, "", "", clock);
        String out = t.render(List.of(ChatMessage.user("  hi  ")), new ChatTemplate.RenderOptions(false, null, Map.of()));
        assertThat(out).isEqualTo("true|hi|hi  |  hi|3|a+b|HI|true|02|"
                + "{\"b\": [1, 2.5, null, true], \"a\": \"é\\\"\\n\"}|{\n  \"k\": 1\n}|26 Jul 2024|dflt|p\nq|z=1|false");
    }

    @Test
    void aTemplateThatRaisesGivesItsMessageNotACrash() {
        ChatTemplate llama2 = new ChatTemplate("llama-2", BuiltinChatTemplates.LLAMA_2, "<s>", "</s>");
        List<ChatMessage> twoUsers = List.of(ChatMessage.user("a"), ChatMessage.user("b"));
        assertThatThrownBy(() -> llama2.render(twoUsers, ChatTemplate.RenderOptions.generationPrompt()))
                .isInstanceOf(ChatTemplateException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conversation roles must alternate user/assistant/user/assistant/...");
        ChatTemplate broken = new ChatTemplate("b", "{{ messages[0].content.no_such_method() }}", "", "");
        assertThatThrownBy(() -> broken.render(List.of(ChatMessage.user("x")), ChatTemplate.RenderOptions.generationPrompt()))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("no_such_method");
    }

    @Test
    void syntaxErrorsAndBadChatTemplateSpecsAreRejectedUpFront() throws IOException {
        assertThatThrownBy(() -> new ChatTemplate("bad", "{% for m in messages %}{{ m.content }}", "", ""))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("bad");
        VocabTokenizer gpt2 = tokenizer("gpt-2");
        assertThatThrownBy(() -> ChatTemplates.forModel("/no/such/template.jinja", gpt2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/template.jinja")
                .hasMessageContaining("chatml");
        // GPT-2 has no template of its own: ChatML is used (and a warning logged).
        ChatTemplate fallback = ChatTemplates.forModel(null, gpt2);
        assertThat(fallback.name()).isEqualTo("chatml");
    }

    @Test
    void chatTemplateFileIsLoadedByPath(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.jinja");
        java.nio.file.Files.writeString(f, "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}");
        ChatTemplate t = ChatTemplates.forModel(f.toString(), tokenizer("gpt-2"));
        assertThat(t.render(List.of(ChatMessage.user("q")), ChatTemplate.RenderOptions.generationPrompt())).isEqualTo("[user]q");
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
