package dev.rlx.interpreter.diag;

import java.util.ArrayList;
import java.util.List;

/** The text of one .rlx source, with its display name (the path as the user gave it, or std/...). */
public record SourceText(String name, String text, String path) {
    /** The 1-based line, without its line terminator; empty past the end. */
    public String line(int line) {
        List<String> lines = lines();
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i > start && text.charAt(i - 1) == '\r' ? i - 1 : i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }
}
