package dev.rlx.interpreter.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.run.RunFolder;
import dev.rlx.engine.tensor.Numerics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code run.json} in a run folder: what the run is (experiment, steps to train, how its eval decodes, the
 * numerics of the process that started it), written when training starts, and how it ended, added when it ends.
 * `rlx sweep` skips runs whose summary says complete, `rlx report` reads the accuracy before training from it, and
 * `rlx evaluate` decodes a run's checkpoint as its eval did. Nothing here enters the run hash.
 */
final class RunJson {
    static final String NAME = "run.json";

    private RunJson() {}

    /**
     * At the start (or a resume) of training: the experiment, its length, its eval's decoding, the numerics the run
     * started with ({@code started}; null for a run made before rlx recorded them) and, when a resume runs with
     * other numerics or the start's are unknown, this process's as {@code resumed_numerics}.
     */
    static void start(Path runDir, String experiment, int steps, RlPlan.Rollout decoding, RlPlan.Eval eval,
                      Numerics started, Numerics now) {
        JsonObject o = new JsonObject();
        o.addProperty("experiment", experiment);
        o.addProperty("total_steps", steps);
        if (started != null) o.add("numerics", started.toJson());
        if (!now.equals(started)) o.add("resumed_numerics", now.toJson());
        if (decoding != null) {
            JsonObject d = new JsonObject();
            d.addProperty("max_tokens", decoding.maxTokens());
            d.addProperty("temperature", decoding.temperature());
            d.addProperty("top_p", decoding.topP());
            d.addProperty("top_k", decoding.topK());
            JsonArray stop = new JsonArray();
            decoding.stop().forEach(stop::add);
            d.add("stop", stop);
            if (eval != null) {
                d.addProperty("greedy", eval.greedy());
                d.addProperty("limit", eval.limit());
            }
            o.add("eval_decoding", d);
        }
        write(runDir, o);
    }

    /** When training ends: the summary, complete when every step ran. */
    static void end(Path runDir, TrainingSummary s, boolean complete) {
        JsonObject o = read(runDir);
        JsonObject j = new JsonObject();
        j.addProperty("complete", complete);
        j.addProperty("steps_done", s.stepsDone());
        j.addProperty("start_accuracy", s.startAccuracy());
        j.addProperty("final_accuracy", s.finalAccuracy());
        j.addProperty("best_step", s.bestStep());
        j.addProperty("best_accuracy", s.bestAccuracy());
        j.addProperty("seconds", s.seconds());
        o.add("summary", j);
        write(runDir, o);
    }

    /** When training stopped on a NaN or infinity: the reason, so a sweep does not run it again. */
    static void diverged(Path runDir, String reason) {
        JsonObject o = read(runDir);
        JsonObject j = new JsonObject();
        j.addProperty("complete", false);
        j.addProperty("diverged", reason);
        o.add("summary", j);
        write(runDir, o);
    }

    /** The numerics a run folder's run.json says the run started with; null when it has none (older runs). */
    static Numerics numerics(Path runDir) {
        return Numerics.fromJson(read(runDir).get("numerics"));
    }

    static JsonObject read(Path runDir) {
        try {
            return JsonParser.parseString(Files.readString(runDir.resolve(NAME), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
    }

    private static void write(Path runDir, JsonObject o) {
        Path file = runDir.resolve(NAME);
        Path tmp = runDir.resolve("." + NAME + ".tmp");
        try {
            Files.writeString(tmp, RunFolder.toJson(o) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RlxError("error: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
