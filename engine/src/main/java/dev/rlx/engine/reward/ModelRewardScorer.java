package dev.rlx.engine.reward;

import dev.rlx.engine.rl.Sample;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A reward-model reward over a step's completions, batched in the engine (one forward per 64 rows, not one
 * interpreter call per sample). The sequence scored is the prompt encoded as the sampler encodes it (BOS first)
 * followed by the completion's sampled token ids (its EOS included when it stopped there), so the reward model
 * must share the policy's tokenizer.
 *
 * <ul>
 *   <li>outcome: the score at the last token, one number per completion;</li>
 *   <li>tokens: RED token rewards {@code S_t - S_{t-1}} (from the prompt's score), one per completion token;
 *       they sum to {@code S_final - S_prompt}.</li>
 * </ul>
 * With {@code normalize}, outcome scores are standardized by {@link RunningMoments} over all scores seen so far.
 */
public final class ModelRewardScorer {
    /** Per-completion values, and per-token rewards in tokens mode (else null). */
    public record Scores(double[] values, float[][] perToken) {}

    private final RewardModel model;
    private final Tokenizer tokenizer;
    private final boolean tokens;
    private final RunningMoments moments;

    public ModelRewardScorer(RewardModel model, Tokenizer tokenizer, boolean tokens, boolean normalize) {
        if (tokens && normalize) {
            throw new IllegalArgumentException("normalize applies to outcome scores, not to token rewards");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.tokens = tokens;
        this.moments = normalize ? new RunningMoments() : null;
    }

    public Scores score(List<Sample> samples) {
        List<int[]> prompts = new ArrayList<>(samples.size());
        List<int[]> responses = new ArrayList<>(samples.size());
        int context = model.config().maxPositions();
        for (Sample s : samples) {
            int[] p = tokenizer.encodeWithBos(s.prompt());
            if (p.length + s.tokens().length > context) {
                throw new IllegalArgumentException("prompt (" + p.length + ") + completion (" + s.tokens().length
                        + ") tokens exceed the reward model's context of " + context);
            }
            prompts.add(p);
            responses.add(s.tokens());
        }
        int pad = Math.max(0, tokenizer.padId());
        if (tokens) {
            float[][] r = model.tokenRewards(prompts, responses, pad);
            double[] sums = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                for (float x : r[i]) sums[i] += x;
            }
            return new Scores(sums, r);
        }
        double[] v = model.scoreSequences(prompts, responses, pad);
        return new Scores(moments == null ? v : moments.updateAndNormalize(v), null);
    }

    /** The normalizer's state for a checkpoint, or null without normalization. */
    public Map<String, Object> state() {
        return moments == null ? null : moments.state();
    }

    public void restore(Map<String, Object> state) {
        if (moments != null && state != null) moments.restore(state);
    }
}
