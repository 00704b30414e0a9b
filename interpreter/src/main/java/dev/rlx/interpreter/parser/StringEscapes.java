package dev.rlx.interpreter.parser;

/** Decodes the escapes of a "..." literal: newline, tab, return, NUL, backslash, quote and u{hex} code points. */
public final class StringEscapes {
    public interface ErrorSink {
        void error(int offset, String message);
    }

    private StringEscapes() {}

    public static String unescape(String body, ErrorSink errors) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case '\\' -> sb.append('\\');
                case '"' -> sb.append('"');
                case 'u' -> {
                    int close = body.indexOf('}', i);
                    if (i + 1 < body.length() && body.charAt(i + 1) == '{' && close > i + 2) {
                        try {
                            sb.appendCodePoint(Integer.parseInt(body.substring(i + 2, close), 16));
                            i = close;
                            continue;
                        } catch (IllegalArgumentException ignored) {
                            // reported below
                        }
                    }
                    errors.error(i - 1, "invalid unicode escape");
                }
                default -> errors.error(i - 1, "unknown escape '\\" + e + "'");
            }
        }
        return sb.toString();
    }
}
