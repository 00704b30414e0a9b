package dev.rlx.engine.data;

/**
 * SplitMix64: a tiny generator whose output is fixed by this file alone (not by a JDK version), so that a
 * task's seed gives the same problems everywhere. Also the stable hash that decides train/test splits.
 */
final class SeededRandom {
    private long state;

    SeededRandom(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, bound), without modulo bias. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [lo, hi]. */
    long between(long lo, long hi) {
        long span = hi - lo + 1;
        if (span <= 0 || span > Integer.MAX_VALUE) {
            long r = nextLong() >>> 1;
            return lo + Math.floorMod(r, span <= 0 ? Long.MAX_VALUE : span);
        }
        return lo + nextInt((int) span);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A stable 64-bit hash of a string: FNV-1a over its chars, then the SplitMix64 finalizer. */
    static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix(h);
    }
}
