package dev.rlx.engine.rl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 6 of a step, the record of what happened: the rollout statistics of the metrics line (reward and each
 * term, failed reward calls, score spread, training accuracy, lengths, truncation, dropped groups, sampling
 * rounds, the greedy baseline's mean score), the carried state's numbers ({@code state/<path>}), and the
 * step's first completions for samples.jsonl. Computed on the Java side from the batch's arrays, so they do not
 * depend on tensor reduction order.
 */
final class StepLog {
    private StepLog() {}

    static void rolloutStatistics(RlPlan plan, RolloutStage.Result rollout, BatchAssembly.StepBatch sb, Map<String, Object> m) {
        int bsz = sb.size();
        float[] scores = sb.scores();
        double mean = 0;
        for (float x : scores) mean += x;
        mean /= bsz;
        double var = 0;
        for (float x : scores) var += (x - mean) * (x - mean);
        m.put("reward", mean);
        for (int k = 0; k < sb.termNames().size(); k++) {
            double tm = 0;
            for (float x : sb.termValues()[k]) tm += x;
            m.put("reward/" + sb.termNames().get(k), tm / bsz);
        }
        m.put("reward_errors", rollout.rewardErrors());
        m.put("score_std", Math.sqrt(var / bsz));
        List<Sample> samples = sb.batch().samples();
        if (plan.correctness() != null) {
            int c = 0;
            for (Sample smp : samples) if (plan.correctness().correct(smp)) c++;
            m.put("accuracy", c / (double) bsz);
        }
        double lsum = 0;
        double lmax = 0;
        double tr = 0;
        for (Sample smp : samples) {
            lsum += smp.length();
            lmax = Math.max(lmax, smp.length());
            tr += smp.truncated() ? 1 : 0;
        }
        m.put("length_mean", lsum / bsz);
        m.put("length_max", lmax);
        m.put("truncation_rate", tr / bsz);
        m.put("filtered_groups", rollout.filtered());
        m.put("rollouts", rollout.rounds());
        if (plan.rollout().baseline() == RlPlan.Baseline.GREEDY) {
            double bs = 0;
            for (RolloutStage.Group g : rollout.groups()) bs += g.baselineScore();
            m.put("baseline_reward", bs / rollout.groups().size());
        }
    }

    static void state(Map<String, Object> state, Map<String, Object> m) {
        CarriedState.numbers(state).forEach((k, v) -> m.put("state/" + k, v));
    }

    /** The first {@code samplesPerStep} completions with their score, terms, length and finish reason. */
    static List<Map<String, Object>> samples(int step, int samplesPerStep, BatchAssembly.StepBatch sb) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<Sample> samples = sb.batch().samples();
        for (int i = 0; i < Math.min(samplesPerStep, sb.size()); i++) {
            Map<String, Object> o = new LinkedHashMap<>();
            Sample smp = samples.get(i);
            o.put("step", step);
            o.put("prompt", smp.prompt());
            o.put("completion", smp.completion());
            o.put("score", (double) sb.scores()[i]);
            Map<String, Object> tv = new LinkedHashMap<>();
            for (int k = 0; k < sb.termNames().size(); k++) tv.put(sb.termNames().get(k), (double) sb.termValues()[k][i]);
            o.put("terms", tv);
            if (sb.errors()[i] > 0) o.put("reward_errors", sb.errors()[i]);
            o.put("length", smp.length());
            o.put("finish_reason", smp.finishReason());
            out.add(o);
        }
        return out;
    }
}
