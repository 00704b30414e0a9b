package dev.rlx.interpreter.diag;

import dev.rlx.interpreter.ast.Span;

/**
 * One error found in a source: where (1-based line and column), how wide the caret is, the message,
 * and an optional hint printed below the caret.
 */
public record Diagnostic(String sourceName, int line, int column, int length, String message, String hint) {
    public static Diagnostic at(Span span, String message) {
        return new Diagnostic(span.sourceName(), span.line(), span.column(), span.length(), message, null);
    }

    public static Diagnostic at(Span span, String message, String hint) {
        return new Diagnostic(span.sourceName(), span.line(), span.column(), span.length(), message, hint);
    }

    /** `file:line:col: message`, the source line, a caret under the offending token, and the hint. */
    public String format(SourceText source) {
        StringBuilder sb = new StringBuilder();
        sb.append(sourceName).append(':').append(line).append(':').append(column).append(": ").append(message);
        if (source != null) {
            String text = source.line(line);
            if (!text.isEmpty() || column > 1) {
                sb.append('\n').append("  ").append(text.replace('\t', ' ')).append('\n').append("  ");
                sb.append(" ".repeat(Math.max(0, column - 1)));
                int width = Math.max(1, Math.min(length, Math.max(1, text.length() - column + 1)));
                sb.append("^".repeat(width));
            }
        }
        if (hint != null) {
            sb.append('\n').append("  hint: ").append(hint);
        }
        return sb.toString();
    }
}
