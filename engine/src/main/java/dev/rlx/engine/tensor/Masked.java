package dev.rlx.engine.tensor;

/**
 * Reductions over the positions a 0/1 mask selects (the response tokens of a padded batch), exactly as
 * shared/REFERENCE.md defines them. The mask must have x's shape; it may be bool, int or float. Each
 * function is a handful of bulk tensor ops and records gradients w.r.t. x.
 */
public final class Masked {
    private Masked() {}

    /** Whitening adds this to the variance before the reciprocal square root (as verl/OpenRLHF do). */
    public static final double WHITEN_EPS = 1e-8;

    /** {@code sum(x * m)} over {@code axis}, or over everything when axis is null. */
    public static Tensor sum(Tensor x, Tensor mask, Integer axis) {
        check("masked_sum", x, mask);
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(x.mul(mask).sum(axis, false));
        }
    }

    /**
     * {@code sum(x * m) / sum(m)} over {@code axis} (null = everything). A row with no masked position
     * gives 0 (the count is floored at 1) rather than NaN.
     */
    public static Tensor mean(Tensor x, Tensor mask, Integer axis) {
        check("masked_mean", x, mask);
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(meanKeep(x, mask, axis, false));
        }
    }

    private static Tensor meanKeep(Tensor x, Tensor mask, Integer axis, boolean keep) {
        Tensor m = mask.toType(floatType(x));
        Tensor count = m.sum(axis, keep).maximum(1.0);
        return x.mul(m).sum(axis, keep).div(count);
    }

    /**
     * Variance of the masked elements of the whole tensor: {@code sum(m * (x - mean)^2) / (n - 1)} with
     * {@code n = sum(m)} when unbiased, else {@code / n}. Unbiased needs n >= 2 (verl refuses the same).
     */
    public static Tensor var(Tensor x, Tensor mask, boolean unbiased) {
        check("masked_var", x, mask);
        try (TensorScope tmp = TensorScope.open()) {
            Tensor m = mask.toType(floatType(x));
            double n = m.sum().item();
            if (n < (unbiased ? 2 : 1)) {
                throw new TensorException("masked_var: the mask selects " + (long) n + " element(s); "
                        + (unbiased ? "the unbiased variance needs at least 2" : "the variance needs at least 1"));
            }
            Tensor mean = x.mul(m).sum().div(n);
            Tensor c = x.sub(mean);
            Tensor v = c.mul(c).mul(m).sum().div(unbiased ? n - 1 : n);
            return tmp.keep(v);
        }
    }

    /**
     * {@code (x - mean) * rsqrt(var + 1e-8)} with mean and unbiased variance over the masked positions of
     * the whole batch; with {@code shiftMean = false} the mean is added back. Like verl, every position
     * is transformed (padding included); callers mask the result where it matters.
     */
    public static Tensor whiten(Tensor x, Tensor mask, boolean shiftMean) {
        check("masked_whiten", x, mask);
        try (TensorScope tmp = TensorScope.open()) {
            Tensor m = mask.toType(floatType(x));
            double n = m.sum().item();
            if (n < 2) {
                throw new TensorException("masked_whiten: the mask selects " + (long) n + " element(s); whitening needs at least 2");
            }
            Tensor mean = x.mul(m).sum().div(n);
            Tensor c = x.sub(mean);
            Tensor var = c.mul(c).mul(m).sum().div(n - 1);
            Tensor w = c.mul(var.add(WHITEN_EPS).pow(-0.5));
            if (!shiftMean) w = w.add(mean);
            return tmp.keep(w);
        }
    }

    /**
     * The q-quantile of the masked elements of the whole tensor, as torch.quantile interpolates: with the
     * n selected values sorted into v and {@code pos = q * (n - 1)},
     * {@code v[floor(pos)] + (pos - floor(pos)) * (v[floor(pos) + 1] - v[floor(pos)])}. A threshold, so no
     * gradient. NaN when the mask selects nothing (torch.quantile of an empty tensor): every comparison
     * with it is false, so a mask built from it keeps nothing, as TRL's entropy mask does then.
     */
    public static Tensor quantile(Tensor x, Tensor mask, double q) {
        check("masked_quantile", x, mask);
        if (!(q >= 0.0 && q <= 1.0)) throw new TensorException("masked_quantile: q must lie in [0, 1], got " + q);
        try (TensorScope tmp = TensorScope.open()) {
            DType t = floatType(x);
            // one sort on the device; only the two order statistics around pos come to the host
            Tensor selected = Tensor.owned(x.stopGradient().toType(t).ndarray().booleanMask(mask.ne(0.0).ndarray()));
            long n = selected.size();
            if (n == 0) return tmp.keep(Tensors.scalar(Double.NaN, t));
            Tensor sorted = Tensor.owned(selected.ndarray().sort());
            double pos = q * (n - 1);
            long lo = (long) Math.floor(pos);
            double below = sorted.index(lo).item();
            double above = sorted.index(Math.min(lo + 1, n - 1)).item();
            return tmp.keep(Tensors.scalar(below + (pos - lo) * (above - below), t));
        }
    }

    /** {@code L_i = sum_t m[i,t]} as int64 [B]. */
    public static Tensor lengths(Tensor mask) {
        if (mask.rank() != 2) throw new TensorException("lengths: expected a [B,T] mask, got shape " + Shapes.str(mask.shape()));
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(mask.toType(DType.FLOAT64).sum(1, false).toType(DType.INT64));
        }
    }

    /**
     * The "terminal" credit: a [B,T] tensor, zero except {@code out[i, L_i - 1] = scores[i]} (nothing for
     * an empty row). One comparison against a position ramp, no per-row loop; differentiable in scores.
     */
    public static Tensor lastTokenScatter(Tensor scores, Tensor mask) {
        if (mask.rank() != 2 || scores.rank() != 1 || scores.shape()[0] != mask.shape()[0]) {
            throw new TensorException("last_token_scatter: expected scores [B] and mask [B,T], got shapes "
                    + Shapes.str(scores.shape()) + " and " + Shapes.str(mask.shape()));
        }
        try (TensorScope tmp = TensorScope.open()) {
            DType t = floatType(scores);
            long T = mask.shape()[1];
            Tensor last = mask.toType(t).sum(1, true).sub(1.0);                 // [B,1]
            Tensor hit = Tensors.arange(0, T, 1, t).reshape(1, T).eq(last);     // [B,T] bool
            Tensor s = scores.toType(t).reshape(-1, 1);
            return tmp.keep(Tensors.where(hit, s.broadcastTo(mask.shape()), 0.0));
        }
    }

    static DType floatType(Tensor x) {
        return x.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
    }

    private static void check(String op, Tensor x, Tensor mask) {
        Shapes.requireSame(op, "x and mask", x.shape(), mask.shape());
    }
}
