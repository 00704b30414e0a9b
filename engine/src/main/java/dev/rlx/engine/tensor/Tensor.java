package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * An immutable tensor value: a handle over a DJL NDArray. No method changes the values of an existing
 * tensor; every op returns a new tensor owned by the innermost {@link TensorScope}.
 *
 * <p>Dtypes are float32 (the default), float64, int64 and bool (see {@link DType}); binary ops promote
 * the way PyTorch does. Ops called inside a {@link GradientRecording} are recorded for back-propagation.
 * Creation and n-ary ops live in {@link Tensors}; RL primitives in {@link Masked}, {@link Returns} and
 * {@link Groups}.
 */
public final class Tensor {
    private final NDArray array;

    /** Wraps an array already owned by the right scope. Use {@link Tensors#wrap} from engine code. */
    Tensor(NDArray array) {
        this.array = array;
    }

    static Tensor owned(NDArray array) {
        return new Tensor(TensorScope.own(array));
    }

    /** The underlying NDArray, for engine code (models, samplers). Do not close or mutate it. */
    public NDArray ndarray() {
        return array;
    }

    // ---------------------------------------------------------------- facts

    public long[] shape() {
        return array.getShape().getShape();
    }

    public int rank() {
        return array.getShape().dimension();
    }

    public long size() {
        return array.getShape().size();
    }

    public DType dtype() {
        return DType.of(array.getDataType());
    }

    /** Whether this tensor's native memory was freed (its scope closed). */
    public boolean isReleased() {
        return array.isReleased();
    }

    // ---------------------------------------------------------------- element-wise arithmetic

    public Tensor add(Tensor o) { return arith("add", o, Op.ADD); }
    public Tensor sub(Tensor o) { return arith("sub", o, Op.SUB); }
    public Tensor mul(Tensor o) { return arith("mul", o, Op.MUL); }
    public Tensor div(Tensor o) { return arith("div", o, Op.DIV); }
    public Tensor pow(Tensor o) { return arith("pow", o, Op.POW); }
    public Tensor maximum(Tensor o) { return arith("maximum", o, Op.MAX); }
    public Tensor minimum(Tensor o) { return arith("minimum", o, Op.MIN); }

    public Tensor add(double v) { return scalarArith(v, Op.ADD, false); }
    public Tensor sub(double v) { return scalarArith(v, Op.SUB, false); }
    public Tensor mul(double v) { return scalarArith(v, Op.MUL, false); }
    public Tensor div(double v) { return scalarArith(v, Op.DIV, false); }
    public Tensor pow(double v) { return scalarArith(v, Op.POW, false); }
    public Tensor maximum(double v) { return scalarArith(v, Op.MAX, false); }
    public Tensor minimum(double v) { return scalarArith(v, Op.MIN, false); }
    /** {@code v - this}: for {@code number - tensor} in .rlx. */
    public Tensor rsub(double v) { return scalarArith(v, Op.SUB, true); }
    /** {@code v / this}. */
    public Tensor rdiv(double v) { return scalarArith(v, Op.DIV, true); }
    /** {@code v ^ this}. */
    public Tensor rpow(double v) { return scalarArith(v, Op.POW, true); }

    public Tensor neg() {
        return owned(numeric("neg").neg());
    }

    private enum Op { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    private Tensor arith(String name, Tensor o, Op op) {
        Shapes.broadcast(name, shape(), o.shape());
        DType t = DType.max(DType.max(dtype(), o.dtype()), DType.INT64);
        if (op == Op.DIV) t = DType.max(t, DType.FLOAT32); // true division, as in Python
        NDArray a = as(t), b = o.as(t);
        NDArray r = switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> a.pow(b);
            case MAX -> a.maximum(b);
            case MIN -> a.minimum(b);
        };
        return owned(r);
    }

    private Tensor scalarArith(double v, Op op, boolean reversed) {
        boolean integral = v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15;
        DType t = DType.max(dtype(), integral ? DType.INT64 : DType.FLOAT32);
        if (op == Op.DIV || (op == Op.POW && v < 0 && !reversed)) t = DType.max(t, DType.FLOAT32);
        // The number becomes a 0-d tensor of the same dtype and goes through the tensor-tensor path:
        // DJL's NDArray.add(Number) family yields results that silently break the autograd graph of
        // later ops (found by ScopeAndGradientTest), and a 0-d operand never changes dtype or shape.
        Tensor a = t == dtype() ? this : new Tensor(as(t));
        Tensor c = new Tensor(TensorScope.own(scalarArray(v, t)));
        String name = op.name().toLowerCase(java.util.Locale.ROOT);
        return reversed ? c.arith(name, a, op) : a.arith(name, c, op);
    }

