package dev.rlx.interpreter.tensor;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.tensor.DType;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversions from .rlx argument values to engine arguments, for the tensor builtins. Problems are
 * reported as {@link TensorException}s; the builtin's root node prefixes the builtin name and the guest
 * stack adds the .rlx location.
 */
public final class TensorArgs {
    private TensorArgs() {}

    /** A tensor, or a number/bool/nested list turned into one (float32, bool for all-bool lists). */
    @TruffleBoundary
    public static Tensor tensor(Object v, String param) {
        if (v instanceof TensorValue t) {
            return t.tensor();
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof RlxList) {
            return Tensors.of(toJava(v), null);
        }
        throw new TensorException("'" + param + "' must be a tensor, a number or a list of numbers, got " + Types.name(v));
    }

    /** Nested .rlx lists as nested java lists, for {@link Tensors#of}. */
    @TruffleBoundary
    public static Object toJava(Object v) {
        if (v instanceof RlxList l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l.items()) {
                out.add(toJava(o));
            }
            return out;
        }
        if (v instanceof TensorValue t) {
            return t.tensor().toNestedList();
        }
        return v;
    }

    public static boolean isNone(Object v) {
        return v == RlxNone.INSTANCE;
    }

    /** none (all axes) or an int axis. */
    @TruffleBoundary
    public static Integer axis(Object v) {
        if (isNone(v)) {
            return null;
        }
        if (v instanceof Long l) {
            return Math.toIntExact(l);
        }
        throw new TensorException("'axis' must be an int or none, got " + Types.name(v));
    }

    @TruffleBoundary
    public static int intArg(Object v, String param) {
        if (v instanceof Long l) {
            return Math.toIntExact(l);
        }
        throw new TensorException("'" + param + "' must be an int, got " + Types.name(v));
    }

    @TruffleBoundary
    public static double number(Object v, String param) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof TensorValue t && t.tensor().size() == 1) {
            return t.tensor().item();
        }
        throw new TensorException("'" + param + "' must be a number, got " + Types.name(v));
    }

    /** none or a number. */
    @TruffleBoundary
    public static Double optionalNumber(Object v, String param) {
        return isNone(v) ? null : number(v, param);
    }

    public static boolean bool(Object v, String param) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new TensorException("'" + param + "' must be true or false, got " + Types.name(v));
    }

    /** none (infer) or a dtype name. */
    @TruffleBoundary
    public static DType dtype(Object v) {
        if (isNone(v)) {
            return null;
        }
        if (v instanceof String s) {
            return DType.parse(s);
        }
        throw new TensorException("'dtype' must be a string such as \"float32\", got " + Types.name(v));
    }

    /** A shape: an int, or a list of ints. */
    @TruffleBoundary
    public static long[] shape(Object v) {
        if (v instanceof Long l) {
            return new long[] {l};
        }
        if (v instanceof RlxList list) {
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long l)) {
                    throw new TensorException("a shape is a list of ints, got a " + Types.name(list.get(i)) + " at position " + i);
                }
                out[i] = l;
            }
            return out;
        }
        throw new TensorException("a shape is an int or a list of ints, got " + Types.name(v));
    }

    /** A list of tensors (for concat and stack). */
    @TruffleBoundary
    public static List<Tensor> tensors(RlxList items) {
        List<Tensor> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(tensor(items.get(i), "items[" + i + "]"));
        }
        return out;
    }

    public static TensorValue wrap(Tensor t) {
        return new TensorValue(t);
    }
}
