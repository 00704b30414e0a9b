package dev.rlx.interpreter.api;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.report.RunRecord;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.Tokenizers;
import dev.rlx.engine.weights.HfModels;
import dev.rlx.interpreter.experiment.ModelEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `rlx evaluate MODEL_OR_RUN --data EXPR --metric NAME`: a model folder (Hugging Face layout with tokenizer.json),
 * a checkpoint folder, or a run folder (its newest checkpoint's policy) measured on a dataset. With a run folder,
 * the data and metric expressions also see the run's own bindings (its `test` data, its `correct` reward: read from
 * its lock, evaluated only as far as the expressions need), and decoding defaults to its eval's (run.json), so
 * `--data test --metric correct` repeats the run's last eval.
 */
public final class RlxEvaluations {
    private RlxEvaluations() {}

    /**
     * @param target a model, checkpoint or run folder
     * @param samples completions per problem for pass@k (0: greedy only)
     * @param passAtK the k of pass@k (each at most samples)
     * @param maxTokens, temperature: null for the run's (or 16 and 1.0)
     */
    public record Request(Path target, String data, String metric, int samples, List<Integer> passAtK, Integer maxTokens,
                          Double temperature, long seed) {}

    /** What was measured, and on what. */
    public record Evaluation(Path model, String data, int problems, String metric, int maxTokens, double temperature,
                             long seed, int greedyCorrect, double greedyAccuracy, double meanReward, int samples,
                             double sampledAccuracy, Map<Integer, Double> passAtK) {
        public String table() {
            StringBuilder b = new StringBuilder();
            line(b, "model", model.toString());
            line(b, "data", data + "  (" + problems + " problems)");
            line(b, "metric", metric + "  (correct: its first term scores at least 0.5)");
            line(b, "decoding", "max_tokens " + maxTokens + (samples > 0 ? ", samples at temperature " + temperature
                    + ", seed " + seed : ""));
            line(b, "greedy accuracy", String.format(Locale.ROOT, "%.3f  (%d/%d)", greedyAccuracy, greedyCorrect, problems));
            line(b, "mean reward", String.format(Locale.ROOT, "%.4f  (greedy completions)", meanReward));
            if (samples > 0) {
                line(b, "sampled accuracy", String.format(Locale.ROOT, "%.3f  (%d samples per problem)", sampledAccuracy,
                        samples));
                passAtK.forEach((k, v) -> line(b, "pass@" + k, String.format(Locale.ROOT, "%.4f", v)));
            }
            return b.toString();
        }

        public String json() {
            JsonObject o = new JsonObject();
            o.addProperty("model", model.toString());
            o.addProperty("data", data);
            o.addProperty("problems", problems);
            o.addProperty("metric", metric);
            o.addProperty("max_tokens", maxTokens);
            o.addProperty("greedy_correct", greedyCorrect);
            o.addProperty("greedy_accuracy", greedyAccuracy);
            o.addProperty("mean_reward", meanReward);
            if (samples > 0) {
                o.addProperty("samples", samples);
                o.addProperty("temperature", temperature);
                o.addProperty("seed", seed);
                o.addProperty("sampled_accuracy", sampledAccuracy);
                JsonObject p = new JsonObject();
                passAtK.forEach((k, v) -> p.addProperty(Integer.toString(k), v));
                o.add("pass_at_k", p);
            }
            return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
        }

        private static void line(StringBuilder b, String k, String v) {
            b.append(String.format(Locale.ROOT, "%-18s %s%n", k, v));
        }
    }

    public static Evaluation evaluate(RlxSession session, Request request) {
        Path target = request.target();
        RlxSession.Script script = null;
        JsonObject decoding = new JsonObject();
        Path modelDir;
        if (RunRecord.isRunFolder(target)) {
            RunRecord run = RunRecord.read(target);
            Path cp = run.latestCheckpoint().orElseThrow(() -> new RlxError("error: " + target + " has no checkpoint yet "
                    + "(a run writes one every checkpoint_every steps and at its last step)", null));
            modelDir = cp.resolve("policy");
            script = RunFolders.loadForResume(session, target);
            if (run.runJson().has("eval_decoding")) decoding = run.runJson().getAsJsonObject("eval_decoding");
        } else if (Files.isRegularFile(target.resolve(HfModels.CONFIG))) {
            modelDir = target;
        } else if (Files.isRegularFile(target.resolve("policy").resolve(HfModels.CONFIG))) {
            modelDir = target.resolve("policy"); // a checkpoint folder
        } else {
            throw new RlxError("error: " + target + " is neither a model folder (no " + HfModels.CONFIG + "), a checkpoint "
                    + "folder (no policy/) nor a run folder (no " + RunRecord.LOCK + ")", null);
        }
        if (!Files.isRegularFile(modelDir.resolve("tokenizer.json"))) {
            throw new RlxError("error: " + modelDir + " has no tokenizer.json: rlx evaluate needs the model's tokenizer "
                    + "beside its weights", null);
        }
        for (int k : request.passAtK()) {
            if (k < 1 || k > request.samples()) {
                throw new RlxError("error: --pass-at " + k + " needs 1 <= k <= --samples (" + request.samples() + ")", null);
            }
        }
        Dataset data = ModelEvaluation.dataset(session.evalWith(script, "--data", request.data()), request.data());
        RewardEvaluator metric = ModelEvaluation.metric(session, session.evalWith(script, "--metric", request.metric()),
                request.metric());
        int maxTokens = request.maxTokens() != null ? request.maxTokens() : intOr(decoding, "max_tokens", 16);
        double temperature = request.temperature() != null ? request.temperature() : numberOr(decoding, "temperature", 1.0);
        List<String> stop = new ArrayList<>();
        if (decoding.has("stop")) decoding.getAsJsonArray("stop").forEach(e -> stop.add(e.getAsString()));
        ModelEvaluation.Decoding d = new ModelEvaluation.Decoding(maxTokens, temperature, numberOr(decoding, "top_p", 1.0),
                intOr(decoding, "top_k", 0), stop, request.seed());
        try (CausalLM policy = HfModels.load(modelDir)) {
            Tokenizer tokenizer = Tokenizers.load(modelDir.resolve("tokenizer.json"));
            ModelEvaluation.Result r = ModelEvaluation.run(policy, tokenizer, data, metric, request.metric(), d,
                    request.samples(), request.passAtK());
            return new Evaluation(modelDir, request.data(), r.problems(), request.metric(), maxTokens, temperature,
                    request.seed(), r.greedyCorrect(), r.greedyAccuracy(), r.meanReward(), r.samples(), r.sampledAccuracy(),
                    r.passAtK());
        } catch (RuntimeException e) {
            if (e instanceof RlxError) throw e;
            throw new RlxError("error: evaluating " + modelDir + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
        }
    }

    private static int intOr(JsonObject o, String k, int otherwise) {
        return o.has(k) ? o.get(k).getAsInt() : otherwise;
    }

    private static double numberOr(JsonObject o, String k, double otherwise) {
        return o.has(k) ? o.get(k).getAsDouble() : otherwise;
    }
}
