package dev.rlx.engine.tokenizer.chat;

/**
 * Rewrites a Jinja template so that an engine without jinja2's whitespace options renders it as jinja2 does
 * with the options transformers sets: {@code trim_blocks} (the first newline after a block or comment tag is
 * removed), {@code lstrip_blocks} (spaces and tabs from the start of a line up to a block or comment tag are
 * removed) and {@code keep_trailing_newline=False} (one newline at the end of the template is dropped).
 * Jinjava's own trim/lstrip options differ (its lstrip also eats spaces before a tag in the middle of a line:
 * {@code {{ x }} {% endfor %}} loses the space), so rlx applies jinja2's rules to the source and turns Jinjava's
 * off. {@code {%+} and {@code +%}} (which disable the rules) are honoured and removed; {@code {%-} and
 * {@code -%}} are left to the engine, which strips all whitespace on that side as jinja2 does.
 */
final class JinjaWhitespace {
    private JinjaWhitespace() {}

    static String apply(String src) {
        if (src.endsWith("\n")) {
            src = src.substring(0, src.length() - 1);
        }
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            int open = nextTag(src, i);
            if (open < 0) {
                out.append(src, i, src.length());
                break;
            }
            out.append(src, i, open);
            char kind = src.charAt(open + 1); // '%' or '#'
            char mod = open + 2 < src.length() ? src.charAt(open + 2) : ' ';
            if (mod != '+' && mod != '-') {
                stripLineIndent(src, open, out);
            }
            int close = tagEnd(src, open + 2, kind);
            if (close < 0) { // unclosed: leave the rest for the engine to report
                out.append(src, open, src.length());
                break;
            }
            String tag = src.substring(open, close + 2);
            boolean keepNewline = false;
            if (mod == '+') {
                tag = tag.substring(0, 2) + tag.substring(3);
            }
            char endMod = src.charAt(close - 1);
            if (endMod == '+' && close - 1 > open + 2) {
                tag = tag.substring(0, tag.length() - 3) + tag.substring(tag.length() - 2);
                keepNewline = true;
            }
            out.append(tag);
            i = close + 2;
            if (!keepNewline && endMod != '-') {
                if (src.startsWith("\r\n", i)) {
                    i += 2;
                } else if (i < src.length() && src.charAt(i) == '\n') {
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** The next "{%" or "{#" at or after from, skipping over "{{ ... }}" expressions; -1 if none. */
    private static int nextTag(String s, int from) {
        for (int i = from; i + 1 < s.length(); i++) {
            if (s.charAt(i) != '{') {
                continue;
            }
            char c = s.charAt(i + 1);
            if (c == '%' || c == '#') {
                return i;
            }
            if (c == '{') {
                int end = tagEnd(s, i + 2, '{');
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
            }
        }
        return -1;
    }

    /** The index of the closing "%}", "#}" or "}}" of a tag opened before from, skipping string literals. */
    private static int tagEnd(String s, int from, char kind) {
        char closeChar = kind == '{' ? '}' : kind;
        char quote = 0;
        for (int i = from; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if (kind != '#' && quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (kind != '#' && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == closeChar && s.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    /**
     * lstrip_blocks: when only spaces and tabs stand between the start of the tag's source line and the tag,
     * drops them from the end of out (they were copied verbatim). The line start is judged on the source, as
     * jinja2 does, not on the output (where trim_blocks may have removed the newline before them).
     */
    private static void stripLineIndent(String src, int tag, StringBuilder out) {
        int j = tag;
        while (j > 0 && (src.charAt(j - 1) == ' ' || src.charAt(j - 1) == '\t')) {
            j--;
        }
        if (j == 0 || src.charAt(j - 1) == '\n') {
            out.setLength(out.length() - (tag - j));
        }
    }
}
