package dev.rlx.engine.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rlx.engine.tensor.Check.close;
import static dev.rlx.engine.tensor.Check.s;
import static org.junit.jupiter.api.Assertions.*;

class TensorOpsTest {
    private static final double TOL = 1e-6;

    private static Tensor t(Object nested) {
        return Tensors.of(nested);
    }

    private static final Tensor A = Tensors.of(List.of(List.of(1.0, 2.0, 4.0), List.of(3.0, 7.0, -1.0)));

    @Test
    void createsFromNestedListsWithShapeAndDtype() {
        Tensor x = t(List.of(List.of(1, 2), List.of(3, 4)));
        assertArrayEquals(s(2, 2), x.shape());
        assertEquals(2, x.rank());
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(DType.BOOL, t(List.of(true, false)).dtype());
        assertEquals(DType.INT64, Tensors.of(List.of(1, 2), DType.INT64).dtype());
        assertEquals(DType.FLOAT64, Tensors.of(List.of(0.1), DType.FLOAT64).dtype());
        assertEquals(0.1, Tensors.of(List.of(0.1), DType.FLOAT64).index(0).item(), 0.0); // exact in float64
        assertEquals(0, Tensors.of(3.5).rank());
        assertEquals(3.5, Tensors.of(3.5).item());
    }

    @Test
    void raggedListNamesThePosition() {
        var e = assertThrows(TensorException.class, () -> t(List.of(List.of(1, 2), List.of(3))));
        assertEquals("tensor: ragged nested list: expected 2 elements at [1], got 1", e.getMessage());
        var e2 = assertThrows(TensorException.class, () -> t(List.of(List.of(1, 2), List.of(3, List.of(4)))));
        assertTrue(e2.getMessage().contains("[1, 1]"), e2.getMessage());
        var e3 = assertThrows(TensorException.class, () -> Tensors.of(List.of(1.5), DType.INT64));
        assertTrue(e3.getMessage().contains("not an integer"));
    }

    @Test
    void filledAndRanges() {
        close(Tensors.zeros(2, 3), 0, s(2, 3), 0, 0, 0, 0, 0, 0);
        close(Tensors.ones(2), 0, s(2), 1, 1);
        Tensor f = Tensors.full(s(2, 2), 2.5, DType.FLOAT64);
        assertEquals(DType.FLOAT64, f.dtype());
        close(f, 0, s(2, 2), 2.5, 2.5, 2.5, 2.5);
        close(Tensors.arange(0, 5, 1), 0, s(5), 0, 1, 2, 3, 4);
        close(Tensors.arange(1, 2, 0.25), 0, s(4), 1, 1.25, 1.5, 1.75);
        close(Tensors.arange(5, 0, -2), 0, s(3), 5, 3, 1);
        assertEquals(DType.INT64, Tensors.arange(0, 3, 1, DType.INT64).dtype());
        close(Tensors.arange(3, 3, 1), 0, s(0));
    }

    @Test
    void broadcastingArithmetic() {
        Tensor row = t(List.of(10.0, 20.0, 30.0));
        Tensor col = t(List.of(List.of(1.0), List.of(2.0)));
        close(A.add(row), TOL, s(2, 3), 11, 22, 34, 13, 27, 29);
        close(col.mul(row), TOL, s(2, 3), 10, 20, 30, 20, 40, 60);          // [2,1] x [3] -> [2,3]
        close(A.sub(col), TOL, s(2, 3), 0, 1, 3, 1, 5, -3);
        close(A.div(2.0), TOL, s(2, 3), 0.5, 1, 2, 1.5, 3.5, -0.5);
        close(A.rsub(1.0), TOL, s(2, 3), 0, -1, -3, -2, -6, 2);              // 1 - A
        close(row.rdiv(60.0), TOL, s(3), 6, 3, 2);                            // 60 / row
        close(A.pow(2.0), TOL, s(2, 3), 1, 4, 16, 9, 49, 1);
        close(t(List.of(1.0, 2.0, 3.0)).rpow(2.0), TOL, s(3), 2, 4, 8);       // 2 ^ x
        close(A.neg(), TOL, s(2, 3), -1, -2, -4, -3, -7, 1);
        close(A.maximum(t(2.5)), TOL, s(2, 3), 2.5, 2.5, 4, 3, 7, 2.5);
    }

