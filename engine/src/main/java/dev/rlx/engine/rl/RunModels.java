package dev.rlx.engine.rl;

import ai.djl.ndarray.NDArray;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.train.AdamW;
import dev.rlx.engine.train.LrSchedule;
import dev.rlx.engine.train.ScalarHead;
import dev.rlx.engine.weights.HfModels;
import dev.rlx.engine.weights.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models of a run and their optimizers: the trained policy, the frozen reference (only when the plan
 * asks for one), the critic (a value head on its own copy of the policy backbone) and PRIME's process reward
 * model. Built fresh from the plan or restored from a checkpoint folder; {@link #save} writes the same files back.
 */
final class RunModels implements AutoCloseable {
    final CausalLM policy;
    final AdamW policyOpt;
    final LrSchedule policySchedule;
    /** null unless {@link RlPlan#reference()}. */
    final CausalLM reference;
    /** null without a critic (then so are its backbone, optimizer and schedule). */
    final ScalarHead critic;
    final CausalLM criticBackbone;
    final AdamW criticOpt;
    final LrSchedule criticSchedule;
    /** null without a process reward model (then so are its optimizer and schedule). */
    final CausalLM prm;
    final AdamW prmOpt;
    final LrSchedule prmSchedule;

    RunModels(RlPlan plan, Path checkpoint) {
        policy = checkpoint == null ? plan.policy().copy() : HfModels.load(checkpoint.resolve("policy"), plan.policy().compute());
        policy.setTrainable(true);
        RlPlan.Optimizer o = plan.optimizer();
        policyOpt = new AdamW(policy.parameters(), policy.manager(), o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.clipGrad());
        policySchedule = o.lrSchedule(plan.steps());
        reference = plan.reference() ? plan.policy().frozenCopy() : null;
        if (plan.critic() == null) {
            critic = null;
            criticBackbone = null;
            criticOpt = null;
            criticSchedule = null;
        } else {
            criticBackbone = checkpoint == null ? plan.policy().copy()
                    : HfModels.load(checkpoint.resolve("critic"), plan.policy().compute());
            critic = new ScalarHead(criticBackbone, plan.seed() ^ 0x5EEDC0DEL);
            if (checkpoint != null) {
                try (var tmp = criticBackbone.manager().newSubManager()) {
                    var head = SafeTensors.read(checkpoint.resolve("critic_head.safetensors"), tmp);
                    for (var e : critic.parameters().entrySet()) head.get(e.getKey()).copyTo(e.getValue());
                }
            }
            critic.setTrainable(true);
            RlPlan.Optimizer co = plan.critic().optimizer();
            criticOpt = new AdamW(criticParameters(), criticBackbone.manager(), co.beta1(), co.beta2(), co.eps(),
                    co.weightDecay(), co.clipGrad());
            criticSchedule = co.lrSchedule(plan.steps());
        }
        if (plan.prm() == null) {
            prm = null;
            prmOpt = null;
            prmSchedule = null;
        } else {
            CausalLM source = plan.prm().model() != null ? plan.prm().model() : plan.policy();
            prm = checkpoint == null ? source.copy() : HfModels.load(checkpoint.resolve("prm"), source.compute());
            prm.setTrainable(true);
            RlPlan.Optimizer po = plan.prm().optimizer();
            prmOpt = new AdamW(prm.parameters(), prm.manager(), po.beta1(), po.beta2(), po.eps(), po.weightDecay(),
                    po.clipGrad());
            prmSchedule = po.lrSchedule(plan.steps());
        }
        if (checkpoint != null) {
            policyOpt.loadState(checkpoint.resolve("optimizer.safetensors"));
            if (criticOpt != null) criticOpt.loadState(checkpoint.resolve("critic_optimizer.safetensors"));
            if (prmOpt != null) prmOpt.loadState(checkpoint.resolve("prm_optimizer.safetensors"));
        }
    }

    private Map<String, NDArray> criticParameters() {
        Map<String, NDArray> m = new LinkedHashMap<>(critic.parameters());
        for (var e : criticBackbone.parameters().entrySet()) m.put("backbone." + e.getKey(), e.getValue());
        return m;
    }

    /** Writes the weights and optimizer states into a checkpoint folder (the tokenizer is the caller's). */
    void save(Path dir) {
        HfModels.save(policy, dir.resolve("policy"));
        policyOpt.saveState(dir.resolve("optimizer.safetensors"));
        if (critic != null) {
            HfModels.save(criticBackbone, dir.resolve("critic"));
            SafeTensors.write(dir.resolve("critic_head.safetensors"), critic.parameters(), Map.of());
            criticOpt.saveState(dir.resolve("critic_optimizer.safetensors"));
        }
        if (prm != null) {
            HfModels.save(prm, dir.resolve("prm"));
            prmOpt.saveState(dir.resolve("prm_optimizer.safetensors"));
        }
    }

    /** Closes everything; the policy too unless {@code keepPolicy} (then it is handed over, frozen). */
    void close(boolean keepPolicy) {
        policyOpt.close();
        if (reference != null) reference.close();
        if (critic != null) {
            criticOpt.close();
            critic.close();
            criticBackbone.close();
        }
        if (prm != null) {
            prmOpt.close();
            prm.close();
        }
        if (keepPolicy) policy.setTrainable(false);
        else policy.close();
    }

    @Override
    public void close() {
        close(false);
    }
}
