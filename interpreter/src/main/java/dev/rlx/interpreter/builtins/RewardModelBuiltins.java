package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.reward.RewardModel;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import java.util.List;

/** Reward models as .rlx values: made from a causal LM, trained on preference pairs, used to score text. */
public final class RewardModelBuiltins {
    private RewardModelBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            RewardModelBuiltinsFactory.MakeRewardModelFactory.getInstance());

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
}