    @Test
    void shapeErrorsNameOperationAndBothShapes() {
        var e = assertThrows(TensorException.class, () -> A.add(t(List.of(1.0, 2.0, 3.0, 4.0))));
        assertEquals("add: shapes [2, 3] and [4] do not broadcast", e.getMessage());
        var e2 = assertThrows(TensorException.class, () -> A.lt(t(List.of(1.0, 2.0))));
        assertEquals("lt: shapes [2, 3] and [2] do not broadcast", e2.getMessage());
        var e3 = assertThrows(TensorException.class, () -> A.sum(2, false));
        assertEquals("sum: axis 2 is out of range for shape [2, 3]", e3.getMessage());
        var e4 = assertThrows(TensorException.class, () -> A.reshape(4, -1));
        assertEquals("reshape: cannot reshape [2, 3] (6 elements) to [4, -1]", e4.getMessage());
    }

    @Test
    void dtypePromotion() {
        Tensor ints = Tensors.of(List.of(1, 2, 3), DType.INT64);
        assertEquals(DType.INT64, ints.add(1.0).dtype());
        assertEquals(DType.FLOAT32, ints.add(0.5).dtype());
        assertEquals(DType.FLOAT32, ints.div(2.0).dtype());                   // true division
        close(ints.div(2.0), TOL, s(3), 0.5, 1, 1.5);
        Tensor d = Tensors.of(List.of(1.0, 2.0), DType.FLOAT64);
        assertEquals(DType.FLOAT64, d.mul(t(List.of(3.0, 4.0))).dtype());
        Tensor mask = t(List.of(true, false));
        close(t(List.of(5.0, 6.0)).mul(mask), TOL, s(2), 5, 0);
    }

    @Test
    void comparisonsAndLogic() {
        Tensor x = t(List.of(1.0, 2.0, 3.0));
        Tensor y = t(List.of(3.0, 2.0, 1.0));
        assertEquals(List.of(true, false, false), x.lt(y).toNestedList());
        assertEquals(List.of(true, true, false), x.le(y).toNestedList());
        assertEquals(List.of(false, false, true), x.gt(y).toNestedList());
        assertEquals(List.of(false, true, true), x.ge(y).toNestedList());
        assertEquals(List.of(false, true, false), x.eq(y).toNestedList());
        assertEquals(List.of(true, false, true), x.ne(y).toNestedList());
        assertEquals(List.of(false, true, true), x.gt(1.5).toNestedList());
        Tensor p = x.gt(1.5), q = x.lt(2.5);
        assertEquals(List.of(false, true, false), p.and(q).toNestedList());
        assertEquals(List.of(true, true, true), p.or(q).toNestedList());
        assertEquals(List.of(true, false, false), p.not().toNestedList());
        assertThrows(TensorException.class, () -> x.and(p));
        close(Tensors.where(p, x, y), TOL, s(3), 3, 2, 3);
        close(Tensors.where(p, x, 0.0), TOL, s(3), 0, 2, 3);
        close(Tensors.where(t(List.of(List.of(true), List.of(false))), x, y), TOL, s(2, 3), 1, 2, 3, 3, 2, 1);
    }

