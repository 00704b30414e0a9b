package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Dtype conversions behind {@link Tensor}'s ops: a cast that keeps the gradient where it can, and the
 * operand an op sees when it needs numbers (bool widened to int64) or floats (ints to float32).
 */
final class TensorCasts {
    private TensorCasts() {}

    /** {@code t}'s array converted to {@code to}; the conversion (if any) is owned by the current scope. */
    static NDArray as(Tensor t, DType to) {
        NDArray array = t.ndarray();
        if (t.dtype() == to) return array;
        if (t.dtype() == DType.FLOAT32 && to == DType.FLOAT64) {
            // DJL's toType detaches from the autograd graph; multiplying by a float64 [1] of ones
            // promotes the same way and keeps the gradient (a 0-d operand would not promote).
            NDArray one = TensorScope.own(HostArrays.of(TensorScope.current().manager(), new double[] {1.0}, new Shape(1)));
            NDArray up = TensorScope.own(array.mul(one));
            return t.rank() == 0 ? TensorScope.own(up.reshape(new Shape())) : up;
        }
        return TensorScope.own(array.toType(to.djl(), false));
    }

    static NDArray numeric(Tensor t, String op) {
        if (t.dtype() == DType.BOOL) return as(t, DType.INT64);
        return t.ndarray();
    }

    static NDArray floating(Tensor t, String op) {
        return t.dtype().isFloating() ? t.ndarray() : as(t, DType.FLOAT32);
    }
}
