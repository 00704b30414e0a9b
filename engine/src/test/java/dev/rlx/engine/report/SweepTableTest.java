package dev.rlx.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTableTest {
    @Test
    void meanAndSpreadOverSeedsAndStepsToTarget(@TempDir Path dir) throws IOException {
        RunRecord a = RunRecord.read(RunFixtures.run(dir, "add2", "00000001", 1, "lr = 3e-05", 30, false));
        RunRecord b = RunRecord.read(RunFixtures.run(dir, "add2", "00000002", 2, "lr = 3e-05", 30, false));
        RunRecord c = RunRecord.read(RunFixtures.run(dir, "add2", "00000003", 1, "lr = 5e-05", 30, false));
        Map<String, String> fast = new LinkedHashMap<>(Map.of("lr", "3e-05"));
        List<SweepTable.Point> points = List.of(new SweepTable.Point(fast, List.of("1", "2"), List.of(a, b)),
                new SweepTable.Point(Map.of("lr", "5e-05"), List.of("1"), List.of(c)));
        String md = SweepTable.markdown("rlx sweep x.rlx", points, 0.8);
        // eval accuracy = 0.3 + 0.4 t + lift + 0.02 sin(1.7 step + seed); lift 0.2 for lr 3e-05
        double fa = 0.9 + 0.02 * Math.sin(30 * 1.7 + 1);
        double fb = 0.9 + 0.02 * Math.sin(30 * 1.7 + 2);
        String finals = String.format(java.util.Locale.ROOT, "%.3f (%.3f-%.3f)", (fa + fb) / 2, Math.min(fa, fb), Math.max(fa, fb));
        assertTrue(md.contains("| lr=3e-05 | 1, 2 | 2/2 | 0.500 | " + finals + " |"), md);
        // lr 3e-05 reaches 0.8 at step 20 (0.5 + 0.267 + noise: seed 1 0.780, seed 2 0.795 -> not yet; step 30: yes)
        double s1 = 0.5 + 0.4 * 20 / 30.0 + 0.02 * Math.sin(20 * 1.7 + 1);
        double s2 = 0.5 + 0.4 * 20 / 30.0 + 0.02 * Math.sin(20 * 1.7 + 2);
        String per = (s1 >= 0.8 ? "20" : "30") + ", " + (s2 >= 0.8 ? "20" : "30");
        assertTrue(md.contains("| " + per + " |"), per + " in\n" + md);
        assertTrue(md.contains("| lr=5e-05 | 1 | 1/1 | 0.300 |"), md);
        assertTrue(md.trim().endsWith("| - | - |"), "lr 5e-05 never reaches 0.8: " + md);
        String json = SweepTable.json("rlx sweep x.rlx", "x.rlx", List.of("add2"), Map.of("lr", List.of("3e-05", "5e-05")), points, 0.8);
        assertTrue(json.contains("\"step_to_target\": null"), json);
        assertTrue(json.contains("\"reached\": 2") && json.contains("\"reached\": 0"), json);
    }
}