    private static NDArray scalarArray(double v, DType t) {
        var m = TensorScope.current().manager();
        return switch (t) {
            case FLOAT32 -> m.create((float) v);
            case FLOAT64 -> m.create(v);
            case INT64 -> m.create((long) v);
            case BOOL -> m.create(v != 0.0);
        };
    }

    /** This array converted to {@code t}; the conversion (if any) is owned by the current scope. */
    NDArray as(DType t) {
        if (dtype() == t) return array;
        if (dtype() == DType.FLOAT32 && t == DType.FLOAT64) {
            // DJL's toType detaches from the autograd graph; multiplying by a float64 [1] of ones
            // promotes the same way and keeps the gradient (a 0-d operand would not promote).
            NDArray one = TensorScope.own(TensorScope.current().manager().create(new double[] {1.0}));
            NDArray up = TensorScope.own(array.mul(one));
            return rank() == 0 ? TensorScope.own(up.reshape(new Shape())) : up;
        }
        return TensorScope.own(array.toType(t.djl(), false));
    }

    private NDArray numeric(String op) {
        if (dtype() == DType.BOOL) return as(DType.INT64);
        return array;
    }

    private NDArray floating(String op) {
        return dtype().isFloating() ? array : as(DType.FLOAT32);
    }

    // ---------------------------------------------------------------- comparisons and logic

    public Tensor lt(Tensor o) { return compare("lt", o); }
    public Tensor le(Tensor o) { return compare("le", o); }
    public Tensor gt(Tensor o) { return compare("gt", o); }
    public Tensor ge(Tensor o) { return compare("ge", o); }
    public Tensor eq(Tensor o) { return compare("eq", o); }
    public Tensor ne(Tensor o) { return compare("ne", o); }

    public Tensor lt(double v) { return compare("lt", v); }
    public Tensor le(double v) { return compare("le", v); }
    public Tensor gt(double v) { return compare("gt", v); }
    public Tensor ge(double v) { return compare("ge", v); }
    public Tensor eq(double v) { return compare("eq", v); }
    public Tensor ne(double v) { return compare("ne", v); }

    private Tensor compare(String name, Tensor o) {
        Shapes.broadcast(name, shape(), o.shape());
        DType t = DType.max(dtype(), o.dtype());
        return owned(cmp(name, as(t), o.as(t)));
    }

    private Tensor compare(String name, double v) {
        // compare in floating point so that `ints < 2.5` means what it says
        NDArray a = dtype() == DType.FLOAT64 ? array : as(DType.FLOAT32);
        NDArray b = TensorScope.own(TensorScope.current().manager().create(v).toType(a.getDataType(), false));
        return owned(cmp(name, a, b));
    }

    private static NDArray cmp(String name, NDArray a, NDArray b) {
        return switch (name) {
            case "lt" -> a.lt(b);
            case "le" -> a.lte(b);
            case "gt" -> a.gt(b);
            case "ge" -> a.gte(b);
            case "eq" -> a.eq(b);
            case "ne" -> a.neq(b);
            default -> throw new IllegalStateException(name);
        };
    }

    public Tensor and(Tensor o) {
        Shapes.broadcast("and", shape(), o.shape());
        return owned(bool("and").logicalAnd(o.bool("and")));
    }

    public Tensor or(Tensor o) {
        Shapes.broadcast("or", shape(), o.shape());
        return owned(bool("or").logicalOr(o.bool("or")));
    }

    public Tensor not() {
        return owned(bool("not").logicalNot());
    }

    private NDArray bool(String op) {
        if (dtype() != DType.BOOL) {
            throw new TensorException(op + ": expected a bool tensor, got " + dtype().displayName() + " " + Shapes.str(shape()));
        }
        return array;
    }

    // ---------------------------------------------------------------- unary math