    @Test
    void unaryMath() {
        Tensor x = t(List.of(1.0, 4.0, 9.0));
        close(x.sqrt(), TOL, s(3), 1, 2, 3);
        close(x.log(), 1e-6, s(3), 0.0, 1.3862943611198906, 2.1972245773362196);
        close(t(List.of(0.0, 1.0)).exp(), 1e-6, s(2), 1.0, 2.718281828459045);
        close(t(List.of(-2.0, 3.0)).abs(), 0, s(2), 2, 3);
        Tensor c = t(List.of(-3.0, 0.5, 7.0));
        close(c.clamp(-1.0, 1.0), 0, s(3), -1, 0.5, 1);
        close(c.clamp(null, 1.0), 0, s(3), -3, 0.5, 1);
        close(c.clamp(0.0, null), 0, s(3), 0, 0.5, 7);
        close(c.clamp(null, null), 0, s(3), -3, 0.5, 7);
        // numpy (tensor_fixtures.py): sigmoid and log_sigmoid at [-100, -2, 0, 3, 100]
        Tensor z = t(List.of(-100.0, -2.0, 0.0, 3.0, 100.0));
        close(z.logSigmoid(), 1e-5, s(5), -100.0, -2.12692801, -0.693147181, -0.0485873516, 0.0);
        close(z.sigmoid(), 1e-6, s(5), 0.0, 0.119202922, 0.5, 0.952574127, 1.0);
        Tensor q = t(List.of(List.of(1.0, 2.0, 3.0), List.of(1.0, 1.0, 1.0)));
        close(q.softmax(1), 1e-6, s(2, 3), 0.09003057, 0.24472847, 0.66524096, 1 / 3.0, 1 / 3.0, 1 / 3.0);
        close(q.logSoftmax(0), 1e-6, s(2, 3), -0.69314718, -0.31326169, -0.12692801, -0.69314718, -1.31326169, -2.12692801);
        close(q.softmax(-1), 1e-6, s(2, 3), 0.09003057, 0.24472847, 0.66524096, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    // numpy's log1p and expm1 (tensor_fixtures.py) at -1, -0.9, -0.4, -1e-3, -1e-7, 0, 1e-10, 1e-6, 0.3, 2, 100
    private static final double[] U = {-1.0, -0.9, -0.4, -1e-3, -1e-7, 0.0, 1e-10, 1e-6, 0.3, 2.0, 100.0};
    private static final double[] LOG1P = {Double.NEGATIVE_INFINITY, -2.3025850929940459e+00, -5.1082562376599072e-01,
        -1.0005003335835335e-03, -1.0000000500000033e-07, 0.0, 9.9999999995000007e-11, 9.9999950000033335e-07,
        2.6236426446749106e-01, 1.0986122886681096e+00, 4.6151205168412597e+00};
    private static final double[] EXPM1 = {-6.3212055882855767e-01, -5.9343034025940089e-01, -3.2967995396436073e-01,
        -9.9950016662500845e-04, -9.9999995000000163e-08, 0.0, 1.0000000000500000e-10, 1.0000005000001665e-06,
        3.4985880757600307e-01, 6.3890560989306504e+00, 2.6881171418161356e+43};

    @Test
    void log1pAndExpm1KeepSmallArgumentsToTheLastBits() {
        // float64: a few ulps everywhere; exp(1e-10) - 1 alone would keep only ~6 digits
        Tensor x = Tensors.fromDoubles(U, U.length);
        relClose(x.log1p(), 1e-14, LOG1P);
        relClose(x.expm1(), 1e-14, EXPM1);
        // float32 (no 100: e^100 overflows): 1 + 1e-10 rounds to 1, yet log1p(1e-10) is 1e-10
        Tensor f = Tensors.fromDoubles(java.util.Arrays.copyOf(U, 10), 10).toType(DType.FLOAT32);
        relClose(f.log1p(), 1e-6, java.util.Arrays.copyOf(LOG1P, 10));
        relClose(f.expm1(), 1e-6, java.util.Arrays.copyOf(EXPM1, 10));
        assertEquals(DType.FLOAT32, f.expm1().dtype());
        assertEquals(-1.0, Tensors.of(-100.0).expm1().item(), 0.0);
    }

    private static void relClose(Tensor actual, double rel, double... expected) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++) {
            if (Double.isInfinite(expected[i])) {
                assertEquals(expected[i], got[i], "element " + i);
            } else {
                assertEquals(expected[i], got[i], rel * Math.abs(expected[i]), "element " + i + " of " + actual);
            }
        }
    }

