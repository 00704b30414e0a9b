package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reward model is not a policy: the train record says which kind it got. */
class RewardModelAsPolicyTest {
    @Test
    void aRewardModelAsThePolicyNamesBothKinds(@TempDir Path runDir) {
        try (TinyExperiments tiny = new TinyExperiments()) {
            String e = tiny.planError("rm = reward_model(p)\n"
                    + TinyExperiments.train("").replace("policy: p", "policy: rm"), runDir);
            assertTrue(e.contains("train.policy must be a model (gpt(...), load_model(...), sft(...)), got a reward model"),
                    e);
        }
    }
}
