package dev.rlx.engine.reward;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running mean and variance of every score seen so far (Chan et al.'s parallel update of count, mean and sum of
 * squared deviations, batch by batch), for normalizing reward-model scores as OpenRLHF's {@code normalize_reward}
 * does: {@code (r - mean) / std} with the statistics after the batch is added. Its three numbers are the state a
 * checkpoint keeps, so a resumed run normalizes exactly as an uninterrupted one.
 */
public final class RunningMoments {
    private static final double MIN_STD = 1e-8;
    private long count;
    private double mean;
    private double m2;

    /** Adds a batch, then returns its values normalized with the updated statistics. */
    public double[] updateAndNormalize(double[] xs) {
        if (xs.length > 0) {
            double bm = 0;
            for (double x : xs) bm += x;
            bm /= xs.length;
            double bm2 = 0;
            for (double x : xs) bm2 += (x - bm) * (x - bm);
            long n = count + xs.length;
            double delta = bm - mean;
            m2 = m2 + bm2 + delta * delta * count * xs.length / n;
            mean = mean + delta * xs.length / n;
            count = n;
        }
        double std = Math.max(MIN_STD, Math.sqrt(count > 1 ? m2 / (count - 1) : 0.0));
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = (xs[i] - mean) / std;
        return out;
    }

    public double mean() {
        return mean;
    }

    public long count() {
        return count;
    }

    public Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", count);
        s.put("mean", mean);
        s.put("m2", m2);
        return s;
    }

    public void restore(Map<String, Object> s) {
        count = ((Number) s.get("count")).longValue();
        mean = ((Number) s.get("mean")).doubleValue();
        m2 = ((Number) s.get("m2")).doubleValue();
    }
}
