package dev.rlx.engine.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * CPPO's completion pruning (Lin et al. 2025, "CPPO: Accelerating the Training of Group Relative Policy
 * Optimization-Based Reasoning Models"): completions whose advantage is near 0 teach the policy little, so the
 * update trains only on the {@code keep} completions of each group with the largest |advantage| and skips the
 * forward and backward passes of the rest. A row's weight is |A_i| for sequence advantages [B], and the mean
 * of |A| over its response tokens for token advantages [B,T]. Ties keep the earlier row.
 */
final class CompletionPruning {
    private CompletionPruning() {}

    /** The rows to train on, ascending: per group of {@code group} consecutive rows, the {@code keep} largest. */
    static int[] keep(double[] advantages, long[] shape, double[] mask, int group, int keep) {
        int b = (int) shape[0];
        if (b % group != 0) throw new IllegalArgumentException(b + " rows are not whole groups of " + group);
        double[] weight = new double[b];
        if (shape.length == 1) {
            for (int i = 0; i < b; i++) weight[i] = Math.abs(advantages[i]);
        } else {
            int t = (int) shape[1];
            for (int i = 0; i < b; i++) {
                double sum = 0;
                double n = 0;
                for (int j = 0; j < t; j++) {
                    sum += Math.abs(advantages[i * t + j]) * mask[i * t + j];
                    n += mask[i * t + j];
                }
                weight[i] = n > 0 ? sum / n : 0;
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int g = 0; g < b; g += group) {
            Integer[] rows = new Integer[group];
            for (int i = 0; i < group; i++) rows[i] = g + i;
            // stable sort: among equal weights the earlier row comes first
            Arrays.sort(rows, Comparator.comparingDouble((Integer r) -> -weight[r]));
            for (int i = 0; i < Math.min(keep, group); i++) kept.add(rows[i]);
        }
        return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
