package dev.rlx.engine.pref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.data.PairEncoder;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.rl.RlPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QRPO's scored rows from a file reach the loss as b.scores [B] and b.reference_scores [B,K], with the row fields. */
class ScoredBatchTest {
    @TempDir
    Path tmp;

    /** Scores 0.1 .. 0.4 (distinct, so a batch row names its file line), K = 3 reference scores per line. */
    static final String FILE = """
            {"prompt": "1", "completion": "2", "score": 0.1, "refs": [0.0, 0.5, 1.0]}
            {"prompt": "2", "completion": "34", "score": 0.2, "refs": [0.3, 0.2, -1.0]}
            {"prompt": "3", "completion": "4", "score": 0.3, "refs": [2.0, 2.5, 3.0]}
            {"prompt": "4", "completion": "5", "score": 0.4, "refs": [0.4, 0.4, 0.4]}
            """;

    @Test
    void theBatchHoldsTheFilesNumbersAndThePerRowFields() throws Exception {
        Path f = tmp.resolve("q.jsonl");
        Files.writeString(f, FILE);
        Dataset d = JsonlData.loadScored(f, "q.jsonl", "prompt", null,
                new JsonlData.ScoredFields("completion", "score", "refs"));
        List<PreferenceExample> examples = PairEncoder.encode(d, d.tokenizer(), 8);
        List<Map<String, double[]>> seen = new ArrayList<>();
        long[][] shapes = new long[2][];
        PreferenceLoss probe = b -> {
            assertEquals(Dataset.Kind.SCORED, b.kind());
            Map<String, double[]> m = new HashMap<>();
            for (String k : PreferenceBatch.SCORED_FIELDS) m.put(k, b.field(k).toDoubleArray());
            seen.add(m);
            shapes[0] = b.field("scores").shape();
            shapes[1] = b.field("reference_scores").shape();
            assertThrows(IllegalArgumentException.class, () -> b.field("desirable"), "scored rows have no flags");
            assertThrows(IllegalArgumentException.class, () -> b.field("chosen_logp"));
            return new LossFunction.Loss(b.field("logp").mean().neg());
        };
        ModelConfig cfg = ModelConfig.gpt().vocabSize(d.tokenizer().vocabSize()).dim(16).layers(1).heads(2).context(8)
                .build();
        try (CausalLM policy = CausalLM.create(cfg, ComputeConfig.defaults(), 7)) {
            PreferencePlan plan = new PreferencePlan(policy, d.tokenizer(), examples, probe,
                    RlPlan.Optimizer.defaults(), 1, 4, true, null, null, 0, 1, 3, tmp.resolve("run"));
            assertTrue(plan.scored() && !plan.labeled());
            PreferenceTrainer.run(plan, null).close();
        }
        assertArrayEquals(new long[] {4}, shapes[0]);
        assertArrayEquals(new long[] {4, 3}, shapes[1]);
        Map<String, double[]> m = seen.getFirst(); // one step of 4 = every line once, in a seeded order
        double[][] refs = {{0.0, 0.5, 1.0}, {0.3, 0.2, -1.0}, {2.0, 2.5, 3.0}, {0.4, 0.4, 0.4}};
        double[] lengths = {2, 3, 2, 2}; // the completion's characters and EOS
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int line = (int) Math.round(m.get("scores")[i] * 10) - 1;
            lines.add(line);
            assertEquals(0.1 * (line + 1), m.get("scores")[i], 1e-7);
            for (int k = 0; k < 3; k++) {
                assertEquals(refs[line][k], m.get("reference_scores")[3 * i + k], 1e-7, "row " + i + " ref " + k);
            }
            assertEquals(lengths[line], m.get("lengths")[i]);
            assertEquals(0.0, m.get("logratio")[i], 1e-5, "the policy is the reference at step 1");
        }
        assertEquals(List.of(0, 1, 2, 3), lines.stream().sorted().toList(), "every line once");
    }

    @Test
    void scoredAndLabeledRowsDoNotMix() {
        try (CausalLM policy = PreferenceTrainerTest.tinyGpt()) {
            List<PreferenceExample> mixed = new ArrayList<>(PreferenceTrainerTest.nextDigitLabeled());
            mixed.add(new dev.rlx.engine.data.ScoredTokens(new int[] {1}, new int[] {2}, 1.0, new double[] {0.0}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PreferencePlan(policy,
                    PreferenceTrainerTest.TOK, mixed, b -> null, RlPlan.Optimizer.defaults(), 1, 1, true, null, null,
                    0, 1, 0, tmp));
            assertEquals("preference examples mix labeled completions and scored completions", e.getMessage());
        }
    }
}
