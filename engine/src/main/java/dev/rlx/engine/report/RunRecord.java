package dev.rlx.engine.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.Numerics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a run folder holds, read without writing anything: the lock, the overrides, metrics.jsonl and samples.jsonl
 * (a line cut short by a run still writing it, or by a kill, is skipped), and the eval bookkeeping of run.json or,
 * failing that, of the newest checkpoint (the accuracy before training is in no metrics line). Works on a run that
 * is still training: it reads what is there.
 */
public final class RunRecord {
    public static final String LOCK = "recipe.lock.rlx";
    /** Written by rlx when a run starts (its experiment and length) and again when it ends (its summary). */
    public static final String RUN_JSON = "run.json";

    private final Path dir;
    private final String lockText;
    private final Map<String, String> overrides;
    private final List<JsonObject> metrics;
    private final List<JsonObject> samples;
    private final JsonObject runJson;
    private final JsonObject checkpointState;

    private RunRecord(Path dir) {
        this.dir = dir;
        this.lockText = readOr(dir.resolve(LOCK), "");
        this.overrides = parseOverrides(readOr(dir.resolve("overrides.txt"), ""));
        this.metrics = readJsonLines(dir.resolve(RunFolder.METRICS));
        this.samples = readJsonLines(dir.resolve(RunFolder.SAMPLES));
        this.runJson = readJson(dir.resolve(RUN_JSON)).orElse(new JsonObject());
        this.checkpointState = latestCheckpoint(dir).flatMap(RunFolder::readState).orElse(new JsonObject());
    }

