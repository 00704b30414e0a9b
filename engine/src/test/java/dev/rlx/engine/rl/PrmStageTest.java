package dev.rlx.engine.rl;

import static dev.rlx.engine.rl.RlTrainerTest.ckptNames;
import static dev.rlx.engine.rl.RlTrainerTest.plan;
import static dev.rlx.engine.rl.RlTrainerTest.strip;
import static dev.rlx.engine.rl.RlTrainerTest.tinyGpt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PRIME's PRM in the step: updated first, then process rewards that credit sees; checkpointed and resumed. */
class PrmStageTest {
    @TempDir
    Path tmp;

    static final double BETA = 0.5;

    /** PRIME's ce loss: BCE(sigmoid(beta * sum_t m (prm - ref)), outcome), ref without gradient. */
    static final LossFunction PRIME_CE = b -> {
        Tensor s = b.field("prm_logp") instanceof Tensor lp ? lp.sub(b.refLogp()).mul(b.mask()).sum(1, false).mul(BETA)
                : null;
        Tensor o = (Tensor) b.field("outcomes");
        Tensor loss = o.mul(s.logSigmoid()).add(o.rsub(1.0).mul(s.neg().logSigmoid())).mean().neg();
        return new LossFunction.Loss(loss, Map.of("score", s.mean().item()));
    };

    static RlPlan.Prm prm() {
        return new RlPlan.Prm(null, BETA, RlPlan.Optimizer.defaults().withLr(1e-2), "correct", PRIME_CE);
    }

    @Test
    void creditSeesTheUpdatedPrmsProcessRewardsAndTheOutcomes() {
        List<double[]> gaps = new ArrayList<>();
        CreditFunction check = b -> {
            Tensor expected = ((Tensor) b.field("prm_logp")).sub(b.refLogp()).mul(BETA).mul(b.mask());
            Tensor pr = (Tensor) b.field("process_rewards");
            gaps.add(new double[] {pr.sub(expected).abs().max().item(), pr.abs().max().item(),
                    ((Tensor) b.field("outcomes")).sub(b.terms().get("correct")).abs().max().item()});
            return new CreditFunction.Credit(b.scores().sub(b.scores().mean()));
        };
        try (CausalLM policy = tinyGpt()) {
            RlPlan p = plan(policy, tmp.resolve("p")).credit(check).reference(true).prm(prm()).steps(2)
                    .checkpointEvery(0).build();
            RlTrainer.run(p, null).close();
            JsonObject line = new RunFolder(p.runDir()).readMetrics().get(0);
            for (String k : List.of("prm_loss", "prm_grad_norm", "prm_score", "process_reward_mean",
                    "process_reward_std", "time_ms_prm")) {
                assertTrue(line.has(k), "metrics lack " + k + ": " + line);
            }
            assertTrue(Files.isDirectory(p.runDir().resolve("checkpoints/step-2/prm")));
            assertTrue(Files.isRegularFile(p.runDir().resolve("checkpoints/step-2/prm_optimizer.safetensors")));
        }
        for (double[] g : gaps) {
            assertEquals(0.0, g[0], 1e-6, "process_rewards = beta * (prm_logp - ref_logp) on the mask");
            assertTrue(g[1] > 1e-6, "the PRM was updated before scoring, so it differs from the reference");
            assertEquals(0.0, g[2], 0.0, "outcomes = the named term");
        }
    }

    @Test
    void aPrmWithoutTheReferenceOrItsTermIsRefused() {
        try (CausalLM policy = tinyGpt()) {
            assertThrows(IllegalArgumentException.class, () -> plan(policy, tmp).prm(prm()).build());
            RlPlan p = plan(policy, tmp.resolve("t")).reference(true).steps(1)
                    .prm(new RlPlan.Prm(null, BETA, RlPlan.Optimizer.defaults(), "verifier", PRIME_CE)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RlTrainer.run(p, null));
            assertTrue(e.getMessage().contains("'verifier'") && e.getMessage().contains("correct"), e.getMessage());
        }
    }

    @Test
    void aResumedPrimeRunWritesTheSameMetrics() {
        try (CausalLM policy = tinyGpt()) {
            Function<Path, RlPlan> mk = dir -> plan(policy, dir).reference(true).prm(prm()).steps(6).checkpointEvery(3)
                    .keepLast(1).build();
            RlTrainer.run(mk.apply(tmp.resolve("a")), null).close();
            RlPlan b = mk.apply(tmp.resolve("b"));
            assertThrows(IllegalStateException.class, () -> RlTrainer.run(b, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() == 5) throw new IllegalStateException("simulated kill");
                }
            }));
            RlTrainer.resume(b, b.runDir(), null).close();
            List<JsonObject> la = new RunFolder(tmp.resolve("a")).readMetrics();
            List<JsonObject> lb = new RunFolder(b.runDir()).readMetrics();
            assertEquals(6, lb.size());
            for (int i = 0; i < 6; i++) {
                assertEquals(strip(la.get(i)), strip(lb.get(i)), "step " + (i + 1));
            }
            assertTrue(la.get(5).has("prm_loss"));
            assertEquals(List.of("step-6"), ckptNames(b.runDir()));
        }
    }
}
