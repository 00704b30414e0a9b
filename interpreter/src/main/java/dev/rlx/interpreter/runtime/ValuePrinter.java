package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.math.BigDecimal;

/** Shows values: as source-like text for the REPL and `print`, and as JSON for `rlx eval --json`. */
public final class ValuePrinter {
    private ValuePrinter() {}

    @TruffleBoundary
    public static String display(Object v) {
        StringBuilder sb = new StringBuilder();
        display(v, sb, true);
        return sb.toString();
    }

    /** Like {@link #display} but a top-level string prints without quotes (for `print`). */
    @TruffleBoundary
    public static String plain(Object v) {
        return v instanceof String s ? s : display(v);
    }

    private static void display(Object v, StringBuilder sb, boolean top) {
        if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof Double d) {
            sb.append(formatDouble(d));
        } else if (v instanceof RlxList list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                display(list.get(i), sb, false);
            }
            sb.append(']');
        } else if (v instanceof RlxRecord r) {
            if (r.tag() != null) {
                sb.append(r.tag()).append(' ');
            }
            sb.append('{');
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(r.key(i)).append(": ");
                display(r.value(i), sb, false);
            }
            sb.append('}');
        } else if (v instanceof EngineValue e) {
            sb.append(e.display());
        } else {
            sb.append(v);
        }
    }

    /**
     * The shortest text that reads back as the same double, as Python shows it: plain decimals from
     * 1e-4 up to 1e16 (always with a point, so `1.0` never reads as the int `1`), `1e-05`-style
     * exponents outside that range.
     */
    @TruffleBoundary
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(d);
        if (a == 0.0 || a >= 1e-4 && a < 1e16) {
            String plain = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String s = Double.toString(d); // shortest round-trip digits, e.g. 1.5E-7
        int e = s.indexOf('E');
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    @TruffleBoundary
    public static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        json(v, sb);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb) {
        if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof Long || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double d) {
            // JSON has no NaN/Infinity literals; null keeps the document valid
            sb.append(Double.isFinite(d) ? formatDouble(d) : "null");
        } else if (v == RlxNone.INSTANCE) {
            sb.append("null");
        } else if (v instanceof RlxList list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                json(list.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof RlxRecord r) {
            sb.append('{');
            for (int i = 0; i < r.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                quote(r.key(i), sb);
                sb.append(": ");
                json(r.value(i), sb);
            }
            sb.append('}');
        } else if (v instanceof EngineValue e && e.toJson() != null) {
            sb.append(e.toJson());
        } else {
            quote(display(v), sb);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
