package dev.rlx.engine.rl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State that an experiment carries from one step to the next (a moving-average baseline, an adaptive KL
 * coefficient): a JSON-like tree of {@code Map<String, Object>} with Long, Double, String, Boolean, null, List
 * and nested Map values. The credit function reads it as {@code b.state} and returns the next one; the trainer
 * logs its numbers as {@code state/<path>}, writes it into every checkpoint and restores it on resume.
 *
 * <p>Kept as plain values, not tensors, so a checkpoint restores it exactly: doubles go through JSON as their
 * shortest round-trip text, and a Long stays a Long (a number without '.', 'e' or a special value).
 */
public final class CarriedState {
    private CarriedState() {}

    /** Rejects values the tree cannot hold (a tensor, a function), naming where they sit. */
    public static void check(Map<String, Object> state) {
        check(state, "state");
    }

    private static void check(Object v, String where) {
        if (v == null || v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) {
            return;
        }
        if (v instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException(where + ": keys must be strings");
                check(e.getValue(), where + "." + k);
            }
            return;
        }
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) check(l.get(i), where + "[" + i + "]");
            return;
        }
        throw new IllegalArgumentException(where + " holds a " + v.getClass().getSimpleName()
                + "; carried state may hold only numbers, strings, bools, none, lists and records");
    }

    /** The numbers of the tree by path ({@code baseline}, {@code kl.beta}); bools and strings are not logged. */
    public static Map<String, Double> numbers(Map<String, Object> state) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (state != null) collect(state, "", out);
        return out;
    }

    private static void collect(Map<?, ?> m, String prefix, Map<String, Double> out) {
        for (var e : m.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Number n) out.put(path, n.doubleValue());
            else if (e.getValue() instanceof Map<?, ?> inner) collect(inner, path + ".", out);
        }
    }

    public static JsonElement toJson(Object v) {
        if (v == null) return JsonNull.INSTANCE;
        if (v instanceof Long l) return new JsonPrimitive(l);
        if (v instanceof Double d && !Double.isFinite(d)) return nonFinite(d);
        if (v instanceof Double d) return new JsonPrimitive(d);
        if (v instanceof String s) return new JsonPrimitive(s);
        if (v instanceof Boolean b) return new JsonPrimitive(b);
        if (v instanceof List<?> l) {
            JsonArray a = new JsonArray();
            for (Object x : l) a.add(toJson(x));
            return a;
        }
        JsonObject o = new JsonObject();
        for (var e : ((Map<?, ?>) v).entrySet()) o.add((String) e.getKey(), toJson(e.getValue()));
        return o;
    }

    /**
     * A NaN or infinity as {@code {"$double": "NaN"}}: strict JSON has no such numbers, and a bare string would
     * come back as a string. Record fields are identifiers, so no script record can have the key "$double".
     */
    private static JsonObject nonFinite(double d) {
        JsonObject o = new JsonObject();
        o.addProperty(NON_FINITE, Double.toString(d));
        return o;
    }

    private static final String NON_FINITE = "$double";

    /** The tree {@link #toJson} wrote, with the same Long/Double types and bit-identical doubles. */
    public static Map<String, Object> fromJson(JsonObject o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value(o);
        return m;
    }

    private static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) return null;
        if (e.isJsonObject() && e.getAsJsonObject().size() == 1 && e.getAsJsonObject().has(NON_FINITE)) {
            return Double.parseDouble(e.getAsJsonObject().get(NON_FINITE).getAsString());
        }
        if (e.isJsonObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (var f : e.getAsJsonObject().entrySet()) m.put(f.getKey(), value(f.getValue()));
            return Collections.unmodifiableMap(m);
        }
        if (e.isJsonArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) l.add(value(x));
            return Collections.unmodifiableList(l);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) return p.getAsBoolean();
        if (p.isString()) return p.getAsString();
        String text = p.getAsString();
        boolean integral = text.chars().allMatch(c -> Character.isDigit(c) || c == '-');
        return integral ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
    }
}
