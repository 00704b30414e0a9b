package dev.rlx.engine.tensor;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Tensors made from Java numbers must stay valid for the backward pass after the scope that made them has
 * closed and the garbage collector has run. Before {@link HostArrays}, each of these read freed memory: the
 * first one gave a gradient of 1.4e26 instead of 3.
 */
class HostArraysTest {

    /** The gradient of sum(f(w)) at w = [1, 2], with f's temporaries freed (scope closed, GC run) before backward. */
    private static double[] gradientAfterCollection(Function<Tensor, Tensor> f) throws InterruptedException {
        Tensor w = Tensors.of(List.of(1.0, 2.0)).withGrad();
        try (GradientRecording rec = Tensors.recordGradients()) {
            Tensor y;
            try (TensorScope inner = TensorScope.open()) {
                y = inner.keep(f.apply(w).sum());
            }
            churnNativeMemory();
            rec.backward(y);
        }
        return w.gradient().toDoubleArray();
    }

    /** Collects closed arrays' buffers and reuses the freed memory, as a long training step would. */
    private static void churnNativeMemory() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 + i % 64);
            b.putFloat(0, 77f);
            junk.add(b);
        }
    }

    @Test
    void aNumberTimesATensorKeepsItsGradient() throws InterruptedException {
        assertArrayEquals(new double[] {3.0, 3.0}, gradientAfterCollection(w -> w.mul(3.0)), 1e-6);
    }

    @Test
    void aDivisionByANumberKeepsItsGradient() throws InterruptedException {
        assertArrayEquals(new double[] {0.25, 0.25}, gradientAfterCollection(w -> w.div(4.0)), 1e-6);
    }

    @Test
    void aTensorFromJavaValuesKeepsItsGradient() throws InterruptedException {
        assertArrayEquals(new double[] {5.0, 7.0},
                gradientAfterCollection(w -> w.mul(Tensors.of(List.of(5.0, 7.0)))), 1e-6);
    }

    @Test
    void aWideningCastKeepsItsGradient() throws InterruptedException {
        // float32 -> float64 goes through a multiplication by a float64 one (TensorCasts)
        assertArrayEquals(new double[] {2.0, 4.0},
                gradientAfterCollection(w -> w.mul(w).toType(DType.FLOAT64)), 1e-6);
    }

    @Test
    void aFilledTensorKeepsItsGradient() throws InterruptedException {
        assertArrayEquals(new double[] {-0.5, -0.5},
                gradientAfterCollection(w -> w.mul(Tensors.full(new long[] {2}, -0.5))), 1e-6);
    }
}
