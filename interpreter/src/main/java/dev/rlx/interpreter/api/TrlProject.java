package dev.rlx.interpreter.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.rlx.engine.data.DataOrder;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.rl.PromptSource;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.weights.HfModels;
import dev.rlx.interpreter.experiment.TrlExport;
import dev.rlx.interpreter.resolve.ModuleLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the files of an exported TRL project from a {@link TrlExport.Plan}: the policy as a Hugging Face folder,
 * the prompts as JSONL (training prompts in the order rlx would visit them), config.yaml (each setting with the
 * `.rlx` key it came from) and the fixed files (train.py, the reward client, accelerate configs, requirements,
 * README) from this jar's resources.
 */
final class TrlProject {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    static final List<String> FIXED = List.of("train.py", "rlx_rewards.py", "requirements.txt", "README.md",
            "accelerate/single.yaml", "accelerate/multi_gpu.yaml", "accelerate/deepspeed_zero2.yaml",
            "accelerate/multi_node.yaml");

    private TrlProject() {}

    static void write(TrlExport.Plan plan, Path dir, String header, List<String> serveCommand) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("accelerate"));
            Path model = dir.resolve("model");
            HfModels.save(plan.policy().model(), model);
            Tokenizer tok = plan.policy().tokenizer().tokenizer();
            tok.save(model);
            // the training prompts in rlx's visiting order (a seeded permutation per pass), one row per prompt drawn
            DataOrder order = new DataOrder(plan.train().size(), plan.seed(), 0);
            long drawn = plan.steps() * plan.batch();
            StringBuilder rows = new StringBuilder();
            for (long i = 0; i < drawn; i++) {
                rows.append(row(plan.train().get(order.next()))).append('\n');
            }
            Files.writeString(dir.resolve("data/train.jsonl"), rows.toString(), StandardCharsets.UTF_8);
            if (plan.eval() != null) {
                StringBuilder ev = new StringBuilder();
                for (int i = 0; i < plan.eval().size(); i++) {
                    ev.append(row(plan.eval().get(i))).append('\n');
                }
                Files.writeString(dir.resolve("data/eval.jsonl"), ev.toString(), StandardCharsets.UTF_8);
            }
            Files.writeString(dir.resolve("config.yaml"), config(plan, header, serveCommand, tok), StandardCharsets.UTF_8);
            for (String f : FIXED) {
                String text = ModuleLoader.readResource("export/trl/" + f);
                if (text == null) {
                    throw new IllegalStateException("missing resource export/trl/" + f);
                }
                Files.writeString(dir.resolve(f), text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"prompt": text, "rlx_row": "{answer, ...fields}"}: the row as a JSON string, so any field shape survives. */
    static String row(PromptSource.Prompt p) {
        JsonObject rowObj = new JsonObject();
        rowObj.add("answer", json(p.answer()));
        p.fields().forEach((k, v) -> rowObj.add(k, json(v)));
        JsonObject o = new JsonObject();
        o.addProperty("prompt", p.text());
        o.addProperty("rlx_row", GSON.toJson(rowObj));
        return GSON.toJson(o);
    }

    static JsonElement json(Object v) {
        return switch (v) {
            case null -> JsonNull.INSTANCE;
            case String s -> new JsonPrimitive(s);
            case Number n -> new JsonPrimitive(n);
            case Boolean b -> new JsonPrimitive(b);
            case List<?> l -> {
                JsonArray a = new JsonArray();
                l.forEach(x -> a.add(json(x)));
                yield a;
            }
            case Map<?, ?> m -> {
                JsonObject o = new JsonObject();
                m.forEach((k, x) -> o.add(String.valueOf(k), json(x)));
                yield o;
            }
            default -> v == JsonlData.NULL ? JsonNull.INSTANCE : new JsonPrimitive(String.valueOf(v));
        };
    }

    private static String config(TrlExport.Plan plan, String header, List<String> serve, Tokenizer tok) {
        StringBuilder trl = new StringBuilder("trl:  # GRPOConfig arguments (train.py adds the batch sizes and output_dir)\n");
        StringBuilder rlx = new StringBuilder("rlx:  # read by train.py itself\n");
        for (TrlExport.Setting s : plan.settings()) {
            boolean own = s.key().startsWith("rlx.");
            String key = own ? s.key().substring(4) : s.key();
            (own ? rlx : trl).append("  ").append(key).append(": ").append(yaml(s.value()))
                    .append("  # ").append(s.from()).append('\n');
        }
        trl.append("  shuffle_dataset: false  # data/train.jsonl holds the prompts in rlx's order for train.seed\n");
        trl.append("  logging_steps: 1  # one log line per optimizer step, as rlx's metrics.jsonl\n");
        trl.append("  bf16: false  # rlx trains in float32\n");
        trl.append("  gradient_checkpointing: false  # rlx does not checkpoint activations\n");
        trl.append("  disable_dropout: true  # rlx's models have no dropout\n");
        trl.append("  report_to: none\n");
        rlx.append("  gradient_accumulation_steps: 1  # micro-batches per optimizer step: raise it when a device's batch does not fit\n");
        rlx.append("  bos_id: ").append(tok.bosId()).append("  # rlx prompts are BOS + the prompt's tokens (-1: no BOS)\n");
        rlx.append("  eos_id: ").append(tok.eosId()).append('\n');
        rlx.append("  pad_id: ").append(tok.padId()).append('\n');
        rlx.append("  terms: ").append(yaml(plan.termNames())).append("  # train.rewards, one TRL reward function each\n");
        rlx.append("  metric: ").append(yaml(plan.metric())).append("  # train.eval.metric\n");
        rlx.append("  serve_rewards: ").append(yaml(serve)).append("  # started once per training process\n");
        return header + "\n" + trl + "\n" + rlx;
    }

    /** A value in YAML flow style that PyYAML reads back as the same type (floats always with a dot). */
    static String yaml(Object v) {
        return switch (v) {
            case null -> "null";
            case Double d -> {
                String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
                yield s.contains(".") ? s : s + ".0";
            }
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case String s -> GSON.toJson(s);
            case List<?> l -> "[" + String.join(", ", l.stream().map(TrlProject::yaml).toList()) + "]";
            default -> GSON.toJson(String.valueOf(v));
        };
    }
}
