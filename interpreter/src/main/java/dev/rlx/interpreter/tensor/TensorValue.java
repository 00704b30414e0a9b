package dev.rlx.interpreter.tensor;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.interpreter.ast.Ast.BinaryOp;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.IndexableValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.OperatorValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.Collection;
import java.util.List;

/**
 * A tensor as an .rlx value: an immutable handle over an engine {@link Tensor}. Operators broadcast
 * against tensors and plain numbers ({@code t + 1}, {@code 2 * t}, {@code t == u} gives a bool tensor);
 * {@code t[i]} and {@code t[a:b]} index axis 0; members {@code shape}, {@code dtype}, {@code rank},
 * {@code size}. Engine errors ({@link TensorException}) propagate; the calling node turns them into
 * an error at the .rlx location.
 */
public final class TensorValue implements EngineValue, OperatorValue, IndexableValue, MemberValue {
    private static final List<String> MEMBERS = List.of("shape", "dtype", "rank", "size");
    private final Tensor tensor;

    public TensorValue(Tensor tensor) {
        this.tensor = tensor;
    }

    public Tensor tensor() {
        return tensor;
    }

    @Override
    public String typeName() {
        return "tensor";
    }

    @Override
    @TruffleBoundary
    public String display() {
        return tensor.toString();
    }

    @Override
    @TruffleBoundary
    public String toJson() {
        return ValuePrinter.json(toRlx(tensor.toNestedList()));
    }

    /** Nested java lists of Double/Long/Boolean as .rlx lists of floats/ints/bools. */
    static Object toRlx(Object nested) {
        if (nested instanceof List<?> l) {
            Object[] items = new Object[l.size()];
            for (int i = 0; i < items.length; i++) {
                items[i] = toRlx(l.get(i));
            }
            return new RlxList(items);
        }
        return nested;
    }

    /** The values as nested .rlx lists (a 0-d tensor gives a bare number). */
    @TruffleBoundary
    public Object toList() {
        return toRlx(tensor.toNestedList());
    }

    // ---- operators

    @Override
    @TruffleBoundary
    public Object binary(BinaryOp op, Object other, boolean thisIsLeft) {
        Tensor r;
        if (other instanceof TensorValue o) {
            Tensor a = thisIsLeft ? tensor : o.tensor;
            Tensor b = thisIsLeft ? o.tensor : tensor;
            r = tensorOp(op, a, b);
        } else if (other instanceof Long || other instanceof Double || other instanceof Boolean) {
            double v = other instanceof Boolean bo ? (bo ? 1.0 : 0.0) : ((Number) other).doubleValue();
            r = thisIsLeft ? scalarRight(op, tensor, v) : scalarLeft(op, v, tensor);
        } else {
            return null;
        }
        return r == null ? null : new TensorValue(r);
    }

    private static Tensor tensorOp(BinaryOp op, Tensor a, Tensor b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.pow(b);
            case LT -> a.lt(b);
            case LE -> a.le(b);
            case GT -> a.gt(b);
            case GE -> a.ge(b);
            case EQ -> a.eq(b);
            case NE -> a.ne(b);
            default -> null;
        };
    }

    private static Tensor scalarRight(BinaryOp op, Tensor a, double v) {
        return switch (op) {
            case ADD -> a.add(v);
            case SUB -> a.sub(v);
            case MUL -> a.mul(v);
            case DIV -> a.div(v);
            case POW -> a.pow(v);
            case LT -> a.lt(v);
            case LE -> a.le(v);
            case GT -> a.gt(v);
            case GE -> a.ge(v);
            case EQ -> a.eq(v);
            case NE -> a.ne(v);
            default -> null;
        };
    }

    private static Tensor scalarLeft(BinaryOp op, double v, Tensor b) {
        return switch (op) {
            case ADD -> b.add(v);
            case SUB -> b.rsub(v);
            case MUL -> b.mul(v);
            case DIV -> b.rdiv(v);
            case POW -> b.rpow(v);
            // v < b  is  b > v, and so on
            case LT -> b.gt(v);
            case LE -> b.ge(v);
            case GT -> b.lt(v);
            case GE -> b.le(v);
            case EQ -> b.eq(v);
            case NE -> b.ne(v);
            default -> null;
        };
    }

    @Override
    @TruffleBoundary
    public Object negate() {
        return new TensorValue(tensor.neg());
    }

    // ---- indexing

    @Override
    @TruffleBoundary
    public Object index(Object index) {
        if (index instanceof Long i) {
            return new TensorValue(tensor.index(i));
        }
        if (index instanceof TensorValue t) {
            // boolean or integer tensor index: not supported; say what to use instead
            throw new TensorException("index: tensor indices are not supported; use where(...) or gather(...)");
        }
        throw new TensorException("index: a tensor index must be an int, got " + Types.name(index));
    }

    @Override
    @TruffleBoundary
    public Object slice(Long from, Long to) {
        return new TensorValue(tensor.slice(0, from, to));
    }

    // ---- members

    @Override
    @TruffleBoundary
    public Object member(String name) {
        return switch (name) {
            case "shape" -> shapeList(tensor.shape());
            case "dtype" -> tensor.dtype().displayName();
            case "rank" -> (long) tensor.rank();
            case "size" -> tensor.size();
            default -> null;
        };
    }

    static RlxList shapeList(long[] shape) {
        Object[] items = new Object[shape.length];
        for (int i = 0; i < shape.length; i++) {
            items[i] = shape[i];
        }
        return new RlxList(items);
    }

    @Override
    public Collection<String> memberNames() {
        return MEMBERS;
    }

    /** A 0-d float32 tensor, for builtins that return scalars as tensors. */
    static TensorValue scalar(double v) {
        return new TensorValue(Tensors.scalar(v));
    }
}
