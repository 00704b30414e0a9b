package dev.rlx.engine.tensor;

/**
 * Statistics over groups of {@code n} consecutive rows (the completions of one prompt), broadcast back
 * so the result has x's shape: for scores [B], {@code groupMean(r, n)[i]} is the mean of i's group; for
 * [B,T] tensors the statistic is taken per column t. That makes the outcome credit schemes one line each,
 * e.g. GRPO {@code (r - groupMean(r, n)) / (groupStd(r, n) + eps)}, RLOO
 * {@code r - (groupSum(r, n) - r) / (n - 1)}. Each helper is a reshape to [B/n, n, ...], one reduction
 * and a broadcast; all record gradients.
 */
public final class Groups {
    private Groups() {}

    public static Tensor mean(Tensor x, int n) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(back(grouped("group_mean", x, n).mean(1, true), x));
        }
    }

    public static Tensor sum(Tensor x, int n) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(back(grouped("group_sum", x, n).sum(1, true), x));
        }
    }

    public static Tensor max(Tensor x, int n) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(back(grouped("group_max", x, n).max(1, true), x));
        }
    }

    public static Tensor min(Tensor x, int n) {
        try (TensorScope tmp = TensorScope.open()) {
            return tmp.keep(back(grouped("group_min", x, n).min(1, true), x));
        }
    }

    /**
     * Unbiased standard deviation within each group. A group of size 1 has no unbiased spread; it gives
     * 1.0 (the neutral scale), the convention verl uses for singleton groups in GRPO (which also takes
     * the mean as 0 there; the stdlib handles that part).
     */
    public static Tensor std(Tensor x, int n) {
        try (TensorScope tmp = TensorScope.open()) {
            Tensor g = grouped("group_std", x, n);
            if (n == 1) return tmp.keep(Tensors.ones(x.shape(), Masked.floatType(x)));
            return tmp.keep(back(g.std(1, true), x));
        }
    }

    /**
     * Bool [B]: true at the first row holding its group's maximum (one per group). With it,
     * pass@k's "second best" is {@code groupMax(where(best, -inf, r), n)}.
     */
    public static Tensor argmaxMask(Tensor x, int n) {
        if (x.rank() != 1) throw new TensorException("group_argmax: expected scores [B], got shape " + Shapes.str(x.shape()));
        try (TensorScope tmp = TensorScope.open()) {
            Tensor g = grouped("group_argmax", x, n);                          // [G, n]
            Tensor first = Tensors.wrap(g.ndarray().argMax(1)).reshape(-1, 1); // [G, 1] int64
            Tensor pos = Tensors.arange(0, n, 1, DType.INT64).reshape(1, n);
            return tmp.keep(pos.eq(first).reshape(x.shape()));
        }
    }

    /** [B, ...] -> [B/n, n, ...]. */
    private static Tensor grouped(String op, Tensor x, int n) {
        if (x.rank() < 1) throw new TensorException(op + ": expected a [B] or [B,T] tensor, got a scalar");
        long b = x.shape()[0];
        if (n < 1 || b % n != 0) {
            throw new TensorException(op + ": batch of " + b + " rows (shape " + Shapes.str(x.shape()) + ") is not a multiple of group " + n);
        }
        long[] s = new long[x.rank() + 1];
        s[0] = b / n;
        s[1] = n;
        System.arraycopy(x.shape(), 1, s, 2, x.rank() - 1);
        return x.reshape(s);
    }

    /** [B/n, 1, ...] -> x's shape, each row holding its group's value. */
    private static Tensor back(Tensor stat, Tensor x) {
        long[] s = stat.shape().clone();
        s[1] = x.shape()[0] / s[0];
        return stat.broadcastTo(s).reshape(x.shape());
    }
}
