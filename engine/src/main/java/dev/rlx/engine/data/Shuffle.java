package dev.rlx.engine.data;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * The one seeded shuffle and seed mixer of the engine: data order, minibatch order, SFT batches and task
 * generation all go through here, so "the same seed gives the same order" has one implementation.
 */
public final class Shuffle {
    private Shuffle() {}

    /** A Fisher-Yates permutation of 0..n-1, drawing {@code nextInt.applyAsInt(bound)} in [0, bound). */
    public static int[] permutation(int n, IntUnaryOperator nextInt) {
        int[] a = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt.applyAsInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    public static int[] permutation(int n, SplittableRandom rng) {
        return permutation(n, rng::nextInt);
    }

    public static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /**
     * A seed for the stream addressed by (seed, a, b), e.g. (run seed, step, round): SplitMix64's finalizer over
     * a weighted sum, so neighbouring addresses give unrelated streams and any address can be recomputed on resume.
     */
    public static long seed(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
        return SeededRandom.mix(z);
    }
}
