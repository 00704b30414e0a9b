package dev.rlx.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions shared by the tensor tests. */
final class Check {
    private Check() {}

    static void close(Tensor actual, double tol, long[] shape, double... expected) {
        assertArrayEquals(shape, actual.shape(), "shape");
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], tol, "element " + i + " of " + actual);
        }
    }

    static long[] s(long... dims) {
        return dims;
    }
}
