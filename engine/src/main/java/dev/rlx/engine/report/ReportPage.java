package dev.rlx.engine.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rlx.engine.tensor.Numerics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * `rlx report`: one self-contained HTML page for one or more runs. Runs that differ only in seed are drawn as one
 * group (mean and min-max band); each metric gets a chart against step; then a summary table, the time split of a
 * step, each run's lock and overrides, and the samples, filterable by run, step and text. Styles and the small
 * script (hover values, the sample filter) are inlined from resources: nothing is fetched when the page opens.
 */
public final class ReportPage {
    /** Line colours, one per group, chosen to stay apart on white and for common colour blindness. */
    static final List<String> PALETTE = List.of("#1f6fb4", "#e8730c", "#2a9d3a", "#c8283a", "#7a4fb0", "#8c5a3c",
            "#d4479e", "#5f6b73", "#a8a81c", "#18a5b8");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final String title;
    private final List<RunRecord> runs;
    private final List<RunGroup> groups;
    private final Map<String, String> shared;

    public ReportPage(String title, List<RunRecord> runs) {
        if (runs.isEmpty()) throw new IllegalArgumentException("a report needs at least one run");
        this.title = title;
        this.runs = runs;
        this.groups = RunGroup.bySeed(runs);
        this.shared = RunGroup.shared(runs);
    }

    /** Writes the page to {@code out} atomically (a browser reloading it never sees half a file). */
    public void write(Path out) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve("." + out.getFileName() + ".tmp");
            Files.writeString(tmp, html(), StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    public List<RunGroup> groups() {
        return groups;
    }

    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(title)).append("</title><style>").append(resource("report.css"))
                .append("</style></head><body>\n");
        h.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        h.append("<p class=\"note\">").append(runs.size()).append(runs.size() == 1 ? " run" : " runs")
                .append(groups.size() < runs.size() ? ", " + groups.size() + " groups (runs that differ only in seed are "
                        + "drawn as their mean with a min-max band)" : "")
                .append(". Read from the run folders as they were when this page was written.")
                .append(shared.isEmpty() ? "" : (runs.size() == 1 ? " Overrides: " : " Overrides every run has: ") + Html.escape(String.join(" ", shared.entrySet().stream()
                        .map(e -> "--set " + e.getKey() + "=" + e.getValue()).toList())) + ".")
                .append("</p>\n");
        legend(h);
        summary(h);
        JsonObject hover = new JsonObject();
        charts(h, hover);
        timeSplit(h);
        locks(h);
        samples(h);
        h.append("<script type=\"application/json\" id=\"chart-data\">").append(Html.scriptJson(GSON.toJson(hover)))
                .append("</script>\n");
        h.append("<script>").append(resource("report.js")).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private String color(RunGroup g) {
        return PALETTE.get(groups.indexOf(g) % PALETTE.size());
    }

    private RunGroup groupOf(RunRecord r) {
        return groups.stream().filter(g -> g.runs().contains(r)).findFirst().orElseThrow();
    }

    private void legend(StringBuilder h) {
        h.append("<div class=\"legend\">");
        for (RunGroup g : groups) {
            h.append("<span class=\"key\"><span class=\"swatch\" style=\"background:").append(color(g)).append("\"></span>")
                    .append(Html.escape(g.label())).append("</span>");
        }
        h.append("</div>\n");
    }

    private void summary(StringBuilder h) {
        h.append("<h2>Summary</h2>\n<table class=\"summary\"><thead><tr><th>run</th><th>seed</th><th>status</th>")
                .append("<th>steps</th><th>start</th><th>final</th><th>best (step)</th><th>wall time</th></tr></thead><tbody>\n");
        for (RunRecord r : runs) {
            RunRecord.Series ev = r.evalAccuracy();
            int bestStep = -1;
            double best = r.bestAccuracy();
            for (int i = 0; i < ev.size(); i++) {
                if (ev.values()[i] == best) {
                    bestStep = (int) ev.steps()[i];
                    break;
                }
            }
            h.append("<tr><td><span class=\"swatch\" style=\"background:").append(color(groupOf(r))).append("\"></span>")
                    .append(Html.escape(r.name())).append("</td><td>").append(Html.escape(RunGroup.seed(r))).append("</td><td>")
                    .append(status(r)).append("</td><td>").append(r.stepsDone())
                    .append(r.totalSteps() > 0 ? " / " + r.totalSteps() : "").append("</td><td>").append(acc(r.startAccuracy()))
                    .append("</td><td>").append(acc(r.finalAccuracy())).append("</td><td>").append(acc(best))
                    .append(bestStep >= 0 ? " (" + bestStep + ")" : "").append("</td><td>").append(duration(r.wallSeconds()))
                    .append("</td></tr>\n");
        }
        for (RunGroup g : groups) {
            if (g.runs().size() < 2) continue;
            h.append("<tr class=\"group\"><td colspan=\"4\"><span class=\"swatch\" style=\"background:").append(color(g))
                    .append("\"></span>").append(Html.escape(g.label())).append(": mean (min-max)</td><td>")
                    .append(spread(g, RunRecord::startAccuracy)).append("</td><td>").append(spread(g, RunRecord::finalAccuracy))
                    .append("</td><td>").append(spread(g, RunRecord::bestAccuracy)).append("</td><td></td></tr>\n");
        }
        h.append("</tbody></table>\n");
        numericsNote(h);
    }

