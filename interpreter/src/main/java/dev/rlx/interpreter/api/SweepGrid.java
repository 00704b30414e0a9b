package dev.rlx.interpreter.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `rlx sweep`'s `--set` pairs: {@code name=a,b,c} is a grid axis, {@code name=v} a fixed override of every run.
 * The runs are the cartesian product of the axes, the first axis varying slowest, seed always innermost: a grid
 * point is one setting of the axes other than seed, run once per seed.
 *
 * @param fixed the single-valued overrides, applied to every run
 * @param axes the axes other than seed, in the order given
 * @param seeds the seeds (an empty list: the script's own seed, no override)
 */
public record SweepGrid(Map<String, String> fixed, Map<String, List<String>> axes, List<String> seeds) {
    public static final String SEED = "seed";

    /** Splits {@code sets} (name -> value as given) into fixed overrides and axes; a malformed list is an error. */
    public static SweepGrid parse(Map<String, String> sets) {
        Map<String, String> fixed = new LinkedHashMap<>();
        Map<String, List<String>> axes = new LinkedHashMap<>();
        List<String> seeds = List.of();
        for (var e : sets.entrySet()) {
            String v = e.getValue();
            // a quoted string or a list may hold commas: it is one value
            if (!v.contains(",") || v.strip().startsWith("\"") || v.strip().startsWith("[")) {
                if (e.getKey().equals(SEED)) seeds = List.of(v.strip());
                else fixed.put(e.getKey(), v);
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String part : v.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    throw new RlxError("error: --set " + e.getKey() + "=" + v + ": an empty value in the list; write "
                            + "the values separated by commas, e.g. --set " + e.getKey() + "=1,2,3", null);
                }
                if (values.contains(p)) {
                    throw new RlxError("error: --set " + e.getKey() + "=" + v + ": " + p + " is given twice", null);
                }
                values.add(p);
            }
            if (e.getKey().equals(SEED)) seeds = values;
            else axes.put(e.getKey(), values);
        }
        return new SweepGrid(fixed, axes, seeds);
    }

    /** The grid points: each a setting of every axis (empty when there are no axes: one point). */
    public List<Map<String, String>> points() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (var axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            out = next;
        }
        return out;
    }

    /** The overrides of one run: the fixed ones, the point's, then its seed (null: the script's). */
    public Map<String, String> overrides(Map<String, String> point, String seed) {
        Map<String, String> o = new LinkedHashMap<>(fixed);
        o.putAll(point);
        if (seed != null) o.put(SEED, seed);
        return o;
    }

    /** Every multi-valued setting, seed included, for the sweep's JSON. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> m = new LinkedHashMap<>(axes);
        if (!seeds.isEmpty()) m.put(SEED, seeds);
        return m;
    }
}
