package dev.rlx.interpreter.model;

import dev.rlx.engine.reward.ModelRewardScorer;
import dev.rlx.interpreter.runtime.BatchedReward;

/**
 * A reward term read from a reward model ({@code rw.model(rm)}): in a run, the trainer scores every completion
 * of a step in the engine, batched ({@link #newScorer}); called on one sample it scores that sample alone.
 *
 * @param tokens RED token rewards (a dense reward) instead of the outcome score
 * @param normalize standardize outcome scores by running statistics over the run (OpenRLHF's normalize_reward)
 */
public record ModelReward(RewardModelValue model, boolean tokens, boolean normalize) implements BatchedReward {
    @Override
    public String describe() {
        return model.display();
    }

    /** A scorer for one run: its normalizer starts empty. */
    public ModelRewardScorer newScorer() {
        return new ModelRewardScorer(model.model(), model.tokenizer().tokenizer(), tokens, normalize);
    }
}
