package dev.rlx.interpreter.format;

import dev.rlx.interpreter.diag.SourceText;
import java.util.List;

/**
 * The formatter's promise, checked on every result: the same tokens and comments in the same order, so the same
 * syntax tree, the same lock text and the same run hash. Only whitespace may differ.
 */
final class FormatCheck {
    private FormatCheck() {}

    static void sameProgram(SourceText source, String formatted) {
        List<String> before = Elem.scan(source.text()).stream().map(FormatCheck::key).toList();
        List<String> after = Elem.scan(formatted).stream().map(FormatCheck::key).toList();
        if (!before.equals(after)) {
            int i = 0;
            while (i < Math.min(before.size(), after.size()) && before.get(i).equals(after.get(i))) {
                i++;
            }
            throw new IllegalStateException("rlx fmt would change " + source.name() + " beyond whitespace at element "
                    + i + ": " + (i < before.size() ? before.get(i) : "end") + " -> "
                    + (i < after.size() ? after.get(i) : "end"));
        }
    }

    private static String key(Elem e) {
        return e.kind + ":" + e.type + ":" + e.text;
    }
}
