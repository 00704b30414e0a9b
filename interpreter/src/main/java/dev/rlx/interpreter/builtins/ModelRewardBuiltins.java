package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.model.ModelReward;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import java.util.List;

/**
 * A reward model as a reward of an experiment (std/rewards' {@code model(rm)}): {@code score_sample} scores one
 * sample record the way a run does, {@code model_reward} marks the reward so that a run scores a whole step in the
 * engine, batched.
 */
public final class ModelRewardBuiltins {
    private ModelRewardBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            ModelRewardBuiltinsFactory.ScoreSampleFactory.getInstance(),
            ModelRewardBuiltinsFactory.MarkModelRewardFactory.getInstance());

    @Builtin(value = "score_sample(rm, s, tokens = false)",
            doc = "a reward model's reward for one sample record {prompt, tokens, ...} (what rewards see): the score of "
                    + "BOS + the encoded prompt + the completion's token ids, or with tokens: true the RED token rewards "
                    + "(a list, S_t - S_{t-1} from the prompt's score); what rw.model computes batched in a run")
    public abstract static class ScoreSample extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object score(Object rm, Object sample, Object tokens) {
            EngineArgs a = EngineArgs.of(this, rm, sample, tokens);
            RewardModelValue m = a.rewardModel("rm");
            boolean perToken = a.bool("tokens");
            if (!(sample instanceof RlxRecord r) || !(r.get("prompt") instanceof String prompt)
                    || !(r.get("tokens") instanceof RlxList ids)) {
                throw a.wrongType("s", "a sample record with prompt (a string) and tokens (a list of token ids)");
            }
            if (m.tokenizer() == null) {
                throw error("the reward model has no tokenizer to encode the prompt with");
            }
            int[] response = EngineArgs.tokens(this, "s.tokens", ids);
            if (response.length == 0) {
                throw error("s.tokens is empty: there is no completion to score");
            }
            int[] p = a.engine(() -> m.tokenizer().tokenizer().encodeWithBos(prompt));
            int context = m.model().config().maxPositions();
            if (p.length + response.length > context) {
                throw error("prompt (" + p.length + ") + completion (" + response.length + ") tokens exceed the reward "
                        + "model's context of " + context);
            }
            int pad = Math.max(0, m.tokenizer().tokenizer().padId());
            if (perToken) {
                float[] rewards = a.engine(() -> m.model().tokenRewards(List.of(p), List.of(response), pad)[0]);
                Object[] out = new Object[rewards.length];
                for (int i = 0; i < out.length; i++) out[i] = (double) rewards[i];
                return new RlxList(out);
            }
            return a.engine(() -> m.model().scoreSequences(List.of(p), List.of(response), pad)[0]);
        }
    }

    @Builtin(value = "model_reward(reward, rm, tokens = false, normalize = false)",
            doc = "marks a single reward that scores samples with rm (e.g. via score_sample) so that a run computes it "
                    + "for a whole step in the engine, batched; std/rewards' model(rm) is the way to use it")
    public abstract static class MarkModelReward extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object mark(Object reward, Object rm, Object tokens, Object normalize) {
            EngineArgs a = EngineArgs.of(this, reward, rm, tokens, normalize);
            RewardModelValue m = a.rewardModel("rm");
            if (!(reward instanceof RlxReward r) || !r.isSingle()) {
                throw a.wrongType("reward", "a single reward (named_reward(name, f))");
            }
            boolean perToken = a.bool("tokens");
            boolean norm = a.bool("normalize");
            if (perToken && norm) {
                throw error("normalize applies to outcome scores; token rewards (tokens: true) are not normalized");
            }
            if (m.tokenizer() == null) {
                throw error("the reward model has no tokenizer; make it from a model built with a tokenizer");
            }
            RlxReward.Term t = r.terms().get(0);
            return RlxReward.batched(t.name(), t.function(),
                    new ModelReward(m, perToken, norm));
        }
    }
}
