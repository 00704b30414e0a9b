package dev.rlx.engine.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The engine's part of a run folder {@code runs/<name>-<hash8>/} (the caller writes recipe.lock.rlx and
 * overrides.txt):
 *
 * <pre>
 * metrics.jsonl                one JSON object per step, appended and flushed
 * samples.jsonl                a few completions per step with their rewards
 * checkpoints/step-N/          complete checkpoints only (written as .tmp-step-N, then renamed)
 *     policy/                  config.json + model.safetensors + tokenizer.json (Hugging Face layout)
 *     optimizer.safetensors    AdamW moments, step count in the metadata
 *     critic/ critic_head.safetensors critic_optimizer.safetensors   (with a critic)
 *     state.json               step, data cursor, seed, eval bookkeeping
 *     manifest.json            size and SHA-256 of every other file; written last (CheckpointManifest)
 * </pre>
 * A SIGKILL can leave a {@code .tmp-*} folder or a partial last line; both are ignored (and cleaned) on resume.
 */
public final class RunFolder implements AutoCloseable {
    public static final String METRICS = "metrics.jsonl";
    public static final String SAMPLES = "samples.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String STATE = "state.json";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    /** A checkpoint's state keeps its nulls: a carried record field that is none must come back as none. */
    private static final Gson STATE_GSON = new GsonBuilder().serializeSpecialFloatingPointValues().serializeNulls()
            .disableHtmlEscaping().create();

    private final Path dir;
    private BufferedWriter metrics;
    private BufferedWriter samples;

