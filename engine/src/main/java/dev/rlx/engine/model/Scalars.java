package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.rlx.engine.tensor.HostArrays;

/**
 * Tensor-by-number ops that are safe to differentiate. DJL's {@code NDArray.mul(Number)} family wraps the
 * number in a 0-d tensor over a Java direct buffer and closes it after the op, but autograd keeps that tensor
 * for the backward pass of mul, div and pow: once the closed NDArray is garbage-collected the buffer is freed
 * and the gradient reads freed memory (noise or NaN, depending on when the collector ran). Here libtorch owns
 * the scalar's storage ({@link HostArrays}), so closing our handle leaves autograd's reference valid. The scalar is float64, as
 * DJL made it for a double, so the arithmetic is unchanged.
 */
public final class Scalars {
    private Scalars() {}

    public static NDArray mul(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.mul(s);
        }
    }

    public static NDArray div(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.div(s);
        }
    }

    public static NDArray pow(NDArray x, double v) {
        try (NDArray s = of(x, v)) {
            return x.pow(s);
        }
    }

    private static NDArray of(NDArray like, double v) {
        return HostArrays.scalar(like.getManager(), v, DataType.FLOAT64);
    }
}
