package dev.rlx.engine.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A sweep's table: one row per grid point other than seed, with the mean and min-max over its seeds of the final and
 * the best eval accuracy and of the step at which eval accuracy first reached the target ("-" for a seed that never
 * did; the mean is over the seeds that did). As Markdown for a README and as JSON for scripts.
 */
public final class SweepTable {
    /** One grid point: its settings other than seed and its runs, one per seed, in grid order. */
    public record Point(Map<String, String> settings, List<String> seeds, List<RunRecord> runs) {}

    private SweepTable() {}

    public static String markdown(String command, List<Point> points, double target) {
        StringBuilder b = new StringBuilder();
        b.append("`").append(command).append("`\n\n");
        String reach = Double.isNaN(target) ? "" : " steps to " + acc(target) + ": mean (min-max) | per seed |";
        b.append("| settings | seeds | done | start: mean | final: mean (min-max) | best: mean (min-max) |").append(reach)
                .append("\n|---|---|---|---|---|---|").append(Double.isNaN(target) ? "" : "---|---|").append('\n');
        for (Point p : points) {
            String settings = p.settings().isEmpty() ? "(as in the script)" : p.settings().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            long done = p.runs().stream().filter(RunRecord::complete).count();
            b.append("| ").append(settings).append(" | ").append(String.join(", ", p.seeds())).append(" | ").append(done)
                    .append("/").append(p.seeds().size()).append(" | ")
                    .append(acc(stats(p, RunRecord::startAccuracy).mean())).append(" | ")
                    .append(spread(stats(p, RunRecord::finalAccuracy), true)).append(" | ")
                    .append(spread(stats(p, RunRecord::bestAccuracy), true)).append(" |");
            if (!Double.isNaN(target)) {
                b.append(' ').append(spread(reachStats(p, target), false)).append(" | ")
                        .append(p.runs().stream().map(r -> steps(r.stepToReach(target))).collect(Collectors.joining(", ")))
                        .append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static String json(String command, String script, List<String> experiments, Map<String, List<String>> grid,
                              List<Point> points, double target) {
        JsonObject o = new JsonObject();
        o.addProperty("command", command);
        o.addProperty("script", script);
        JsonArray ex = new JsonArray();
        experiments.forEach(ex::add);
        o.add("experiments", ex);
        o.add("target", num(target));
        JsonObject g = new JsonObject();
        grid.forEach((k, vs) -> {
            JsonArray a = new JsonArray();
            vs.forEach(a::add);
            g.add(k, a);
        });
        o.add("grid", g);
        JsonArray ps = new JsonArray();
        for (Point p : points) {
            JsonObject j = new JsonObject();
            JsonObject settings = new JsonObject();
            p.settings().forEach(settings::addProperty);
            j.add("settings", settings);
            JsonArray runs = new JsonArray();
            for (int i = 0; i < p.runs().size(); i++) {
                RunRecord r = p.runs().get(i);
                JsonObject rj = new JsonObject();
                rj.addProperty("seed", p.seeds().get(i));
                rj.addProperty("folder", r.name());
                rj.addProperty("complete", r.complete());
                if (r.diverged() != null) rj.addProperty("diverged", r.diverged());
                rj.addProperty("steps", r.stepsDone());
                rj.add("start_accuracy", num(r.startAccuracy()));
                rj.add("final_accuracy", num(r.finalAccuracy()));
                rj.add("best_accuracy", num(r.bestAccuracy()));
                if (!Double.isNaN(target)) {
                    int s = r.stepToReach(target);
                    rj.add("step_to_target", s < 0 ? JsonNull.INSTANCE : new JsonPrimitive(s));
                }
                rj.add("wall_seconds", num(r.wallSeconds()));
                runs.add(rj);
            }
            j.add("runs", runs);
            j.add("final_accuracy", stat(stats(p, RunRecord::finalAccuracy)));
            j.add("best_accuracy", stat(stats(p, RunRecord::bestAccuracy)));
            if (!Double.isNaN(target)) {
                JsonObject st = stat(reachStats(p, target));
                st.addProperty("reached", reachStats(p, target).count());
                st.addProperty("of", p.runs().size());
                j.add("steps_to_target", st);
            }
            ps.add(j);
        }
        o.add("points", ps);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(o) + "\n";
    }

    private static Stats stats(Point p, java.util.function.ToDoubleFunction<RunRecord> f) {
        return Stats.of(p.runs().stream().mapToDouble(f).toArray());
    }

    /** Steps to target over the seeds that reached it. */
    private static Stats reachStats(Point p, double target) {
        return Stats.of(p.runs().stream().mapToDouble(r -> {
            int s = r.stepToReach(target);
            return s < 0 ? Double.NaN : s;
        }).toArray());
    }

    private static JsonObject stat(Stats s) {
        JsonObject o = new JsonObject();
        o.add("mean", num(s.mean()));
        o.add("min", num(s.min()));
        o.add("max", num(s.max()));
        return o;
    }

    private static com.google.gson.JsonElement num(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static String spread(Stats s, boolean accuracy) {
        if (s.count() == 0) return "-";
        java.util.function.DoubleFunction<String> f = accuracy ? SweepTable::acc : v -> String.format(Locale.ROOT, "%.0f", v);
        return s.min() == s.max() && s.count() == 1 ? f.apply(s.mean())
                : f.apply(s.mean()) + " (" + f.apply(s.min()) + "-" + f.apply(s.max()) + ")";
    }

    private static String steps(int s) {
        return s < 0 ? "-" : Integer.toString(s);
    }

    private static String acc(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
