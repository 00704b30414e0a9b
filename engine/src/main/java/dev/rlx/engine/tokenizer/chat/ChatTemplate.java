package dev.rlx.engine.tokenizer.chat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import dev.rlx.engine.tokenizer.TokenizerException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template ({@code chat_template} of tokenizer_config.json), rendered the way transformers'
 * {@code apply_chat_template(..., tokenize=False)} renders it: jinja2 with trim_blocks and lstrip_blocks, the
 * variables {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and
 * {@code tools} (when given), and the helpers {@code raise_exception(msg)}, {@code strftime_now(fmt)} and a
 * Python-style {@code tojson}. The engine is Jinjava; {@link JinjaWhitespace} and {@link PythonStrings} close the
 * gaps to jinja2 that chat templates hit. Known gaps (see README "Chat templates"): printing a bool, none or a
 * dict directly gives Java's spelling (true, empty, {k=v}) rather than Python's; tojson takes no indent.
 */
public final class ChatTemplate {
    /** strftime_now's date: scripts never read the clock, so templates see a fixed day (Llama 3.1's own default). */
    public static final LocalDate FIXED_DATE = LocalDate.of(2024, 7, 26);

    private final String name;
    private final String source;
    private final String prepared;
    private final String bosToken;
    private final String eosToken;

    public ChatTemplate(String name, String source, String bosToken, String eosToken) {
        this.name = name;
        this.source = source;
        this.prepared = JinjaWhitespace.apply(source);
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * The chat template of a tokenizer_config.json object, or null when it has none. {@code chat_template} is a
     * string, or a list of {name, template} (the one named "default", else the first).
     */
    public static ChatTemplate fromConfig(JsonObject config, String where) {
        JsonElement t = config.get("chat_template");
        if (t == null || t.isJsonNull()) {
            return null;
        }
        String name = "default";
        String source;
        if (t.isJsonPrimitive() && t.getAsJsonPrimitive().isString()) {
            source = t.getAsString();
        } else if (t.isJsonArray() && !t.getAsJsonArray().isEmpty()) {
            JsonObject chosen = null;
            for (JsonElement e : t.getAsJsonArray()) {
                if (!e.isJsonObject() || !e.getAsJsonObject().has("template")) {
                    throw new TokenizerException(where + ": chat_template list items must be {name, template}");
                }
                JsonObject o = e.getAsJsonObject();
                if (chosen == null || (o.has("name") && "default".equals(o.get("name").getAsString()))) {
                    chosen = o;
                }
            }
            source = chosen.get("template").getAsString();
            name = chosen.has("name") ? chosen.get("name").getAsString() : "default";
        } else {
            throw new TokenizerException(where + ": chat_template must be a string or a list of {name, template}");
        }
        return new ChatTemplate(name, source, tokenText(config, "bos_token"), tokenText(config, "eos_token"));
    }

    /** A special token's text: a string, or an AddedToken object's "content"; "" when absent (as transformers). */
    private static String tokenText(JsonObject config, String key) {
        JsonElement e = config.get(key);
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        return e.isJsonPrimitive() ? e.getAsString() : "";
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String bosToken() {
        return bosToken;
    }

    /**
     * The conversation as text. messages: records {role, content, ...} as Java maps (values String, Long, Double,
     * Boolean, List, Map or null); tools: null or a list of tool descriptions. Throws
     * {@link TokenizerException} when the template raises or fails.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, List<?> tools) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("messages", py(messages));
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        if (tools != null) {
            vars.put("tools", py(tools));
        }
        RenderResult r;
        try {
            r = JINJAVA.renderForResult(prepared, vars);
        } catch (RuntimeException e) {
            throw new TokenizerException("chat template: " + reason(e), e);
        }
        for (TemplateError err : r.getErrors()) {
            if (err.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerException("chat template" + (err.getLineno() > 0 ? " line " + err.getLineno() : "")
                        + ": " + raised(err));
            }
        }
        return r.getOutput();
    }

    private static String raised(TemplateError err) {
        for (Throwable t = err.getException(); t != null; t = t.getCause()) {
            if (t instanceof Raised) {
                return "raised: " + t.getMessage();
            }
        }
        String m = err.getMessage();
        int at = m == null ? -1 : m.indexOf(Raised.PREFIX);
        return at >= 0 ? "raised: " + m.substring(at + Raised.PREFIX.length()) : m;
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Raised) {
                return "raised: " + t.getMessage();
            }
        }
        return e.getMessage();
    }

    /** Maps and lists as Jinjava's Python-like wrappers, so .items(), .get() and .keys() work as in jinja2. */
    private static Object py(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), py(x)));
            return new PyMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(py(x)));
            return new PyList(out);
        }
        return v == dev.rlx.engine.data.JsonlData.NULL ? null : v;
    }

    // ---- the engine, configured once

    /** What raise_exception throws; the message reaches the error as the template wrote it. */
    static final class Raised extends RuntimeException {
        static final String PREFIX = "raise_exception: ";

        Raised(String message) {
            super(message);
        }
    }

    public static Object raiseException(Object message) {
        throw new Raised(String.valueOf(message));
    }

    /** Python strftime directives used by templates (%d %b %Y and friends) over {@link #FIXED_DATE}. */
    public static String strftimeNow(String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                b.append(c);
                continue;
            }
            char d = format.charAt(++i);
            String pattern = switch (d) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'j' -> "DDD";
                case 'H', 'M', 'S' -> null; // midnight
                case '%' -> "'%'";
                default -> throw new IllegalArgumentException("strftime_now: %" + d + " is not supported");
            };
            b.append(pattern == null ? "00" : FIXED_DATE.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
        }
        return b.toString();
    }

    private static final Jinjava JINJAVA = build();

    private static Jinjava build() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStrings());
        resolver.add(JinjavaConfig.newBuilder().build().getElResolver());
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(false).withLstripBlocks(false) // jinja2's rules are applied to the source instead
                .withElResolver(resolver)
                // {{- and -}} strip whitespace as jinja2 does (Jinjava's default applies them to block tags only)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true).build())
                .build();
        Jinjava j = new Jinjava(config);
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class,
                "raiseException", Object.class));
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class,
                "strftimeNow", String.class));
        j.getGlobalContext().registerFilter(new PythonJson());
        return j;
    }
}
