package dev.rlx.engine.tensor;

import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * {@link Tensor}'s shape ops: reshape, transpose, indexing, slicing, gather, cumsum, flip and broadcast.
 * Shapes and axes are checked in Java first, so errors name the op and the shape.
 */
final class TensorShapeOps {
    private TensorShapeOps() {}

    static Tensor reshape(Tensor t, long... newShape) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) throw new TensorException("reshape: only one dimension can be -1 in " + Shapes.str(newShape));
                infer = i;
            } else if (newShape[i] < 0) {
                throw new TensorException("reshape: negative dimension in " + Shapes.str(newShape));
            } else {
                known *= newShape[i];
            }
        }
        long[] target = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || t.size() % known != 0) {
                throw new TensorException("reshape: cannot reshape " + Shapes.str(t.shape()) + " (" + t.size() + " elements) to " + Shapes.str(newShape));
            }
            target[infer] = t.size() / known;
        } else if (known != t.size()) {
            throw new TensorException("reshape: cannot reshape " + Shapes.str(t.shape()) + " (" + t.size() + " elements) to " + Shapes.str(newShape));
        }
        return Tensor.owned(t.ndarray().reshape(new Shape(target)));
    }

    static Tensor transpose(Tensor t, int... perm) {
        int r = t.rank();
        if (perm.length == 0) {
            perm = new int[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        if (perm.length != r) {
            throw new TensorException("transpose: permutation " + java.util.Arrays.toString(perm) + " does not match shape " + Shapes.str(t.shape()));
        }
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shapes.axis("transpose", perm[i], r, t.shape());
            if (seen[p[i]]) throw new TensorException("transpose: axis " + perm[i] + " repeated in " + java.util.Arrays.toString(perm));
            seen[p[i]] = true;
        }
        return Tensor.owned(t.ndarray().transpose(p));
    }

    static Tensor swapAxes(Tensor t, int a, int b) {
        int x = Shapes.axis("transpose", a, t.rank(), t.shape());
        int y = Shapes.axis("transpose", b, t.rank(), t.shape());
        return Tensor.owned(t.ndarray().swapAxes(x, y));
    }

    static Tensor expandDims(Tensor t, int axis) {
        int a = Shapes.axis("expand_dims", axis, t.rank() + 1, t.shape());
        return Tensor.owned(t.ndarray().expandDims(a));
    }

    static Tensor index(Tensor t, long i) {
        if (t.rank() == 0) throw new TensorException("index: cannot index a scalar tensor");
        long n = t.shape()[0];
        long j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) {
            throw new TensorException("index: index " + i + " is out of range for axis 0 of shape " + Shapes.str(t.shape()));
        }
        return Tensor.owned(t.ndarray().get(j));
    }

    static Tensor slice(Tensor t, int axis, Long start, Long stop) {
        int a = Shapes.axis("slice", axis, t.rank(), t.shape());
        long n = t.shape()[a];
        long s = clip(start == null ? 0 : start, n);
        long e = clip(stop == null ? n : stop, n);
        if (e < s) e = s;
        NDIndex idx = new NDIndex();
        for (int i = 0; i < a; i++) idx.addAllDim();
        idx.addSliceDim(s, e);
        return Tensor.owned(t.ndarray().get(idx));
    }

    private static long clip(long i, long n) {
        long j = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, j));
    }

    static Tensor gather(Tensor t, int axis, Tensor index) {
        int a = Shapes.axis("gather", axis, t.rank(), t.shape());
        long[] xs = t.shape(), is = index.shape();
        boolean ok = xs.length == is.length;
        for (int d = 0; ok && d < xs.length; d++) ok = d == a || is[d] <= xs[d];
        if (!ok) {
            throw new TensorException("gather: index shape " + Shapes.str(is) + " does not fit shape " + Shapes.str(xs) + " along axis " + axis);
        }
        if (index.dtype() == DType.FLOAT32 || index.dtype() == DType.FLOAT64 || index.dtype() == DType.BOOL) {
            index = index.toType(DType.INT64);
        }
        return Tensor.owned(t.ndarray().gather(index.ndarray(), a));
    }

    static Tensor cumsum(Tensor t, int axis) {
        int a = Shapes.axis("cumsum", axis, t.rank(), t.shape());
        return Tensor.owned(TensorCasts.numeric(t, "cumsum").cumSum(a));
    }

    static Tensor flip(Tensor t, int axis) {
        int a = Shapes.axis("flip", axis, t.rank(), t.shape());
        return Tensor.owned(t.ndarray().flip(a));
    }

    static Tensor broadcastTo(Tensor t, long... target) {
        long[] b = Shapes.broadcast("broadcast", t.shape(), target);
        if (!java.util.Arrays.equals(b, target)) {
            throw new TensorException("broadcast: shape " + Shapes.str(t.shape()) + " cannot broadcast to " + Shapes.str(target));
        }
        return Tensor.owned(t.ndarray().broadcast(new Shape(target)));
    }
}
