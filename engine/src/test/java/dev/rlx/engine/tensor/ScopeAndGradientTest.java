package dev.rlx.engine.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rlx.engine.tensor.Check.close;
import static dev.rlx.engine.tensor.Check.s;
import static org.junit.jupiter.api.Assertions.*;

class ScopeAndGradientTest {

    @Test
    void closingAScopeFreesWhatWasCreatedInIt() {
        Tensor outer = Tensors.ones(3);
        Tensor temp, kept;
        TensorScope parent = TensorScope.current();
        try (TensorScope scope = TensorScope.open()) {
            assertSame(scope, TensorScope.current());
            temp = outer.add(1.0).mul(outer);     // result of an op on an outer tensor lands here
            kept = scope.keep(temp.sum());
            assertTrue(scope.liveArrays() >= 1);
        }
        assertSame(parent, TensorScope.current());
        assertTrue(temp.isReleased());
        assertFalse(kept.isReleased());
        assertFalse(outer.isReleased());
        assertEquals(6.0, kept.item());
    }

    @Test
    void compositeOpsLeaveOnlyTheirResult() {
        Tensor x = Tensors.of(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)));
        Tensor m = Tensors.ones(2, 3);
        try (TensorScope scope = TensorScope.open()) {
            Masked.whiten(x, m, true);
            Groups.std(x, 2);
            x.logSigmoid();
            x.std(0, false);
            // one array per call: every temporary was freed by the op's inner scope
            assertEquals(4, scope.liveArrays());
        }
    }

    @Test
    void nestedScopesCloseInnerOnesToo() {
        Tensor inner;
        TensorScope outer = TensorScope.open();
        TensorScope in = TensorScope.open();
        inner = Tensors.zeros(2);
        outer.close();
        assertTrue(in.isClosed());
        assertTrue(inner.isReleased());
        assertThrows(TensorException.class, () -> outer.keep(Tensors.zeros(1)));
    }

    @Test
    void gradientOfASmallExpressionMatchesFiniteDifferences() {
        // f(x) = sum(sigmoid(x) * x^2) + mean(exp(x) / (1 + x^2)), x in float64 for clean differences
        double[] x0 = {0.3, -1.2, 2.0};
        Tensor x = Tensors.fromDoubles(x0, 3).withGrad();
        double[] grad;
        try (TensorScope scope = TensorScope.open(); GradientRecording rec = Tensors.recordGradients()) {
            assertTrue(GradientRecording.isActive());
            rec.backward(f(x));
        }
        grad = x.gradient().toDoubleArray();
        assertFalse(GradientRecording.isActive());
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            double[] up = x0.clone(), down = x0.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (f(Tensors.fromDoubles(up, 3)).item() - f(Tensors.fromDoubles(down, 3)).item()) / (2 * h);
            assertEquals(numeric, grad[i], 1e-6, "d f / d x[" + i + "]");
        }
    }

    private static Tensor f(Tensor x) {
        return x.sigmoid().mul(x.pow(2.0)).sum().add(x.exp().div(x.mul(x).add(1.0)).mean());
    }

    @Test
    void log1pAndExpm1HaveTheirExactGradients() {
        // d log1p(x) = 1 / (1 + x), d expm1(x) = exp(x), on both sides of the |x| < 0.5 switch, where 1 + x
        // rounds to 1 (1e-20), and at 0; the branch `where` drops must not turn into NaN
        double[] x0 = {-0.9, -0.3, -1e-3, -1e-20, 0.0, 1e-8, 0.45, 3.0};
        Tensor x = Tensors.fromDoubles(x0, x0.length).withGrad();
        Tensor y = Tensors.fromDoubles(x0, x0.length).withGrad();
        try (GradientRecording rec = Tensors.recordGradients()) {
            rec.backward(x.log1p().sum().add(y.expm1().sum()));
        }
        double[] gx = x.gradient().toDoubleArray(), gy = y.gradient().toDoubleArray();
        for (int i = 0; i < x0.length; i++) {
            assertEquals(1 / (1 + x0[i]), gx[i], 1e-14 * Math.abs(gx[i]) + 1e-15, "d log1p at " + x0[i]);
            assertEquals(Math.exp(x0[i]), gy[i], 1e-14 * Math.abs(gy[i]) + 1e-15, "d expm1 at " + x0[i]);
        }
        try (TensorScope scope = TensorScope.open()) {
            x.log1p();
            x.expm1();
            assertEquals(2, scope.liveArrays());   // the temporaries went with the op's inner scope
        }
    }

    @Test
    void gradientsThroughMaskedAndGroupOps() {
        // d/dx masked_mean(x, m) = m / sum(m); d/dx group_mean(x,2).sum() = 1 for every element
        Tensor x = Tensors.of(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0))).withGrad();
        Tensor m = Tensors.of(List.of(List.of(1, 0), List.of(1, 1)));
        try (GradientRecording rec = Tensors.recordGradients()) {
            rec.backward(Masked.mean(x, m, null).add(Groups.mean(x, 2).sum()));
        }
        close(x.gradient(), 1e-6, s(2, 2), 1 + 1 / 3.0, 1, 1 + 1 / 3.0, 1 + 1 / 3.0);
    }

    @Test
    void scalarOpsAndWideningKeepTheGraph() {
        // h(x) = sum((2 - x) * (x + 1) / 4) in float64 after widening: dh/dx = (1 - 2x) / 4
        Tensor x = Tensors.of(List.of(0.5, 3.0)).withGrad();
        try (GradientRecording rec = Tensors.recordGradients()) {
            Tensor w = x.toType(DType.FLOAT64);
            assertEquals(DType.FLOAT64, w.dtype());
            rec.backward(w.rsub(2.0).mul(w.add(1.0)).div(4.0).sum());
        }
        close(x.gradient(), 1e-6, s(2), 0.0, -1.25);
    }

    @Test
    void lossPathOpsRecord() {
        // logits [[0, 0], [ln 3, 0]]; chosen targets [1, 0]: d log_softmax[target] / d logits = onehot - softmax
        // row 0: softmax [0.5, 0.5] -> [-0.5, 0.5]; row 1: softmax [0.75, 0.25] -> [0.25, -0.25].
        // where() keeps row 0's term only through the first element of a masked sum: weights [1, 1].
        Tensor logits = Tensors.of(List.of(List.of(0.0, 0.0), List.of(Math.log(3), 0.0))).withGrad();
        Tensor targets = Tensors.of(List.of(List.of(1), List.of(0)), DType.INT64);
        try (GradientRecording rec = Tensors.recordGradients()) {
            Tensor lp = logits.logSoftmax(-1).gather(-1, targets).reshape(-1);
            Tensor kept = Tensors.where(Tensors.of(List.of(true, true)), lp, 0.0).clamp(-20.0, null);
            rec.backward(Masked.sum(kept, Tensors.ones(2), null));
        }
        close(logits.gradient(), 1e-6, s(2, 2), -0.5, 0.5, 0.25, -0.25);
    }

    @Test
    void keepLeavesTensorsOfOtherScopesAlone() {
        Tensor outer = Tensors.ones(2);
        try (TensorScope a = TensorScope.open()) {
            try (TensorScope b = TensorScope.open()) {
                b.keep(outer);   // not b's: must not move into a
            }
        }
        assertFalse(outer.isReleased());
    }

    @Test
    void stopGradientStopsTheGradient() {
        // g(x) = x * sg(x): value x^2, gradient sg(x) = x (not 2x)
        Tensor x = Tensors.of(List.of(1.0, -3.0)).withGrad();
        try (GradientRecording rec = Tensors.recordGradients()) {
            rec.backward(x.mul(x.stopGradient()).sum());
        }
        close(x.gradient(), 1e-6, s(2), 1.0, -3.0);
    }

    @Test
    void onlyOneRecordingAtATime() {
        try (GradientRecording rec = Tensors.recordGradients()) {
            var e = assertThrows(TensorException.class, Tensors::recordGradients);
            assertTrue(e.getMessage().contains("already open"));
        }
        try (GradientRecording again = Tensors.recordGradients()) {
            assertNotNull(again);
        }
    }

    @Test
    void gradientErrors() {
        assertThrows(TensorException.class, () -> Tensors.ones(2).gradient());
        assertThrows(TensorException.class, () -> Tensors.of(List.of(1, 2), DType.INT64).withGrad());
    }

    @Test
    void runtimeRejectsAbsentGpuAndBadNames() {
        var e = assertThrows(TensorException.class, () -> TensorRuntime.configure("gpu:7", 0, 1));
        assertTrue(e.getMessage().contains("gpu:7"), e.getMessage());
        assertThrows(TensorException.class, () -> TensorRuntime.configure("tpu", 0, 1));
        TensorRuntime.configure("cpu", 2, 42);
        assertEquals(ai.djl.Device.cpu(), TensorRuntime.device());
    }
}
