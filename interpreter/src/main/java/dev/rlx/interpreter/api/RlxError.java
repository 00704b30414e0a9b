package dev.rlx.interpreter.api;

/**
 * What a host sees of any script error (syntax, resolve or runtime): the full user-facing text —
 * `file:line:col: message`, the source line with a caret, hints, and for runtime errors the guest stack.
 */
public final class RlxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String formatted;

    public RlxError(String formatted, Throwable cause) {
        super(formatted.lines().findFirst().orElse(formatted), cause);
        this.formatted = formatted;
    }

    public String formatted() {
        return formatted;
    }
}
