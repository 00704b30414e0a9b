package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.interpreter.ast.Span;
import java.util.List;

/**
 * An immutable record `{a: 1, b: 2}`, optionally tagged (`train { ... }`). Records built by the same
 * literal share one {@link Shape}, so a field read caches the slot index per shape.
 */
public final class RlxRecord {
    /** The field names of a record, in order; compared by identity in inline caches. */
    public static final class Shape {
        @CompilationFinal(dimensions = 1) final String[] keys;
        final String tag;
        /** Where each key is written, for errors about a field's value; null for records built at run time. */
        private final Span[] keySpans;

        public Shape(String tag, String[] keys) {
            this(tag, keys, null);
        }

        public Shape(String tag, String[] keys, Span[] keySpans) {
            this.tag = tag;
            this.keys = keys;
            this.keySpans = keySpans;
        }

        /** The source position of key {@code i}, or null when the record was not written as a literal. */
        public Span keySpan(int i) {
            return keySpans == null ? null : keySpans[i];
        }

        public int indexOf(String key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        public List<String> keys() {
            return List.of(keys);
        }

        public String tag() {
            return tag;
        }
    }

    private final Shape shape;
    @CompilationFinal(dimensions = 1) private final Object[] values;

    public RlxRecord(Shape shape, Object[] values) {
        this.shape = shape;
        this.values = values;
    }

    @TruffleBoundary
    public static RlxRecord of(String tag, List<String> keys, List<Object> values) {
        return new RlxRecord(new Shape(tag, keys.toArray(new String[0])), values.toArray());
    }

    public Shape shape() {
        return shape;
    }

    public String tag() {
        return shape.tag;
    }

    public int size() {
        return values.length;
    }

    public String key(int i) {
        return shape.keys[i];
    }

    public Object value(int i) {
        return values[i];
    }

    /** The field's value, or null when there is no such field. */
    @TruffleBoundary
    public Object get(String key) {
        int i = shape.indexOf(key);
        return i < 0 ? null : values[i];
    }
}
