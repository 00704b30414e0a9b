package dev.rlx.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sorts metrics.jsonl keys into the report's sections by name, whatever the experiment logged: a new loss
 * diagnostic or reward term lands in a sensible place without a list to keep up to date.
 */
final class MetricSections {
    static final List<String> ORDER = List.of("Evaluation", "Reward", "Policy: KL, entropy, clipping", "Loss and optimizer",
            "Lengths", "Rollout", "Carried state", "Step time (ms)", "Other");

    private MetricSections() {}

    static String sectionOf(String key) {
        if (key.equals("eval_accuracy") || key.equals("accuracy")) return "Evaluation";
        if (key.startsWith("reward") || key.equals("score_std") || key.equals("baseline_reward")) return "Reward";
        if (key.startsWith("time_ms_")) return "Step time (ms)";
        if (key.startsWith("state/")) return "Carried state";
        if (key.startsWith("length") || key.equals("truncation_rate")) return "Lengths";
        if (key.contains("kl") || key.contains("entropy") || key.contains("clip") || key.contains("ratio")) {
            return "Policy: KL, entropy, clipping";
        }
        if (key.contains("loss") || key.equals("grad_norm") || key.equals("lr") || key.startsWith("value_")
                || key.contains("margin")) {
            return "Loss and optimizer";
        }
        if (key.equals("filtered_groups") || key.equals("rollouts") || key.equals("update_rows") || key.equals("kept")
                || key.equals("penalized")) {
            return "Rollout";
        }
        return "Other";
    }

    /** The keys by section, sections in {@link #ORDER}; eval accuracy and the reward first within theirs. */
    static Map<String, List<String>> group(List<String> keys) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String s : ORDER) out.put(s, new ArrayList<>());
        for (String k : keys) out.get(sectionOf(k)).add(k);
        out.get("Evaluation").sort((a, b) -> a.equals("eval_accuracy") ? -1 : b.equals("eval_accuracy") ? 1 : 0);
        out.get("Step time (ms)").sort((a, b) -> a.equals("time_ms_total") ? -1 : b.equals("time_ms_total") ? 1 : 0);
        out.values().removeIf(List::isEmpty);
        return out;
    }
}