    public Tensor exp() { return owned(floating("exp").exp()); }
    public Tensor log() { return owned(floating("log").log()); }
    public Tensor sqrt() { return owned(floating("sqrt").sqrt()); }
    public Tensor abs() { return owned(numeric("abs").abs()); }

    public Tensor sigmoid() {
        return owned(floating("sigmoid").getNDArrayInternal().sigmoid());
    }

    /**
     * log(sigmoid(x)) without overflow: {@code min(x, 0) - log(1 + exp(-|x|))}. exp never sees a positive
     * argument, so large |x| neither overflows nor loses the result to log(0).
     */
    public Tensor logSigmoid() {
        try (TensorScope tmp = TensorScope.open()) {
            Tensor x = dtype().isFloating() ? this : toType(DType.FLOAT32);
            Tensor r = x.minimum(0.0).sub(x.abs().neg().exp().add(1.0).log());
            return tmp.keep(r);
        }
    }

    /** Clamps to [min, max]; either bound may be null (unbounded on that side). */
    public Tensor clamp(Double min, Double max) {
        if (min != null && max != null && min > max) {
            throw new TensorException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor r = this;
        if (min != null) r = r.maximum(min);
        if (max != null) r = r.minimum(max);
        return r == this ? owned(array.duplicate()) : r;
    }

    public Tensor softmax(int axis) {
        int a = Shapes.axis("softmax", axis, rank(), shape());
        return owned(floating("softmax").softmax(a));
    }

    public Tensor logSoftmax(int axis) {
        int a = Shapes.axis("log_softmax", axis, rank(), shape());
        return owned(floating("log_softmax").logSoftmax(a));
    }

    /**
     * Converts the element type. float32 to float64 keeps gradients; narrowing float64 to float32 and
     * conversions to int64/bool are cut from the gradient graph (DJL's cast detaches).
     */
    public Tensor toType(DType t) {
        if (t == dtype()) return this;
        NDArray r = as(t);
        return r == array ? this : new Tensor(r);
    }

    // ---------------------------------------------------------------- reductions (axis null = all)

    public Tensor sum() { return sum(null, false); }
    public Tensor mean() { return mean(null, false); }
    public Tensor max() { return max(null, false); }
    public Tensor min() { return min(null, false); }

    public Tensor sum(Integer axis, boolean keep) {
        NDArray a = numeric("sum");
        if (axis == null) return owned(keepAll(a.sum(), keep));
        return owned(a.sum(axes("sum", axis), keep));
    }

    public Tensor mean(Integer axis, boolean keep) {
        if (axis == null) return owned(keepAll(floating("mean").mean(), keep));
        return owned(floating("mean").mean(axes("mean", axis), keep));
    }

    public Tensor max(Integer axis, boolean keep) {
        requireNonEmpty("max");
        if (axis == null) return owned(keepAll(numeric("max").max(), keep));
        return owned(numeric("max").max(axes("max", axis), keep));
    }

    public Tensor min(Integer axis, boolean keep) {
        requireNonEmpty("min");
        if (axis == null) return owned(keepAll(numeric("min").min(), keep));
        return owned(numeric("min").min(axes("min", axis), keep));
    }

    /** Unbiased variance (divides by n-1). */
    public Tensor var(Integer axis, boolean keep) {
        return var(axis, keep, true);
    }

    /** Variance; {@code unbiased} divides by n-1, else by n. */
    public Tensor var(Integer axis, boolean keep, boolean unbiased) {
        int[] ax = axes("var", axis);
        long n = 1;
        for (int a : ax) n *= shape()[a];
        try (TensorScope tmp = TensorScope.open()) {
            Tensor x = dtype().isFloating() ? this : toType(DType.FLOAT32);
            Tensor centered = x.sub(x.mean(axis, true));
            Tensor sq = centered.mul(centered);
            Tensor r = sq.sum(axis, keep).div((double) (unbiased ? n - 1 : n));
            return tmp.keep(r);
        }
    }

    /** Unbiased standard deviation. */
    public Tensor std(Integer axis, boolean keep) {
        return std(axis, keep, true);
    }

    public Tensor std(Integer axis, boolean keep, boolean unbiased) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(var(axis, keep, unbiased).sqrt());
        }
    }

    /** DJL's max/min take one axis only: reduce everything, then restore the size-1 dims if asked. */
    private NDArray keepAll(NDArray scalar, boolean keep) {
        if (!keep) return scalar;
        long[] ones = new long[rank()];
        java.util.Arrays.fill(ones, 1);
        return TensorScope.own(scalar).reshape(new Shape(ones));
    }

    private int[] axes(String op, Integer axis) {
        if (axis == null) return Shapes.allAxes(rank());
        return new int[] {Shapes.axis(op, axis, rank(), shape())};
    }

    private void requireNonEmpty(String op) {
        if (size() == 0) throw new TensorException(op + ": empty tensor " + Shapes.str(shape()) + " has no " + op);
    }

    // ---------------------------------------------------------------- shape ops

    /** Reshape; one dimension may be -1 (inferred). */
    public Tensor reshape(long... newShape) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (infer >= 0) throw new TensorException("reshape: only one dimension can be -1 in " + Shapes.str(newShape));
                infer = i;
            } else if (newShape[i] < 0) {
                throw new TensorException("reshape: negative dimension in " + Shapes.str(newShape));
            } else {
                known *= newShape[i];
            }
        }
        long[] target = newShape.clone();
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new TensorException("reshape: cannot reshape " + Shapes.str(shape()) + " (" + size() + " elements) to " + Shapes.str(newShape));
            }
            target[infer] = size() / known;
        } else if (known != size()) {
            throw new TensorException("reshape: cannot reshape " + Shapes.str(shape()) + " (" + size() + " elements) to " + Shapes.str(newShape));
        }
        return owned(array.reshape(new Shape(target)));
    }

    /** Permutes the axes; with no argument reverses them (matrix transpose for rank 2). */
    public Tensor transpose(int... perm) {
        int r = rank();
        if (perm.length == 0) {
            perm = new int[r];
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        }
        if (perm.length != r) {
            throw new TensorException("transpose: permutation " + java.util.Arrays.toString(perm) + " does not match shape " + Shapes.str(shape()));
        }
        int[] p = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shapes.axis("transpose", perm[i], r, shape());
            if (seen[p[i]]) throw new TensorException("transpose: axis " + perm[i] + " repeated in " + java.util.Arrays.toString(perm));
            seen[p[i]] = true;
        }
        return owned(array.transpose(p));
    }

    public Tensor swapAxes(int a, int b) {
        int x = Shapes.axis("transpose", a, rank(), shape());
        int y = Shapes.axis("transpose", b, rank(), shape());
        return owned(array.swapAxes(x, y));
    }

    /** Adds a size-1 axis at {@code axis} (negative counts from the end of the result). */
    public Tensor expandDims(int axis) {
        int a = Shapes.axis("expand_dims", axis, rank() + 1, shape());
        return owned(array.expandDims(a));
    }

    /** Element {@code i} along axis 0 (negative counts from the end); the result has rank - 1. */
    public Tensor index(long i) {
        if (rank() == 0) throw new TensorException("index: cannot index a scalar tensor");
        long n = shape()[0];
        long j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) {
            throw new TensorException("index: index " + i + " is out of range for axis 0 of shape " + Shapes.str(shape()));
        }
        return owned(array.get(j));
    }

    /**
     * Python slice {@code [start:stop]} along {@code axis}: null means the end, negatives count from the
     * end, out-of-range bounds are clipped, and stop <= start gives an empty axis.
     */
    public Tensor slice(int axis, Long start, Long stop) {
        int a = Shapes.axis("slice", axis, rank(), shape());
        long n = shape()[a];
        long s = clip(start == null ? 0 : start, n);
        long e = clip(stop == null ? n : stop, n);
        if (e < s) e = s;
        NDIndex idx = new NDIndex();
        for (int i = 0; i < a; i++) idx.addAllDim();
        idx.addSliceDim(s, e);
        return owned(array.get(idx));
    }

    private static long clip(long i, long n) {
        long j = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, j));
    }

    /** torch.gather: {@code out[i][j] = x[i][index[i][j]]} for axis 1 (and so on). */
    public Tensor gather(int axis, Tensor index) {
        int a = Shapes.axis("gather", axis, rank(), shape());
        long[] xs = shape(), is = index.shape();
        boolean ok = xs.length == is.length;
        for (int d = 0; ok && d < xs.length; d++) ok = d == a || is[d] <= xs[d];
        if (!ok) {
            throw new TensorException("gather: index shape " + Shapes.str(is) + " does not fit shape " + Shapes.str(xs) + " along axis " + axis);
        }
        if (index.dtype() == DType.FLOAT32 || index.dtype() == DType.FLOAT64 || index.dtype() == DType.BOOL) {
            index = index.toType(DType.INT64);
        }
        return owned(array.gather(index.array, a));
    }

    public Tensor cumsum(int axis) {
        int a = Shapes.axis("cumsum", axis, rank(), shape());
        return owned(numeric("cumsum").cumSum(a));
    }

    public Tensor flip(int axis) {
        int a = Shapes.axis("flip", axis, rank(), shape());
        return owned(array.flip(a));
    }

    /** Broadcasts to {@code target} (NumPy rules). */
    public Tensor broadcastTo(long... target) {
        long[] b = Shapes.broadcast("broadcast", shape(), target);
        if (!java.util.Arrays.equals(b, target)) {
            throw new TensorException("broadcast: shape " + Shapes.str(shape()) + " cannot broadcast to " + Shapes.str(target));
        }
        return owned(array.broadcast(new Shape(target)));
    }

    // ---------------------------------------------------------------- gradients

    /** The same values, cut from the gradient graph: no gradient flows back through the result. */
    public Tensor stopGradient() {
        return owned(array.stopGradient());
    }

    /**
     * A new leaf tensor with the same values that requires a gradient: ops on it inside a
     * {@link GradientRecording} are recorded, and after {@code backward} its {@link #gradient()} holds
     * d(loss)/d(this). Gradients accumulate over several backward calls on the same leaf.
     */
    public Tensor withGrad() {
        if (!dtype().isFloating()) {
            throw new TensorException("with_grad: only float tensors can require a gradient, got " + dtype().displayName());
        }
        NDArray leaf = TensorScope.own(array.stopGradient());
        leaf.setRequiresGradient(true);
        return new Tensor(leaf);
    }

    /** Whether this tensor is a leaf made by {@link #withGrad()}. */
    public boolean requiresGrad() {
        return array.hasGradient();
    }

    /** The accumulated gradient of a {@link #withGrad()} leaf (a copy; zeros before any backward). */
    public Tensor gradient() {
        if (!array.hasGradient()) {
            throw new TensorException("gradient: this tensor does not require a gradient (make it with with_grad)");
        }
        NDArray g = TensorScope.own(array.getGradient());
        return owned(g.duplicate());
    }

    static boolean recording() {
        return JniUtils.isGradMode();
    }

    // ---------------------------------------------------------------- scalars, lists, text

    /** The only element as a double (any dtype; bool gives 0/1). */
    public double item() {
        requireScalar("item");
        return switch (dtype()) {
            case FLOAT32 -> array.toFloatArray()[0];
            case FLOAT64 -> array.toDoubleArray()[0];
            case INT64 -> array.toLongArray()[0];
            case BOOL -> array.toBooleanArray()[0] ? 1.0 : 0.0;
        };
    }

    public long itemLong() {
        requireScalar("item");
        return dtype() == DType.INT64 ? array.toLongArray()[0] : (long) item();
    }

    public boolean itemBoolean() {
        requireScalar("item");
        return dtype() == DType.BOOL ? array.toBooleanArray()[0] : item() != 0.0;
    }

    private void requireScalar(String op) {
        if (size() != 1) throw new TensorException(op + ": expected a tensor with one element, got shape " + Shapes.str(shape()));
    }

    /** The values in row-major order as doubles (a copy). */
    public double[] toDoubleArray() {
        return switch (dtype()) {
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

    /**
     * Nested {@code java.util.List}s of Double (float dtypes), Long (int64) or Boolean (bool), for JSON;
     * a rank-0 tensor gives the bare element. float32 values are widened through their shortest decimal
     * form, so 0.1f becomes 0.1 rather than 0.10000000149011612.
     */
    public Object toNestedList() {
        return TensorFormat.nested(this);
    }

    /** REPL form, e.g. {@code tensor([[1.0, 2.0], [3.0, 4.0]])}; big tensors are elided. */
    public String format() {
        return TensorFormat.format(this);
    }

    @Override
    public String toString() {
        return isReleased() ? "tensor(<released>, shape=" + Shapes.str(shape()) + ")" : format();
    }
}
