package dev.rlx.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic done in Java before calling DJL, so errors can name the operation and both shapes. */
final class Shapes {
    private Shapes() {}

    static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** NumPy broadcasting: align from the right, each pair equal or one of them 1. */
    static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new TensorException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Resolves a possibly negative axis against {@code rank}. */
    static int axis(String op, int axis, int rank, long[] shape) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new TensorException(op + ": axis " + axis + " is out of range for shape " + str(shape));
        }
        return a;
    }

    static int[] allAxes(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        return axes;
    }

    static void requireSame(String op, String what, long[] a, long[] b) {
        if (!Arrays.equals(a, b)) {
            throw new TensorException(op + ": " + what + " shapes " + str(a) + " and " + str(b) + " differ");
        }
    }
}
