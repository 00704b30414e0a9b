package dev.rlx.engine.pref;

import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything an offline preference run needs (DPO and its family): the policy to train (copied; the original
 * becomes the frozen reference when {@code reference}), the encoded pairs, the loss, AdamW and its schedule,
 * {@code steps} optimizer steps of {@code batch} pairs drawn in a seeded order (a fresh permutation per pass),
 * optional greedy evaluation decoded with {@code decoding}'s limits, and the run folder.
 */
public record PreferencePlan(CausalLM policy, Tokenizer tokenizer, List<TokenPair> pairs, PreferenceLoss loss,
                             RlPlan.Optimizer optimizer, int steps, int batch, boolean reference, RlPlan.Eval eval,
                             RlPlan.Rollout decoding, int checkpointEvery, int keepLast, long seed, Path runDir) {
    public PreferencePlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(runDir, "runDir");
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) throw new IllegalArgumentException("no preference pairs to train on");
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (decoding == null) decoding = RlPlan.Rollout.defaults();
    }

    PreferencePlan withRunDir(Path dir) {
        return new PreferencePlan(policy, tokenizer, pairs, loss, optimizer, steps, batch, reference, eval, decoding,
                checkpointEvery, keepLast, seed, dir);
    }
}
