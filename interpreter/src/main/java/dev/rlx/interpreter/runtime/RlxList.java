package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import java.util.Arrays;
import java.util.List;

/** An immutable list. The array is never written after construction. */
public final class RlxList {
    public static final RlxList EMPTY = new RlxList(new Object[0]);

    @CompilationFinal(dimensions = 1) private final Object[] items;

    public RlxList(Object[] items) {
        this.items = items;
    }

    public static RlxList of(List<?> items) {
        return new RlxList(items.toArray());
    }

    public int size() {
        return items.length;
    }

    public Object get(int i) {
        return items[i];
    }

    /** The backing array; callers must not modify it. */
    public Object[] items() {
        return items;
    }

    public List<Object> asList() {
        return Arrays.asList(items);
    }
}
