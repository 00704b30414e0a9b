package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeChild;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.runtime.IndexableValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;
import java.util.Arrays;

/** `xs[i]` (negative counts from the end), `s[i]`, `record["key"]`, tensors. */
@NodeChild("target")
@NodeChild("index")
public abstract class IndexNode extends RlxNode {
    @Specialization
    protected Object list(RlxList list, long index) {
        return list.get(checkIndex(index, list.size()));
    }

    @Specialization
    @TruffleBoundary
    protected String string(String s, long index) {
        int i = checkIndex(index, s.codePointCount(0, s.length()));
        int start = s.offsetByCodePoints(0, i);
        return s.substring(start, s.offsetByCodePoints(start, 1));
    }

    @Specialization
    @TruffleBoundary
    protected Object record(RlxRecord record, String key) {
        Object v = record.get(key);
        if (v == null) {
            throw new RlxException("record has no field '" + key + "'", Suggest.hint(key, record.shape().keys()),
                    this);
        }
        return v;
    }

    @Specialization
    @TruffleBoundary
    protected Object indexable(IndexableValue target, Object index) {
        try {
            return target.index(index);
        } catch (TensorException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new RlxException(e.getMessage(), this);
        }
    }

    @Fallback
    protected Object error(Object target, Object index) {
        throw RlxException.typeError(this, "[]", target, index);
    }

    private int checkIndex(long index, int size) {
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw outOfRange(index, size);
        }
        return (int) i;
    }

    @TruffleBoundary
    private RlxException outOfRange(long index, int size) {
        return new RlxException("index " + index + " out of range for length " + size, this);
    }

    /** `xs[a:b]` with Python's clamping and negative indices; either bound may be omitted. */
    @NodeChild("target")
    @NodeChild("from")
    @NodeChild("to")
    public abstract static class SliceNode extends RlxNode {
        @Specialization
        @TruffleBoundary
        protected Object slice(Object target, Object from, Object to) {
            Long a = bound(from);
            Long b = bound(to);
            if (target instanceof RlxList list) {
                int[] r = range(a, b, list.size());
                return new RlxList(Arrays.copyOfRange(list.items(), r[0], Math.max(r[0], r[1])));
            }
            if (target instanceof String s) {
                int n = s.codePointCount(0, s.length());
                int[] r = range(a, b, n);
                if (r[1] <= r[0]) {
                    return "";
                }
                return s.substring(s.offsetByCodePoints(0, r[0]), s.offsetByCodePoints(0, r[1]));
            }
            if (target instanceof IndexableValue iv) {
                try {
                    return iv.slice(a, b);
                } catch (TensorException | IndexOutOfBoundsException | IllegalArgumentException e) {
                    throw new RlxException(e.getMessage(), this);
                }
            }
            throw new RlxException("cannot slice a " + Types.name(target), this);
        }

        private Long bound(Object v) {
            if (v == null || v == RlxNone.INSTANCE) {
                return null;
            }
            if (v instanceof Long l) {
                return l;
            }
            throw new RlxException("slice bounds must be ints, got " + Types.name(v), this);
        }

        private static int[] range(Long a, Long b, int size) {
            long from = a == null ? 0 : a < 0 ? Math.max(0, a + size) : Math.min(a, size);
            long to = b == null ? size : b < 0 ? Math.max(0, b + size) : Math.min(b, size);
            return new int[] {(int) from, (int) to};
        }
    }
}
