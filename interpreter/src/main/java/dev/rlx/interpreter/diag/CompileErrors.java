package dev.rlx.interpreter.diag;

import java.util.List;
import java.util.Map;

/**
 * All the parse and resolve errors found in one go (the parser recovers and keeps reporting), with
 * the sources they point into so that each can be printed with its line and caret.
 */
public final class CompileErrors extends RuntimeException {
    private final List<Diagnostic> diagnostics;
    private final Map<String, SourceText> sources;

    public CompileErrors(List<Diagnostic> diagnostics, Map<String, SourceText> sources) {
        super(diagnostics.isEmpty() ? "no errors" : diagnostics.get(0).message(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
        this.sources = Map.copyOf(sources);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Every diagnostic with its source line and caret, separated by newlines. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(d.format(sources.get(d.sourceName())));
        }
        return sb.toString();
    }
}
