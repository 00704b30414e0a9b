package dev.rlx.engine.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Draws {@code count} problems of one split from a seeded generator. Candidates from the other split are
 * rejected (so the split stays a property of the problem, see {@link Split}). Rows are distinct problems
 * while the split has enough of them: once {@link #DUPLICATE_PATIENCE} candidates in a row are repeats,
 * the split is taken to be exhausted and later rows are drawn with repeats (two-digit addition has ~9,000
 * training problems; a 20,000-row training set holds each about twice).
 */
final class ProblemSampler {
    /** A generated problem with the key that identifies it for splitting and de-duplication. */
    record Problem(String key, Row row) {}

    static final int DUPLICATE_PATIENCE = 2_000;
    private static final int REJECTION_LIMIT = 1_000_000;

    private ProblemSampler() {}

    static List<Row> sample(String task, int count, long seed, Split split, Function<SeededRandom, Problem> generator) {
        if (count < 1 || count > 10_000_000) {
            throw new DataException("count must be between 1 and 10000000, not " + count);
        }
        SeededRandom rng = new SeededRandom(SeededRandom.hash(task) ^ SeededRandom.mix(seed));
        List<Row> out = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        boolean distinct = true;
        int repeats = 0;
        int rejected = 0;
        while (out.size() < count) {
            Problem p = generator.apply(rng);
            if (Split.of(task, p.key()) != split) {
                if (++rejected > REJECTION_LIMIT) {
                    throw new DataException(task + ": the " + split.label() + " split has no problems with these options");
                }
                continue;
            }
            rejected = 0;
            if (distinct && !seen.add(p.key())) {
                if (++repeats >= DUPLICATE_PATIENCE) {
                    distinct = false;
                }
                continue;
            }
            repeats = 0;
            out.add(p.row());
        }
        return out;
    }
}
