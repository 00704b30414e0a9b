package dev.rlx.interpreter.format;

import dev.rlx.grammar.RlxLexer;
import java.util.ArrayList;
import java.util.List;

/** One output line: its elements at their columns (an empty line is a blank line). */
final class Line {
    final List<Elem> elems = new ArrayList<>();

    String render() {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (Elem e : elems) {
            sb.append(" ".repeat(Math.max(0, e.col - col))).append(e.text);
            col = e.endCol();
        }
        return sb.toString();
    }

    /** The width of the line's code, trailing comments left out. */
    private int codeWidth() {
        int w = 0;
        for (Elem e : elems) {
            if (e.isCode()) {
                w = e.endCol();
            }
        }
        return w;
    }

    /**
     * This line, broken after commas while its code is wider than {@code width}: at the outermost bracket that
     * allows it, the rightmost comma that fits, the rest aligned under the bracket's first element.
     */
    List<Line> wrapped(int width) {
        List<Line> out = new ArrayList<>();
        Line rest = this;
        while (rest.codeWidth() > width) {
            int cut = rest.breakAfter(width);
            if (cut < 0) {
                break;
            }
            Line head = new Line();
            Line tail = new Line();
            head.elems.addAll(rest.elems.subList(0, cut + 1));
            tail.elems.addAll(rest.elems.subList(cut + 1, rest.elems.size()));
            int shift = tail.elems.get(0).col - rest.elems.get(cut).bracket.content.col;
            for (Elem e : tail.elems) {
                e.col -= shift; // e.line stays the source line: brackets opened there still allow a break
            }
            out.add(head);
            rest = tail;
        }
        out.add(rest);
        return out;
    }

    private int breakAfter(int width) {
        int best = -1;
        for (int i = 0; i < elems.size() - 1; i++) {
            Elem e = elems.get(i);
            Elem next = elems.get(i + 1);
            if (e.type != RlxLexer.COMMA || e.bracket == null || e.bracket.content == null
                    || e.bracket.content.line != elems.get(0).line || e.endCol() > width || !next.isCode()
                    || e.bracket.content.col >= next.col) {
                continue;
            }
            if (best < 0 || e.depth <= elems.get(best).depth) {
                best = i;
            }
        }
        return best;
    }
}
