package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The terminal line of long builtins: redrawn in place, throttled, always showing the last step, ended once. */
class ProgressLineTest {
    @Test
    void redrawsInPlaceAndEndsWithANewline() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        line.onProgress("train_reward_model", 1, 4, "loss 0.6931  acc 0.500");
        line.onProgress("train_reward_model", 2, 4, "loss 0.5000  acc 0.750"); // within 100 ms: skipped
        line.onProgress("train_reward_model", 4, 4, "loss 0.1000  acc 1.000"); // the last step is always drawn
        line.onProgressEnd("train_reward_model");
        line.onProgressEnd("train_reward_model"); // nothing drawn since: no second newline
        String clear = "\u001b[K";
        assertEquals("\rtrain_reward_model [######..................] 1/4  loss 0.6931  acc 0.500" + clear
                + "\rtrain_reward_model [########################] 4/4  loss 0.1000  acc 1.000" + clear
                + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }
}
