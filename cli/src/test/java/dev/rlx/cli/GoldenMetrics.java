package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Guards a refactoring of the trainer: the metrics.jsonl of an example's smoke-size run must match the
 * committed lines in {@code src/test/resources/golden-metrics/NAME.jsonl}, field by field, except wall-clock
 * times. Numbers match within 1e-4 (absolute or relative), so a last-bit difference between CPUs does not fail;
 * a changed sampled token or a changed formula does. Fields a run adds are allowed (new metrics); fields
 * the golden line has must be there, unless the test names them as intentionally dropped.
 *
 * <p>Regenerate (only when the arithmetic changes on purpose, and say so in the commit):
 * {@code RLX_GOLDEN_UPDATE=1 ./test.sh -pl cli -am -Dtest=CliTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
final class GoldenMetrics {
    private static final Path DIR = Path.of("src/test/resources/golden-metrics");
    private static final double TOLERANCE = 1e-4;

    private GoldenMetrics() {}

    static void check(String name, Path metricsFile, Set<String> dropped) throws IOException {
        List<String> actual = Files.readAllLines(metricsFile, StandardCharsets.UTF_8);
        Path golden = DIR.resolve(name + ".jsonl");
        if (System.getenv("RLX_GOLDEN_UPDATE") != null) {
            Files.createDirectories(DIR);
            Files.writeString(golden, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.isRegularFile(golden), "no golden metrics " + golden.toAbsolutePath() + " (RLX_GOLDEN_UPDATE=1 writes it)");
        List<String> expected = Files.readAllLines(golden, StandardCharsets.UTF_8);
        assertEquals(expected.size(), actual.size(), name + ": metrics lines");
        for (int i = 0; i < expected.size(); i++) {
            JsonObject e = JsonParser.parseString(expected.get(i)).getAsJsonObject();
            JsonObject a = JsonParser.parseString(actual.get(i)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> f : e.entrySet()) {
                String key = f.getKey();
                if (key.startsWith("time_ms") || dropped.contains(key)) {
                    continue;
                }
                String where = name + " line " + (i + 1) + " '" + key + "'";
                if (!a.has(key)) {
                    fail(where + " is missing: " + actual.get(i));
                }
                JsonElement ev = f.getValue();
                JsonElement av = a.get(key);
                if (ev.isJsonPrimitive() && ev.getAsJsonPrimitive().isNumber()) {
                    double x = ev.getAsDouble();
                    double y = av.getAsDouble();
                    boolean close = Math.abs(x - y) <= TOLERANCE * Math.max(1.0, Math.abs(x));
                    assertTrue(close, where + ": expected " + x + ", got " + y);
                } else {
                    assertEquals(ev, av, where);
                }
            }
        }
    }
}