    /** Whether {@code dir} is a run folder: rlx wrote its lock there. */
    public static boolean isRunFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(LOCK));
    }

    /** Reads the run in {@code dir}; throws IllegalArgumentException naming the folder when it is not one. */
    public static RunRecord read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such folder");
        }
        if (!isRunFolder(dir)) {
            throw new IllegalArgumentException(dir + " is not a run folder (no " + LOCK + ")");
        }
        return new RunRecord(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The folder's name, {@code <experiment>-<hash8>}. */
    public String name() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    public String experiment() {
        if (runJson.has("experiment")) return runJson.get("experiment").getAsString();
        String n = name();
        int dash = n.lastIndexOf('-');
        return dash > 0 ? n.substring(0, dash) : n;
    }

    /** The run hash: the folder name's suffix (rlx names run folders {@code <experiment>-<hash8>}). */
    public String hash() {
        String n = name();
        int dash = n.lastIndexOf('-');
        return dash > 0 ? n.substring(dash + 1) : "";
    }

    public String lockText() {
        return lockText;
    }

    /** The `--set` overrides, in the order given. */
    public Map<String, String> overrides() {
        return overrides;
    }

    public List<JsonObject> metrics() {
        return metrics;
    }

    public List<JsonObject> samples() {
        return samples;
    }

    /** The steps the run is to train (from run.json), or -1 when unknown. */
    public int totalSteps() {
        return runJson.has("total_steps") ? runJson.get("total_steps").getAsInt() : -1;
    }

    /** Whether the run finished every step (run.json's summary says so). */
    public boolean complete() {
        JsonObject s = summaryJson();
        return s != null && s.has("complete") && s.get("complete").getAsBoolean();
    }

    /** Why the run stopped early on a NaN or infinity (run.json), or null. */
    public String diverged() {
        JsonObject s = summaryJson();
        return s != null && s.has("diverged") ? s.get("diverged").getAsString() : null;
    }

    private JsonObject summaryJson() {
        return runJson.has("summary") && runJson.get("summary").isJsonObject() ? runJson.getAsJsonObject("summary") : null;
    }

    /** The numerics the run started with (run.json), or null for runs made before rlx recorded them. */
    public Numerics numerics() {
        return Numerics.fromJson(runJson.get("numerics"));
    }

    /** run.json as written (empty for runs made before it existed). */
    public JsonObject runJson() {
        return runJson;
    }

    /** The last step with a metrics line (0 before the first). */
    public int stepsDone() {
        return metrics.isEmpty() ? 0 : metrics.getLast().get("step").getAsInt();
    }

    /** The eval accuracy before training: run.json's summary, else the newest checkpoint's state; NaN if neither. */
    public double startAccuracy() {
        JsonObject s = summaryJson();
        if (s != null && s.has("start_accuracy")) return number(s.get("start_accuracy"));
        return checkpointState.has("start_accuracy") ? number(checkpointState.get("start_accuracy")) : Double.NaN;
    }

    /** The eval accuracies logged so far, as (step, accuracy), step 0 first when known. */
    public Series evalAccuracy() {
        Series s = series("eval_accuracy");
        double start = startAccuracy();
        if (Double.isNaN(start)) return s;
        double[] x = new double[s.size() + 1];
        double[] y = new double[s.size() + 1];
        y[0] = start;
        System.arraycopy(s.steps(), 0, x, 1, s.size());
        System.arraycopy(s.values(), 0, y, 1, s.size());
        return new Series(x, y);
    }

    /** The last eval accuracy logged, NaN without one. */
    public double finalAccuracy() {
        Series s = series("eval_accuracy");
        return s.size() == 0 ? Double.NaN : s.values()[s.size() - 1];
    }

    /** The best eval accuracy (before training included), NaN without any. */
    public double bestAccuracy() {
        double best = Double.NaN;
        for (double v : evalAccuracy().values()) {
            if (Double.isNaN(best) || v > best) best = v;
        }
        return best;
    }

    /** The first step whose eval accuracy reached {@code target} (0 when the start did), or -1 when none did. */
    public int stepToReach(double target) {
        Series s = evalAccuracy();
        for (int i = 0; i < s.size(); i++) {
            if (s.values()[i] >= target) return (int) s.steps()[i];
        }
        return -1;
    }

    /** Seconds of training logged: the sum of the steps' time_ms_total (evals included, start-up not). */
    public double wallSeconds() {
        double ms = 0;
        for (JsonObject m : metrics) {
            if (m.has("time_ms_total")) ms += number(m.get("time_ms_total"));
        }
        return ms / 1000;
    }

    /** The numeric metric keys, in the order they first appear (step excluded). */
    public List<String> metricKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonObject m : metrics) {
            for (var e : m.entrySet()) {
                if (!e.getKey().equals("step") && e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                    keys.add(e.getKey());
                }
            }
        }
        return new ArrayList<>(keys);
    }

    /** The steps that logged {@code key} and its values there (non-finite values left out). */
    public Series series(String key) {
        List<double[]> pts = new ArrayList<>();
        for (JsonObject m : metrics) {
            JsonElement v = m.get(key);
            if (v == null || !v.isJsonPrimitive()) continue;
            double y = number(v);
            if (Double.isFinite(y)) pts.add(new double[] {m.get("step").getAsDouble(), y});
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Series(x, y);
    }

    /** Points of one metric against step. */
    public record Series(double[] steps, double[] values) {
        public int size() {
            return steps.length;
        }
    }

    static double number(JsonElement e) {
        if (e == null || e.isJsonNull()) return Double.NaN;
        try {
            return e.getAsDouble();
        } catch (RuntimeException ex) {
            String s = e.getAsString();
            return s.equals("NaN") ? Double.NaN : s.equals("Infinity") ? Double.POSITIVE_INFINITY
                    : s.equals("-Infinity") ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
    }

    private static Optional<Path> latestCheckpoint(Path dir) {
        Path cps = dir.resolve(RunFolder.CHECKPOINTS);
        if (!Files.isDirectory(cps)) return Optional.empty();
        try (Stream<Path> s = Files.list(cps)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isRegularFile(p.resolve("manifest.json")))
                    .max((a, b) -> Integer.compare(RunFolder.stepOf(a), RunFolder.stepOf(b)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The newest complete checkpoint folder (one with its manifest), if any. */
    public Optional<Path> latestCheckpoint() {
        return latestCheckpoint(dir);
    }

    private static Map<String, String> parseOverrides(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return out;
    }

    private static String readOr(Path file, String otherwise) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : otherwise;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Optional<JsonObject> readJson(Path file) {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** One object per line; a line that does not parse (the last one, still being written) is skipped. */
    static List<JsonObject> readJsonLines(Path file) {
        List<JsonObject> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) return out;
        String text = readOr(file, "");
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            try {
                JsonElement e = JsonParser.parseString(line);
                if (e.isJsonObject() && e.getAsJsonObject().has("step")) out.add(e.getAsJsonObject());
            } catch (RuntimeException ignored) {
                // cut short by a writer that has not finished the line (or was killed)
            }
        }
        return out;
    }
}
