package dev.rlx.engine.tensor;

/**
 * Backward recurrences over the T axis of [B,T] tensors: discounted returns and GAE, exactly as
 * shared/REFERENCE.md specifies. Each is one tight Java loop over primitive arrays (one bulk copy in, one
 * out) instead of T tensor ops: at B=512, T=256 that is ~130k multiply-adds, far below the cost of even
 * one NDArray call per step. The results are constants for autograd: like verl and OpenRLHF, which
 * compute returns and advantages under no_grad, no gradient flows back into the inputs.
 */
public final class Returns {
    private Returns() {}

    /** GAE output: advantages (not whitened; the stdlib whitens) and returns = advantages + values. */
    public record Gae(Tensor advantages, Tensor returns) {}

    /**
     * {@code G_t = x_t + gamma * G_{t+1}} backwards over t on masked positions, {@code G_t = 0} at padding
     * (so the sum restarts after a gap). Computed in double, returned in x's float dtype.
     */
    public static Tensor discountedCumsum(Tensor x, Tensor mask, double gamma) {
        check("discounted_cumsum", x, mask);
        int B = (int) x.shape()[0], T = (int) x.shape()[1];
        double[] v = x.toDoubleArray();
        double[] m = mask.toDoubleArray();
        double[] g = new double[v.length];
        for (int b = 0; b < B; b++) {
            double next = 0.0;
            for (int t = T - 1; t >= 0; t--) {
                int i = b * T + t;
                next = m[i] != 0.0 ? v[i] + gamma * next : 0.0;
                g[i] = next;
            }
        }
        return out(g, x);
    }

    /**
     * Generalized advantage estimation, backwards over t, skipping unmasked positions and carrying state
     * (verl's formulation, so observation tokens inside a response are passed over):
     * <pre>
     *   nextV = 0, lastA = 0
     *   for t = T-1 .. 0:
     *     if m_t: delta = R_t + gamma*nextV - V_t; lastA = delta + gamma*lam*lastA; nextV = V_t
     *     A_t = lastA
     * </pre>
     * so a padding position holds the advantage of the next masked position after it (0 after the last
     * one). Returns = A + V at every position. Not whitened.
     */
    public static Gae gae(Tensor rewards, Tensor values, Tensor mask, double gamma, double lam) {
        check("gae", rewards, mask);
        Shapes.requireSame("gae", "rewards and values", rewards.shape(), values.shape());
        int B = (int) rewards.shape()[0], T = (int) rewards.shape()[1];
        double[] r = rewards.toDoubleArray();
        double[] v = values.toDoubleArray();
        double[] m = mask.toDoubleArray();
        double[] adv = new double[r.length];
        double[] ret = new double[r.length];
        double gl = gamma * lam;
        for (int b = 0; b < B; b++) {
            double nextV = 0.0, lastA = 0.0;
            for (int t = T - 1; t >= 0; t--) {
                int i = b * T + t;
                if (m[i] != 0.0) {
                    double delta = r[i] + gamma * nextV - v[i];
                    lastA = delta + gl * lastA;
                    nextV = v[i];
                }
                adv[i] = lastA;
                ret[i] = lastA + v[i];
            }
        }
        return new Gae(out(adv, rewards), out(ret, rewards));
    }

    private static Tensor out(double[] data, Tensor like) {
        long[] shape = like.shape();
        if (like.dtype() == DType.FLOAT64) return Tensors.fromDoubles(data, shape);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return Tensors.fromFloats(f, shape);
    }

    private static void check(String op, Tensor x, Tensor mask) {
        if (x.rank() != 2) throw new TensorException(op + ": expected [B,T], got shape " + Shapes.str(x.shape()));
        Shapes.requireSame(op, "x and mask", x.shape(), mask.shape());
    }
}
