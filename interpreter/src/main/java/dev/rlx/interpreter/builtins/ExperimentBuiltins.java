package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.List;

/** Builtins that describe parts of an experiment (the `train { ... }` record). */
public final class ExperimentBuiltins {
    private ExperimentBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            ExperimentBuiltinsFactory.AdamwFactory.getInstance());

    /**
     * adamw's signature: its defaults are the optimizer of every experiment that names none (the train schema
     * shows this text and evaluates `adamw()` for a missing optimizer), so they live only here.
     */
    public static final String ADAMW = "adamw(lr = 1e-6, betas = none, weight_decay = 0.0, clip_grad = 1.0, "
            + "schedule = \"constant\", warmup = 0, min_lr_ratio = 0.0)";

    /** adamw's doc line, also shown by `:help train` for the optimizer key. */
    public static final String ADAMW_DOC = "AdamW settings for train { optimizer: ... } (betas none = [0.9, 0.999]): "
            + "decoupled weight decay (matrices only), global grad-norm clipping (none = off), schedule \"constant\", "
            + "\"linear\" (decay to min_lr_ratio * lr) or \"cosine\", after `warmup` linear warm-up steps";

    @Builtin(value = ADAMW, doc = ADAMW_DOC)
    public abstract static class Adamw extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected RlxRecord adamw(Object lr, Object betas, Object weightDecay, Object clipGrad, Object schedule,
                                  Object warmup, Object minLrRatio) {
            double rate = number(lr, "lr");
            if (!(rate > 0)) {
                throw error("lr must be positive, got " + rate);
            }
            if (betas == RlxNone.INSTANCE) {
                betas = new RlxList(new Object[] {0.9, 0.999});
            }
            if (!(betas instanceof RlxList b) || b.size() != 2) {
                throw error("betas must be a list of two floats, got " + Types.name(betas));
            }
            double b1 = number(b.get(0), "betas[0]");
            double b2 = number(b.get(1), "betas[1]");
            if (b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1) {
                throw error("betas must lie in [0, 1), got [" + b1 + ", " + b2 + "]");
            }
            if (!(schedule instanceof String s) || !List.of("constant", "linear", "cosine").contains(s)) {
                throw error("schedule must be \"constant\", \"linear\" or \"cosine\", got " + show(schedule));
            }
            if (!(warmup instanceof Long w) || w < 0) {
                throw error("warmup must be a non-negative int, got " + show(warmup));
            }
            Object clip = clipGrad == RlxNone.INSTANCE ? clipGrad
                    : (Object) number(clipGrad, "clip_grad");
            return RlxRecord.of("optimizer",
                    List.of("name", "lr", "betas", "weight_decay", "clip_grad", "schedule", "warmup", "min_lr_ratio"),
                    List.of("adamw", rate, new RlxList(new Object[] {b1, b2}), number(weightDecay, "weight_decay"),
                            clip, s, w, number(minLrRatio, "min_lr_ratio")));
        }

        private double number(Object v, String what) {
            if (v instanceof Long l) {
                return l;
            }
            if (v instanceof Double d) {
                return d;
            }
            throw error(what + " must be a number, got " + Types.name(v));
        }

        private static String show(Object v) {
            return ValuePrinter.display(v);
        }
    }
}
