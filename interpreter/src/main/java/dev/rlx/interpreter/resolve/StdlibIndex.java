package dev.rlx.interpreter.resolve;

import java.util.List;

/**
 * The stdlib's module names, read from std/MODULES (one per line) so that a mistyped import can
 * suggest the right one; a test keeps the list in step with the files.
 */
public final class StdlibIndex {
    private StdlibIndex() {}

    public static List<String> modules() {
        String text = ModuleLoader.readResource("std/MODULES");
        return text == null ? List.of() : text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
