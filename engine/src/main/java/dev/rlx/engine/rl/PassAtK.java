package dev.rlx.engine.rl;

/**
 * The unbiased pass@k estimator (Chen et al. 2021, REFERENCE.md): with n samples of a problem of which c are
 * correct, pass@k = 1 - C(n-c, k) / C(n, k), the chance that k of the n drawn without replacement hold a correct one.
 * The binomials overflow for modest n, so the ratio is taken as the product prod_{i=n-c+1..n} (1 - k/i).
 */
public final class PassAtK {
    private PassAtK() {}

    public static double estimate(int n, int c, int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("pass@" + k + " needs 1 <= k <= n (n = " + n + " samples)");
        }
        if (c < 0 || c > n) {
            throw new IllegalArgumentException(c + " correct out of " + n + " samples");
        }
        if (n - c < k) {
            return 1.0; // every k-subset holds a correct sample
        }
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }

    /** The mean of {@link #estimate} over problems, {@code correct[p]} of n right for problem p. */
    public static double mean(int n, int[] correct, int k) {
        double sum = 0;
        for (int c : correct) sum += estimate(n, c, k);
        return correct.length == 0 ? Double.NaN : sum / correct.length;
    }
}
