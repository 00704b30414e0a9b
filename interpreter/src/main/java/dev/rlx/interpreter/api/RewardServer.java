package dev.rlx.interpreter.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.Sample;
import dev.rlx.interpreter.experiment.RewardService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `rlx serve-rewards`: an experiment's rewards for another trainer, one JSON line in, one JSON line out. The
 * first line written is a header ({@code {"rlx": "serve-rewards", "terms": [...], "weights": [...], "metric":
 * name or null, "eos_id": n}}); then each request {@code {"samples": [{prompt, completion, tokens, finish?, row:
 * {answer, ...fields}}, ...], "metric": false}} gets {@code {"terms": {name: [score per sample]}, "errors": [...]}}
 * (errors: failed reward calls per sample, scored 0 under on_reward_error "zero"), or {@code {"error": text}}
 * naming the reward's `.rlx` location. A bad request never ends the server.
 */
public final class RewardServer {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    private final RewardService service;

    private RewardServer(RewardService service) {
        this.service = service;
    }

    /** Loads and evaluates the script (as `rlx run` would, without training) and opens its experiment's rewards. */
    public static RewardServer open(RlxSession session, Path file, Map<String, String> overrides, String experiment) {
        RlxSession.Script script = session.load(file, overrides);
        String name = RlxRuns.pick(script, experiment);
        return new RewardServer(RewardService.open(session, script, name));
    }

    public String header() {
        JsonObject h = new JsonObject();
        h.addProperty("rlx", "serve-rewards");
        h.add("terms", GSON.toJsonTree(service.termNames()));
        h.add("weights", GSON.toJsonTree(service.weights()));
        h.addProperty("metric", service.metricName());
        h.addProperty("eos_id", service.eosId());
        return GSON.toJson(h);
    }

    /** The answer line to one request line. */
    public String handle(String line) {
        try {
            JsonObject req = JsonParser.parseString(line).getAsJsonObject();
            boolean metric = req.has("metric") && req.get("metric").getAsBoolean();
            List<Sample> samples = new ArrayList<>();
            JsonArray arr = req.getAsJsonArray("samples");
            if (arr == null) {
                return error("error: a request is {\"samples\": [...]} (one JSON object per line)");
            }
            for (int i = 0; i < arr.size(); i++) {
                samples.add(sample(arr.get(i).getAsJsonObject(), i));
            }
            RewardEvaluator.Rewards r = service.score(samples, metric);
            JsonObject out = new JsonObject();
            JsonObject terms = new JsonObject();
            for (int t = 0; t < r.names().size(); t++) {
                JsonArray col = new JsonArray();
                for (double[] row : r.values()) {
                    col.add(row[t]);
                }
                terms.add(r.names().get(t), col);
            }
            out.add("terms", terms);
            JsonArray errors = new JsonArray();
            for (int b = 0; b < samples.size(); b++) {
                errors.add(r.errors(b));
            }
            out.add("errors", errors);
            return GSON.toJson(out);
        } catch (RlxError e) {
            return error(e.formatted());
        } catch (RuntimeException e) { // malformed JSON or a field of the wrong type
            return error("error: bad request: " + e.getMessage());
        }
    }

    private Sample sample(JsonObject s, int index) {
        String prompt = s.get("prompt").getAsString();
        String completion = s.get("completion").getAsString();
        JsonArray ids = s.has("tokens") ? s.getAsJsonArray("tokens") : new JsonArray();
        int[] tokens = new int[ids.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = ids.get(i).getAsInt();
        }
        String finish = s.has("finish") ? s.get("finish").getAsString()
                : tokens.length > 0 && tokens[tokens.length - 1] == service.eosId() ? "stop" : "length";
        Object answer = null;
        Map<String, Object> fields = new LinkedHashMap<>();
        JsonElement row = s.get("row");
        if (row != null && row.isJsonPrimitive()) { // the exported datasets carry the row as a JSON string
            row = JsonParser.parseString(row.getAsString());
        }
        if (row != null && row.isJsonObject()) {
            for (var e : row.getAsJsonObject().entrySet()) {
                Object v = JsonlData.convert(e.getValue());
                if (e.getKey().equals("answer")) {
                    answer = v == JsonlData.NULL ? null : v;
                } else {
                    fields.put(e.getKey(), v);
                }
            }
        }
        return new Sample(prompt, completion, tokens, tokens.length, finish, answer, fields, index);
    }

    private static String error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return GSON.toJson(o);
    }
}
