package dev.rlx.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs that differ only in {@code seed}: the same experiment and the same lock once its top-level {@code seed = ...}
 * line is set aside. A report draws such a group as one mean curve with a min-max band, and a sweep's table has one
 * row per group.
 */
public record RunGroup(String label, List<RunRecord> runs) {
    private static final Pattern SEED_LINE = Pattern.compile("(?m)^seed = .*$");

    /** Groups {@code runs} by everything but their seed, keeping the order in which groups first occur. */
    public static List<RunGroup> bySeed(List<RunRecord> runs) {
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
        }
        Map<String, String> shared = shared(runs);
        List<RunGroup> out = new ArrayList<>();
        for (List<RunRecord> g : groups.values()) {
            out.add(new RunGroup(label(g, shared), g));
        }
        return out;
    }

    /** The overrides (seed aside) every run has, with the same value: said once on the page, not in each label. */
    public static Map<String, String> shared(List<RunRecord> runs) {
        Map<String, String> out = new LinkedHashMap<>(runs.isEmpty() ? Map.of() : runs.getFirst().overrides());
        out.remove("seed");
        for (RunRecord r : runs) out.entrySet().removeIf(e -> !e.getValue().equals(r.overrides().get(e.getKey())));
        return out;
    }

    /** The experiment and the lock with its seed line blanked (a run without a lock keeps a key of its own). */
    static String key(RunRecord r) {
        if (r.lockText().isEmpty()) return r.dir().toAbsolutePath().toString();
        return r.experiment() + "\n" + SEED_LINE.matcher(r.lockText()).replaceAll("seed = *");
    }

    /** {@code experiment k=v ... (seeds 1, 2, 3)}: the overrides other than seed and the shared ones, then the seeds. */
    private static String label(List<RunRecord> g, Map<String, String> shared) {
        RunRecord first = g.getFirst();
        String settings = first.overrides().entrySet().stream().filter(e -> !e.getKey().equals("seed"))
                .filter(e -> !shared.containsKey(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        String base = first.experiment() + (settings.isEmpty() ? "" : " " + settings);
        if (g.size() == 1) {
            String seed = first.overrides().get("seed");
            return base + (seed == null ? "" : " seed=" + seed);
        }
        return base + " (seeds " + g.stream().map(RunGroup::seed).collect(Collectors.joining(", ")) + ")";
    }

    /** The run's seed: its override, else the lock's top-level binding, else "?". */
    public static String seed(RunRecord r) {
        String o = r.overrides().get("seed");
        if (o != null) return o;
        var m = SEED_LINE.matcher(r.lockText());
        return m.find() ? m.group().substring("seed = ".length()).strip() : "?";
    }
}
