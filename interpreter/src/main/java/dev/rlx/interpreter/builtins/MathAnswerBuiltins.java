package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.reward.MathAnswer;
import dev.rlx.interpreter.runtime.RlxNone;
import java.math.BigDecimal;
import java.util.List;

/** Math answers as a verifier reads them ({@link MathAnswer}); std/rewards' math_match is built on them. */
public final class MathAnswerBuiltins {
    private MathAnswerBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            MathAnswerBuiltinsFactory.MathEqualFactory.getInstance(),
            MathAnswerBuiltinsFactory.MathAnswerOfFactory.getInstance());

    /** An answer as text: strings as they are; ints and floats as their exact decimal (0.1 is "0.1"); else null. */
    static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l) {
            return Long.toString(l);
        }
        if (v instanceof Double d && Double.isFinite(d)) {
            // the shortest decimal that reads back as d, so a float answer 0.1 means 1/10, not its binary value
            return new BigDecimal(Double.toString(d)).toPlainString();
        }
        return null;
    }

    @Builtin(value = "math_equal(a, b)",
            doc = "whether the math answer in a (a model's text: its last \\boxed{...}, else the whole text when it is "
                    + "one number, else its last number or fraction) equals the reference answer b (a string, int or "
                    + "float; its \\boxed{...} when it has one), after LaTeX normalization; exact rationals when both "
                    + "are numbers (\\frac{1}{2} == 0.5, 1,000 == 1000), else normalized strings. See std/rewards "
                    + "math_match for the list")
    public abstract static class MathEqual extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object equal(Object a, Object b) {
            String got = text(a);
            String want = text(b);
            if (got == null || want == null) {
                throw typeError(a, b);
            }
            return MathAnswer.equal(got, want);
        }
    }

    @Builtin(value = "math_answer(text)",
            doc = "the answer math_equal reads from a model's text, as written: its last complete \\boxed{...}'s "
                    + "content, else the whole text when it is one number, else its last number or fraction "
                    + "(\\frac{1}{2}, 3/4, 1,000, -2.5); none when there is none")
    public abstract static class MathAnswerOf extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object answer(String text) {
            String a = MathAnswer.extract(text);
            return a == null ? RlxNone.INSTANCE : a;
        }

        @Fallback
        protected Object error(Object text) {
            throw typeError(text);
        }
    }
}
