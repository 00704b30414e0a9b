package dev.rlx.engine.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rlx.engine.tensor.Check.close;
import static dev.rlx.engine.tensor.Check.s;
import static org.junit.jupiter.api.Assertions.*;

/** Masked reductions, returns/GAE and group helpers; expected values from tensor_fixtures.py (numpy). */
class CreditPrimitivesTest {
    private static final double TOL = 1e-5;

    // rows of different lengths: 4, 2 and 3 response tokens
    private static final Tensor X = Tensors.of(List.of(
            List.of(1.0, 2.0, 3.0, 4.0), List.of(0.5, -1.0, 2.0, 0.0), List.of(3.0, 1.0, -2.0, 1.5)));
    private static final Tensor M = Tensors.of(List.of(
            List.of(1, 1, 1, 1), List.of(1, 1, 0, 0), List.of(1, 1, 1, 0)));

    // for returns/GAE: the last row has a hole (an observation token) at t=1
    private static final Tensor R = Tensors.of(List.of(
            List.of(0.0, 0.0, 0.0, 1.0), List.of(0.0, 0.5, 0.0, 0.0), List.of(0.2, 0.0, 1.0, 0.0)));
    private static final Tensor V = Tensors.of(List.of(
            List.of(0.1, 0.2, 0.3, 0.4), List.of(0.5, 0.6, 0.7, 0.8), List.of(-0.1, 0.0, 0.3, 0.9)));
    private static final Tensor M2 = Tensors.of(List.of(
            List.of(1, 1, 1, 1), List.of(1, 1, 0, 0), List.of(1, 0, 1, 0)));

    @Test
    void maskedSumAndMean() {
        close(Masked.sum(X, M, null), TOL, s(), 11.5);
        close(Masked.sum(X, M, 1), TOL, s(3), 10.0, -0.5, 2.0);
        close(Masked.mean(X, M, null), TOL, s(), 1.27777778);
        close(Masked.mean(X, M, 1), TOL, s(3), 2.5, -0.25, 0.66666667);
        close(Masked.mean(X, M, -1), TOL, s(3), 2.5, -0.25, 0.66666667);
        // a bool mask means the same
        close(Masked.mean(X, M.gt(0.5), 1), TOL, s(3), 2.5, -0.25, 0.66666667);
        // an empty row gives 0, not NaN
        Tensor empty = Tensors.of(List.of(List.of(0, 0), List.of(1, 0)));
        close(Masked.mean(Tensors.ones(2, 2), empty, 1), 0, s(2), 0.0, 1.0);
        var e = assertThrows(TensorException.class, () -> Masked.mean(X, Tensors.ones(3, 3), null));
        assertEquals("masked_mean: x and mask shapes [3, 4] and [3, 3] differ", e.getMessage());
    }

    @Test
    void maskedVarAndWhitenBothModes() {
        close(Masked.var(X, M, true), TOL, s(), 3.81944444);
        close(Masked.var(X, M, false), TOL, s(), 3.39506173);
        close(Masked.whiten(X, M, true), TOL, s(3, 4),
                -0.14213381, 0.36954791, 0.88122963, 1.39291135,
                -0.39797467, -1.16549725, 0.36954791, -0.65381553,
                0.88122963, -0.14213381, -1.67717897, 0.11370705);
        close(Masked.whiten(X, M, false), TOL, s(3, 4),
                1.13564397, 1.64732569, 2.1590074, 2.67068912,
                0.87980311, 0.11228053, 1.64732569, 0.62396225,
                2.1590074, 1.13564397, -0.39940119, 1.39148483);
        Tensor one = Tensors.of(List.of(List.of(1, 0), List.of(0, 0)));
        var e = assertThrows(TensorException.class, () -> Masked.whiten(Tensors.ones(2, 2), one, true));
        assertTrue(e.getMessage().startsWith("masked_whiten: the mask selects 1 element"), e.getMessage());
    }

