package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.util.ArrayList;
import java.util.List;

/**
 * A reward: a named function of one sample, or a weighted sum of rewards. `a + 0.2 * b + c` builds a
 * flat list of weighted terms so that every term can be computed and logged on its own.
 */
public final class RlxReward {
    /**
     * One named reward function with its weight in the sum. {@code batched}, when not null, is how the trainer
     * computes this term for a whole step at once (a reward model scored in the engine); {@code function} then
     * computes the same value for one sample (calling the reward directly, or as an eval metric).
     */
    public record Term(String name, double weight, RlxFunction function, BatchedReward batched) {
        public Term(String name, double weight, RlxFunction function) {
            this(name, weight, function, null);
        }
    }

    private final List<Term> terms;

    private RlxReward(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static RlxReward named(String name, RlxFunction function) {
        return new RlxReward(List.of(new Term(name, 1.0, function)));
    }

    /** A single term computed in batches by {@code batched} (and per sample by {@code function}). */
    public static RlxReward batched(String name, RlxFunction function, BatchedReward batched) {
        return new RlxReward(List.of(new Term(name, 1.0, function, batched)));
    }

    public List<Term> terms() {
        return terms;
    }

    /** A single unweighted term: what a `reward` declaration makes, callable like its function. */
    public boolean isSingle() {
        return terms.size() == 1 && terms.get(0).weight() == 1.0;
    }

    @TruffleBoundary
    public RlxReward plus(RlxReward other) {
        List<Term> all = new ArrayList<>(terms);
        all.addAll(other.terms);
        return new RlxReward(all);
    }

    @TruffleBoundary
    public RlxReward scale(double factor) {
        List<Term> all = new ArrayList<>();
        for (Term t : terms) {
            all.add(new Term(t.name(), t.weight() * factor, t.function(), t.batched()));
        }
        return new RlxReward(all);
    }

    @Override
    @TruffleBoundary
    public String toString() {
        StringBuilder sb = new StringBuilder("<reward ");
        for (int i = 0; i < terms.size(); i++) {
            Term t = terms.get(i);
            if (i > 0) {
                sb.append(" + ");
            }
            if (t.weight() != 1.0) {
                sb.append(ValuePrinter.formatDouble(t.weight())).append(" * ");
            }
            sb.append(t.name());
        }
        return sb.append('>').toString();
    }
}
