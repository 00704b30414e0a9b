package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;

/** {@link Tensor}'s values copied out to Java: the one element of a scalar, or all of them as doubles. */
final class TensorConversions {
    private TensorConversions() {}

    static double item(Tensor t) {
        requireScalar(t, "item");
        NDArray array = t.ndarray();
        return switch (t.dtype()) {
            case FLOAT32 -> array.toFloatArray()[0];
            case FLOAT64 -> array.toDoubleArray()[0];
            case INT64 -> array.toLongArray()[0];
            case BOOL -> array.toBooleanArray()[0] ? 1.0 : 0.0;
        };
    }

    static long itemLong(Tensor t) {
        requireScalar(t, "item");
        return t.dtype() == DType.INT64 ? t.ndarray().toLongArray()[0] : (long) item(t);
    }

    static boolean itemBoolean(Tensor t) {
        requireScalar(t, "item");
        return t.dtype() == DType.BOOL ? t.ndarray().toBooleanArray()[0] : item(t) != 0.0;
    }

    private static void requireScalar(Tensor t, String op) {
        if (t.size() != 1) throw new TensorException(op + ": expected a tensor with one element, got shape " + Shapes.str(t.shape()));
    }

    static double[] toDoubleArray(Tensor t) {
        NDArray array = t.ndarray();
        return switch (t.dtype()) {
            case FLOAT64 -> array.toDoubleArray();
            case FLOAT32 -> {
                float[] f = array.toFloatArray();   // widen in Java: no native cast, no temporary
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) d[i] = f[i];
                yield d;
            }
            case INT64 -> {
                long[] l = array.toLongArray();
                double[] d = new double[l.length];
                for (int i = 0; i < l.length; i++) d[i] = l[i];
                yield d;
            }
            case BOOL -> {
                boolean[] b = array.toBooleanArray();
                double[] d = new double[b.length];
                for (int i = 0; i < b.length; i++) d[i] = b[i] ? 1.0 : 0.0;
                yield d;
            }
        };
    }
}