    private static String status(RunRecord r) {
        if (r.diverged() != null) return "<span title=\"" + Html.escape(r.diverged()) + "\">diverged</span>";
        if (r.complete()) return "complete";
        return r.runJson().has("summary") ? "stopped" : "running or stopped";
    }

    private static String spread(RunGroup g, java.util.function.ToDoubleFunction<RunRecord> f) {
        Stats s = Stats.of(g.runs().stream().mapToDouble(f).toArray());
        return s.count() == 0 ? "-" : acc(s.mean()) + " (" + acc(s.min()) + "-" + acc(s.max()) + ")";
    }

    private void charts(StringBuilder h, JsonObject hover) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunRecord r : runs) keys.addAll(r.metricKeys());
        if (runs.stream().anyMatch(r -> !Double.isNaN(r.startAccuracy()))) keys.add("eval_accuracy");
        int n = 0;
        for (Map.Entry<String, List<String>> section : MetricSections.group(new ArrayList<>(keys)).entrySet()) {
            h.append("<h2>").append(Html.escape(section.getKey())).append("</h2>\n<div class=\"charts\">");
            for (String key : section.getValue()) {
                if (!GroupCurves.anyHas(groups, key)) continue;
                List<SvgChart.Line> lines = new ArrayList<>();
                for (RunGroup g : groups) {
                    SvgChart.Line l = GroupCurves.line(g, key, color(g));
                    if (l.x().length > 0) lines.add(l);
                }
                String id = "chart-" + n++;
                SvgChart chart = new SvgChart(id, key, lines);
                h.append("<figure data-metric=\"").append(Html.escape(key)).append("\">").append(chart.svg()).append("</figure>");
                hover.add(id, chart.hoverData());
            }
            h.append("</div>\n");
        }
    }

    /** The mean milliseconds of each stage per step, one stacked bar per run. */
    private void timeSplit(StringBuilder h) {
        List<String> stages = new ArrayList<>();
        for (RunRecord r : runs) {
            for (String k : r.metricKeys()) {
                if (k.startsWith("time_ms_") && !k.equals("time_ms_total") && !stages.contains(k)) stages.add(k);
            }
        }
        if (stages.isEmpty()) return;
        h.append("<h2>Where a step's time goes (mean ms per step)</h2>\n<table class=\"split\"><tbody>");
        double widest = 0;
        List<double[]> means = new ArrayList<>();
        for (RunRecord r : runs) {
            double[] m = new double[stages.size()];
            for (int k = 0; k < m.length; k++) {
                RunRecord.Series s = r.series(stages.get(k));
                double sum = 0;
                for (double v : s.values()) sum += v;
                m[k] = r.metrics().isEmpty() ? 0 : sum / r.metrics().size();
            }
            means.add(m);
            widest = Math.max(widest, java.util.Arrays.stream(m).sum());
        }
        for (int i = 0; i < runs.size(); i++) {
            double[] m = means.get(i);
            h.append("<tr><td>").append(Html.escape(runs.get(i).name())).append("</td><td><div class=\"bar\">");
            for (int k = 0; k < m.length; k++) {
                if (m[k] <= 0) continue;
                h.append("<span style=\"width:").append(String.format(Locale.ROOT, "%.2f", widest > 0 ? 100 * m[k] / widest : 0))
                        .append("%;background:").append(PALETTE.get(k % PALETTE.size())).append("\" title=\"")
                        .append(Html.escape(stages.get(k).substring("time_ms_".length()))).append(String.format(Locale.ROOT,
                                " %.1f ms", m[k])).append("\"></span>");
            }
            h.append("</div></td><td>").append(String.format(Locale.ROOT, "%.0f ms", java.util.Arrays.stream(m).sum()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>\n<div class=\"legend\">");
        for (int k = 0; k < stages.size(); k++) {
            h.append("<span class=\"key\"><span class=\"swatch\" style=\"background:").append(PALETTE.get(k % PALETTE.size()))
                    .append("\"></span>").append(Html.escape(stages.get(k).substring("time_ms_".length()))).append("</span>");
        }
        h.append("</div>\n");
    }

    /**
     * Runs computed with other numerics (another libtorch, thread count or CPU) differ in their last bits from the
     * first step on, so their spread is not only their seeds': say so under the summary.
     */
    private void numericsNote(StringBuilder h) {
        Map<Numerics, List<String>> byNumerics = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            Numerics n = r.numerics();
            if (n != null) byNumerics.computeIfAbsent(n, k -> new ArrayList<>()).add(r.name());
        }
        if (byNumerics.size() < 2) return;
        h.append("<p class=\"note\">These runs were computed with different numerics, so they differ in their last bits ")
                .append("from the first step on, beyond what their recipes and seeds change:</p>\n<ul class=\"note\">");
        byNumerics.forEach((n, names) -> h.append("<li>").append(Html.escape(n.describe())).append(": ")
                .append(Html.escape(String.join(", ", names))).append("</li>"));
        h.append("</ul>\n");
    }

    private void locks(StringBuilder h) {
        h.append("<h2>Recipes (recipe.lock.rlx)</h2>\n");
        for (RunRecord r : runs) {
            Numerics numerics = r.numerics();
            String overrides = r.overrides().isEmpty() ? "no overrides" : String.join(" ", r.overrides().entrySet().stream()
                    .map(e -> "--set " + e.getKey() + "=" + e.getValue()).toList());
            h.append("<details class=\"lock\"><summary>").append(Html.escape(r.name())).append(" &middot; hash <code>")
                    .append(Html.escape(r.hash())).append("</code> &middot; <code>").append(Html.escape(overrides))
                    .append("</code>").append(numerics == null ? "" : " &middot; " + Html.escape(numerics.describe()))
                    .append("</summary><pre>").append(Html.escape(r.lockText())).append("</pre></details>\n");
        }
    }

    private void samples(StringBuilder h) {
        JsonObject data = new JsonObject();
        JsonArray names = new JsonArray();
        JsonArray rows = new JsonArray();
        for (int i = 0; i < runs.size(); i++) {
            names.add(runs.get(i).name());
            for (JsonObject s : runs.get(i).samples()) {
                JsonArray row = new JsonArray();
                row.add(i);
                row.add(s.get("step"));
                row.add(s.has("prompt") ? s.get("prompt").getAsString() : "");
                row.add(s.has("completion") ? s.get("completion").getAsString()
                        : s.has("chosen") ? s.get("chosen").getAsString() : "");
                row.add(s.has("score") ? s.get("score") : null);
                row.add(s.has("terms") ? s.get("terms") : new JsonObject());
                rows.add(row);
            }
        }
        data.add("runs", names);
        data.add("rows", rows);
        h.append("<h2>Samples (samples.jsonl)</h2>\n<div class=\"filters\">")
                .append("<label>run <select id=\"f-run\"><option value=\"\">all</option></select></label>")
                .append("<label>step from <input id=\"f-from\" type=\"number\" min=\"0\"></label>")
                .append("<label>to <input id=\"f-to\" type=\"number\" min=\"0\"></label>")
                .append("<label>text <input id=\"f-text\" type=\"search\" placeholder=\"prompt or completion\"></label>")
                .append("<span id=\"f-count\"></span></div>\n")
                .append("<table class=\"samples\"><thead><tr><th>run</th><th>step</th><th>prompt</th><th>completion</th>")
                .append("<th>score</th><th>terms</th></tr></thead><tbody id=\"sample-rows\"></tbody></table>\n")
                .append("<script type=\"application/json\" id=\"sample-data\">").append(Html.scriptJson(GSON.toJson(data)))
                .append("</script>\n");
    }

    static String acc(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
