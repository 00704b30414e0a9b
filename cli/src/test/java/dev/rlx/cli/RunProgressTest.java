package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain (piped) progress lines: RL steps show reward and length, preference steps their loss and margin. */
class RunProgressTest {
    private static String lines(Map<String, Object> step) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunProgress p = new RunProgress(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        p.onStart(Path.of("runs/x"), false, 1);
        p.onStep(1, step);
        Interrupts.onInterrupt(() -> {}); // onStart installed this progress's Ctrl-C handler: leave none behind
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anRlStepShowsRewardAccuracyAndLength() {
        String s = lines(Map.of("reward", 0.5, "accuracy", 0.25, "length_mean", 3.0, "loss", 0.1));
        assertTrue(s.startsWith("step 1/1  reward 0.500  acc 0.250  len 3.0"), s);
    }

    @Test
    void aPreferenceStepShowsLossAndMargin() {
        String s = lines(Map.of("loss", 0.6931, "margin", 0.125, "accuracy", 0.75));
        assertTrue(s.startsWith("step 1/1  loss 0.6931  margin 0.125  eval acc -"), s);
    }
}
