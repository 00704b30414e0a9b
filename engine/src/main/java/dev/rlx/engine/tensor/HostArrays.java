package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Native arrays made from Java values whose memory libtorch owns. Every engine site that turns Java data
 * into an array goes through here; never call {@code NDManager.create(...)} with data directly.
 *
 * <p>Why: on the CPU, DJL's {@code create} wraps a Java direct buffer ({@code torch::from_blob}) that only
 * the Java NDArray object keeps alive. Views and autograd hold their own references to the tensor, not to
 * that buffer: once the NDArray is closed (its scope ends) and garbage-collected, the buffer is freed, and a
 * backward pass (mul, div, pow and gather keep their operands) or a view kept in an outer scope reads freed
 * memory. The symptom was gradients that depended on when the collector ran: two runs of one script with
 * the same losses and different gradient norms (HostArraysTest reproduces it). On a GPU, DJL already copies
 * the data into device memory, so nothing is copied twice.
 */
public final class HostArrays {
    private HostArrays() {}

    /** {@code borrowed} (just made from Java data) as an array with libtorch-owned memory; closes it. */
    public static NDArray owned(NDArray borrowed) {
        if (borrowed.getDevice().isGpu()) return borrowed;
        NDArray copy = JniUtils.clone((PtNDArray) borrowed);
        borrowed.close();
        return copy;
    }

    public static NDArray of(NDManager m, float[] v, Shape s) { return owned(m.create(v, s)); }

    public static NDArray of(NDManager m, double[] v, Shape s) { return owned(m.create(v, s)); }

    public static NDArray of(NDManager m, long[] v, Shape s) { return owned(m.create(v, s)); }

    public static NDArray of(NDManager m, int[] v, Shape s) { return owned(m.create(v, s)); }

    public static NDArray of(NDManager m, boolean[] v, Shape s) { return owned(m.create(v, s)); }

    public static NDArray of(NDManager m, long[] v) { return of(m, v, new Shape(v.length)); }

    /**
     * A 0-d array holding {@code v} as {@code type}, allocated by libtorch (no Java buffer at all). A value
     * past the type's range becomes infinite, as a cast does (torch.full itself would refuse it).
     */
    public static NDArray scalar(NDManager m, double v, DataType type) {
        if (type == DataType.FLOAT16 || type == DataType.BFLOAT16) {
            try (NDArray wide = scalar(m, v, DataType.FLOAT64)) {
                return wide.toType(type, true);
            }
        }
        double value = type == DataType.FLOAT32 ? (float) v : v;
        return JniUtils.full((PtNDManager) m, new Shape(), value, type, m.getDevice(), SparseFormat.DENSE);
    }
}
