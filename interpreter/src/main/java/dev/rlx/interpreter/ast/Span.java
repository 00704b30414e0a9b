package dev.rlx.interpreter.ast;

/**
 * A region of a source file: 1-based line and column of its first character, plus the character
 * offsets [start, end) used to build Truffle SourceSections.
 */
public record Span(String sourceName, int line, int column, int start, int end) {
    public int length() {
        return Math.max(1, end - start);
    }

    public String where() {
        return sourceName + ":" + line + ":" + column;
    }
}
