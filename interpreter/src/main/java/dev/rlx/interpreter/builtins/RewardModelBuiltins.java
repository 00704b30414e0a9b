package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.reward.RewardModel;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import java.util.ArrayList;
import java.util.List;

/**
 * Reward models as .rlx values: made from a causal LM, used to score text. Training is in
 * {@link RewardTrainingBuiltins}; {@link #FACTORIES} lists both. Scores of a batch come from one forward (in chunks
 * of the engine's size), never one call per sequence.
 */
public final class RewardModelBuiltins {
    private RewardModelBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            RewardModelBuiltinsFactory.MakeRewardModelFactory.getInstance(),
            RewardModelBuiltinsFactory.ScoreFactory.getInstance(),
            RewardModelBuiltinsFactory.PrefixScoresFactory.getInstance(),
            RewardTrainingBuiltinsFactory.TrainRewardModelFactory.getInstance());

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

    @Builtin(value = "score(rm, prompt, completion = none)",
            doc = "the reward model's score (a float) of prompt + completion, read at the last token; prompt is a "
                    + "string (encoded with BOS) or token ids, completion a string or number (encoded with EOS after it, "
                    + "as a sampled completion that stopped ends) or token ids. Without completion, prompt is the whole "
                    + "sequence as token ids. Lists of prompts and completions (or a list of token lists) give a list of "
                    + "scores, from one batched forward")
    public abstract static class Score extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object score(Object rm, Object prompt, Object completion) {
            EngineArgs a = EngineArgs.of(this, rm, prompt, completion);
            RewardModelValue r = a.rewardModel("rm");
            RewardInputs in = new RewardInputs(this, r);
            List<int[]> prompts = new ArrayList<>();
            List<int[]> completions = new ArrayList<>();
            boolean batch;
            if (a.isNone("completion")) {
                if (!(prompt instanceof RlxList l) || l.size() == 0) {
                    throw error("without a completion, prompt must be a non-empty list of token ids (the whole "
                            + "sequence) or a list of them, not " + EngineArgs.show(prompt)
                            + "; for text give both: score(rm, prompt, completion)");
                }
                batch = l.get(0) instanceof RlxList;
                for (int i = 0; i < (batch ? l.size() : 1); i++) {
                    String what = batch ? "prompt[" + i + "]" : "prompt";
                    int[] seq = in.prompt(batch ? asList(l.get(i), what) : l, what);
                    in.fits(seq, new int[0], "", what);
                    prompts.add(seq);
                    completions.add(new int[0]); // scored at the last token of the "prompt": the sequence's end
                }
            } else {
                batch = prompt instanceof RlxList l && l.size() > 0
                        && (l.get(0) instanceof String || l.get(0) instanceof RlxList);
                if (batch) {
                    RlxList ps = (RlxList) prompt;
                    if (!(completion instanceof RlxList cs) || cs.size() != ps.size()) {
                        throw error("completion must be a list of " + ps.size() + " completions, one per prompt, not "
                                + EngineArgs.show(completion));
                    }
                    for (int i = 0; i < ps.size(); i++) {
                        add(in, ps.get(i), cs.get(i), "[" + i + "]", prompts, completions);
                    }
                } else {
                    add(in, prompt, completion, "", prompts, completions);
                }
            }
            double[] s = a.engine(() -> r.model().scoreSequences(prompts, completions, in.pad()));
            if (!batch) {
                return s[0];
            }
            Object[] out = new Object[s.length];
            for (int i = 0; i < s.length; i++) out[i] = s[i];
            return new RlxList(out);
        }

        private void add(RewardInputs in, Object prompt, Object completion, String index, List<int[]> prompts,
                         List<int[]> completions) {
            int[] p = in.prompt(prompt, "prompt" + index);
            int[] c = in.completion(completion, "completion" + index);
            in.fits(p, c, "", "prompt" + index + " + completion" + index);
            prompts.add(p);
            completions.add(c);
        }

        private RlxList asList(Object v, String what) {
            if (v instanceof RlxList l) {
                return l;
            }
            throw error(what + " is " + EngineArgs.show(v) + ", not a list of token ids");
        }
    }

    @Builtin(value = "prefix_scores(rm, prompt, completion)",
            doc = "the score after each completion token (a list of floats, one per token; the last is score(rm, "
                    + "prompt, completion)), all from one forward; encoded as score encodes them")
    public abstract static class PrefixScores extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object prefixScores(Object rm, Object prompt, Object completion) {
            EngineArgs a = EngineArgs.of(this, rm, prompt, completion);
            RewardModelValue r = a.rewardModel("rm");
            RewardInputs in = new RewardInputs(this, r);
            int[] p = in.prompt(prompt, "prompt");
            int[] c = in.completion(completion, "completion");
            if (c.length == 0) {
                throw error("completion is empty: there is no completion token to score after");
            }
            in.fits(p, c, "", "prompt + completion");
            float[] s = a.engine(() -> r.model().prefixScores(List.of(p), List.of(c), in.pad())[0]);
            Object[] out = new Object[s.length - 1]; // s[0] is the score at the prompt's last token
            for (int i = 0; i < out.length; i++) out[i] = (double) s[i + 1];
            return new RlxList(out);
        }
    }
}
