package dev.rlx.interpreter.format;

import static dev.rlx.grammar.RlxLexer.*;

/** Whether two tokens on one line are separated by a space, as the lock's unparser prints them. */
final class Spacing {
    private Spacing() {}

    /** Tokens after which an expression is complete: a `-` that follows one is binary, any other `-` is unary. */
    static boolean endsOperand(Elem e) {
        if (e == null) {
            return false;
        }
        return switch (e.type) {
            case NAME, INT, FLOAT, STRING, RAW_STRING, TRUE, FALSE, NONE, RPAREN, RBRACK, RBRACE -> true;
            default -> false;
        };
    }

    /** {@code innermost}: the type of the innermost open bracket ({@code -1} at top level). */
    static boolean between(Elem prev, Elem next, int innermost) {
        int p = prev.type;
        int n = next.type;
        if (n == RPAREN || n == RBRACK || n == RBRACE || n == COMMA || n == SEMI || n == COLON || n == DOT) {
            return false;
        }
        if (p == LPAREN || p == LBRACK || p == LBRACE || p == DOT) {
            return false;
        }
        if (p == COLON) {
            return innermost != LBRACK; // `xs[a:b]` is a slice; `{a: 1}` and `f(a: 1)` name a value
        }
        if (p == MINUS && prev.unaryMinus) {
            return false;
        }
        if (n == LPAREN || n == LBRACK) {
            return !callable(prev); // `f(x)`, `xs[i]`, but `if (a)`, `= [1]`
        }
        return true;
    }

    /** Tokens that a `(` or `[` directly after them calls or indexes. */
    private static boolean callable(Elem e) {
        return switch (e.type) {
            case NAME, STRING, RAW_STRING, RPAREN, RBRACK, RBRACE -> true;
            default -> false;
        };
    }
}
