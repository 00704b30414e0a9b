package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@link Tensor}'s reductions: sum, mean, max, min, var and std over one axis or (axis null) over
 * everything, optionally keeping the reduced dims as size 1.
 */
final class TensorReductions {
    private TensorReductions() {}

    static Tensor sum(Tensor t, Integer axis, boolean keep) {
        NDArray a = TensorCasts.numeric(t, "sum");
        if (axis == null) return Tensor.owned(keepAll(t, a.sum(), keep));
        return Tensor.owned(a.sum(axes(t, "sum", axis), keep));
    }

    static Tensor mean(Tensor t, Integer axis, boolean keep) {
        if (axis == null) return Tensor.owned(keepAll(t, TensorCasts.floating(t, "mean").mean(), keep));
        return Tensor.owned(TensorCasts.floating(t, "mean").mean(axes(t, "mean", axis), keep));
    }

    static Tensor max(Tensor t, Integer axis, boolean keep) {
        requireNonEmpty(t, "max");
        if (axis == null) return Tensor.owned(keepAll(t, TensorCasts.numeric(t, "max").max(), keep));
        return Tensor.owned(TensorCasts.numeric(t, "max").max(axes(t, "max", axis), keep));
    }

    static Tensor min(Tensor t, Integer axis, boolean keep) {
        requireNonEmpty(t, "min");
        if (axis == null) return Tensor.owned(keepAll(t, TensorCasts.numeric(t, "min").min(), keep));
        return Tensor.owned(TensorCasts.numeric(t, "min").min(axes(t, "min", axis), keep));
    }

    static Tensor var(Tensor t, Integer axis, boolean keep, boolean unbiased) {
        int[] ax = axes(t, "var", axis);
        long n = 1;
        for (int a : ax) n *= t.shape()[a];
        try (TensorScope tmp = TensorScope.open()) {
            Tensor x = t.dtype().isFloating() ? t : t.toType(DType.FLOAT32);
            Tensor centered = x.sub(x.mean(axis, true));
            Tensor sq = centered.mul(centered);
            Tensor r = sq.sum(axis, keep).div((double) (unbiased ? n - 1 : n));
            return tmp.keep(r);
        }
    }

    static Tensor std(Tensor t, Integer axis, boolean keep, boolean unbiased) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(t.var(axis, keep, unbiased).sqrt());
        }
    }

    /** DJL's max/min take one axis only: reduce everything, then restore the size-1 dims if asked. */
    private static NDArray keepAll(Tensor t, NDArray scalar, boolean keep) {
        if (!keep) return scalar;
        long[] ones = new long[t.rank()];
        java.util.Arrays.fill(ones, 1);
        return TensorScope.own(scalar).reshape(new Shape(ones));
    }

    private static int[] axes(Tensor t, String op, Integer axis) {
        if (axis == null) return Shapes.allAxes(t.rank());
        return new int[] {Shapes.axis(op, axis, t.rank(), t.shape())};
    }

    private static void requireNonEmpty(Tensor t, String op) {
        if (t.size() == 0) throw new TensorException(op + ": empty tensor " + Shapes.str(t.shape()) + " has no " + op);
    }
}
