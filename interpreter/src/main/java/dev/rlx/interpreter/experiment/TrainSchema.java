package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a `train { ... }` record may have, with their types, defaults and nested records. The
 * translator checks every `train` literal against it before anything runs (unknown keys with a
 * did-you-mean at the key, missing required keys at the record); the experiment builder checks value
 * types against it when the record is evaluated.
 */
public final class TrainSchema {
    /** One key: its value type (as shown in errors), default (display text; null = required), nested keys. */
    public record Key(String name, String type, String defaultText, Map<String, Key> nested, String doc) {
        public boolean required() {
            return defaultText == null;
        }
    }

    public static final String TAG = "train";

    public static final Map<String, Key> ROLLOUT = keys(
            key("group", "int", "8", "completions sampled per prompt (groups are contiguous in the batch)"),
            key("temperature", "float", "1.0", "sampling temperature"),
            key("top_p", "float", "1.0", "nucleus sampling threshold (1.0 = off)"),
            key("top_k", "int", "0", "top-k sampling (0 = off)"),
            key("max_tokens", "int", "16", "new tokens per completion at most"),
            key("stop", "list", "[]", "stop strings (EOS always stops)"));

    public static final Map<String, Key> EVAL = keys(
            key("data", "dataset", null, "held-out prompts"),
            key("every", "int", "10", "evaluate every N steps (and at the start and the end)"),
            key("metric", "reward", null, "a reward whose mean over greedy completions is reported as accuracy"),
            key("greedy", "bool", "true", "greedy decoding for evaluation"),
            key("limit", "int", "none", "evaluate on the first N prompts only"));

    public static final Map<String, Key> DYNAMIC = keys(
            key("max_retries", "int", "3", "extra sampling rounds to refill dropped groups"),
            key("min_accuracy", "float", "0.0", "drop groups whose mean score is at or below this"),
            key("max_accuracy", "float", "1.0", "drop groups whose mean score is at or above this"));

    public static final Map<String, Key> TRAIN = keys(
            key("policy", "model", null, "the model to train (e.g. gpt(...), load_model(...), sft(...))"),
            key("data", "dataset", null, "training prompts, visited in a seeded order"),
            key("rewards", "reward", null, "a reward or weighted sum of rewards; every term is logged"),
            key("credit", "function", null, "(b) => advantages [B] or [B,T], or {advantages, returns}"),
            key("loss", "function", null, "(b) => a scalar loss tensor or a {loss, ...} record"),
            nested("rollout", ROLLOUT, "sampling settings"),
            key("optimizer", "optimizer", "adamw()", "adamw(lr, betas, weight_decay, clip_grad, schedule, warmup)"),
            key("steps", "int", "100", "optimizer steps"),
            key("batch", "int", "16", "prompts per step (each sampled `group` times)"),
            key("epochs", "int", "1", "passes over each rollout batch (PPO epochs)"),
            key("minibatch", "int", "none", "sequences per optimizer step within an epoch (none = the whole batch)"),
            key("reference", "bool", "none", "keep a frozen copy of the initial policy for ref_logp (none = when read)"),
            key("critic", "record", "none", "{lr, clip} to train a value head for b.values (none = no critic)"),
            nested("dynamic_sampling", DYNAMIC, "drop groups with zero score spread and refill (none = off)"),
            nested("eval", EVAL, "periodic evaluation (none = off)"),
            key("checkpoint_every", "int", "50", "steps between checkpoints (the last step always checkpoints)"),
            key("keep_checkpoints", "int", "2", "how many checkpoints to keep"),
            key("seed", "int", "0", "seeds data order, sampling and initialization"),
            key("on_reward_error", "string", "\"stop\"", "\"stop\" the run, or score \"zero\" and count it"),
            key("reward_timeout", "float", "10.0", "seconds one reward call may take"));

    private TrainSchema() {}

    private static Key key(String name, String type, String defaultText, String doc) {
        return new Key(name, type, defaultText, null, doc);
    }

    private static Key nested(String name, Map<String, Key> keys, String doc) {
        return new Key(name, "record", "none", keys, doc);
    }

    private static Map<String, Key> keys(Key... keys) {
        Map<String, Key> out = new LinkedHashMap<>();
        for (Key k : keys) {
            out.put(k.name(), k);
        }
        return out;
    }

    /** Static checks of a `train { ... }` literal (other tags are not checked). */
    public static List<Diagnostic> checkLiteral(Ast.RecordLit record) {
        List<Diagnostic> out = new ArrayList<>();
        if (TAG.equals(record.tag())) {
            check(record, TRAIN, "train", out);
        }
        return out;
    }

    private static void check(Ast.RecordLit record, Map<String, Key> schema, String what, List<Diagnostic> out) {
        List<String> present = new ArrayList<>();
        for (Ast.Field f : record.fields()) {
            present.add(f.name());
            Key key = schema.get(f.name());
            if (key == null) {
                String hint = Suggest.hint(f.name(), schema.keySet());
                out.add(Diagnostic.at(keySpan(f), "unknown key '" + f.name() + "' in " + what + " record",
                        hint != null ? hint : "keys: " + String.join(", ", schema.keySet())));
            } else if (key.nested() != null && f.value() instanceof Ast.RecordLit inner && inner.tag() == null) {
                check(inner, key.nested(), what + "." + f.name(), out);
            }
        }
        List<Key> missing = schema.values().stream().filter(k -> k.required() && !present.contains(k.name()))
                .toList();
        if (missing.size() == 1) {
            Key k = missing.get(0);
            out.add(Diagnostic.at(record.span(), what + " record is missing the required key '" + k.name() + "'",
                    k.name() + ": " + k.doc()));
        } else if (!missing.isEmpty()) {
            out.add(Diagnostic.at(record.span(), what + " record is missing the required keys "
                    + String.join(", ", missing.stream().map(k -> "'" + k.name() + "'").toList()), null));
        }
    }

    /** The key's own span (the field span starts at the key). */
    private static dev.rlx.interpreter.ast.Span keySpan(Ast.Field f) {
        var s = f.span();
        return new dev.rlx.interpreter.ast.Span(s.sourceName(), s.line(), s.column(), s.start(),
                s.start() + f.name().length());
    }
}