    @Test
    void reductionsWithAxisAndKeep() {
        // A = [[1, 2, 4], [3, 7, -1]]
        close(A.sum(), TOL, s(), 16);
        close(A.sum(0, false), TOL, s(3), 4, 9, 3);
        close(A.sum(1, true), TOL, s(2, 1), 7, 9);
        close(A.sum(null, true), TOL, s(1, 1), 16);
        close(A.mean(), TOL, s(), 16 / 6.0);
        close(A.mean(-1, false), TOL, s(2), 2.33333333, 3.0);
        close(A.mean(0, true), TOL, s(1, 3), 2, 4.5, 1.5);
        close(A.max(), 0, s(), 7);
        close(A.max(1, false), 0, s(2), 4, 7);
        close(A.min(0, true), 0, s(1, 3), 1, 2, -1);
        close(A.min(-2, false), 0, s(3), 1, 2, -1);
        // numpy ddof=1 / ddof=0 (tensor_fixtures.py)
        close(A.std(null, false), 1e-6, s(), 2.7325202);
        close(A.std(0, false), 1e-6, s(3), 1.41421356, 3.53553391, 3.53553391);
        close(A.var(1, false), 1e-5, s(2), 2.33333333, 16.0);
        close(A.var(1, true, false), 1e-5, s(2, 1), 1.55555556, 10.66666667);
        close(A.std(-1, true), 1e-5, s(2, 1), Math.sqrt(2.33333333), 4.0);
        assertEquals(DType.INT64, Tensors.of(List.of(1, 2), DType.INT64).sum().dtype());
        assertEquals(2L, t(List.of(true, true, false)).sum().itemLong());
    }

    @Test
    void reshapeTransposeIndexSlice() {
        Tensor x = Tensors.arange(0, 6, 1).reshape(2, -1);
        close(x, 0, s(2, 3), 0, 1, 2, 3, 4, 5);
        close(x.transpose(), 0, s(3, 2), 0, 3, 1, 4, 2, 5);
        close(x.swapAxes(0, -1), 0, s(3, 2), 0, 3, 1, 4, 2, 5);
        Tensor y = Tensors.arange(0, 24, 1).reshape(2, 3, 4);
        assertArrayEquals(s(4, 2, 3), y.transpose(2, 0, 1).shape());
        assertEquals(13.0, y.transpose(2, 0, 1).index(1).index(1).index(0).item()); // y[1,0,1]
        assertThrows(TensorException.class, () -> y.transpose(0, 0, 1));
        close(x.index(-1), 0, s(3), 3, 4, 5);
        close(x.index(0), 0, s(3), 0, 1, 2);
        var e = assertThrows(TensorException.class, () -> x.index(2));
        assertEquals("index: index 2 is out of range for axis 0 of shape [2, 3]", e.getMessage());
        // python slicing semantics along axis 1 of [[0,1,2],[3,4,5]]
        close(x.slice(1, 1L, null), 0, s(2, 2), 1, 2, 4, 5);
        close(x.slice(1, -2L, -1L), 0, s(2, 1), 1, 4);
        close(x.slice(1, null, 100L), 0, s(2, 3), 0, 1, 2, 3, 4, 5);
        close(x.slice(-1, -100L, 2L), 0, s(2, 2), 0, 1, 3, 4);
        close(x.slice(1, 2L, 1L), 0, s(2, 0));
        close(x.slice(0, 1L, 2L), 0, s(1, 3), 3, 4, 5);
        close(x.slice(0, 5L, null), 0, s(0, 3));
    }

