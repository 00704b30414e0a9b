package dev.rlx.interpreter.format;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.parser.RlxParsing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * `rlx fmt`: the canonical spacing of .rlx with the author's line structure kept. Tokens are spaced as the lock's
 * unparser prints them (`a + b`, `f(x, y)`, `{a: 1}`, `xs[a:b]`, `-x`); top-level declarations start in column 1;
 * runs of blank lines shrink to one; comments (`//`, `///`, block) stay where they are, a trailing comment keeps
 * its column. Line breaks are never removed: a researcher's layout of a long call or a `let` is the layout a
 * reader wants. Continuation lines that were aligned under a token follow that token when spacing moves it, and
 * a code line longer than {@value #WIDTH} columns is broken after a comma, aligned inside its bracket.
 *
 * <p>Only whitespace changes, so the tokens (and with them the run hash) stay the same; {@link FormatCheck}
 * verifies that on every result.
 */
public final class Formatter {
    /** The repository's code lines run to 120 columns; longer ones are wrapped where a comma allows. */
    public static final int WIDTH = 120;

    private Formatter() {}

    /** The formatted text; the input must parse (callers check first: a broken file is reported, not formatted). */
    public static String format(String text, Ast.Module ast) {
        List<Elem> elems = Elem.scan(text);
        Set<Integer> declStarts = new HashSet<>();
        ast.imports().forEach(i -> declStarts.add(i.span().start()));
        ast.decls().forEach(d -> declStarts.add(d.span().start()));
        List<Line> lines = new Layout(declStarts).lay(elems);
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) {
            for (Line piece : line.wrapped(WIDTH)) {
                sb.append(piece.render()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Parses {@code text} (throwing its CompileErrors when it does not parse) and formats it. */
    public static String format(SourceText source) {
        Ast.Module ast = RlxParsing.parseModule(source);
        String out = format(source.text(), ast);
        FormatCheck.sameProgram(source, out);
        return out;
    }

    /** Lays out elements into lines: indentation, spacing and blank lines. */
    private static final class Layout {
        private final Set<Integer> declStarts;
        private final List<Line> lines = new ArrayList<>();
        private final List<Elem> brackets = new ArrayList<>();
        private Elem prevCode;

        Layout(Set<Integer> declStarts) {
            this.declStarts = declStarts;
        }

        List<Line> lay(List<Elem> elems) {
            Line current = null;
            for (Elem e : elems) {
                e.unaryMinus = e.type == RlxLexer.MINUS && !Spacing.endsOperand(prevCode);
                if (current == null || e.newlinesBefore > 0) {
                    if (current != null && e.newlinesBefore > 1) {
                        lines.add(new Line()); // a run of blank lines keeps one
                    }
                    current = new Line();
                    lines.add(current);
                    e.col = indent(e);
                } else {
                    Elem last = current.elems.get(current.elems.size() - 1);
                    e.col = last.endCol() + gap(last, e);
                }
                current.elems.add(e);
                e.line = current;
                track(e);
            }
            return lines;
        }

        /** The indentation of an element that starts a line. */
        private int indent(Elem e) {
            if (e.isCode() && declStarts.contains(e.start)) {
                return 0;
            }
            int mapped = alignedIndent(e.origCol);
            if (!e.isCode() || e.isCloser()) {
                return mapped;
            }
            return Math.max(mapped, 2); // a continuation line in column 1 would read as a new declaration
        }

        /**
         * A line indented to the original column of a token on an earlier line of the same declaration was
         * aligned under it: it follows that token's new column. Otherwise the indentation stays.
         */
        private int alignedIndent(int origCol) {
            for (int i = lines.size() - 2; i >= 0; i--) {
                Line l = lines.get(i);
                for (Elem x : l.elems) {
                    if (x.origCol == origCol) {
                        return x.col;
                    }
                }
                if (!l.elems.isEmpty() && l.elems.get(0).isCode() && declStarts.contains(l.elems.get(0).start)) {
                    break;
                }
            }
            return origCol;
        }

        private int gap(Elem prev, Elem e) {
            if (e.kind == Elem.Kind.LINE_COMMENT) {
                // a trailing comment keeps its column (comment blocks stay aligned), at least one space after code
                int keep = e.origCol - prev.endCol();
                return Math.max(Math.max(keep, Math.min(e.origGap, 2)), 1);
            }
            if (!prev.isCode() || !e.isCode()) {
                return e.origGap > 0 ? 1 : 0;
            }
            return Spacing.between(prev, e, brackets.isEmpty() ? -1 : brackets.get(brackets.size() - 1).type) ? 1 : 0;
        }

        private void track(Elem e) {
            if (!e.isCode()) {
                return;
            }
            if (!brackets.isEmpty()) {
                Elem open = brackets.get(brackets.size() - 1);
                if (open.content == null && e.line == open.line && e != open) {
                    open.content = e;
                }
            }
            if (e.isOpener()) {
                brackets.add(e);
            } else if (e.isCloser() && !brackets.isEmpty()) {
                brackets.remove(brackets.size() - 1);
            } else if (e.type == RlxLexer.COMMA && !brackets.isEmpty()) {
                e.bracket = brackets.get(brackets.size() - 1);
                e.depth = brackets.size();
            }
            prevCode = e;
        }
    }
}
