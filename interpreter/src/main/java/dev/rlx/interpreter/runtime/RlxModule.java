package dev.rlx.interpreter.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded module: its top-level bindings as {@link GlobalCell}s, in declaration order. Modules are
 * loaded once per session and never change afterwards, except the REPL's own scratch module.
 */
public final class RlxModule {
    private final String name;
    private final String path;
    private final Map<String, GlobalCell> cells = new LinkedHashMap<>();

    public RlxModule(String name, String path) {
        this.name = name;
        this.path = path;
    }

    public String name() {
        return name;
    }

    /** The file this module was read from; null for the REPL and `rlx eval`. */
    public String path() {
        return path;
    }

    public GlobalCell cell(String key) {
        return cells.get(key);
    }

    public void define(GlobalCell cell) {
        cells.put(cell.name(), cell);
    }

    public Map<String, GlobalCell> cells() {
        return Collections.unmodifiableMap(cells);
    }

    @Override
    public String toString() {
        return "<module " + name + ">";
    }
}
