package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.experiment.TrainSchema.Code;
import dev.rlx.interpreter.experiment.TrainSchema.Key;
import dev.rlx.interpreter.experiment.TrainSchema.Required;
import dev.rlx.interpreter.experiment.TrainSchema.Value;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.Map;

/**
 * `:help train` and `:help train.rollout`: the train record's keys with their types, defaults and docs, nested
 * records indented under their key, printed from {@link TrainSchema} so the help cannot drift from what runs.
 */
public final class TrainSchemaHelp {
    private TrainSchemaHelp() {}

    /**
     * The help of `train` or `preference`, of a nested record `train.KEY`, or of `preference.batch`; null when
     * {@code name} is none of them.
     */
    public static String describe(String name) {
        if (name.equals(TrainSchema.TAG) || name.equals(PreferenceSchema.TAG)) {
            StringBuilder sb = new StringBuilder(name.equals(TrainSchema.TAG)
                    ? "train { ... }: an RL experiment (usually built by a recipe); its keys, checked by `rlx check`:"
                    : "preference { ... }: an offline preference experiment (DPO and its family; usually built by a "
                            + "recipe); its keys, checked by `rlx check`:");
            appendKeys(sb, TrainSchema.experimentKeys(name), "  ");
            return sb.toString();
        }
        if (name.equals(PreferenceSchema.TAG + ".batch")) {
            return PreferenceSchema.BATCH_DOC;
        }
        int dot = name.indexOf('.');
        Map<String, Key> keys = dot < 0 ? null : TrainSchema.experimentKeys(name.substring(0, dot));
        if (keys != null) {
            Key key = keys.get(name.substring(dot + 1));
            if (key != null) {
                StringBuilder sb = new StringBuilder();
                appendKey(sb, key, "");
                if (key.nested() != null) {
                    appendKeys(sb, key.nested(), "  ");
                }
                return sb.toString();
            }
        }
        return null;
    }

    /**
     * The keys of the record at {@code path} (an experiment tag, then nested keys: [train], [train, rollout]); null
     * when the path names no record of the schema. Editors complete these.
     */
    public static Map<String, Key> keysAt(java.util.List<String> path) {
        if (path.isEmpty()) {
            return null;
        }
        Map<String, Key> keys = TrainSchema.experimentKeys(path.get(0));
        for (int i = 1; i < path.size() && keys != null; i++) {
            Key k = keys.get(path.get(i));
            keys = k == null ? null : k.nested();
        }
        return keys;
    }

    /** The help of one key at any depth ([train, rollout, group]), as `:help train.rollout` prints it; or null. */
    public static String describeKey(java.util.List<String> path) {
        if (path.size() < 2) {
            return path.size() == 1 ? describe(path.get(0)) : null;
        }
        Map<String, Key> keys = keysAt(path.subList(0, path.size() - 1));
        Key key = keys == null ? null : keys.get(path.get(path.size() - 1));
        if (key == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(String.join(".", path.subList(0, path.size() - 1))).append('.');
        appendKey(sb, key, "");
        if (key.nested() != null) {
            appendKeys(sb, key.nested(), "  ");
        }
        return sb.toString();
    }

    private static void appendKeys(StringBuilder sb, Map<String, Key> keys, String indent) {
        for (Key k : keys.values()) {
            sb.append('\n');
            appendKey(sb, k, indent);
            if (k.nested() != null && k.type() != TrainSchema.Type.OPTIMIZER) {
                appendKeys(sb, k.nested(), indent + "  ");
            }
        }
    }

    /** `steps: int = 100  -- RL steps`. */
    private static void appendKey(StringBuilder sb, Key k, String indent) {
        sb.append(indent).append(k.name()).append(": ").append(k.type().shortName());
        sb.append(switch (k.fallback()) {
            case Required r -> ", required";
            case Value v -> " = " + show(v.value(), k);
            case Code c -> " = " + c.expression();
        });
        if (k.choices() != null) {
            sb.append(" (").append(SchemaLiteralCheck.choices(k.choices())).append(')');
        }
        sb.append("  -- ").append(k.doc());
    }

    /** A nested record that is on by default shows its keys' defaults inline: `{group: 8, ...}`. */
    private static String show(Object value, Key k) {
        if (value instanceof RlxRecord r && r.size() == 0 && k.nested() != null) {
            StringBuilder sb = new StringBuilder("{");
            for (Key n : k.nested().values()) {
                if (n.fallback() instanceof Value v) {
                    sb.append(sb.length() > 1 ? ", " : "").append(n.name()).append(": ").append(ValuePrinter.display(v.value()));
                }
            }
            return sb.append('}').toString();
        }
        return ValuePrinter.display(value);
    }
}
