package dev.rlx.interpreter.format;

import dev.rlx.grammar.RlxLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * One thing the formatter places: a token, or a comment (the lexer skips `//` and block comments, so they are
 * found again in the text between tokens). Columns count code points, as the lexer does.
 */
final class Elem {
    enum Kind { CODE, LINE_COMMENT, DOC, BLOCK }

    final Kind kind;
    final int type;
    final String text;
    /** Offset of the first code point in the source. */
    final int start;
    final int origCol;
    /** Spaces between the previous element and this one when they shared a line, else 0. */
    final int origGap;
    final int newlinesBefore;

    int col;
    Line line;
    /** For an opening bracket: the first element after it on its line (what wrapped lines align under). */
    Elem content;
    /** For a comma: its innermost open bracket and how deep that is. */
    Elem bracket;
    int depth;
    boolean unaryMinus;

    private Elem(Kind kind, int type, String text, int start, int origCol, int origGap, int newlinesBefore) {
        this.kind = kind;
        this.type = type;
        this.text = text;
        this.start = start;
        this.origCol = origCol;
        this.origGap = origGap;
        this.newlinesBefore = newlinesBefore;
    }

    boolean isCode() {
        return kind == Kind.CODE;
    }

    boolean isOpener() {
        return type == RlxLexer.LPAREN || type == RlxLexer.LBRACK || type == RlxLexer.LBRACE;
    }

    boolean isCloser() {
        return type == RlxLexer.RPAREN || type == RlxLexer.RBRACK || type == RlxLexer.RBRACE;
    }

    /** The column after this element on its (last) line. */
    int endCol() {
        int nl = text.lastIndexOf('\n');
        return nl < 0 ? col + text.codePointCount(0, text.length()) : text.codePointCount(nl + 1, text.length());
    }

    /** Every token and comment of {@code text}, in order, with the line breaks and spaces before each. */
    static List<Elem> scan(String text) {
        int[] cps = text.codePoints().toArray();
        RlxLexer lexer = new RlxLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        Scanner s = new Scanner(cps);
        for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
            int start = t.getType() == Token.EOF ? cps.length : t.getStartIndex();
            s.gap(start);
            if (t.getType() == Token.EOF) {
                break;
            }
            Kind kind = t.getChannel() == RlxLexer.DOC ? Kind.DOC : Kind.CODE;
            s.add(kind, t.getType(), start, t.getStopIndex() + 1);
        }
        return s.out;
    }

    /** Walks the source once, keeping the position and what lay between elements. */
    private static final class Scanner {
        final int[] cps;
        final List<Elem> out = new ArrayList<>();
        int pos;
        int lineStart;
        int newlines;
        int spaces;

        Scanner(int[] cps) {
            this.cps = cps;
        }

        /** Reads the whitespace and skipped comments up to {@code end}. */
        void gap(int end) {
            while (pos < end) {
                int c = cps[pos];
                if (c == '\n') {
                    newlines++;
                    spaces = 0;
                    pos++;
                    lineStart = pos;
                } else if (c == '/' && pos + 1 < end && cps[pos + 1] == '/') {
                    int e = pos;
                    while (e < end && cps[e] != '\n') {
                        e++;
                    }
                    add(Kind.LINE_COMMENT, -1, pos, e);
                } else if (c == '/' && pos + 1 < end && cps[pos + 1] == '*') {
                    int e = pos + 2;
                    while (e + 1 < end && !(cps[e] == '*' && cps[e + 1] == '/')) {
                        e++;
                    }
                    add(Kind.BLOCK, -1, pos, Math.min(e + 2, end));
                } else {
                    spaces++;
                    pos++;
                }
            }
        }

        void add(Kind kind, int type, int start, int end) {
            String text = new String(cps, start, end - start);
            if (kind != Kind.CODE) {
                text = text.stripTrailing();
            }
            out.add(new Elem(kind, type, text, start, start - lineStart, newlines > 0 || out.isEmpty() ? 0 : spaces,
                    out.isEmpty() ? 1 : newlines));
            for (int i = start; i < end; i++) {
                if (cps[i] == '\n') {
                    lineStart = i + 1;
                }
            }
            pos = end;
            newlines = 0;
            spaces = 0;
        }
    }
}
