package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What credit and loss functions see: B = prompts x group rows, the completions of one prompt contiguous.
 * Token tensors are [B,T] float32, right-padded, 0 on padding (T = longest completion of the batch).
 *
 * <ul>
 *   <li>{@code scores} [B]: weighted reward sum; {@code terms}: name -> [B] each reward term, unweighted</li>
 *   <li>{@code rewards} [B,T]: dense rewards with the score added at each row's last token</li>
 *   <li>{@code mask} [B,T] 1 on completion tokens; {@code lengths} [B]; {@code truncated} [B] 1 when
 *       max_tokens was reached</li>
 *   <li>{@code logp} [B,T]: log-probs under the current policy, recording gradients; null during credit</li>
 *   <li>{@code entropy} [B,T]: the current policy's per-token entropy (with gradients); null during credit</li>
 *   <li>{@code old_logp} [B,T]: log-probs of the policy that sampled (no gradient)</li>
 *   <li>{@code ref_logp} [B,T]: the frozen reference's log-probs, or null without a reference</li>
 *   <li>{@code values} [B,T]: the critic's values (null without a critic; with gradients in a value loss),
 *       {@code old_values} the values before the update</li>
 *   <li>{@code advantages} [B,T], {@code returns} [B,T] (or null): the credit function's output; null
 *       during credit</li>
 *   <li>{@code baseline_scores} [B]: the score of a greedy completion of each row's prompt, with
 *       {@code rollout.baseline = GREEDY} (ReMax), else null</li>
 *   <li>{@code state}: the state carried from the previous step ({@link CarriedState}), or null</li>
 *   <li>{@code sampling_logp} [B,T]: the log-probs the sampler gave the sampled tokens (its KV-cache pass, at the
 *       rollout temperature, before top-k/top-p); equal to {@code old_logp} up to numerics, and differs from
 *       the policy of a later epoch or minibatch</li>
 *   <li>with a process reward model (PRIME): {@code outcomes} [B] the verifier term it learns from,
 *       {@code prm_logp} [B,T] its log-probs (with gradients in its loss) and {@code process_rewards} [B,T]
 *       {@code beta * (prm_logp - ref_logp)} on the mask; else null</li>
 * </ul>
 * Rollout temperature applies to all log-probs. {@code old_logp} is computed on first use: with one epoch
 * of one minibatch and no caller during credit, the update uses {@code logp} without its gradient instead,
 * which is the same value and saves a forward pass.
 */
public final class Batch {
    private final int group;
    private final List<Sample> samples;
    private final Map<String, Tensor> tensors;
    private final Map<String, Tensor> terms;
    private final Map<String, Object> state;
    private Supplier<Tensor> oldLogpSource;

    Batch(int group, List<Sample> samples, Map<String, Tensor> tensors, Map<String, Tensor> terms,
          Map<String, Object> state, Supplier<Tensor> oldLogpSource) {
        this.group = group;
        this.samples = samples;
        this.tensors = tensors;
        this.terms = terms;
        this.state = state;
        this.oldLogpSource = oldLogpSource;
    }

    /** Field names, as the interpreter exposes them. */
    public static final List<String> FIELDS = List.of("scores", "rewards", "terms", "mask", "lengths", "truncated",
            "group", "logp", "entropy", "old_logp", "ref_logp", "values", "old_values", "advantages", "returns", "baseline_scores", "state", "sampling_logp",
            "outcomes", "prm_logp", "process_rewards");

    public int size() { return samples.size(); }
    public int group() { return group; }
    /** The rows' samples (prompt, completion, answer, ...), in row order. */
    public List<Sample> samples() { return samples; }
    public Tensor scores() { return tensors.get("scores"); }
    public Tensor rewards() { return tensors.get("rewards"); }
    public Map<String, Tensor> terms() { return Collections.unmodifiableMap(terms); }
    public Tensor mask() { return tensors.get("mask"); }
    public Tensor lengths() { return tensors.get("lengths"); }
    public Tensor truncated() { return tensors.get("truncated"); }
    public Tensor logp() { return tensors.get("logp"); }
    public Tensor entropy() { return tensors.get("entropy"); }
    public Tensor refLogp() { return tensors.get("ref_logp"); }
    public Tensor values() { return tensors.get("values"); }
    public Tensor oldValues() { return tensors.get("old_values"); }
    public Tensor advantages() { return tensors.get("advantages"); }
    public Tensor returns() { return tensors.get("returns"); }
    public Tensor baselineScores() { return tensors.get("baseline_scores"); }
    public Tensor samplingLogp() { return tensors.get("sampling_logp"); }
    /** The carried state (read-only), or null when the run carries none. */
    public Map<String, Object> state() { return state; }

    public Tensor oldLogp() {
        Tensor t = tensors.get("old_logp");
        if (t == null && oldLogpSource != null) {
            t = oldLogpSource.get();
            oldLogpSource = null;
            tensors.put("old_logp", t);
        }
        return t;
    }

    /** Every tensor the batch holds now, by field name (terms as {@code terms.NAME}); for checks. */
    Map<String, Tensor> tensorFields() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        tensors.forEach((k, v) -> { if (v != null) all.put(k, v); });
        terms.forEach((k, v) -> { if (v != null) all.put("terms." + k, v); });
        return all;
    }

    boolean hasOldLogp() {
        return tensors.get("old_logp") != null;
    }

    /** A field by its .rlx name (terms as a Map of tensors, group as an Integer, state as a Map); null when absent. */
    public Object field(String name) {
        return switch (name) {
            case "terms" -> terms();
            case "group" -> group;
            case "old_logp" -> oldLogp();
            case "state" -> state;
            default -> {
                if (!FIELDS.contains(name)) {
                    throw new IllegalArgumentException("batch has no field " + name + " (fields: " + FIELDS + ")");
                }
                yield tensors.get(name);
            }
        };
    }

    /** A copy with {@code name} set (or removed when {@code value} is null). */
    Batch with(String name, Tensor value) {
        Map<String, Tensor> t = new LinkedHashMap<>(tensors);
        if (value == null) {
            t.remove(name);
        } else {
            t.put(name, value);
        }
        return new Batch(group, samples, t, terms, state, name.equals("old_logp") ? null : oldLogpSource);
    }

    /** A copy whose {@code old_logp} is computed by {@code source} on first read. */
    Batch withOldLogpSource(Supplier<Tensor> source) {
        return new Batch(group, samples, new LinkedHashMap<>(tensors), terms, state, source);
    }

    /** The rows {@code idx} (a minibatch): every tensor gathered along axis 0, in the current scope. */
    Batch rows(int[] idx, Tensor index) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            t.put(e.getKey(), gatherRows(e.getValue(), index));
        }
        Map<String, Tensor> tm = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
            tm.put(e.getKey(), gatherRows(e.getValue(), index));
        }
        Sample[] s = new Sample[idx.length];
        for (int i = 0; i < idx.length; i++) {
            s[i] = samples.get(idx[i]);
        }
        return new Batch(group, List.of(s), t, tm, state, null);
    }

    private static Tensor gatherRows(Tensor x, Tensor index) {
        if (x.rank() == 1) {
            return x.gather(0, index);
        }
        long[] shape = x.shape().clone();
        shape[0] = index.shape()[0];
        return x.gather(0, index.reshape(-1, 1).broadcastTo(shape));
    }
}
