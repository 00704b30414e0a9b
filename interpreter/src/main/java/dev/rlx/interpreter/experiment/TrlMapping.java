package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.experiment.BatchFunctionShape.BatchField;
import dev.rlx.interpreter.experiment.BatchFunctionShape.Linear;
import dev.rlx.interpreter.experiment.BatchFunctionShape.Opaque;
import dev.rlx.interpreter.experiment.BatchFunctionShape.Proj;
import dev.rlx.interpreter.experiment.BatchFunctionShape.StdCall;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxNone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credit and loss of an experiment as TRL GRPOTrainer settings (loss_type, scale_rewards, epsilon,
 * importance_sampling_level, beta, ...), or the reasons they are not. Only shapes whose TRL computation is the
 * rlx one are mapped (shared/REFERENCE.md names TRL's formulas); everything else is refused with its location.
 * The settings go into config.yaml with the `.rlx` source they came from.
 */
final class TrlMapping {
    /** One config.yaml entry: TRL's key, its value, and where in the script it came from. */
    record Setting(String key, Object value, String from) {}

    /** One part of the experiment TRL cannot run as written. */
    record Refusal(String where, String what) {}

    final List<Setting> settings = new ArrayList<>();
    final List<Refusal> refusals = new ArrayList<>();
    /** RLOO's advantage is n/(n-1) times the unscaled group-centered one: a factor on the reward weights. */
    double rewardScale = 1.0;

    private final TrainRecord train;

    TrlMapping(TrainRecord train) {
        this.train = train;
    }

    void set(String key, Object value, String from) {
        settings.add(new Setting(key, value, from));
    }

    void refuse(Span at, String what) {
        refusals.add(new Refusal(at == null ? "experiment" : at.where(), what));
    }

    void refuse(String key, String what) {
        refuse(train.where(key), train.path() + "." + key + ": " + what);
    }

    /** credit: std/credit grpo (any scale) or rloo over b.scores and the rollout's group. */
    void credit(RlxFunction fn, long group) {
        Object shape = BatchFunctionShape.of(fn);
        Span at = BatchFunctionShape.where(fn);
        String from = "train.credit (" + (at == null ? "?" : at.where()) + ")";
        if (!(shape instanceof StdCall c) || !(c.function().equals("std/credit.grpo") || c.function().equals("std/credit.rloo"))) {
            refuse(at, "credit: not a credit TRL computes (" + why(shape) + "); TRL computes only GRPO's group "
                    + "advantage (std/credit grpo, scale group/batch/none) and RLOO's (std/credit rloo) from the scores");
            return;
        }
        if (!isField(c.args().get("scores"), "scores") || !isGroup(c.args().get("group"), group)) {
            refuse(c.span(), "credit: " + c.function() + " over " + (isField(c.args().get("scores"), "scores")
                    ? "another group size than the rollout's" : why(c.args().get("scores")) + " instead of b.scores"));
            return;
        }
        if (c.function().equals("std/credit.rloo")) {
            // rloo: a = r - mean of the others = n/(n-1) (r - mean_g): Dr. GRPO's advantage of rewards scaled n/(n-1)
            set("scale_rewards", "none", from + ": std/credit rloo = n/(n-1) * (r - mean_g); the factor is in reward_weights");
            rewardScale = group / (double) (group - 1);
            return;
        }
        Object scale = c.args().get("scale");
        if (!(scale instanceof String s) || !List.of("group", "batch", "none").contains(s)) {
            refuse(c.span(), "credit: grpo scale must be a literal \"group\", \"batch\" or \"none\"");
            return;
        }
        set("scale_rewards", s, from + ": std/credit grpo scale \"" + s + "\""
                + (s.equals("none") ? "" : " (rlx divides by std + 1e-6, TRL by std + 1e-4)"));
    }

    /** loss: one policy loss (ppo_clip, gspo, cispo, sapo) plus optionally beta * kl(k3) in the same aggregation. */
    void loss(RlxFunction fn) {
        Object shape = BatchFunctionShape.of(fn);
        Span at = BatchFunctionShape.where(fn);
        String from = "train.loss (" + (at == null ? "?" : at.where()) + ")";
        Object value = shape instanceof Map<?, ?> rec ? rec.get("loss") : shape instanceof StdCall c ? new Proj(c, "loss") : shape;
        if (value == null) {
            refuse(at, "loss: a record without a `loss` field");
            return;
        }
        Linear lin = value instanceof Linear l ? l : value instanceof Proj p ? new Linear(List.of(p), List.of(1.0)) : null;
        if (lin == null) {
            refuse(at, "loss: not a loss TRL computes (" + why(value) + "); TRL's is one of ppo_clip, gspo, cispo, "
                    + "sapo plus beta * kl(k3)");
            return;
        }
        StdCall policy = null;
        StdCall kl = null;
        double beta = 0;
        for (int i = 0; i < lin.terms().size(); i++) {
            Object t = lin.terms().get(i);
            double coef = lin.coefs().get(i);
            if (!(t instanceof Proj p) || !p.field().equals("loss")) {
                refuse(at, "loss: a term the export does not read (" + why(t) + ")");
                return;
            }
            if (p.target().function().equals("std/loss.kl") && kl == null && coef > 0) {
                kl = p.target();
                beta = coef;
            } else if (policy == null && coef == 1.0 && POLICY.contains(p.target().function())) {
                policy = p.target();
            } else {
                refuse(p.target().span(), "loss: " + p.target().function() + " (weight " + coef + ") has no TRL "
                        + "equivalent; TRL's loss is one of ppo_clip, gspo, cispo, sapo plus beta * kl(k3)");
                return;
            }
        }
        if (policy == null) {
            refuse(at, "loss: no policy loss (ppo_clip, gspo, cispo or sapo) in it");
            return;
        }
        String agg = policy(policy, from);
        if (agg == null) {
            return;
        }
        set("beta", beta, kl == null ? from + ": no kl term" : from + ": the kl term's weight");
        if (kl != null) {
            Map<String, Object> a = kl.args();
            if (!"k3".equals(a.get("estimator")) || !isField(a.get("logp"), "logp") || !isField(a.get("ref_logp"), "ref_logp")
                    || !isField(a.get("mask"), "mask")) {
                refuse(kl.span(), "loss: TRL's KL term is k3(b.logp, b.ref_logp) on b.mask only");
            } else if (!agg.equals(a.get("agg"))) {
                refuse(kl.span(), "loss: TRL adds the KL per token before the policy loss's aggregation (\"" + agg
                        + "\"); this kl aggregates \"" + a.get("agg") + "\"");
            }
            // rlx's k3 term is not weighted by the importance ratio
            set("use_bias_correction_kl", false, from + ": rlx's kl is plain k3, not ratio-weighted");
        }
    }

    private static final List<String> POLICY = List.of("std/loss.ppo_clip", "std/loss.gspo", "std/loss.cispo",
            "std/loss.sapo");

    /** Maps the policy loss's parameters; returns its aggregation, or null after a refusal. */
    private String policy(StdCall p, String from) {
        Map<String, Object> a = p.args();
        for (String f : List.of("logp", "old_logp", "advantages", "mask")) {
            if (!isField(a.get(f), f)) {
                refuse(p.span(), "loss: " + p.function() + " must read b." + f + " as its " + f);
                return null;
            }
        }
        String fn = p.function().substring("std/loss.".length());
        String agg = switch (fn) {
            case "gspo" -> "seq-mean-token-mean";
            default -> a.get("agg") instanceof String s ? s : null;
        };
        String lossType = switch (fn) {
            case "cispo" -> "token-mean".equals(agg) ? "cispo" : null;
            case "sapo" -> "seq-mean-token-mean".equals(agg) ? "sapo" : null;
            case "gspo" -> "grpo";
            default -> agg == null ? null : switch (agg) {
                case "token-mean" -> "dapo";
                case "seq-mean-token-mean" -> "grpo";
                case "seq-mean-token-sum-norm" -> "dr_grpo";
                default -> null;
            };
        };
        if (lossType == null) {
            refuse(p.span(), "loss: " + fn + " with agg " + (agg == null ? "(not a literal)" : "\"" + agg + "\"")
                    + " has no TRL loss_type (token-mean -> dapo, seq-mean-token-mean -> grpo, seq-mean-token-sum-norm "
                    + "-> dr_grpo; cispo token-mean, sapo seq-mean-token-mean)");
            return null;
        }
        set("loss_type", lossType, from + ": " + fn + " agg \"" + agg + "\""
                + (lossType.equals("dr_grpo") ? " (rlx divides by B * the batch's longest completion, TRL by B * "
                + "max_completion_length)" : ""));
        switch (fn) {
            case "ppo_clip" -> {
                if (a.get("dual_clip") != RlxNone.INSTANCE) {
                    refuse(p.span(), "loss: ppo_clip dual_clip has no TRL equivalent");
                    return null;
                }
                set("epsilon", a.get("eps_low"), from + ": ppo_clip eps_low");
                set("epsilon_high", a.get("eps_high"), from + ": ppo_clip eps_high");
                if (a.get("delta") != RlxNone.INSTANCE) {
                    set("delta", a.get("delta"), from + ": ppo_clip delta");
                }
            }
            case "gspo" -> {
                set("importance_sampling_level", "sequence", from + ": std/loss gspo (sequence-level ratio)");
                set("epsilon", a.get("eps_low"), from + ": gspo eps_low");
                set("epsilon_high", a.get("eps_high"), from + ": gspo eps_high");
            }
            case "cispo" -> set("epsilon_high", a.get("eps_high"), from + ": cispo eps_high");
            default -> {
                set("sapo_temperature_pos", a.get("tau_pos"), from + ": sapo tau_pos");
                set("sapo_temperature_neg", a.get("tau_neg"), from + ": sapo tau_neg");
            }
        }
        if (!keep(a.get("keep"), p, from)) {
            return null;
        }
        return agg;
    }

    /** keep: none, loss.entropy_mask(b.entropy, b.mask, top) or loss.opsm_mask(..., threshold). */
    private boolean keep(Object keep, StdCall p, String from) {
        if (keep == RlxNone.INSTANCE) {
            return true;
        }
        if (keep instanceof StdCall k && k.function().equals("std/loss.entropy_mask")
                && isField(k.args().get("entropy"), "entropy") && isField(k.args().get("mask"), "mask")
                && k.args().get("top") instanceof Number top) {
            set("top_entropy_quantile", top.doubleValue(), from + ": keep: loss.entropy_mask top (TRL takes the "
                    + "quantile over each process's micro-batch, rlx over the step's batch: the same on one process)");
            return true;
        }
        if (keep instanceof StdCall k && k.function().equals("std/loss.opsm_mask")
                && isField(k.args().get("sampling_logp"), "sampling_logp") && k.args().get("threshold") instanceof Number t) {
            set("off_policy_mask_threshold", t.doubleValue(), from + ": keep: loss.opsm_mask threshold");
            return true;
        }
        refuse(p.span(), "loss: a keep mask TRL does not compute (" + why(keep) + "); TRL has entropy_mask "
                + "(top_entropy_quantile) and opsm_mask (off_policy_mask_threshold)");
        return false;
    }

    private static boolean isField(Object v, String name) {
        return v instanceof BatchField f && f.name().equals(name);
    }

    private static boolean isGroup(Object v, long group) {
        return isField(v, "group") || v instanceof Long g && g == group;
    }

    private static String why(Object shape) {
        return switch (shape) {
            case Opaque o -> o.why() + (o.span() == null ? "" : " at " + o.span().where());
            case StdCall c -> c.function() + " at " + c.span().where();
            case null -> "nothing";
            default -> "computed from the batch";
        };
    }
}
