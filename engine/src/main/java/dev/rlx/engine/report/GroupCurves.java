package dev.rlx.engine.report;

import java.util.List;
import java.util.TreeMap;

/**
 * A metric of a group of runs as one drawn series: a lone run's own points, or, over seeds, the mean at each step
 * with the min-max band of the runs that logged that step (a run still training covers fewer steps).
 */
final class GroupCurves {
    private GroupCurves() {}

    static SvgChart.Line line(RunGroup g, String key, String color) {
        if (g.runs().size() == 1) {
            RunRecord.Series s = series(g.runs().getFirst(), key);
            return new SvgChart.Line(g.label(), color, s.steps(), s.values());
        }
        TreeMap<Double, double[]> at = new TreeMap<>(); // step -> {sum, min, max, count}
        for (RunRecord r : g.runs()) {
            RunRecord.Series s = series(r, key);
            for (int i = 0; i < s.size(); i++) {
                double v = s.values()[i];
                at.merge(s.steps()[i], new double[] {v, v, v, 1},
                        (a, b) -> new double[] {a[0] + b[0], Math.min(a[1], b[1]), Math.max(a[2], b[2]), a[3] + b[3]});
            }
        }
        int n = at.size();
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        int i = 0;
        for (var e : at.entrySet()) {
            double[] a = e.getValue();
            x[i] = e.getKey();
            mean[i] = a[0] / a[3];
            lo[i] = a[1];
            hi[i] = a[2];
            i++;
        }
        return new SvgChart.Line(g.label() + " mean, min-max", color, x, mean, lo, hi);
    }

    /** Eval accuracy starts at step 0 (the accuracy before training); every other metric is as logged. */
    static RunRecord.Series series(RunRecord r, String key) {
        return key.equals("eval_accuracy") ? r.evalAccuracy() : r.series(key);
    }

    static boolean anyHas(List<RunGroup> groups, String key) {
        return groups.stream().flatMap(g -> g.runs().stream()).anyMatch(r -> series(r, key).size() > 0);
    }
}
