package dev.rlx.engine.reward;

import dev.rlx.engine.rl.Sample;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reward-model reward over a step's completions, batched in the engine (one forward for the step's distinct
 * sequences, not one interpreter call per sample). A group of samples for one prompt often repeats a completion,
 * and a converging policy repeats them more; each distinct (prompt, completion) is scored once. The sequence scored is the prompt encoded as the sampler encodes it (BOS first)
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
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        int[] distinct = new int[samples.size()]; // sample i -> its row among the distinct sequences
        Map<SequenceKey, Integer> seen = new HashMap<>();
        Map<String, int[]> encoded = new HashMap<>();
        int context = model.config().maxPositions();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            int[] p = encoded.computeIfAbsent(s.prompt(), tokenizer::encodeWithBos);
            if (p.length + s.tokens().length > context) {
                throw new IllegalArgumentException("prompt (" + p.length + ") + completion (" + s.tokens().length
                        + ") tokens exceed the reward model's context of " + context);
            }
            Integer row = seen.putIfAbsent(new SequenceKey(s.prompt(), s.tokens()), prompts.size());
            if (row == null) {
                distinct[i] = prompts.size();
                prompts.add(p);
                responses.add(s.tokens());
            } else {
                distinct[i] = row;
            }
        }
        int pad = Math.max(0, tokenizer.padId());
        double[] values = new double[samples.size()];
        if (tokens) {
            float[][] r = model.tokenRewards(prompts, responses, pad);
            float[][] perToken = new float[samples.size()][];
            for (int i = 0; i < perToken.length; i++) {
                perToken[i] = r[distinct[i]].clone();
                for (float x : perToken[i]) values[i] += x;
            }
            return new Scores(values, perToken);
        }
        double[] v = model.scoreSequences(prompts, responses, pad);
        for (int i = 0; i < values.length; i++) values[i] = v[distinct[i]];
        // normalization sees every sample, repeats included, as it would without the de-duplication
        return new Scores(moments == null ? values : moments.updateAndNormalize(values), null);
    }

    /** A (prompt, completion ids) pair with value equality, for finding repeated completions. */
    private record SequenceKey(String prompt, int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof SequenceKey k && prompt.equals(k.prompt) && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return 31 * prompt.hashCode() + Arrays.hashCode(tokens);
        }
    }

    /** The normalizer's state for a checkpoint, or null without normalization. */
    public Map<String, Object> state() {
        return moments == null ? null : moments.state();
    }

    public void restore(Map<String, Object> state) {
        if (moments != null && state != null) moments.restore(state);
    }
}
