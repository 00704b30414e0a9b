package dev.rlx.engine.rl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-prompt running success estimates for prompt selection: p, the share of a prompt's completions found correct,
 * smoothed over the groups it was rolled out in ({@code p += ema * (acc - p)}; the first group sets it). Prompts
 * are remembered in the order first seen, so a weighted draw walks them in an order fixed by the run itself, and
 * the sum it compares against is added up in that same order on resume.
 */
final class PromptStats {
    private final double ema;
    private final double[] p;
    private final int[] groups;
    private int[] seen = new int[64];
    private int count;

    PromptStats(int size, double ema) {
        this.ema = ema;
        this.p = new double[size];
        this.groups = new int[size];
    }

    void observe(int index, double accuracy) {
        if (groups[index] == 0) {
            if (count == seen.length) seen = Arrays.copyOf(seen, count * 2);
            seen[count++] = index;
            p[index] = accuracy;
        } else {
            p[index] += ema * (accuracy - p[index]);
        }
        groups[index]++;
    }

    /** Prompts with an estimate. */
    int tracked() {
        return count;
    }

    double estimate(int index) {
        return groups[index] == 0 ? Double.NaN : p[index];
    }

    /** A seen prompt drawn with probability proportional to p(1-p), or -1 when every weight is 0. */
    int drawLearnable(SplittableRandom rng) {
        double total = 0;
        for (int i = 0; i < count; i++) total += weight(seen[i]);
        if (!(total > 0)) return -1;
        double u = rng.nextDouble() * total;
        double acc = 0;
        int last = -1;
        for (int i = 0; i < count; i++) {
            double w = weight(seen[i]);
            if (w <= 0) continue;
            acc += w;
            last = seen[i];
            if (u < acc) return last;
        }
        return last; // u rounded up to the total
    }

    private double weight(int index) {
        return p[index] * (1 - p[index]);
    }

    /** [[index, groups, p], ...] in first-seen order; p as Java's shortest round-trip text, so resume is exact. */
    JsonArray save() {
        JsonArray out = new JsonArray();
        for (int i = 0; i < count; i++) {
            JsonArray e = new JsonArray();
            e.add(seen[i]);
            e.add(groups[seen[i]]);
            e.add(p[seen[i]]);
            out.add(e);
        }
        return out;
    }

    void restore(JsonArray saved) {
        for (JsonElement el : saved) {
            JsonArray e = el.getAsJsonArray();
            int index = e.get(0).getAsInt();
            if (count == seen.length) seen = Arrays.copyOf(seen, count * 2);
            seen[count++] = index;
            groups[index] = e.get(1).getAsInt();
            p[index] = e.get(2).getAsDouble();
        }
    }
}
