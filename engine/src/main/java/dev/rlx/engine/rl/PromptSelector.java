package dev.rlx.engine.rl;

import com.google.gson.JsonObject;
import dev.rlx.engine.data.Shuffle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data stage that chooses each prompt a step rolls out: without a {@link RlPlan.Selection}, the seeded order
 * exactly as before (nothing else is drawn, so such runs are bit-identical to runs made before selection existed);
 * with one, replay of failed prompts, learnability-weighted draws or a curriculum (see {@link RlPlan.Selection}).
 *
 * <p>Draws are counted per bucket (where a prompt came from: {@code order}, {@code learnability},
 * {@code curriculum}, {@code replay}) and logged as {@code select/<bucket>} each step. Randomness comes from a
 * stream addressed by (seed, step), so it needs no checkpoint; what is checkpointed is what the run learned about
 * its prompts ({@link #save}): the success estimates and the replay buffer, beside the order's cursor.
 */
final class PromptSelector {
    /** Salt of the selection stream, apart from sampling's (seed, step, round) streams. */
    private static final long STREAM = 0x5E1EC7L;

    private final RlPlan.Selection sel;
    private final PromptSource data;
    private final PromptOrder order;
    private final long seed;
    private final PromptStats stats;
    private final ReplayBuffer replay;
    /** Row indices from easiest to hardest (curriculum only). */
    private final int[] easiestFirst;
    private final Map<String, Integer> drawn = new LinkedHashMap<>();
    private SplittableRandom rng;
    private int admitted;

    PromptSelector(RlPlan.Selection sel, PromptSource data, PromptOrder order, long seed) {
        this.sel = sel;
        this.data = data;
        this.order = order;
        this.seed = seed;
        this.stats = sel != null && sel.rule() == RlPlan.SelectionRule.LEARNABILITY ? new PromptStats(data.size(), sel.ema()) : null;
        this.replay = sel != null && sel.replay() > 0 ? new ReplayBuffer(sel.capacity()) : null;
        this.easiestFirst = sel != null && sel.rule() == RlPlan.SelectionRule.CURRICULUM ? byDifficulty(sel.difficulty(), data.size()) : null;
    }

    /** Whether the rollout must report each group's accuracy ({@link #observe}). */
    boolean observes() {
        return stats != null || replay != null;
    }

    void beginStep(int step) {
        if (sel == null) return;
        rng = new SplittableRandom(Shuffle.seed(seed, step, STREAM));
        drawn.clear();
        for (String b : buckets()) drawn.put(b, 0);
        if (easiestFirst != null) admitted = admitted(step);
    }

    /** The next prompt's row index. */
    int next() {
        if (sel == null) return order.nextIndex();
        if (replay != null && replay.size() > 0 && rng.nextDouble() < sel.replay()) {
            return count("replay", replay.draw(rng));
        }
        return switch (sel.rule()) {
            case ORDER -> count("order", order.nextIndex());
            case CURRICULUM -> count("curriculum", easiestFirst[rng.nextInt(admitted)]);
            case LEARNABILITY -> {
                int i = rng.nextDouble() < sel.explore() ? -1 : stats.drawLearnable(rng);
                yield i >= 0 ? count("learnability", i) : count("order", order.nextIndex());
            }
        };
    }

    PromptSource.Prompt prompt(int index) {
        return data.get(index);
    }

    /** A rollout group of prompt {@code index}: {@code correct} of {@code total} completions were correct. */
    void observe(int index, int correct, int total) {
        double acc = correct / (double) total;
        if (stats != null) stats.observe(index, acc);
        if (replay == null) return;
        if (acc < sel.failBelow()) replay.failed(index);
        else replay.solved(index);
    }

    /** The step's draws per bucket and the selection's own state, for the metrics line (nothing without a rule). */
    void log(Map<String, Object> m) {
        if (sel == null) return;
        drawn.forEach((b, n) -> m.put("select/" + b, n));
        if (stats != null) m.put("select/tracked", stats.tracked());
        if (replay != null) m.put("select/replay_buffer", replay.size());
        if (easiestFirst != null) m.put("select/admitted", admitted / (double) data.size());
    }

    /** What the checkpoint keeps beside the cursor (null without a selection rule). */
    JsonObject save() {
        if (sel == null) return null;
        JsonObject o = new JsonObject();
        if (stats != null) o.add("estimates", stats.save());
        if (replay != null) o.add("replay", replay.save());
        return o;
    }

    void restore(JsonObject saved) {
        if (stats != null && saved.has("estimates")) stats.restore(saved.getAsJsonArray("estimates"));
        if (replay != null && saved.has("replay")) replay.restore(saved.getAsJsonArray("replay"));
    }

    private String[] buckets() {
        String rule = switch (sel.rule()) {
            case ORDER -> "order";
            case LEARNABILITY -> "learnability";
            case CURRICULUM -> "curriculum";
        };
        if (sel.rule() == RlPlan.SelectionRule.LEARNABILITY) {
            return replay == null ? new String[] {"order", rule} : new String[] {"order", rule, "replay"};
        }
        return replay == null ? new String[] {rule} : new String[] {rule, "replay"};
    }

    private int count(String bucket, int index) {
        drawn.merge(bucket, 1, Integer::sum);
        return index;
    }

    /** How many of the easiest rows step {@code step} may draw: a share rising from start to 1 over ramp steps. */
    int admitted(int step) {
        double share = Math.min(1.0, sel.start() + (1 - sel.start()) * (step - 1) / (double) sel.ramp());
        // the 1e-9 keeps decimal shares whole: .2 + .8 * 2 / 4 is 0.6000000000000001, and 60 of 100 rows is meant
        return Math.max(1, Math.min(data.size(), (int) Math.ceil(share * data.size() - 1e-9)));
    }

    private static int[] byDifficulty(double[] d, int size) {
        if (d.length != size) throw new IllegalArgumentException("curriculum: " + d.length + " difficulties for " + size + " rows");
        return Arrays.stream(Shuffle.identity(size)).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> d[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }
}
