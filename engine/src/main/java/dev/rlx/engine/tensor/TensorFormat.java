package dev.rlx.engine.tensor;

import java.util.ArrayList;
import java.util.List;

/** Turns tensors into nested lists (for JSON) and into REPL text. */
final class TensorFormat {
    /** Above this many elements the text form elides the middle of every long axis. */
    static final long SUMMARY_THRESHOLD = 1000;
    /** Elements shown at each end of an elided axis. */
    static final int EDGE = 3;

    private TensorFormat() {}

    static Object nested(Tensor t) {
        Object[] flat = elements(t);
        long[] shape = t.shape();
        if (shape.length == 0) return flat[0];
        return build(flat, shape, 0, 0);
    }

    private static Object build(Object[] flat, long[] shape, int dim, int offset) {
        int n = (int) shape[dim];
        int stride = (int) stride(shape, dim);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(dim == shape.length - 1 ? flat[offset + i] : build(flat, shape, dim + 1, offset + i * stride));
        }
        return out;
    }

    private static long stride(long[] shape, int dim) {
        long s = 1;
        for (int d = dim + 1; d < shape.length; d++) s *= shape[d];
        return s;
    }

    /** Boxed elements in row-major order: Double, Long or Boolean. */
    private static Object[] elements(Tensor t) {
        var a = t.ndarray();
        int n = (int) t.size();
        Object[] out = new Object[n];
        switch (t.dtype()) {
            case FLOAT32 -> {
                float[] v = a.toFloatArray();
                for (int i = 0; i < n; i++) out[i] = widen(v[i]);
            }
            case FLOAT64 -> {
                double[] v = a.toDoubleArray();
                for (int i = 0; i < n; i++) out[i] = v[i];
            }
            case INT64 -> {
                long[] v = a.toLongArray();
                for (int i = 0; i < n; i++) out[i] = v[i];
            }
            case BOOL -> {
                boolean[] v = a.toBooleanArray();
                for (int i = 0; i < n; i++) out[i] = v[i];
            }
        }
        return out;
    }

    private static Double widen(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) return (double) f;
        return Double.parseDouble(Float.toString(f));
    }

    static String format(Tensor t) {
        Object[] flat = elements(t);
        long[] shape = t.shape();
        boolean summarize = t.size() > SUMMARY_THRESHOLD;
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.length == 0) {
            sb.append(text(flat[0]));
        } else {
            appendDim(sb, flat, shape, 0, 0, summarize, 7);
        }
        if (summarize || t.size() == 0) sb.append(", shape=").append(Shapes.str(shape));
        if (t.dtype() != DType.FLOAT32) sb.append(", dtype=").append(t.dtype().displayName());
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, Object[] flat, long[] shape, int dim, int offset, boolean summarize, int indent) {
        int n = (int) shape[dim];
        int stride = (int) stride(shape, dim);
        boolean elide = summarize && n > 2 * EDGE;
        boolean last = dim == shape.length - 1;
        String sep = last ? ", " : ",\n" + " ".repeat(indent + dim + 1);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (elide && i == EDGE) {
                sb.append("...").append(sep);
                i = n - EDGE;
            }
            if (last) sb.append(text(flat[offset + i]));
            else appendDim(sb, flat, shape, dim + 1, offset + i * stride, summarize, indent);
            if (i < n - 1) sb.append(sep);
        }
        sb.append(']');
    }

    static String text(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN()) return "nan";
            if (d.isInfinite()) return d > 0 ? "inf" : "-inf";
            return d.toString().replace("E", "e");
        }
        return String.valueOf(v);
    }
}
