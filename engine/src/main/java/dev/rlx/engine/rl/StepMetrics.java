package dev.rlx.engine.rl;

import java.util.Collections;
import java.util.Map;

/**
 * One step's metrics line, in the order written to metrics.jsonl. Keys: step, time_ms_{total,rollout,
 * reward,credit,update}, reward (mean score), reward/&lt;term&gt; (each term's mean), reward_errors
 * (reward calls that failed and were scored 0, with on_reward_error "zero"; 0 otherwise), score_std, accuracy
 * (training samples, with a correctness predicate), eval_accuracy (on eval steps), kl (k3 estimate of
 * KL(policy || reference) on the sampled tokens, with a reference), entropy, loss, grad_norm, lr,
 * length_mean, length_max, truncation_rate, filtered_groups, rollouts (sampling rounds), plus the loss
 * function's diagnostics under their names (clip_fraction, ...), and value_loss / value_grad_norm with a
 * critic. Keys starting with {@code time_} are wall-clock times; all others are deterministic given the seed.
 */
public record StepMetrics(int step, Map<String, Object> values) {
    public StepMetrics {
        values = Collections.unmodifiableMap(values);
    }

    public double get(String key) {
        Object v = values.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
