package dev.rlx.interpreter.editor;

import java.util.ArrayList;
import java.util.List;

/**
 * Positions in one text, both ways between the parser's code-point offsets and an editor's 0-based line and
 * UTF-16 character (what LSP counts by default).
 */
public final class TextMap {
    private final String text;
    /** Code-point offset of each line's start. */
    private final List<Integer> lineStarts = new ArrayList<>();
    private final int[] cps;

    public TextMap(String text) {
        this.text = text;
        this.cps = text.codePoints().toArray();
        lineStarts.add(0);
        for (int i = 0; i < cps.length; i++) {
            if (cps[i] == '\n') {
                lineStarts.add(i + 1);
            }
        }
    }

    public String text() {
        return text;
    }

    public int length() {
        return cps.length;
    }

    public int codePoint(int offset) {
        return offset >= 0 && offset < cps.length ? cps[offset] : -1;
    }

    public String slice(int start, int end) {
        int s = Math.max(0, Math.min(start, cps.length));
        return new String(cps, s, Math.max(0, Math.min(end, cps.length) - s));
    }

    /** {line, character} (0-based, UTF-16) of a code-point offset. */
    public int[] position(int offset) {
        int o = Math.max(0, Math.min(offset, cps.length));
        int line = lineOf(o);
        int ch = 0;
        for (int i = lineStarts.get(line); i < o; i++) {
            ch += Character.charCount(cps[i]);
        }
        return new int[] {line, ch};
    }

    /** The code-point offset of a 0-based line and UTF-16 character (clamped to the line). */
    public int offset(int line, int character) {
        if (line >= lineStarts.size()) {
            return cps.length;
        }
        int i = lineStarts.get(Math.max(0, line));
        int end = lineEnd(Math.max(0, line));
        for (int ch = 0; i < end && ch < character; i++) {
            ch += Character.charCount(cps[i]);
        }
        return i;
    }

    /** The code-point offset of a 1-based line and 1-based code-point column (how diagnostics count). */
    public int offsetOfColumn(int line1, int column1) {
        if (line1 - 1 >= lineStarts.size()) {
            return cps.length;
        }
        return Math.min(lineStarts.get(Math.max(0, line1 - 1)) + column1 - 1, lineEnd(Math.max(0, line1 - 1)));
    }

    /** Offset of the end of a line, before its line break. */
    public int lineEnd(int line) {
        int end = line + 1 < lineStarts.size() ? lineStarts.get(line + 1) - 1 : cps.length;
        return end > lineStarts.get(line) && cps[end - 1] == '\r' ? end - 1 : end;
    }

    private int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts.get(mid) <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
