package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.List;

/** Creating tensors, ops over several tensors, and gradient recording. */
public final class Tensors {
    private Tensors() {}

    /** Wraps an NDArray made by engine code, handing it to the current scope. */
    public static Tensor wrap(NDArray array) {
        DType.of(array.getDataType()); // reject dtypes rlx does not model
        return Tensor.owned(array);
    }

    /** Opens a gradient recording; see {@link GradientRecording}. */
    public static GradientRecording recordGradients() {
        return GradientRecording.start();
    }

    private static NDManager manager() {
        return TensorScope.current().manager();
    }

    // ---------------------------------------------------------------- from Java values

    /**
     * A tensor from a number, a Boolean, or nested {@code List}s of them. All-Boolean input gives a bool
     * tensor, anything else float32.
     */
    public static Tensor of(Object nested) {
        return of(nested, null);
    }

    /** Like {@link #of(Object)} with an explicit dtype (null = infer). */
    public static Tensor of(Object nested, DType dtype) {
        List<Long> dims = new ArrayList<>();
        Object probe = nested;
        while (probe instanceof List<?> l) {
            dims.add((long) l.size());
            if (l.isEmpty()) break;
            probe = l.get(0);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        int n = (int) Shapes.numel(shape);
        Object[] flat = new Object[n];
        int[] count = {0};
        boolean[] allBool = {true};
        flatten(nested, shape, 0, new ArrayList<>(), flat, count, allBool);
        DType t = dtype != null ? dtype : (allBool[0] && n > 0 ? DType.BOOL : DType.FLOAT32);
        return fromBoxed(flat, shape, t);
    }

    private static void flatten(Object v, long[] shape, int dim, List<Integer> path, Object[] flat, int[] count, boolean[] allBool) {
        if (dim == shape.length) {
            if (v instanceof List<?>) {
                throw new TensorException("tensor: ragged nested list: expected a number at " + path + ", got a list");
            }
            if (!(v instanceof Number) && !(v instanceof Boolean)) {
                throw new TensorException("tensor: expected a number at " + path + ", got " + (v == null ? "none" : v.getClass().getSimpleName()));
            }
            if (!(v instanceof Boolean)) allBool[0] = false;
            flat[count[0]++] = v;
            return;
        }
        if (!(v instanceof List<?> l)) {
            throw new TensorException("tensor: ragged nested list: expected a list of " + shape[dim] + " at " + path + ", got a number");
        }
        if (l.size() != shape[dim]) {
            throw new TensorException("tensor: ragged nested list: expected " + shape[dim] + " elements at " + path + ", got " + l.size());
        }
        for (int i = 0; i < l.size(); i++) {
            path.add(i);
            flatten(l.get(i), shape, dim + 1, path, flat, count, allBool);
            path.remove(path.size() - 1);
        }
    }

    private static Tensor fromBoxed(Object[] flat, long[] shape, DType t) {
        int n = flat.length;
        Shape s = new Shape(shape);
        NDArray a = switch (t) {
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) asDouble(flat[i]);
                yield HostArrays.of(manager(), v, s);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = asDouble(flat[i]);
                yield HostArrays.of(manager(), v, s);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    double d = asDouble(flat[i]);
                    if (d != Math.rint(d)) throw new TensorException("tensor: " + flat[i] + " is not an integer (dtype int64)");
                    v[i] = flat[i] instanceof Long l ? l : (long) d;
                }
                yield HostArrays.of(manager(), v, s);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = flat[i] instanceof Boolean b ? b : asDouble(flat[i]) != 0.0;
                yield HostArrays.of(manager(), v, s);
            }
        };
        return new Tensor(a);
    }

    private static double asDouble(Object o) {
        if (o instanceof Boolean b) return b ? 1.0 : 0.0;
        return ((Number) o).doubleValue();
    }

    public static Tensor scalar(double v) {
        return new Tensor(HostArrays.scalar(manager(), v, DType.FLOAT32.djl()));
    }

    public static Tensor scalar(double v, DType t) {
        return of(v, t);
    }

    /** float32 values in row-major order with the given shape (no copy of semantics, one bulk create). */
    public static Tensor fromFloats(float[] data, long... shape) {
        checkData(data.length, shape);
        return new Tensor(HostArrays.of(manager(), data, new Shape(shape)));
    }

    public static Tensor fromDoubles(double[] data, long... shape) {
        checkData(data.length, shape);
        return new Tensor(HostArrays.of(manager(), data, new Shape(shape)));
    }

    public static Tensor fromLongs(long[] data, long... shape) {
        checkData(data.length, shape);
        return new Tensor(HostArrays.of(manager(), data, new Shape(shape)));
    }

    private static void checkData(int n, long[] shape) {
        if (Shapes.numel(shape) != n) {
            throw new TensorException("tensor: " + n + " values do not fill shape " + Shapes.str(shape));
        }
    }

    // ---------------------------------------------------------------- filled

    public static Tensor zeros(long... shape) { return full(shape, 0.0, DType.FLOAT32); }
    public static Tensor ones(long... shape) { return full(shape, 1.0, DType.FLOAT32); }
    public static Tensor zeros(long[] shape, DType t) { return full(shape, 0.0, t); }
    public static Tensor ones(long[] shape, DType t) { return full(shape, 1.0, t); }
    public static Tensor full(long[] shape, double v) { return full(shape, v, DType.FLOAT32); }

    public static Tensor full(long[] shape, double v, DType t) {
        for (long d : shape) {
            if (d < 0) throw new TensorException("full: negative dimension in shape " + Shapes.str(shape));
        }
        Shapes.checkSize(null, shape); // the builtin that called (zeros, ones, full) names itself
        // libtorch fills the array itself: no Java buffer, no view of a 0-d array (HostArrays says why)
        NDArray out = JniUtils.full((PtNDManager) manager(), new Shape(shape), t == DType.BOOL ? (v != 0.0 ? 1.0 : 0.0) : v,
                t.djl(), manager().getDevice(), SparseFormat.DENSE);
        return Tensor.owned(out);
    }

    /** Values start, start+step, ... below stop (above, for a negative step), float32 unless given. */
    public static Tensor arange(double start, double stop, double step) {
        return arange(start, stop, step, DType.FLOAT32);
    }

    public static Tensor arange(double start, double stop, double step, DType t) {
        if (step == 0) throw new TensorException("arange: step must not be 0");
        long n = Math.max(0, (long) Math.ceil((stop - start) / step));
        if (t == DType.BOOL) throw new TensorException("arange: dtype bool is not supported");
        Shapes.checkSize(null, new long[] {n});
        // computed in double in Java so that float32 and float64 agree on the count and values
        return switch (t) {
            case FLOAT32 -> {
                float[] v = new float[(int) n];
                for (int i = 0; i < n; i++) v[i] = (float) (start + i * step);
                yield fromFloats(v, n);
            }
            case FLOAT64 -> {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) v[i] = start + i * step;
                yield fromDoubles(v, n);
            }
            default -> {
                long[] v = new long[(int) n];
                for (int i = 0; i < n; i++) v[i] = (long) Math.floor(start + i * step);
                yield fromLongs(v, n);
            }
        };
    }

    // ---------------------------------------------------------------- several tensors

    /** Element-wise {@code cond ? a : b} with broadcasting; cond must be bool. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new TensorException("where: condition must be a bool tensor, got " + cond.dtype().displayName());
        }
        long[] ab = Shapes.broadcast("where", a.shape(), b.shape());
        long[] all = Shapes.broadcast("where", cond.shape(), ab);
        DType t = DType.max(a.dtype(), b.dtype());
        // DJL's where does not broadcast: expand all three to the common shape first (views, no copies)
        try (TensorScope tmp = TensorScope.open()) {
            Tensor c = expand(cond, all), x = expand(a, all), y = expand(b, all);
            return tmp.keep(Tensor.owned(NDArrays.where(c.ndarray(), x.as(t), y.as(t))));
        }
    }

    private static Tensor expand(Tensor x, long[] shape) {
        return java.util.Arrays.equals(x.shape(), shape) ? x : x.broadcastTo(shape);
    }

    public static Tensor where(Tensor cond, Tensor a, double b) {
        return where(cond, a, of(b, a.dtype().isFloating() ? a.dtype() : DType.FLOAT32));
    }

    public static Tensor where(Tensor cond, double a, Tensor b) {
        return where(cond, of(a, b.dtype().isFloating() ? b.dtype() : DType.FLOAT32), b);
    }

    /** Joins tensors along an existing axis; the other dimensions must agree. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new TensorException("concat: needs at least one tensor");
        long[] first = parts.get(0).shape();
        int a = Shapes.axis("concat", axis, first.length, first);
        DType t = parts.get(0).dtype();
        for (Tensor p : parts) {
            long[] s = p.shape();
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) ok = d == a || s[d] == first[d];
            if (!ok) {
                throw new TensorException("concat: shapes " + Shapes.str(first) + " and " + Shapes.str(s) + " do not match outside axis " + axis);
            }
            t = DType.max(t, p.dtype());
        }
        return Tensor.owned(NDArrays.concat(arrays(parts, t), a));
    }

    /** Joins same-shaped tensors along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new TensorException("stack: needs at least one tensor");
        long[] first = parts.get(0).shape();
        int a = Shapes.axis("stack", axis, first.length + 1, first);
        DType t = parts.get(0).dtype();
        for (Tensor p : parts) {
            Shapes.requireSame("stack", "tensor", first, p.shape());
            t = DType.max(t, p.dtype());
        }
        return Tensor.owned(NDArrays.stack(arrays(parts, t), a));
    }

    private static NDList arrays(List<Tensor> parts, DType t) {
        NDList list = new NDList(parts.size());
        for (Tensor p : parts) list.add(p.as(t));
        return list;
    }
}