    /** The masked values of X sorted: -2, -1, 0.5, 1, 1, 2, 3, 3, 4 (n = 9); numpy.quantile gives the same. */
    @Test
    void maskedQuantileInterpolatesBetweenOrderStatistics() {
        close(Masked.quantile(X, M, 0.0), TOL, s(), -2.0);
        close(Masked.quantile(X, M, 0.3), TOL, s(), 0.7);    // pos 2.4: 0.5 + 0.4 * (1 - 0.5)
        close(Masked.quantile(X, M, 0.55), TOL, s(), 1.4);   // pos 4.4: 1 + 0.4 * (2 - 1)
        close(Masked.quantile(X, M, 0.8), TOL, s(), 3.0);    // pos 6.4 between two 3s
        close(Masked.quantile(X, M.gt(0.5), 1.0), TOL, s(), 4.0);
        assertEquals(DType.FLOAT64, Masked.quantile(X.toType(DType.FLOAT64), M, 0.5).dtype());
        assertTrue(Double.isNaN(Masked.quantile(X, Tensors.zeros(3, 4), 0.5).item()), "an empty mask gives NaN");
        var e = assertThrows(TensorException.class, () -> Masked.quantile(X, M, 1.5));
        assertEquals("masked_quantile: q must lie in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void whitenInFloat64() {
        Tensor x64 = X.toType(DType.FLOAT64);
        Tensor w = Masked.whiten(x64, M, true);
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(-1.67717897, w.index(2).index(2).item(), 1e-8);
    }

    @Test
    void discountedCumsumResetsAtPadding() {
        close(Returns.discountedCumsum(R, M2, 1.0), TOL, s(3, 4),
                1, 1, 1, 1, 0.5, 0.5, 0, 0, 0.2, 0, 1, 0);
        close(Returns.discountedCumsum(R, M2, 0.9), TOL, s(3, 4),
                0.729, 0.81, 0.9, 1.0, 0.45, 0.5, 0, 0, 0.2, 0, 1, 0);
        assertEquals(DType.FLOAT64, Returns.discountedCumsum(R.toType(DType.FLOAT64), M2, 0.9).dtype());
    }

    @Test
    void gaeSkipsPaddingAndCarriesState() {
        Returns.Gae g = Returns.gae(R, V, M2, 0.9, 0.8);
        // hand check, row 0: t=3 delta = 1 - 0.4 = 0.6; t=2 delta = 0.9*0.4 - 0.3 = 0.06, A = 0.06 + 0.72*0.6 = 0.492
        close(g.advantages(), TOL, s(3, 4),
                0.3854528, 0.42424, 0.492, 0.6,
                -0.032, -0.1, 0.0, 0.0,
                1.074, 0.7, 0.7, 0.0);
        close(g.returns(), TOL, s(3, 4),
                0.4854528, 0.62424, 0.792, 1.0,
                0.468, 0.5, 0.7, 0.8,
                0.974, 0.7, 1.0, 0.9);
        Returns.Gae g1 = Returns.gae(R, V, M2, 1.0, 1.0);
        close(g1.advantages(), TOL, s(3, 4),
                0.9, 0.8, 0.7, 0.6, 0.0, -0.1, 0.0, 0.0, 1.3, 0.7, 0.7, 0.0);
        assertThrows(TensorException.class, () -> Returns.gae(R, V.slice(1, 0L, 2L), M2, 1, 1));
    }

    @Test
    void lengthsAndLastTokenScatter() {
        assertEquals(List.of(4L, 2L, 3L), Masked.lengths(M).toNestedList());
        Tensor scores = Tensors.of(List.of(1.0, -2.0, 0.5));
        close(Masked.lastTokenScatter(scores, M), 0, s(3, 4),
                0, 0, 0, 1.0,
                0, -2.0, 0, 0,
                0, 0, 0.5, 0);
        // an empty response gets nothing
        Tensor m = Tensors.of(List.of(List.of(0, 0), List.of(1, 0)));
        close(Masked.lastTokenScatter(Tensors.of(List.of(3.0, 4.0)), m), 0, s(2, 2), 0, 0, 4.0, 0);
    }

    @Test
    void groupHelpersOnScores() {
        Tensor r = Tensors.of(List.of(1.0, 0.0, 1.0, 0.0, 0.0, 1.0));
        close(Groups.mean(r, 3), TOL, s(6), 0.66666667, 0.66666667, 0.66666667, 0.33333333, 0.33333333, 0.33333333);
        close(Groups.std(r, 3), TOL, s(6), 0.57735027, 0.57735027, 0.57735027, 0.57735027, 0.57735027, 0.57735027);
        close(Groups.std(r, 2), TOL, s(6), 0.70710678, 0.70710678, 0.70710678, 0.70710678, 0.70710678, 0.70710678);
        Tensor sc = Tensors.of(List.of(0.3, 0.9, 0.9, 0.1, -1.0, 2.0));
        close(Groups.max(sc, 3), TOL, s(6), 0.9, 0.9, 0.9, 2, 2, 2);
        close(Groups.min(sc, 3), TOL, s(6), 0.3, 0.3, 0.3, -1, -1, -1);
        close(Groups.sum(sc, 2), TOL, s(6), 1.2, 1.2, 1.0, 1.0, 1.0, 1.0);
        // first maximum of each group only (0.9 appears twice in the first group)
        assertEquals(List.of(false, true, false, false, false, true), Groups.argmaxMask(sc, 3).toNestedList());
        // group of size 1: mean is the value itself, std is the neutral 1.0
        close(Groups.mean(sc, 1), TOL, s(6), 0.3, 0.9, 0.9, 0.1, -1.0, 2.0);
        close(Groups.std(sc, 1), 0, s(6), 1, 1, 1, 1, 1, 1);
        var e = assertThrows(TensorException.class, () -> Groups.mean(sc, 4));
        assertEquals("group_mean: batch of 6 rows (shape [6]) is not a multiple of group 4", e.getMessage());
    }

    @Test
    void groupHelpersOnTokenTensors() {
        Tensor y = Tensors.of(List.of(List.of(1.0, 2.0), List.of(3.0, 5.0), List.of(0.0, -1.0), List.of(4.0, 1.0)));
        close(Groups.mean(y, 2), TOL, s(4, 2), 2, 3.5, 2, 3.5, 2, 0, 2, 0);
        close(Groups.std(y, 2), TOL, s(4, 2),
                1.41421356, 2.12132034, 1.41421356, 2.12132034, 2.82842712, 1.41421356, 2.82842712, 1.41421356);
    }

    @Test
    void grpoAndRlooAreOneLiners() {
        // GRPO on [1,0,1 | 0,0,1]: (r - mean) / (std + 1e-6), hand: (1 - 2/3) / 0.57735027 = 0.57735
        Tensor r = Tensors.of(List.of(1.0, 0.0, 1.0, 0.0, 0.0, 1.0));
        Tensor grpo = r.sub(Groups.mean(r, 3)).div(Groups.std(r, 3).add(1e-6));
        close(grpo, 1e-5, s(6), 0.57735, -1.15470, 0.57735, -0.57735, -0.57735, 1.15470);
        // RLOO: r - (sum - r) / (n - 1); hand: 1 - 1/2 = 0.5, 0 - 2/2 = -1
        Tensor rloo = r.sub(Groups.sum(r, 3).sub(r).div(2.0));
        close(rloo, 1e-6, s(6), 0.5, -1.0, 0.5, -0.5, -0.5, 1.0);
    }
}
