package dev.rlx.interpreter.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Java values from the engine (data fields, answers) as rlx values. */
public final class Values {
    private Values() {}

    public static Object toRlx(Object v) {
        if (v == null) {
            return RlxNone.INSTANCE;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof int[] ints) {
            Object[] out = new Object[ints.length];
            for (int i = 0; i < ints.length; i++) {
                out[i] = (long) ints[i];
            }
            return new RlxList(out);
        }
        if (v instanceof List<?> list) {
            Object[] out = new Object[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = toRlx(list.get(i));
            }
            return new RlxList(out);
        }
        if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            map.forEach((k, x) -> {
                keys.add(String.valueOf(k));
                values.add(toRlx(x));
            });
            return RlxRecord.of(null, keys, values);
        }
        return v; // engine values pass through unchanged
    }
}
