package dev.rlx.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Autograd keeps the scalar operands of mul/div/pow for the backward pass. A scalar made by DJL's
 * {@code NDArray.mul(Number)} family lives in a Java direct buffer that is freed once its (closed) NDArray is
 * collected, so a garbage collection between forward and backward used to change the gradients (attention
 * scale, GELU-tanh and RMSNorm constants, the temperature of the scorer). Here the collection is forced.
 */
class GradientLifetimeTest {
    @Test
    void gradientsDoNotDependOnAGarbageCollectionBeforeBackward() throws Exception {
        List<ModelConfig> cfgs = List.of(
                ModelConfig.gpt().vocabSize(32).dim(16).layers(2).heads(2).context(16).activation("gelu_new").build(),
                ModelConfig.llama().vocabSize(32).dim(16).layers(2).heads(4).kvHeads(2).context(16).build());
        for (ModelConfig cfg : cfgs) {
            try (CausalLM m = CausalLM.create(cfg, ComputeConfig.defaults(), 5)) {
                m.setTrainable(true);
                float[] quiet = gradients(m, false);
                float[] collected = gradients(m, true);
                for (int i = 0; i < quiet.length; i++) {
                    assertEquals(quiet[i], collected[i], 1e-5 * (1 + Math.abs(quiet[i])), cfg.arch() + " gradient " + i);
                }
            }
        }
    }

    private static float[] gradients(CausalLM m, boolean collect) throws InterruptedException {
        try (NDManager sm = m.manager().newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            ScoreBatch b = ScoreBatch.of(sm, List.of(new int[] {1, 2, 3}, new int[] {4}), new int[][] {{5, 6}, {7, 8}}, null, 0,
                    m.dataType());
            NDArray lp = Scorer.logProbs(m, b, 0.7, true);
            if (collect) {
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(100); // the cleaner thread frees unreachable direct buffers
                }
            }
            gc.backward(lp.sum());
        }
        int n = 0;
        for (NDArray p : m.parameters().values()) n += (int) p.size();
        float[] all = new float[n];
        int at = 0;
        for (NDArray p : m.parameters().values()) {
            NDArray g = p.getGradient();
            float[] v = g.toFloatArray();
            System.arraycopy(v, 0, all, at, v.length);
            at += v.length;
            ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
            g.close();
        }
        return all;
    }
}
