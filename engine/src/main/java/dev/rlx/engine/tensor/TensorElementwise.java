package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;

/**
 * {@link Tensor}'s binary element-wise ops: arithmetic with PyTorch's dtype promotion, comparisons, and
 * bool logic. Every op checks that the shapes broadcast first, so errors name the op and both shapes.
 */
final class TensorElementwise {
    private TensorElementwise() {}

    enum Op { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    static Tensor arith(Tensor x, String name, Tensor o, Op op) {
        Shapes.broadcast(name, x.shape(), o.shape());
        DType t = DType.max(DType.max(x.dtype(), o.dtype()), DType.INT64);
        if (op == Op.DIV) t = DType.max(t, DType.FLOAT32); // true division, as in Python
        NDArray a = x.as(t), b = o.as(t);
        NDArray r = switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.pow(b);
            case MAX -> a.maximum(b);
            case MIN -> a.minimum(b);
        };
        return Tensor.owned(r);
    }

    static Tensor scalarArith(Tensor x, double v, Op op, boolean reversed) {
        boolean integral = v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15;
        DType t = DType.max(x.dtype(), integral ? DType.INT64 : DType.FLOAT32);
        if (op == Op.DIV || (op == Op.POW && v < 0 && !reversed)) t = DType.max(t, DType.FLOAT32);
        // The number becomes a 0-d tensor of the same dtype and goes through the tensor-tensor path:
        // DJL's NDArray.add(Number) family yields results that silently break the autograd graph of
        // later ops (found by ScopeAndGradientTest), and a 0-d operand never changes dtype or shape.
        Tensor a = t == x.dtype() ? x : new Tensor(x.as(t));
        Tensor c = new Tensor(TensorScope.own(scalarArray(v, t)));
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        return reversed ? arith(c, name, a, op) : arith(a, name, c, op);
    }

    private static NDArray scalarArray(double v, DType t) {
        return HostArrays.scalar(TensorScope.current().manager(), t == DType.BOOL ? (v != 0.0 ? 1.0 : 0.0) : v, t.djl());
    }

    static Tensor compare(Tensor x, String name, Tensor o) {
        Shapes.broadcast(name, x.shape(), o.shape());
        DType t = DType.max(x.dtype(), o.dtype());
        return Tensor.owned(cmp(name, x.as(t), o.as(t)));
    }

    static Tensor compare(Tensor x, String name, double v) {
        // compare in floating point so that `ints < 2.5` means what it says
        NDArray a = x.dtype() == DType.FLOAT64 ? x.ndarray() : x.as(DType.FLOAT32);
        NDArray b = TensorScope.own(HostArrays.scalar(TensorScope.current().manager(), v, a.getDataType()));
        return Tensor.owned(cmp(name, a, b));
    }

    private static NDArray cmp(String name, NDArray a, NDArray b) {
        return switch (name) {
            case "lt" -> a.lt(b);
            case "le" -> a.lte(b);
            case "gt" -> a.gt(b);
            case "ge" -> a.gte(b);
            case "eq" -> a.eq(b);
            case "ne" -> a.neq(b);
            default -> throw new IllegalStateException(name);
        };
    }

    static Tensor and(Tensor x, Tensor o) {
        Shapes.broadcast("and", x.shape(), o.shape());
        return Tensor.owned(bool(x, "and").logicalAnd(bool(o, "and")));
    }

    static Tensor or(Tensor x, Tensor o) {
        Shapes.broadcast("or", x.shape(), o.shape());
        return Tensor.owned(bool(x, "or").logicalOr(bool(o, "or")));
    }

    static Tensor not(Tensor x) {
        return Tensor.owned(bool(x, "not").logicalNot());
    }

    private static NDArray bool(Tensor x, String op) {
        if (x.dtype() != DType.BOOL) {
            throw new TensorException(op + ": expected a bool tensor, got " + x.dtype().displayName() + " " + Shapes.str(x.shape()));
        }
        return x.ndarray();
    }
}
