package dev.rlx.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.tensor.TensorElementwise.Op;

/**
 * An immutable tensor value: a handle over a DJL NDArray. No method changes the values of an existing
 * tensor; every op returns a new tensor owned by the innermost {@link TensorScope}.
 *
 * <p>Dtypes are float32 (the default), float64, int64 and bool (see {@link DType}); binary ops promote
 * the way PyTorch does. Ops called inside a {@link GradientRecording} are recorded for back-propagation.
 * Creation and n-ary ops live in {@link Tensors}; RL primitives in {@link Masked}, {@link Returns} and
 * {@link Groups}. The op implementations live in package-private helpers (TensorElementwise,
 * TensorReductions, TensorShapeOps, TensorConversions, TensorCasts); this class is the public face.
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

    public Tensor add(Tensor o) { return TensorElementwise.arith(this, "add", o, Op.ADD); }
    public Tensor sub(Tensor o) { return TensorElementwise.arith(this, "sub", o, Op.SUB); }
    public Tensor mul(Tensor o) { return TensorElementwise.arith(this, "mul", o, Op.MUL); }
    public Tensor div(Tensor o) { return TensorElementwise.arith(this, "div", o, Op.DIV); }
    public Tensor pow(Tensor o) { return TensorElementwise.arith(this, "pow", o, Op.POW); }
    public Tensor maximum(Tensor o) { return TensorElementwise.arith(this, "maximum", o, Op.MAX); }
    public Tensor minimum(Tensor o) { return TensorElementwise.arith(this, "minimum", o, Op.MIN); }

    public Tensor add(double v) { return TensorElementwise.scalarArith(this, v, Op.ADD, false); }
    public Tensor sub(double v) { return TensorElementwise.scalarArith(this, v, Op.SUB, false); }
    public Tensor mul(double v) { return TensorElementwise.scalarArith(this, v, Op.MUL, false); }
    public Tensor div(double v) { return TensorElementwise.scalarArith(this, v, Op.DIV, false); }
    public Tensor pow(double v) { return TensorElementwise.scalarArith(this, v, Op.POW, false); }
    public Tensor maximum(double v) { return TensorElementwise.scalarArith(this, v, Op.MAX, false); }
    public Tensor minimum(double v) { return TensorElementwise.scalarArith(this, v, Op.MIN, false); }
    /** {@code v - this}: for {@code number - tensor} in .rlx. */
    public Tensor rsub(double v) { return TensorElementwise.scalarArith(this, v, Op.SUB, true); }
    /** {@code v / this}. */
    public Tensor rdiv(double v) { return TensorElementwise.scalarArith(this, v, Op.DIV, true); }
    /** {@code v ^ this}. */
    public Tensor rpow(double v) { return TensorElementwise.scalarArith(this, v, Op.POW, true); }

    public Tensor neg() { return owned(numeric("neg").neg()); }

    /** This array converted to {@code t}; the conversion (if any) is owned by the current scope. */
    NDArray as(DType t) { return TensorCasts.as(this, t); }

    private NDArray numeric(String op) { return TensorCasts.numeric(this, op); }

    private NDArray floating(String op) { return TensorCasts.floating(this, op); }

    // ---------------------------------------------------------------- comparisons and logic

    public Tensor lt(Tensor o) { return TensorElementwise.compare(this, "lt", o); }
    public Tensor le(Tensor o) { return TensorElementwise.compare(this, "le", o); }
    public Tensor gt(Tensor o) { return TensorElementwise.compare(this, "gt", o); }
    public Tensor ge(Tensor o) { return TensorElementwise.compare(this, "ge", o); }
    public Tensor eq(Tensor o) { return TensorElementwise.compare(this, "eq", o); }
    public Tensor ne(Tensor o) { return TensorElementwise.compare(this, "ne", o); }

    public Tensor lt(double v) { return TensorElementwise.compare(this, "lt", v); }
    public Tensor le(double v) { return TensorElementwise.compare(this, "le", v); }
    public Tensor gt(double v) { return TensorElementwise.compare(this, "gt", v); }
    public Tensor ge(double v) { return TensorElementwise.compare(this, "ge", v); }
    public Tensor eq(double v) { return TensorElementwise.compare(this, "eq", v); }
    public Tensor ne(double v) { return TensorElementwise.compare(this, "ne", v); }

    public Tensor and(Tensor o) { return TensorElementwise.and(this, o); }
    public Tensor or(Tensor o) { return TensorElementwise.or(this, o); }
    public Tensor not() { return TensorElementwise.not(this); }

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

    // DJL exposes neither libtorch's log1p nor its expm1, so both are built from exp/log with the classic
    // corrections (Goldberg for log1p, Kahan for expm1): a few ulps where the plain form 1 + x or
    // exp(x) - 1 would lose x to rounding. The correction runs only for |x| < 0.5 (the plain form is
    // accurate elsewhere) and on a copy of x set to 0 outside that range, so the branch `where` drops
    // never sees log(0) or 0/0: its zero gradient times a finite factor stays 0 instead of NaN.

    /** log(1 + x), accurate for small |x| (log(1 + 1e-10) is 0 in float32, log1p is 1e-10); -inf at -1. */
    public Tensor log1p() {
        try (TensorScope tmp = TensorScope.open()) {
            Tensor x = dtype().isFloating() ? this : toType(DType.FLOAT32);
            Tensor small = x.abs().lt(0.5);
            Tensor xs = Tensors.where(small, x, 0.0);
            Tensor u = xs.add(1.0);
            Tensor exact = u.eq(1.0);                                  // 1 + x rounded to 1: log1p(x) = x
            Tensor d = Tensors.where(exact, 1.0, u.sub(1.0));
            Tensor corrected = Tensors.where(exact, xs, u.log().mul(xs).div(d));
            return tmp.keep(Tensors.where(small, corrected, x.add(1.0).log()));
        }
    }

    /** exp(x) - 1, accurate for small |x| (exp(1e-10) - 1 is 0 in float32, expm1 is 1e-10). */
    public Tensor expm1() {
        try (TensorScope tmp = TensorScope.open()) {
            Tensor x = dtype().isFloating() ? this : toType(DType.FLOAT32);
            Tensor small = x.abs().lt(0.5);
            Tensor xs = Tensors.where(small, x, 0.0);
            Tensor u = xs.exp();
            Tensor exact = u.eq(1.0);                                  // exp(x) rounded to 1: expm1(x) = x
            Tensor lu = Tensors.where(exact, 1.0, u.log());
            Tensor corrected = Tensors.where(exact, xs, u.sub(1.0).mul(xs).div(lu));
            return tmp.keep(Tensors.where(small, corrected, x.exp().sub(1.0)));
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

    public Tensor sum(Integer axis, boolean keep) { return TensorReductions.sum(this, axis, keep); }
    public Tensor mean(Integer axis, boolean keep) { return TensorReductions.mean(this, axis, keep); }
    public Tensor max(Integer axis, boolean keep) { return TensorReductions.max(this, axis, keep); }
    public Tensor min(Integer axis, boolean keep) { return TensorReductions.min(this, axis, keep); }

    /** Unbiased variance (divides by n-1). */
    public Tensor var(Integer axis, boolean keep) { return var(axis, keep, true); }

    /** Variance; {@code unbiased} divides by n-1, else by n. */
    public Tensor var(Integer axis, boolean keep, boolean unbiased) { return TensorReductions.var(this, axis, keep, unbiased); }

    /** Unbiased standard deviation. */
    public Tensor std(Integer axis, boolean keep) { return std(axis, keep, true); }

    public Tensor std(Integer axis, boolean keep, boolean unbiased) { return TensorReductions.std(this, axis, keep, unbiased); }

    // ---------------------------------------------------------------- shape ops

    /** Reshape; one dimension may be -1 (inferred). */
    public Tensor reshape(long... newShape) { return TensorShapeOps.reshape(this, newShape); }

    /** Permutes the axes; with no argument reverses them (matrix transpose for rank 2). */
    public Tensor transpose(int... perm) { return TensorShapeOps.transpose(this, perm); }

    public Tensor swapAxes(int a, int b) { return TensorShapeOps.swapAxes(this, a, b); }

    /** Adds a size-1 axis at {@code axis} (negative counts from the end of the result). */
    public Tensor expandDims(int axis) { return TensorShapeOps.expandDims(this, axis); }

    /** Element {@code i} along axis 0 (negative counts from the end); the result has rank - 1. */
    public Tensor index(long i) { return TensorShapeOps.index(this, i); }

    /**
     * Python slice {@code [start:stop]} along {@code axis}: null means the end, negatives count from the
     * end, out-of-range bounds are clipped, and stop <= start gives an empty axis.
     */
    public Tensor slice(int axis, Long start, Long stop) { return TensorShapeOps.slice(this, axis, start, stop); }

    /** torch.gather: {@code out[i][j] = x[i][index[i][j]]} for axis 1 (and so on). */
    public Tensor gather(int axis, Tensor index) { return TensorShapeOps.gather(this, axis, index); }

    public Tensor cumsum(int axis) { return TensorShapeOps.cumsum(this, axis); }

    public Tensor flip(int axis) { return TensorShapeOps.flip(this, axis); }

    /** Broadcasts to {@code target} (NumPy rules). */
    public Tensor broadcastTo(long... target) { return TensorShapeOps.broadcastTo(this, target); }

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
    public double item() { return TensorConversions.item(this); }

    public long itemLong() { return TensorConversions.itemLong(this); }

    public boolean itemBoolean() { return TensorConversions.itemBoolean(this); }

    /** The values in row-major order as doubles (a copy). */
    public double[] toDoubleArray() { return TensorConversions.toDoubleArray(this); }

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