    @Test
    void gatherCumsumFlipConcatStack() {
        Tensor x = t(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)));
        Tensor idx = Tensors.of(List.of(List.of(2, 0), List.of(1, 1)), DType.INT64);
        close(x.gather(1, idx), 0, s(2, 2), 3, 1, 5, 5);
        close(x.gather(-1, Tensors.of(List.of(List.of(2.0), List.of(0.0)))), 0, s(2, 1), 3, 4);
        close(x.gather(0, Tensors.of(List.of(List.of(1, 0, 1)), DType.INT64)), 0, s(1, 3), 4, 2, 6);
        assertThrows(TensorException.class, () -> x.gather(1, Tensors.of(List.of(1, 2), DType.INT64)));
        close(x.cumsum(1), 0, s(2, 3), 1, 3, 6, 4, 9, 15);
        close(x.cumsum(0), 0, s(2, 3), 1, 2, 3, 5, 7, 9);
        close(x.flip(1), 0, s(2, 3), 3, 2, 1, 6, 5, 4);
        close(x.flip(0), 0, s(2, 3), 4, 5, 6, 1, 2, 3);
        close(Tensors.concat(List.of(x, x), 0), 0, s(4, 3), 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
        close(Tensors.concat(List.of(x, x.slice(1, 0L, 1L)), 1), 0, s(2, 4), 1, 2, 3, 1, 4, 5, 6, 4);
        var e = assertThrows(TensorException.class, () -> Tensors.concat(List.of(x, t(List.of(1.0))), 0));
        assertEquals("concat: shapes [2, 3] and [1] do not match outside axis 0", e.getMessage());
        close(Tensors.stack(List.of(t(List.of(1.0, 2.0)), t(List.of(3.0, 4.0))), 0), 0, s(2, 2), 1, 2, 3, 4);
        close(Tensors.stack(List.of(t(List.of(1.0, 2.0)), t(List.of(3.0, 4.0))), -1), 0, s(2, 2), 1, 3, 2, 4);
        var e2 = assertThrows(TensorException.class, () -> Tensors.stack(List.of(t(List.of(1.0)), t(List.of(1.0, 2.0))), 0));
        assertEquals("stack: tensor shapes [1] and [2] differ", e2.getMessage());
    }

    @Test
    void float64KeepsPrecision() {
        Tensor d = Tensors.of(List.of(1.0, 1e-10), DType.FLOAT64);
        assertEquals(1.0 + 1e-10, d.sum().item(), 1e-16);
        assertEquals(DType.FLOAT64, d.exp().dtype());
        assertEquals(DType.FLOAT64, d.std(null, false).dtype());
        Tensor f = Tensors.of(List.of(1.0, 1e-10));
        assertEquals(1.0, f.sum().item(), 0.0); // float32 loses the small term
    }

    @Test
    void scalarsAndLists() {
        assertEquals(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)), t(List.of(List.of(1, 2), List.of(3, 4))).toNestedList());
        assertEquals(List.of(0.1, 0.2), t(List.of(0.1, 0.2)).toNestedList());
        assertEquals(List.of(1L, 2L), Tensors.of(List.of(1, 2), DType.INT64).toNestedList());
        assertEquals(2.5, Tensors.of(2.5).toNestedList());
        assertThrows(TensorException.class, () -> A.item());
        assertEquals(7L, Tensors.of(7.0).itemLong());
        assertTrue(Tensors.of(true).itemBoolean());
    }

    @Test
    void formatsForTheRepl() {
        assertEquals("tensor([[1.0, 2.0], [3.0, 4.0]])".replace("], ", "],\n        "),
                t(List.of(List.of(1, 2), List.of(3, 4))).format());
        assertEquals("tensor([1.0, 2.5])", t(List.of(1, 2.5)).toString());
        assertEquals("tensor(3.0)", Tensors.of(3).format());
        assertEquals("tensor([1, 2], dtype=int64)", Tensors.of(List.of(1, 2), DType.INT64).format());
        assertEquals("tensor([true, false], dtype=bool)", t(List.of(true, false)).format());
        assertEquals("tensor([], shape=[0])", Tensors.arange(0, 0, 1).format());
        String big = Tensors.arange(0, 2000, 1).format();
        assertEquals("tensor([0.0, 1.0, 2.0, ..., 1997.0, 1998.0, 1999.0], shape=[2000])", big);
        String big2 = Tensors.zeros(100, 100).format();
        assertTrue(big2.endsWith("shape=[100, 100])"), big2);
        assertTrue(big2.length() < 400, big2);
    }
}
