package dev.rlx.interpreter.experiment;

import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.rl.RlPlan;
import java.util.List;
import java.util.Map;

/**
 * The `select: {...}` record of a train experiment, read into the engine's {@link RlPlan.Selection}. Keys that the
 * chosen rule would ignore are errors at the key rather than silent no-ops, and each bound is checked where it is
 * written; a curriculum's difficulty field is read from every row here, so a row without it is an error before
 * anything trains.
 */
final class PromptSelection {
    private PromptSelection() {}

    static RlPlan.Selection plan(TrainRecord select, Dataset data, int steps, boolean hasMetric) {
        String rule = select.string("rule");
        onlyWith(select, rule, "learnability", "explore", "ema");
        onlyWith(select, rule, "curriculum", "field", "start", "ramp");
        double replay = select.number("replay");
        if (replay <= 0) {
            for (String k : List.of("fail_below", "capacity")) {
                if (select.has(k)) {
                    throw select.error(k, "is read only by replay, which is off (replay: 0.0)", "set replay: 0.25 to "
                            + "replay failed prompts a quarter of the time, or leave " + k + " out");
                }
            }
        }
        double explore = within(select, "explore", 0, true, 1, true);
        double ema = within(select, "ema", 0, false, 1, true);
        double start = within(select, "start", 0, false, 1, true);
        within(select, "replay", 0, true, 1, false);
        double failBelow = within(select, "fail_below", 0, false, 1, true);
        long capacity = select.integer("capacity");
        if (capacity < 1) {
            throw select.error("capacity", "must be at least 1, got " + capacity);
        }
        int ramp = steps;
        if (select.has("ramp")) {
            long r = select.integer("ramp");
            if (r < 1) {
                throw select.error("ramp", "must be at least 1 step, got " + r);
            }
            ramp = (int) Math.min(r, Integer.MAX_VALUE);
        }
        if ((rule.equals("learnability") || replay > 0) && !hasMetric) {
            String key = rule.equals("learnability") ? "rule" : "replay";
            throw select.error(key, "needs eval.metric: a prompt's success rate is the share of its completions that "
                    + "metric accepts", "add eval: {data: ..., metric: correct} to the experiment");
        }
        double[] difficulty = null;
        if (rule.equals("curriculum")) {
            if (!select.has("field")) {
                throw select.error("rule", "\"curriculum\" needs select.field: the numeric row field that orders the "
                        + "prompts from easy to hard", "field: \"difficulty\"");
            }
            difficulty = difficulty(select, data);
        }
        return new RlPlan.Selection(RlPlan.SelectionRule.valueOf(rule.toUpperCase()), explore, ema, difficulty, start,
                Math.max(1, ramp), replay, failBelow, (int) Math.min(capacity, Integer.MAX_VALUE));
    }

    private static void onlyWith(TrainRecord select, String rule, String owner, String... keys) {
        if (rule.equals(owner)) {
            return;
        }
        for (String k : keys) {
            if (select.has(k)) {
                throw select.error(k, "is read only by rule \"" + owner + "\"; this select has rule \"" + rule + "\"");
            }
        }
    }

    private static double within(TrainRecord select, String key, double lo, boolean loIn, double hi, boolean hiIn) {
        double v = select.number(key);
        boolean ok = (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi);
        if (!ok) {
            throw select.error(key, "must lie in " + (loIn ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + (hiIn ? "]" : ")")
                    + ", got " + v);
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double[] difficulty(TrainRecord select, Dataset data) {
        String field = select.string("field");
        double[] d = new double[data.size()];
        for (int i = 0; i < d.length; i++) {
            Row r = data.get(i);
            Object v = r.fields().get(field);
            if (!(v instanceof Long || v instanceof Double) || Double.isNaN(((Number) v).doubleValue())) {
                List<String> numeric = r.fields().entrySet().stream()
                        .filter(e -> e.getValue() instanceof Long || e.getValue() instanceof Double).map(Map.Entry::getKey).toList();
                throw select.error("field", "\"" + field + "\" is not a number in row " + i + " of " + data.name() + " (\""
                        + r.prompt() + "\"): " + (v == null ? "the row has no such field" : "it holds " + v),
                        numeric.isEmpty() ? "the rows have no numeric field to order them by; a jsonl file can add one"
                                : "numeric fields of the row: " + String.join(", ", numeric));
            }
            d[i] = ((Number) v).doubleValue();
        }
        return d;
    }
}
