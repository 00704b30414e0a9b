package dev.rlx.interpreter.api;

import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.format.Formatter;

/** `rlx fmt` and an editor's "format document": the canonical layout of a script, comments kept. */
public final class SourceFormat {
    private SourceFormat() {}

    /**
     * {@code text} formatted; {@code name} is what syntax errors are reported against. A text that does not parse
     * is not formatted: its errors come as an {@link RlxError}, as `rlx check` prints them.
     */
    public static String format(String name, String text) {
        try {
            return Formatter.format(new SourceText(name, text, null));
        } catch (CompileErrors e) {
            throw new RlxError(e.format(), e);
        }
    }
}
