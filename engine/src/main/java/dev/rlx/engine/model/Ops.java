package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The fused building blocks of the forward pass, called straight through DJL's PyTorch JNI: one native op
 * each and no NDList wrapping. Results belong to the manager of the first (activation) argument.
 */
final class Ops {
    private static final double GELU_K = 2.0 * Math.sqrt(2.0 / Math.PI);

    private Ops() {}

    /**
     * Returns {@code r} after closing the handles of intermediates already used. DJL would keep every
     * intermediate until the step's manager closes, so the whole forward stayed alive through the backward pass;
     * closed early, what autograd saved is freed as backward consumes it and the allocator reuses warm memory,
     * as in PyTorch. Closing a handle never frees storage another tensor (a view, autograd) still uses.
     */
    static NDArray free(NDArray r, NDArray... done) {
        for (NDArray d : done) {
            if (d != r) {
                d.close();
            }
        }
        return r;
    }

    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return JniUtils.linear((PtNDArray) x, (PtNDArray) w, (PtNDArray) b);
    }

    static NDArray layerNorm(NDArray x, NDArray w, NDArray b, double eps) {
        return JniUtils.layerNorm((PtNDArray) x, new Shape(x.getShape().getLastDimension()), (PtNDArray) w, (PtNDArray) b, eps);
    }

    static NDArray embedding(NDArray ids, NDArray table) {
        return JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false);
    }

    /** HF LlamaRMSNorm: computed in float32, scaled by the weight in the model's dtype. */
    static NDArray rmsNorm(NDArray x, NDArray w, double eps) {
        boolean f32 = x.getDataType() == DataType.FLOAT32;
        NDArray xf = f32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray sq = xf.square();
        NDArray ms = free(sq.mean(new int[] {-1}, true), sq);
        NDArray me = free(ms.add(eps), ms);
        NDArray inv = free(Scalars.pow(me, -0.5), me);
        NDArray y = free(xf.mul(inv), inv);
        if (!f32) {
            xf.close();
        }
        if (y.getDataType() != w.getDataType()) {
            y = free(y.toType(w.getDataType(), false), y);
        }
        return free(y.mul(w), y);
    }

    static NDArray activation(NDArray x, String name) {
        return switch (name) {
            case "gelu" -> JniUtils.gelu((PtNDArray) x);
            // tanh approximation rewritten as x * sigmoid(2z): 5 ops instead of 8
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> {
                NDArray sq = x.square();
                NDArray a = free(Scalars.mul(sq, GELU_K * 0.044715), sq);
                NDArray z = free(a.add(GELU_K), a);
                NDArray zx = free(z.mul(x), z);
                NDArray sg = free(zx.getNDArrayInternal().sigmoid(), zx);
                yield free(x.mul(sg), sg);
            }
            case "silu", "swish" -> {
                NDArray sg = x.getNDArrayInternal().sigmoid();
                yield free(x.mul(sg), sg);
            }
            case "relu" -> Activation.relu(x);
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }
}
