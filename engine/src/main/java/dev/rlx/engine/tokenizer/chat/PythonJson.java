package dev.rlx.engine.tokenizer.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The {@code tojson} filter as transformers defines it for chat templates: Python's
 * {@code json.dumps(x, ensure_ascii=False)} with its default separators ({@code ", "} and {@code ": "}), keys in
 * insertion order, floats as Python writes them (1.0, 1e-05). Jinjava's own tojson is compact Jackson output,
 * which would change every tool signature a template prints. {@code indent} is not supported (an error).
 */
final class PythonJson implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        if (args != null && args.length > 0) {
            throw new IllegalArgumentException("tojson: arguments (indent, ...) are not supported");
        }
        StringBuilder b = new StringBuilder();
        write(b, var);
        return b.toString();
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        if ((args != null && args.length > 0) || (kwargs != null && !kwargs.isEmpty())) {
            throw new IllegalArgumentException("tojson: arguments (indent, ...) are not supported");
        }
        return filter(var, interpreter);
    }

    static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean bool -> b.append(bool ? "true" : "false");
            case Double d -> b.append(pyFloat(d));
            case Float f -> b.append(pyFloat(f.doubleValue()));
            case Number n -> b.append(n.longValue());
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "" : ", ");
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case Iterable<?> it -> {
                b.append('[');
                boolean first = true;
                for (Object o : it) {
                    b.append(first ? "" : ", ");
                    first = false;
                    write(b, o);
                }
                b.append(']');
            }
            default -> string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Python's repr of a float: the shortest round-trip digits, plain for 1e-4 <= |x| < 1e16, else d.ddde+XX. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal x = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double a = Math.abs(d);
        if (a >= 1e-4 && a < 1e16) {
            String s = x.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String digits = x.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - x.scale();
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
