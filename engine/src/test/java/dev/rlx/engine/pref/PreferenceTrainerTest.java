package dev.rlx.engine.pref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.data.LabeledTokens;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.StepMetrics;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline preference loop: DPO learns the preferred continuation, fields are what they say, resume is exact. */
class PreferenceTrainerTest {
    static final VocabTokenizer TOK = VocabTokenizer.chars("0123456789");

    @TempDir
    Path tmp;

    /** Prompt "d": chosen = the next digit, rejected = the previous one (both ending with EOS). */
    static List<PreferenceExample> nextDigitPairs() {
        List<PreferenceExample> out = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            out.add(new TokenPair(TOK.encodeWithBos(String.valueOf(d)), eos(TOK.encode(String.valueOf((d + 1) % 10))),
                    eos(TOK.encode(String.valueOf((d + 9) % 10))), d % 3));
        }
        return out;
    }

    static int[] eos(int[] ids) {
        int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = TOK.eosId();
        return out;
    }

    static final double BETA = 0.5;

    /** DPO (sigmoid): -log sigmoid(beta * h), h = (lc - rc) - (lr - rr); accuracy = mean(h > 0). */
    static final PreferenceLoss DPO = b -> {
        Tensor h = b.field("chosen_logp").sub(b.field("ref_chosen_logp"))
                .sub(b.field("rejected_logp").sub(b.field("ref_rejected_logp")));
        Tensor loss = h.mul(BETA).logSigmoid().mean().neg();
        double acc = h.gt(0.0).toType(dev.rlx.engine.tensor.DType.FLOAT32).mean().item();
        return new LossFunction.Loss(loss, Map.of("accuracy", acc));
    };

    static CausalLM tinyGpt() {
        ModelConfig cfg = ModelConfig.gpt().vocabSize(TOK.vocabSize()).dim(32).layers(1).heads(2).context(8).build();
        return CausalLM.create(cfg, ComputeConfig.defaults(), 7);
    }

    static PreferencePlan plan(CausalLM policy, PreferenceLoss loss, int steps, Path dir, int every) {
        return new PreferencePlan(policy, TOK, nextDigitPairs(), loss, RlPlan.Optimizer.defaults().withLr(1e-2), steps,
                4, true, null, null, every, 1, 5, dir);
    }

    @Test
    void dpoLearnsThePreferredCompletion() {
        try (CausalLM policy = tinyGpt()) {
            List<Double> losses = new ArrayList<>();
            try (PreferenceTrainer.Result r = PreferenceTrainer.run(plan(policy, DPO, 30, tmp.resolve("dpo"), 0),
                    new RunListener() {
                        @Override public void onStep(StepMetrics m) { losses.add(m.get("loss")); }
                    })) {
                assertEquals(Math.log(2), losses.get(0), 1e-5, "policy = reference at step 1: loss log 2");
                double last = losses.subList(25, 30).stream().mapToDouble(x -> x).average().orElseThrow();
                assertTrue(last < 0.3, "DPO loss " + losses);
                List<JsonObject> lines = new RunFolder(tmp.resolve("dpo")).readMetrics();
                assertEquals(30, lines.size());
                for (String k : List.of("step", "loss", "accuracy", "grad_norm", "lr", "time_ms_total")) {
                    assertTrue(lines.get(29).has(k), "metrics line lacks " + k + ": " + lines.get(29));
                }
                assertEquals(1.0, lines.get(29).get("accuracy").getAsDouble(), 1e-9);
            }
            assertFalse(policy.isTrainable(), "the plan's policy is not trained in place");
        }
    }

    @Test
    void fieldsAgreeWithEachOther() {
        List<Map<String, double[]>> seen = new ArrayList<>();
        PreferenceLoss probe = b -> {
            Map<String, double[]> f = new java.util.HashMap<>();
            for (String k : PreferenceBatch.PAIR_FIELDS) f.put(k, b.field(k).toDoubleArray());
            seen.add(f);
            return DPO.compute(b);
        };
        try (CausalLM policy = tinyGpt()) {
            PreferenceTrainer.run(plan(policy, probe, 2, tmp.resolve("f"), 0), null).close();
        }
        Map<String, double[]> f = seen.get(0); // step 1: the policy is the reference
        assertEquals(4, f.get("chosen_logp").length);
        for (int i = 0; i < 4; i++) {
            assertEquals(2.0, f.get("chosen_lengths")[i], "one digit and EOS");
            assertEquals(f.get("chosen_logp")[i] / 2.0, f.get("chosen_avg")[i], 1e-6);
            assertEquals(-f.get("chosen_avg")[i], f.get("nll_chosen")[i], 1e-6);
            assertEquals(f.get("chosen_token_logp")[2 * i] + f.get("chosen_token_logp")[2 * i + 1],
                    f.get("chosen_logp")[i], 1e-5);
            assertEquals(f.get("ref_chosen_logp")[i], f.get("chosen_logp")[i], 1e-5);
            assertEquals(0.0, f.get("logratio")[i], 1e-5);
            assertEquals(1.0, f.get("desirable")[i]);
            assertEquals(0.0, f.get("desirable")[4 + i]);
            assertTrue(f.get("margin")[i] >= 0 && f.get("margin")[i] <= 2);
        }
        assertEquals(0.0, f.get("kl")[0], 1e-5, "policy = reference: the mismatched KL estimate is 0");
        Map<String, double[]> g = seen.get(1); // after one step the policy has moved
        assertTrue(Math.abs(g.get("logratio")[0]) > 1e-4);
    }

    @Test
    void withoutAReferenceTheRefFieldsAreAbsent() {
        List<Boolean> absent = new ArrayList<>();
        PreferenceLoss simpo = b -> {
            absent.add(b.field("ref_chosen_logp") == null && b.field("kl") == null && b.field("logratio") == null);
            Tensor d = b.field("chosen_avg").sub(b.field("rejected_avg")).mul(2.0).sub(1.0);
            return new LossFunction.Loss(d.logSigmoid().mean().neg());
        };
        try (CausalLM policy = tinyGpt()) {
            PreferencePlan p = plan(policy, simpo, 2, tmp.resolve("s"), 0);
            PreferencePlan noRef = new PreferencePlan(policy, TOK, p.examples(), simpo, p.optimizer(), 2, 4, false, null,
                    null, 0, 1, 5, p.runDir());
            PreferenceTrainer.run(noRef, null).close();
        }
        assertEquals(List.of(true, true), absent);
    }

    @Test
    void aResumedRunWritesTheSameMetrics() {
        try (CausalLM policy = tinyGpt()) {
            PreferenceTrainer.run(plan(policy, DPO, 6, tmp.resolve("a"), 3), null).close();
            PreferencePlan b = plan(policy, DPO, 6, tmp.resolve("b"), 3);
            assertThrows(IllegalStateException.class, () -> PreferenceTrainer.run(b, new RunListener() {
                @Override public void onStep(StepMetrics m) {
                    if (m.step() == 5) throw new IllegalStateException("crash");
                }
            }));
            PreferenceTrainer.resume(b, b.runDir(), null).close();
            List<JsonObject> la = new RunFolder(tmp.resolve("a")).readMetrics();
            List<JsonObject> lb = new RunFolder(tmp.resolve("b")).readMetrics();
            assertEquals(6, lb.size());
            for (int i = 0; i < 6; i++) {
                for (String k : List.of("loss", "accuracy", "grad_norm", "lr")) {
                    assertEquals(la.get(i).get(k).getAsDouble(), lb.get(i).get(k).getAsDouble(), 0.0, "step " + (i + 1) + " " + k);
                }
            }
        }
    }

    @Test
    void anEmptyDataSetIsRefused() {
        try (CausalLM policy = tinyGpt()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PreferencePlan(policy, TOK,
                    List.of(), DPO, RlPlan.Optimizer.defaults(), 1, 1, true, null, null, 0, 1, 0, tmp));
            assertTrue(e.getMessage().contains("no preference examples"));
        }
    }

    /**
     * KTO's unpaired data, deliberately imbalanced: prompt "d" with the next digit (desirable) for every d, with
     * the previous digit (undesirable) for even d only.
     */
    static List<PreferenceExample> nextDigitLabeled() {
        List<PreferenceExample> out = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            int[] prompt = TOK.encodeWithBos(String.valueOf(d));
            out.add(new LabeledTokens(prompt, eos(TOK.encode(String.valueOf((d + 1) % 10))), true));
            if (d % 2 == 0) out.add(new LabeledTokens(prompt, eos(TOK.encode(String.valueOf((d + 9) % 10))), false));
        }
        return out;
    }

    /** KTO (REFERENCE.md): z = max(0, kl) detached; desirable 1 - sigmoid(beta(x - z)), else 1 - sigmoid(beta(z - x)). */
    static final PreferenceLoss KTO = b -> {
        Tensor x = b.field("logratio");
        Tensor d = b.field("desirable");
        Tensor z = b.field("kl").maximum(0.0).stopGradient();
        Tensor good = x.sub(z).mul(BETA).sigmoid().neg().add(1.0).mul(d);
        Tensor bad = z.sub(x).mul(BETA).sigmoid().neg().add(1.0).mul(d.neg().add(1.0));
        return new LossFunction.Loss(good.add(bad).mean());
    };

    static PreferencePlan labeledPlan(CausalLM policy, PreferenceLoss loss, int steps, int batch, Path dir) {
        return new PreferencePlan(policy, TOK, nextDigitLabeled(), loss, RlPlan.Optimizer.defaults().withLr(1e-2),
                steps, batch, true, null, null, 0, 1, 5, dir);
    }

    @Test
    void ktoOnUnpairedRowsRaisesTheDesirableAndLowersTheUndesirable() {
        List<double[]> last = new ArrayList<>();
        PreferenceLoss probe = b -> {
            last.clear();
            last.add(b.field("logratio").toDoubleArray());
            last.add(b.field("desirable").toDoubleArray());
            return KTO.compute(b);
        };
        try (CausalLM policy = tinyGpt()) {
            assertTrue(labeledPlan(policy, probe, 1, 15, tmp.resolve("p")).labeled());
            PreferenceTrainer.run(labeledPlan(policy, probe, 20, 15, tmp.resolve("kto")), null).close();
        }
        double[] x = last.get(0);
        double[] d = last.get(1);
        for (int i = 0; i < x.length; i++) {
            if (d[i] == 1.0) assertTrue(x[i] > 0.5, "a desirable row's log-ratio rose: " + java.util.Arrays.toString(x));
            else assertTrue(x[i] < -0.5, "an undesirable row's log-ratio fell: " + java.util.Arrays.toString(x));
        }
    }

    @Test
    void labeledFieldsAgreeWithEachOther() {
        List<Map<String, double[]>> seen = new ArrayList<>();
        PreferenceLoss probe = b -> {
            assertTrue(b.labeled());
            Map<String, double[]> f = new java.util.HashMap<>();
            for (String k : PreferenceBatch.LABELED_FIELDS) f.put(k, b.field(k).toDoubleArray());
            seen.add(f);
            assertThrows(IllegalArgumentException.class, () -> b.field("chosen_logp"));
            return KTO.compute(b);
        };
        try (CausalLM policy = tinyGpt()) {
            PreferenceTrainer.run(labeledPlan(policy, probe, 1, 15, tmp.resolve("f")), null).close();
        }
        Map<String, double[]> f = seen.get(0); // one whole pass: every row once, the policy is the reference
        assertEquals(15, f.get("logp").length);
        assertEquals(10.0, java.util.Arrays.stream(f.get("desirable")).sum(), "10 desirable rows of 15");
        for (int i = 0; i < 15; i++) {
            assertEquals(2.0, f.get("lengths")[i], "one digit and EOS");
            assertEquals(f.get("token_logp")[2 * i] + f.get("token_logp")[2 * i + 1], f.get("logp")[i], 1e-5);
            assertEquals(f.get("logp")[i] / 2.0, f.get("avg")[i], 1e-6);
            assertEquals(f.get("ref_logp")[i], f.get("logp")[i], 1e-5);
            assertEquals(0.0, f.get("logratio")[i], 1e-5);
        }
        assertEquals(0.0, f.get("kl")[0], 1e-5, "policy = reference: the mismatched KL estimate is 0");
    }

    @Test
    void pairsAndLabeledRowsDoNotMix() {
        try (CausalLM policy = tinyGpt()) {
            List<PreferenceExample> mixed = new ArrayList<>(nextDigitPairs());
            mixed.addAll(nextDigitLabeled());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PreferencePlan(policy,
                    TOK, mixed, DPO, RlPlan.Optimizer.defaults(), 1, 1, true, null, null, 0, 1, 0, tmp));
            assertTrue(e.getMessage().contains("mix pairs and labeled"), e.getMessage());
        }
    }
}
