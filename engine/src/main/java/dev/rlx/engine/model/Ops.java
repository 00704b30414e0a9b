package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The fused building blocks of the forward pass, called straight through DJL's PyTorch JNI: one native op
 * each and no NDList wrapping. Results belong to the manager of the first (activation) argument.
 */
final class Ops {
    private static final double GELU_K = 2.0 * Math.sqrt(2.0 / Math.PI);

    private Ops() {}

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
        NDArray xf = x.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32 ? x : x.toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray inv = Scalars.pow(xf.square().mean(new int[] {-1}, true).add(eps), -0.5);
        NDArray y = xf.mul(inv);
        if (y.getDataType() != w.getDataType()) {
            y = y.toType(w.getDataType(), false);
        }
        return y.mul(w);
    }

    static NDArray activation(NDArray x, String name) {
        return switch (name) {
            case "gelu" -> JniUtils.gelu((PtNDArray) x);
            // tanh approximation rewritten as x * sigmoid(2z): 5 ops instead of 8
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" ->
                    x.mul(Scalars.mul(x.square(), GELU_K * 0.044715).add(GELU_K).mul(x).getNDArrayInternal().sigmoid());
            case "silu", "swish" -> x.mul(x.getNDArrayInternal().sigmoid());
            case "relu" -> ai.djl.nn.Activation.relu(x);
            default -> throw new IllegalArgumentException("unsupported activation '" + name + "'");
        };
    }
}
