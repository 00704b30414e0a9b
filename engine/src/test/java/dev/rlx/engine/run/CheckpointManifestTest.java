package dev.rlx.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume loads only a checkpoint that matches its manifest; a damaged newer one is set aside and reported. */
class CheckpointManifestTest {
    @TempDir Path dir;

    private static JsonObject state(int step) {
        JsonObject s = new JsonObject();
        s.addProperty("step", step);
        return s;
    }

    /** A run folder with checkpoints at steps 2 and 4 (each with a weights file and a nested one) and 5 metrics lines. */
    private RunFolder runWithTwoCheckpoints() {
        RunFolder run = RunFolder.startNew(dir);
        for (int step = 1; step <= 5; step++) {
            run.appendMetrics(Map.of("step", step));
            if (step % 2 == 0) {
                byte[] weights = new byte[1000];
                weights[step] = (byte) step;
                run.writeCheckpoint(step, state(step), d -> {
                    Files.write(d.resolve("weights.bin"), weights);
                    Files.createDirectories(d.resolve("policy"));
                    Files.writeString(d.resolve("policy/config.json"), "{}");
                });
            }
        }
        return run;
    }

    private List<String> resume(RunFolder run, Path expected) {
        List<String> notices = new ArrayList<>();
        assertEquals(expected, run.prepareResume(notices::add));
        return notices;
    }

    @Test
    void anIntactCheckpointIsResumedSilently() {
        try (RunFolder run = runWithTwoCheckpoints()) {
            assertTrue(Files.isRegularFile(dir.resolve("checkpoints/step-4/manifest.json")));
            assertEquals(List.of(), resume(run, dir.resolve("checkpoints/step-4")));
            assertEquals(4, run.readMetrics().size());
        }
    }

    @Test
    void aChangedFileSendsTheResumeToThePreviousCheckpoint() throws IOException {
        try (RunFolder run = runWithTwoCheckpoints()) {
            Path weights = dir.resolve("checkpoints/step-4/weights.bin");
            byte[] b = Files.readAllBytes(weights);
            b[500] ^= 1; // same size, one bit flipped
            Files.write(weights, b);
            List<String> notices = resume(run, dir.resolve("checkpoints/step-2"));
            assertEquals(1, notices.size());
            assertTrue(notices.get(0).startsWith("checkpoint step-4 is damaged (weights.bin differs from its SHA-256"),
                    notices.get(0));
            assertTrue(Files.isDirectory(dir.resolve("checkpoints/.damaged-step-4")), "kept aside, not deleted");
            assertEquals(2, run.readMetrics().size(), "metrics after step 2 dropped");
        }
    }

    @Test
    void aTruncatedOrMissingFileOrManifestIsDamageToo() throws IOException {
        try (RunFolder run = runWithTwoCheckpoints()) {
            Files.write(dir.resolve("checkpoints/step-4/weights.bin"), new byte[10]);
            Files.delete(dir.resolve("checkpoints/step-2/policy/config.json"));
            List<String> notices = resume(run, null);
            assertEquals(2, notices.size(), notices.toString());
            assertTrue(notices.get(0).contains("weights.bin has 10 bytes, the manifest says 1000"), notices.get(0));
            assertTrue(notices.get(1).contains("policy/config.json is missing") && notices.get(1).endsWith("the start"),
                    notices.get(1));
            assertEquals(0, run.readMetrics().size());
        }
        Path other = dir.resolve("other-run");
        try (RunFolder run = new RunFolder(other)) {
            run.writeCheckpoint(1, state(1), d -> Files.writeString(d.resolve("x"), "x"));
            Files.delete(other.resolve("checkpoints/step-1/manifest.json"));
            List<String> notices = new ArrayList<>();
            assertNull(run.prepareResume(notices::add));
            assertTrue(notices.get(0).contains("no manifest.json"), notices.toString());
        }
    }
}
