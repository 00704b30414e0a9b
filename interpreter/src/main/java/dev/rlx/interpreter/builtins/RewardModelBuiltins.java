package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.reward.RewardModel;
import dev.rlx.interpreter.model.ModelReward;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import java.util.List;

/** Reward models as .rlx values: made from a causal LM, trained on preference pairs, used to score text. */
public final class RewardModelBuiltins {
    private RewardModelBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            RewardModelBuiltinsFactory.MakeRewardModelFactory.getInstance(),
            RewardModelBuiltinsFactory.ScoreSampleFactory.getInstance(),
            RewardModelBuiltinsFactory.MarkModelRewardFactory.getInstance());

    /** The reward-model argument, with an error naming both kinds when a causal LM is given. */
    static RewardModelValue rewardModel(EngineArgs a, String name) {
        Object v = a.raw(name);
        if (v instanceof RewardModelValue rm) {
            return rm;
        }
        throw a.wrongType(name, "a reward model (reward_model(...), train_reward_model(...))"
                + (v instanceof ModelValue ? "; a causal language model scores no rewards: make one with reward_model(model)" : ""));
    }

    @Builtin(value = "reward_model(model, seed = 0)",
            doc = "a reward model made from a causal LM: a copy of its backbone plus a new scalar score head (bias-free, "
                    + "normal init with std 1/sqrt(dim + 1) as TRL does, drawn from seed); keeps the model's tokenizer")
    public abstract static class MakeRewardModel extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object model, Object seed) {
            EngineArgs a = EngineArgs.of(this, model, seed);
            ModelValue m = a.model("model");
            long s = a.longValue("seed");
            return a.engine(() -> new RewardModelValue(RewardModel.create(m.model(), s),
                    m.tokenizer(), new double[0], new double[0]));
        }
    }

    @Builtin(value = "score_sample(rm, s, tokens = false)",
            doc = "a reward model's reward for one sample record {prompt, tokens, ...} (what rewards see): the score of "
                    + "BOS + the encoded prompt + the completion's token ids, or with tokens: true the RED token rewards "
                    + "(a list, S_t - S_{t-1} from the prompt's score); what rw.model computes batched in a run")
    public abstract static class ScoreSample extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object score(Object rm, Object sample, Object tokens) {
            EngineArgs a = EngineArgs.of(this, rm, sample, tokens);
            RewardModelValue m = rewardModel(a, "rm");
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
            RewardModelValue m = rewardModel(a, "rm");
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
