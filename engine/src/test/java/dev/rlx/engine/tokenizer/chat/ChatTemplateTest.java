package dev.rlx.engine.tokenizer.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.tokenizer.TokenizerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rendering against transformers: every case of chat/expected.json (made by src/test/python/chat_templates.py
 * with transformers' apply_chat_template on the fixture folders' tokenizer_config.json) must come out identical.
 */
class ChatTemplateTest {
    private static JsonObject resource(String path) throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/chat/" + path)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** JSON as the interpreter hands values over: whole numbers as Long, others as Double. */
    static Object java(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(x -> m.put(x.getKey(), java(x.getValue())));
            return m;
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(java(x)));
            return l;
        }
        var p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            String s = p.getAsString();
            return s.matches("-?[0-9]+") ? (Object) Long.parseLong(s) : (Object) p.getAsDouble();
        }
        return p.getAsString();
    }

    @SuppressWarnings("unchecked")
    @Test
    void rendersEveryFixtureExactlyAsTransformers() throws IOException {
        JsonArray cases = resource("expected.json").getAsJsonArray("cases");
        assertEquals(28, cases.size());
        Map<String, ChatTemplate> templates = new LinkedHashMap<>();
        for (String name : List.of("qwen25", "llama3", "chatml")) {
            templates.put(name, ChatTemplate.fromConfig(resource(name + "/tokenizer_config.json"), name));
        }
        List<String> wrong = new ArrayList<>();
        for (JsonElement c : cases) {
            JsonObject o = c.getAsJsonObject();
            String what = o.get("template").getAsString() + "/" + o.get("conversation").getAsString()
                    + " add_generation_prompt=" + o.get("add_generation_prompt").getAsBoolean();
            String got = templates.get(o.get("template").getAsString()).render(
                    (List<Map<String, ?>>) java(o.get("messages")), o.get("add_generation_prompt").getAsBoolean(),
                    (List<?>) java(o.get("tools")));
            if (!o.get("text").getAsString().equals(got)) {
                wrong.add(what + ":\n--- transformers\n" + o.get("text").getAsString() + "\n--- rlx\n" + got);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " differ:\n" + String.join("\n\n", wrong));
    }

    @Test
    void readsTheTemplateAndSpecialsFromTheConfig() throws IOException {
        ChatTemplate llama = ChatTemplate.fromConfig(resource("llama3/tokenizer_config.json"), "llama3");
        assertEquals("<|begin_of_text|>", llama.bosToken());
        ChatTemplate qwen = ChatTemplate.fromConfig(resource("qwen25/tokenizer_config.json"), "qwen25");
        assertEquals("", qwen.bosToken(), "bos_token null: templates see an empty string, as in transformers");
        assertNull(ChatTemplate.fromConfig(new JsonObject(), "none"));
        JsonObject named = JsonParser.parseString("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
                + " {\"name\": \"default\", \"template\": \"D{{ messages|length }}\"}]}").getAsJsonObject();
        assertEquals("D1", ChatTemplate.fromConfig(named, "x").render(List.of(Map.of("role", "user", "content", "hi")),
                true, null));
        JsonObject unnamed = JsonParser.parseString("{\"chat_template\": [{\"name\": \"a\", \"template\": \"A\"},"
                + " {\"name\": \"b\", \"template\": \"B\"}]}").getAsJsonObject();
        assertEquals("A", ChatTemplate.fromConfig(unnamed, "x").render(List.of(), true, null), "no default: the first");
        JsonObject bad = JsonParser.parseString("{\"chat_template\": 3}").getAsJsonObject();
        assertThrows(TokenizerException.class, () -> ChatTemplate.fromConfig(bad, "x"));
    }

    @Test
    void raiseExceptionBecomesAnErrorWithTheTemplatesMessage() {
        ChatTemplate t = new ChatTemplate("t", "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}"
                + "{{ raise_exception('Conversation roles must be user or assistant') }}{% endif %}{{ m.content }}"
                + "{% endfor %}", "", "");
        assertEquals("hi", t.render(List.of(Map.of("role", "user", "content", "hi")), false, null));
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> t.render(List.of(Map.of("role", "system", "content", "x")), false, null));
        assertTrue(e.getMessage().contains("raised: Conversation roles must be user or assistant"), e.getMessage());
    }

    /** jinja2 behaviour worked out by hand for the helpers HF templates use (not covered by the three fixtures). */
    @Test
    void pythonFlavouredHelpers() {
        List<Map<String, ?>> msgs = List.of(Map.of("role", "user", "content", "  <think>a</think> b  "));
        assertEquals("True|True|<think>a</think> b|1", render(
                "{{ 'True' if messages[0].content.strip().startswith('<think>') else 'False' }}|"
                        + "{{ 'True' if messages[0].content.endswith(('x', '  ')) else 'False' }}|"
                        + "{{ messages[0].content.strip() }}|{{ messages[0].content.split('</think>')|length - 1 }}",
                msgs));
        assertEquals("a,b,,c|3", render("{{ 'a,b,,c'.split(',')|join(',') }}|{{ 'a b\\tc'.split()|length }}", msgs));
        assertEquals("{\"a\": 1, \"b\": [1.5, \"\\u00e9\\n\", null, true]}".replace("\\u00e9", "é"),
                render("{{ {'a': 1, 'b': [1.5, 'é\\n', none, true]}|tojson }}", msgs));
        assertEquals("26 Jul 2024", render("{{ strftime_now('%d %b %Y') }}", msgs));
        assertEquals("1:x 2:y ", render("{% for m in ['x', 'y'] %}{{ loop.index }}:{{ m }} {% endfor %}", msgs),
                "a space before a block tag in the middle of a line stays (lstrip_blocks strips only line starts)");
        assertEquals("yes", render("{% set ns = namespace(found=false) %}{% for m in messages %}"
                + "{% set ns.found = true %}{% endfor %}{{ 'yes' if ns.found else 'no' }}", msgs));
        assertEquals("  A\nB", render("{% if true %}\n  A\n{% endif %}\n{%+ if true %}B{% endif %}\n", msgs),
                "trim_blocks eats the newline after a tag; one trailing newline of the template is dropped");
    }

    private static String render(String template, List<Map<String, ?>> msgs) {
        return new ChatTemplate("t", template, "", "").render(msgs, false, null);
    }
}
