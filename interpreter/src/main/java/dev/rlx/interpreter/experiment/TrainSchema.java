package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.builtins.ExperimentBuiltins;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one home of the keys a `train { ... }` record may have: each key's type, default value, doc and nested
 * keys. The static checker ({@link #checkLiteral}), the run-time reader ({@link TrainRecord}), the engine plan
 * (ExperimentRunner reads every default through TrainRecord) and `:help train` all read this table, so a
 * default documented here is the default a run gets.
 */
public final class TrainSchema {
    /** What a key's value may be; {@code expected} is how errors name it. */
    public enum Type {
        INT("an int"),
        NUMBER("a number"),
        BOOL("a bool"),
        STRING("a string"),
        STRINGS("a list of strings"),
        NUMBERS("a list of numbers"),
        MODEL("a model (gpt(...), load_model(...), sft(...))"),
        DATASET("a dataset (tasks.addition(...), tasks.jsonl(...))"),
        REWARD("a reward or a function of one sample"),
        FUNCTION("a function of the batch, (b) => ..."),
        RECORD("a record {...}"),
        OPTIMIZER("an optimizer record, built by adamw(...)"),
        STATE("a record {...} of numbers, strings, bools, none, lists and records");

        public final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        /** Whether an evaluated value (not none) has this type. */
        public boolean accepts(Object v) {
            return switch (this) {
                case INT -> v instanceof Long;
                case NUMBER -> v instanceof Long || v instanceof Double;
                case BOOL -> v instanceof Boolean;
                case STRING -> v instanceof String;
                case STRINGS -> v instanceof RlxList l && l.items().length == count(l, String.class);
                case NUMBERS -> v instanceof RlxList l && l.items().length == count(l, Long.class) + count(l, Double.class);
                case MODEL -> v instanceof ModelValue;
                case DATASET -> v instanceof DatasetValue;
                case REWARD -> v instanceof RlxReward || v instanceof RlxFunction;
                case FUNCTION -> v instanceof RlxFunction;
                case RECORD, STATE -> v instanceof RlxRecord r && r.tag() == null;
                case OPTIMIZER -> v instanceof RlxRecord r && OPTIMIZER_TAG.equals(r.tag());
            };
        }

        private static int count(RlxList l, Class<?> type) {
            int n = 0;
            for (Object x : l.items()) {
                n += type.isInstance(x) ? 1 : 0;
            }
            return n;
        }

        /** How the help names it: `int`, `record`. */
        public String shortName() {
            return switch (this) {
                case STRINGS -> "list of strings";
                case NUMBERS -> "list of numbers";
                case STATE -> "record";
                default -> name().toLowerCase().replace("number", "float");
            };
        }
    }

    /** A key's default: required, an rlx value (none = off), or stdlib code the session evaluates. */
    public sealed interface Default permits Required, Value, Code {}

    /** The key must be given. */
    public record Required() implements Default {}

    /** An rlx value: Long, Double, String, Boolean, none, a list, or an empty record (every nested key at its default). */
    public record Value(Object value) implements Default {}

    /**
     * rlx code, evaluated with only builtins and std modules in scope; {@code uses} are sibling keys whose values
     * (after their own defaults) it reads as variables of those names.
     */
    public record Code(String expression, List<String> uses) implements Default {}

    /** One key. {@code choices}: the strings it accepts (null = any); {@code nested}: a nested record's keys. */
    public record Key(String name, Type type, Default fallback, Map<String, Key> nested, List<String> choices,
                      String doc) {
        public boolean required() {
            return fallback instanceof Required;
        }
    }

    public static final String TAG = "train";
    public static final String OPTIMIZER_TAG = "optimizer";

    static final Default REQUIRED = new Required();
    static final Default NONE = new Value(RlxNone.INSTANCE);
    /** A nested record that is on by default, each of its keys at its own default. */
    private static final Default ALL_DEFAULTS = new Value(RlxRecord.of(null, List.of(), List.of()));

    public static final Map<String, Key> ROLLOUT = keys(
            key("group", Type.INT, 8L, "completions sampled per prompt (groups are contiguous in the batch)"),
            key("temperature", Type.NUMBER, 1.0, "sampling temperature"),
            key("top_p", Type.NUMBER, 1.0, "nucleus sampling threshold (1.0 = off)"),
            key("top_k", Type.INT, 0L, "top-k sampling (0 = off)"),
            key("max_tokens", Type.INT, 16L, "new tokens per completion at most"),
            key("stop", Type.STRINGS, RlxList.EMPTY, "stop strings (EOS always stops)"),
            choice("baseline", "none", List.of("none", "greedy"),
                    "\"greedy\": also decode each prompt greedily and score it, as b.baseline_scores (ReMax)"));

    /** The record adamw(...) builds; every key is there, so none needs a default (adamw's signature has them). */
    public static final Map<String, Key> OPTIMIZER = keys(
            new Key("name", Type.STRING, REQUIRED, null, List.of("adamw"), "the optimizer"),
            new Key("lr", Type.NUMBER, REQUIRED, null, null, "peak learning rate"),
            new Key("betas", Type.NUMBERS, REQUIRED, null, null, "Adam's [beta1, beta2]"),
            new Key("weight_decay", Type.NUMBER, REQUIRED, null, null, "decoupled weight decay"),
            new Key("clip_grad", Type.NUMBER, NONE, null, null, "global grad-norm clipping (none = off)"),
            new Key("schedule", Type.STRING, REQUIRED, null, List.of("constant", "linear", "cosine"), "lr schedule"),
            new Key("warmup", Type.INT, REQUIRED, null, null, "linear warm-up steps"),
            new Key("min_lr_ratio", Type.NUMBER, REQUIRED, null, null, "where linear and cosine decay end, times lr"));

    public static final Map<String, Key> CRITIC = keys(
            key("lr", Type.NUMBER, 1e-5, "the critic's learning rate (AdamW, otherwise adamw()'s defaults)"),
            key("clip", Type.NUMBER, 0.5, "value clip range of the default loss (an error with a loss of your own)"),
            new Key("loss", Type.FUNCTION,
                    new Code("(b) => loss.value(b.values, b.old_values, b.returns, b.mask, clip: clip)", List.of("clip")),
                    null, null, "(b) => the critic's loss; b.values carry the gradient; its diagnostics are logged "
                            + "with a value_ prefix"));

    public static final Map<String, Key> PRM = keys(
            new Key("model", Type.MODEL, NONE, null, null,
                    "the implicit PRM, a causal LM with the policy's tokenizer (none = a copy of the policy)"),
            key("beta", Type.NUMBER, 0.05, "process reward = beta * (prm_logp - ref_logp) per token"),
            key("lr", Type.NUMBER, 1e-6, "the PRM's learning rate (AdamW, otherwise adamw()'s defaults)"),
            new Key("outcome", Type.STRING, REQUIRED, null, null,
                    "the reward term (a verifier, 0/1) the PRM learns from, as b.outcomes"),
            new Key("loss", Type.FUNCTION,
                    new Code("(b) => loss.prime_ce(b.prm_logp, b.ref_logp, b.outcomes, b.mask, beta: beta, group: b.group)",
                            List.of("beta")),
                    null, null, "(b) => the PRM's loss; b.prm_logp carries the gradient; its diagnostics are "
                            + "logged with a prm_ prefix"));

    public static final Map<String, Key> DYNAMIC = keys(
            key("max_retries", Type.INT, 3L, "extra sampling rounds a step may take to refill dropped groups"),
            new Key("min_accuracy", Type.NUMBER, NONE, null, null,
                    "also drop groups whose accuracy (share of completions eval.metric accepts) is below this (PRIME)"),
            new Key("max_accuracy", Type.NUMBER, NONE, null, null,
                    "also drop groups whose accuracy is above this; the bounds need eval.metric"));

    public static final Map<String, Key> SELECT = keys(
            choice("rule", "order", List.of("order", "learnability", "curriculum"),
                    "how each prompt is drawn: the seeded \"order\", \"learnability\" (seen prompts weighted by "
                            + "p(1-p), p their running success rate) or a \"curriculum\" over a difficulty field"),
            key("explore", Type.NUMBER, 0.25,
                    "learnability: share of draws taken from the seeded order instead, so unseen prompts get drawn"),
            key("ema", Type.NUMBER, 0.5,
                    "weight of a prompt's newest group accuracy in its running success rate (1 = the latest only)"),
            new Key("field", Type.STRING, NONE, null, null,
                    "curriculum: the numeric row field that orders prompts from easy (low) to hard"),
            key("start", Type.NUMBER, 0.25, "curriculum: share of the data (the easiest) drawn from at step 1"),
            new Key("ramp", Type.INT, NONE, null, null,
                    "curriculum: steps over which the share rises linearly to the whole data (none = the run's steps)"),
            key("replay", Type.NUMBER, 0.0,
                    "share of draws that replay a failed prompt while any is waiting (0 = off)"),
            key("fail_below", Type.NUMBER, 0.5,
                    "a prompt has failed when its group's accuracy (share eval.metric accepts) is below this"),
            key("capacity", Type.INT, 1024L, "failed prompts kept for replay at most (the oldest leave first)"));

    public static final Map<String, Key> PRUNE = keys(
            new Key("keep", Type.INT, REQUIRED, null, null,
                    "completions per group the update trains on: those with the largest |advantage| (1 to group - 1)"));

    /** The eval metric's score from which a completion counts as correct (for accuracy and the accuracy window). */
    public static final double CORRECT_SCORE = 0.5;

    public static final Map<String, Key> EVAL = keys(
            new Key("data", Type.DATASET, REQUIRED, null, null, "held-out prompts"),
            key("every", Type.INT, 10L, "evaluate every N steps (and before the first and after the last)"),
            new Key("metric", Type.REWARD, REQUIRED, null, null,
                    "a reward: eval_accuracy is the share of greedy completions it scores at least " + CORRECT_SCORE),
            key("greedy", Type.BOOL, true, "greedy decoding for evaluation"),
            new Key("limit", Type.INT, NONE, null, null, "evaluate on the first N prompts only (none = all)"));

    public static final Map<String, Key> TRAIN = keys(
            new Key("policy", Type.MODEL, REQUIRED, null, null, "the model to train (a copy; the original stays the reference)"),
            new Key("data", Type.DATASET, REQUIRED, null, null, "training prompts, visited in a seeded order"),
            new Key("rewards", Type.REWARD, REQUIRED, null, null, "a reward or weighted sum of rewards; every term is logged"),
            new Key("credit", Type.FUNCTION, REQUIRED, null, null,
                    "(b) => advantages [B] or [B,T], or {advantages, returns, state}"),
            new Key("loss", Type.FUNCTION, REQUIRED, null, null, "(b) => a scalar loss tensor or a {loss, ...} record"),
            new Key("rollout", Type.RECORD, ALL_DEFAULTS, ROLLOUT, null, "sampling settings"),
            new Key("optimizer", Type.OPTIMIZER, new Code("adamw()", List.of()), OPTIMIZER, null,
                    ExperimentBuiltins.ADAMW + ": " + ExperimentBuiltins.ADAMW_DOC),
            key("steps", Type.INT, 100L, "RL steps"),
            key("batch", Type.INT, 16L, "prompts per step (each sampled `group` times)"),
            key("epochs", Type.INT, 1L, "passes over each step's batch (PPO epochs)"),
            new Key("minibatch", Type.INT, NONE, null, null, "rows per optimizer step within an epoch (none = the whole batch)"),
            key("reference", Type.BOOL, false,
                    "keep a frozen copy of the initial policy and score b.ref_logp with it (and log kl)"),
            new Key("state", Type.STATE, NONE, null, null,
                    "the initial state carried across steps: the credit function reads b.state and returns the next "
                            + "as {advantages, state: ...}; logged as state/<key>, checkpointed (none = no state)"),
            new Key("critic", Type.RECORD, NONE, CRITIC, null, "a value head for b.values, trained on its own loss (none = no critic)"),
            new Key("prm", Type.RECORD, NONE, PRM, null,
                    "PRIME's online implicit process reward model: updated on each step's rollouts first, then "
                            + "b.process_rewards; implies reference: true (none = no PRM)"),
            new Key("dynamic_sampling", Type.RECORD, NONE, DYNAMIC, null,
                    "drop groups whose scores are all equal (or whose accuracy is out of bounds) and refill (none = off)"),
            new Key("select", Type.RECORD, NONE, SELECT, null,
                    "prompt selection from what the run has seen: learnability sampling, a curriculum, replay of "
                            + "failed prompts; logs select/<bucket> draws (none = the seeded order)"),
            new Key("prune", Type.RECORD, NONE, PRUNE, null,
                    "CPPO: the update skips all but the `keep` completions of each group with the largest "
                            + "|advantage|; logs update_rows (none = train on every completion)"),
            key("shared_prompts", Type.BOOL, false,
                    "forwards over prompt + completion run each distinct prompt once and its group's completions "
                            + "attend to its keys and values: the same math, faster, other last bits"),
            new Key("eval", Type.RECORD, NONE, EVAL, null, "periodic evaluation on held-out data (none = off)"),
            key("checkpoint_every", Type.INT, 50L, "steps between checkpoints (the last step always checkpoints)"),
            key("keep_checkpoints", Type.INT, 2L, "how many checkpoints to keep"),
            key("seed", Type.INT, 0L, "seeds data order, sampling and initialization"),
            choice("on_reward_error", "stop", List.of("stop", "zero"),
                    "\"stop\" the run when a reward fails, or score it \"zero\" and count it"),
            key("reward_timeout", Type.NUMBER, 10.0, "seconds one reward call may take"));

    private TrainSchema() {}

    static Key key(String name, Type type, Object value, String doc) {
        return new Key(name, type, new Value(value), null, null, doc);
    }

    static Key choice(String name, String value, List<String> choices, String doc) {
        return new Key(name, Type.STRING, new Value(value), null, choices, doc);
    }

    static Map<String, Key> keys(Key... keys) {
        Map<String, Key> out = new LinkedHashMap<>();
        for (Key k : keys) {
            out.put(k.name(), k);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The keys of an experiment record by its tag: `train` (RL) or `preference` (offline); null for other tags. */
    public static Map<String, Key> experimentKeys(String tag) {
        return TAG.equals(tag) ? TRAIN : PreferenceSchema.TAG.equals(tag) ? PreferenceSchema.PREFERENCE : null;
    }

    /**
     * Static checks of a `train { ... }` or `preference { ... }` literal (other tags are not checked); see
     * {@link SchemaLiteralCheck}.
     */
    public static List<Diagnostic> checkLiteral(Ast.RecordLit record) {
        Map<String, Key> keys = experimentKeys(record.tag());
        return keys == null ? List.of() : SchemaLiteralCheck.check(record, keys, record.tag());
    }
}
