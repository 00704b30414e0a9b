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

    /**
     * The most elements one tensor a script makes may hold: 2^30 (4 GiB as float32, 8 GiB as float64/int64).
     * Checked before allocating, so a script asking for more gets an error naming the operation and the shape
     * instead of the process dying out of memory. The engine's own tensors (models, batches) are not capped.
     */
    static final long MAX_ELEMENTS = 1L << 30;

    /** Refuses {@code shape} when its element count passes {@link #MAX_ELEMENTS} (or overflows a long); op may be null. */
    static void checkSize(String op, long[] shape) {
        long n = 1;
        boolean over = false;
        for (long d : shape) {
            if (d == 0) return;
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                over = true;
            }
        }
        if (over || n > MAX_ELEMENTS) {
            throw new TensorException((op == null ? "" : op + ": ") + "shape " + str(shape) + " would hold "
                    + (over ? "more than 9.2e18" : String.format(java.util.Locale.ROOT, "%.3g", (double) n))
                    + " elements; one tensor may hold at most " + MAX_ELEMENTS + " (2^30, 4 GiB as float32)");
        }
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
        checkSize(op, out);
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
