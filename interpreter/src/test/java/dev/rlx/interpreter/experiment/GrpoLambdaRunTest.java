package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * std/recipes/grpo_lambda trains end to end through the engine. Its scores are checked number by number in
 * GrpoLambdaReferenceTest; here the logged diagnostics are checked against what the rule implies: with lam 1 every
 * correct row is penalized (sigmoid is never 0), so `penalized` is the share of correct rows, which the 0/1 verifier
 * as the only reward makes the logged `reward`; with 2 prompts and lam 0.2 only ceil(0.4) = 1 group, the more
 * accurate one, so between half of that share and all of it; alpha 0 is std/recipes/grpo exactly.
 */
class GrpoLambdaRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    /** A 0/1 verifier the untrained tiny policy passes on some rows and fails on others. */
    private static final String VERIFIER = "reward digit(s) = if matches(s.completion, \"^[0-9]+$\") then 1.0 else 0.0\n";

    private static String recipe(String options) {
        return VERIFIER + "import \"std/recipes/grpo_lambda\" as r\n"
                + "experiment e = r.recipe(policy: p, data: d, rewards: digit, correct: \"digit\", group: 4, batch: 2, "
                + "lr: 1e-2, max_tokens: 4, " + options + ")\n";
    }

    private static double get(JsonObject line, String key) {
        assertTrue(line.has(key), key + " in " + line);
        return line.get(key).getAsDouble();
    }

    @Test
    void everyCorrectRowIsPenalizedAtLambdaOne() {
        List<JsonObject> m = tiny.run(recipe("steps: 2, lam: 1.0, alpha: 0.5"), dir);
        assertEquals(2, m.size());
        boolean someCorrect = false;
        for (JsonObject line : m) {
            double share = get(line, "reward");
            assertEquals(share, get(line, "penalized"), 1e-6, line.toString());
            // each penalized row loses alpha * sigmoid(z), strictly between 0 and alpha
            double penalty = get(line, "length_penalty");
            assertTrue(penalty >= 0.0 && penalty <= 0.5 * share, line.toString());
            assertTrue(share == 0.0 || penalty > 0.0, line.toString());
            assertTrue(Double.isFinite(get(line, "loss")), line.toString());
            get(line, "clip_frac");
            someCorrect |= share > 0.0 && share < 1.0;
        }
        assertTrue(someCorrect, "the tiny verifier should pass some rows and fail others: " + m);
    }

    @Test
    void atTheDefaultLambdaOnlyTheMoreAccurateOfTwoGroupsIsPenalized() {
        List<JsonObject> m = tiny.run(recipe("steps: 2"), dir);
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            double share = get(line, "reward");
            double penalized = get(line, "penalized");
            assertTrue(penalized >= share / 2 - 1e-6 && penalized <= Math.min(share, 0.5) + 1e-6, line.toString());
            assertTrue(get(line, "length_penalty") <= 0.6 * penalized + 1e-6, line.toString());
        }
    }

    @Test
    void trainsWithTheKlTermAndSeveralEpochs() {
        List<JsonObject> m = tiny.run(recipe("steps: 2, beta: 0.05, epochs: 2, lam: 1.0"), dir);
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            get(line, "kl");
            assertEquals(get(line, "reward"), get(line, "penalized"), 1e-6, line.toString());
            assertTrue(Double.isFinite(get(line, "loss")), line.toString());
        }
    }

    @Test
    void alphaZeroIsPlainGrpo() {
        List<JsonObject> lambda = tiny.run(recipe("steps: 2, alpha: 0.0"), dir.resolve("lambda"));
        List<JsonObject> grpo = tiny.run(VERIFIER + "import \"std/recipes/grpo\" as g\n"
                + "experiment e = g.recipe(policy: p, data: d, rewards: digit, group: 4, batch: 2, lr: 1e-2, "
                + "max_tokens: 4, steps: 2)\n", dir.resolve("grpo"));
        for (int i = 0; i < 2; i++) {
            for (String key : List.of("loss", "reward", "length_mean", "clip_frac")) {
                assertEquals(get(grpo.get(i), key), get(lambda.get(i), key), 0.0, key + " at step " + (i + 1));
            }
            assertEquals(0.0, get(lambda.get(i), "penalized"), 0.0);
        }
    }

    @Test
    void aCorrectNameThatIsNoRewardTermIsAnErrorListingTheTerms() {
        String err = tiny.runError(VERIFIER + "import \"std/recipes/grpo_lambda\" as r\n"
                + "experiment e = r.recipe(policy: p, data: d, rewards: digit + shape, correct: \"right\", group: 4, "
                + "batch: 2, max_tokens: 4, steps: 1)\n", dir);
        assertTrue(err.contains("grpo_lambda: `correct` names no reward term: \"right\" (terms: [\"digit\", \"shape\"])"),
                err);
    }

    @Test
    void lambdaOutsideItsRangeIsAnErrorWhenTheExperimentIsBuilt() {
        String err = tiny.planError(recipe("lam: 0.0"), dir);
        assertTrue(err.contains("grpo_lambda: lam must lie in (0, 1], got 0.0"), err);
        err = tiny.planError(recipe("alpha: 1.5"), dir);
        assertTrue(err.contains("grpo_lambda: alpha must lie in [0, 1], got 1.5"), err);
    }
}
