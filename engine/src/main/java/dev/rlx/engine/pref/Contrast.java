package dev.rlx.engine.pref;

import java.util.List;
import java.util.Objects;

/**
 * T-REG's contrastive prompting (Zhou et al. 2024, "T-REG: Preference Optimization with Token-Level Reward
 * Regularization"): each example's prompt again, once with a "better" and once with a "worse" instruction in
 * front (token ids, BOS first; lists parallel to the plan's examples), and the model that scores the examples'
 * own completions under them, without gradient. The batch exposes those token log-probs (see
 * {@link PreferenceBatch}); a loss turns them into token rewards.
 *
 * @param scorer {@link Scorer#REFERENCE}: the frozen initial policy, so the token rewards stay fixed through the
 *               run (T-REG computes them once, with the reference model, before training); {@link Scorer#POLICY}:
 *               the policy being trained, as it is at each step
 */
public record Contrast(List<int[]> better, List<int[]> worse, Scorer scorer) {
    /** Which model scores the completions under the contrastive prompts. */
    public enum Scorer { REFERENCE, POLICY }

    public Contrast {
        better = List.copyOf(better);
        worse = List.copyOf(worse);
        Objects.requireNonNull(scorer, "scorer");
        if (better.size() != worse.size()) {
            throw new IllegalArgumentException("contrast: " + better.size() + " better prompts but " + worse.size()
                    + " worse ones");
        }
    }
}