    public RunFolder(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve(CHECKPOINTS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + dir, e);
        }
    }

    /** The folder of a new run: one that already holds checkpoints is refused (resume it, or use another). */
    public static RunFolder startNew(Path dir) {
        RunFolder f = new RunFolder(dir);
        if (!f.checkpoints().isEmpty()) {
            f.close();
            throw new IllegalStateException(dir + " already holds checkpoints: resume it or use a new run folder");
        }
        f.truncateAfter(0);
        f.removeTemps();
        return f;
    }

    /**
     * Prepares a resume: drops temp folders and the metrics and samples lines after the newest checkpoint that
     * matches its manifest, which it returns (null when there is none: the run starts over). A newer checkpoint
     * that does not match is renamed {@code .damaged-step-N} (kept for a look, never loaded) and reported to
     * {@code notices}.
     */
    public Path prepareResume(java.util.function.Consumer<String> notices) {
        removeTemps();
        List<Path> all = checkpoints();
        Path ckpt = null;
        for (int i = all.size() - 1; i >= 0 && ckpt == null; i--) {
            Path c = all.get(i);
            Optional<String> problem = CheckpointManifest.problem(c);
            if (problem.isEmpty()) {
                ckpt = c;
                continue;
            }
            Path aside = c.resolveSibling(".damaged-" + c.getFileName());
            try {
                deleteTree(aside);
                Files.move(c, aside);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the damaged checkpoint " + c + " aside", e);
            }
            notices.accept("checkpoint " + c.getFileName() + " is damaged (" + problem.get() + "); kept as "
                    + aside.getFileName() + ", resuming from " + (i > 0 ? "an earlier checkpoint" : "the start"));
        }
        truncateAfter(ckpt == null ? 0 : stepOf(ckpt));
        return ckpt;
    }

    public Path dir() {
        return dir;
    }

    /**
     * {@code o} as strict JSON: a non-finite number is written as the string {@code "NaN"}, {@code "Infinity"}
     * or {@code "-Infinity"} (bare NaN is not JSON). Gson's {@code getAsDouble} reads those strings back as the
     * same doubles, so a checkpoint's state round-trips exactly; other readers see a string where a number
     * would be and can tell the three apart.
     */
    public static String toJson(Object o) {
        return GSON.toJson(finite(o instanceof JsonElement e ? e : GSON.toJsonTree(o)));
    }

    private static JsonElement finite(JsonElement e) {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double d = e.getAsDouble();
            return Double.isFinite(d) ? e : new JsonPrimitive(Double.toString(d));
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (var m : e.getAsJsonObject().entrySet()) out.add(m.getKey(), finite(m.getValue()));
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            for (JsonElement x : e.getAsJsonArray()) out.add(finite(x));
            return out;
        }
        return e;
    }

    /** Appends one metrics line and flushes. */
    public void appendMetrics(Map<String, Object> line) {
        metrics = append(metrics, METRICS, List.of(line));
    }

    public void appendSamples(List<? extends Map<String, Object>> lines) {
        samples = append(samples, SAMPLES, lines);
    }

    private BufferedWriter append(BufferedWriter w, String name, List<? extends Map<String, Object>> lines) {
        try {
            if (w == null) {
                w = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            for (Map<String, Object> l : lines) {
                w.write(toJson(l));
                w.write('\n');
            }
            w.flush();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    /** The metrics lines as JSON objects (a partial or corrupt line is skipped). */
    public List<JsonObject> readMetrics() {
        return readLines(dir.resolve(METRICS));
    }

    private static List<JsonObject> readLines(Path file) {
        List<JsonObject> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (e.isJsonObject()) out.add(e.getAsJsonObject());
                } catch (RuntimeException ignored) {
                    // a line cut by a kill
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Keeps only lines of steps <= {@code step} in metrics.jsonl and samples.jsonl (resume). */
    public void truncateAfter(int step) {
        closeWriters();
        for (String name : List.of(METRICS, SAMPLES)) {
            Path f = dir.resolve(name);
            if (!Files.exists(f)) continue;
            StringBuilder sb = new StringBuilder();
            for (JsonObject o : readLines(f)) {
                if (o.has("step") && o.get("step").getAsInt() <= step) {
                    sb.append(toJson(o)).append('\n');
                }
            }
            writeAtomically(f, sb.toString());
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes a checkpoint: {@code content} fills a temp folder, state.json goes last, then one rename. */
    public Path writeCheckpoint(int step, JsonObject state, CheckpointWriter content) {
        Path root = dir.resolve(CHECKPOINTS);
        Path tmp = root.resolve(".tmp-step-" + step);
        Path fin = root.resolve("step-" + step);
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            content.write(tmp);
            writeAtomically(tmp.resolve(STATE), STATE_GSON.toJson(finite(state)) + "\n");
            CheckpointManifest.write(tmp);
            deleteTree(fin);
            try {
                Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, fin);
            }
            return fin;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + fin, e);
        }
    }

    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path dir) throws IOException;
    }

    /** Complete checkpoints (step-N with a readable state.json), oldest first. */
    public List<Path> checkpoints() {
        Path root = dir.resolve(CHECKPOINTS);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
                    .filter(p -> readState(p).isPresent())
                    .sorted(Comparator.comparingInt(RunFolder::stepOf))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public Optional<Path> latestCheckpoint() {
        List<Path> c = checkpoints();
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(c.size() - 1));
    }

    public static int stepOf(Path checkpoint) {
        Matcher m = STEP_DIR.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint);
        return Integer.parseInt(m.group(1));
    }

    public static Optional<JsonObject> readState(Path checkpoint) {
        try {
            JsonElement e = JsonParser.parseString(Files.readString(checkpoint.resolve(STATE)));
            return e.isJsonObject() && e.getAsJsonObject().has("step") ? Optional.of(e.getAsJsonObject()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deletes all but the newest {@code keep} complete checkpoints, and leftover temp folders. */
    public void prune(int keep) {
        List<Path> c = checkpoints();
        for (int i = 0; i < c.size() - keep; i++) {
            deleteTree(c.get(i));
        }
        removeTemps();
    }

    public void removeTemps() {
        try (Stream<Path> s = Files.list(dir.resolve(CHECKPOINTS))) {
            s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).forEach(RunFolder::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private void closeWriters() {
        try {
            if (metrics != null) metrics.close();
            if (samples != null) samples.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            metrics = null;
            samples = null;
        }
    }

    @Override
    public void close() {
        closeWriters();
    }
}
