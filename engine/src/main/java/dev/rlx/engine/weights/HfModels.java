package dev.rlx.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads and saves model folders in Hugging Face layout: {@code config.json} plus {@code model.safetensors}
 * or shards {@code model-0000i-of-0000n.safetensors} with {@code model.safetensors.index.json}.
 */
public final class HfModels {
    public static final String CONFIG = "config.json";
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private HfModels() {}

    public static ModelConfig readConfig(Path dir) {
        Path cfg = dir.resolve(CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new WeightsException(dir + ": not a model folder (no " + CONFIG + ")");
        }
        return HfConfig.read(cfg);
    }

    public static CausalLM load(Path dir) {
        return load(dir, ComputeConfig.defaults());
    }

    public static CausalLM load(Path dir, ComputeConfig compute) {
        ModelConfig config = readConfig(dir);
        if (HfRewardModels.isRewardModel(dir)) {
            throw new WeightsException(dir + ": a reward model (" + HfConfig.architecture(dir.resolve(CONFIG))
                    + "), not a causal language model");
        }
        return load(dir, config, compute, Set.of()).model();
    }

    /** A backbone and the tensors beside it that the caller asked for ({@code extras}), all in the model's manager. */
    record Loaded(CausalLM model, Map<String, NDArray> extras) {}

    /**
     * Loads the weights of the model {@code config} describes plus the named {@code extraNames} (HF names,
     * required, any shape: the caller checks them), rejecting any other tensor.
     */
    static Loaded load(Path dir, ModelConfig config, ComputeConfig compute, Set<String> extraNames) {
        Map<String, SafeTensors.Header> byTensor = locate(dir);
        List<HfLayout.Mapping> mappings = HfLayout.mappings(config);
        Set<String> expected = new HashSet<>();
        for (HfLayout.Mapping m : mappings) {
            for (int i = 0; i < m.hfNames().size(); i++) {
                String name = m.hfNames().get(i);
                expected.add(name);
                SafeTensors.Header h = byTensor.get(name);
                if (h == null) {
                    throw new WeightsException(dir + ": tensor '" + name + "' is missing (looked in "
                            + files(byTensor) + ")");
                }
                SafeTensors.Entry e = entry(h, name);
                Shape want = m.hfShapes().get(i);
                if (!new Shape(e.shape()).equals(want)) {
                    throw new WeightsException(h.file() + ": tensor '" + name + "' has shape " + new Shape(e.shape())
                            + " but " + CONFIG + " implies " + want);
                }
            }
        }
        for (String name : extraNames) {
            if (!byTensor.containsKey(name)) {
                throw new WeightsException(dir + ": tensor '" + name + "' is missing (looked in " + files(byTensor) + ")");
            }
        }
        for (Map.Entry<String, SafeTensors.Header> e : byTensor.entrySet()) {
            String n = e.getKey();
            boolean tiedHead = n.equals("lm_head.weight") && config.tieWordEmbeddings();
            if (!expected.contains(n) && !extraNames.contains(n) && !HfLayout.isIgnorable(n) && !tiedHead) {
                throw new WeightsException(e.getValue().file() + ": unexpected tensor '" + n + "' (not part of a "
                        + config.arch() + " model with this " + CONFIG + ")");
            }
        }
        DataType dt = compute.djlDataType();
        NDManager modelManager = NDManager.newBaseManager(compute.djlDevice());
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager tmp = modelManager.newSubManager()) {
            Map<String, NDArray> hf = new LinkedHashMap<>();
            for (SafeTensors.Header h : new LinkedHashMap<>(uniqueFiles(byTensor)).values()) {
                for (Map.Entry<String, NDArray> t : SafeTensors.read(h.file(), tmp).entrySet()) {
                    hf.put(HfLayout.normalize(config, t.getKey()), t.getValue());
                }
            }
            // Each file tensor is turned into its parameter and freed right after, and a parameter that is a file
            // tensor as read is moved into the model rather than copied: at 0.5B parameters, copying every
            // tensor while all were still held made loading peak at four times the weights.
            Map<String, Integer> uses = new HashMap<>();
            for (HfLayout.Mapping m : mappings) for (String n : m.hfNames()) uses.merge(n, 1, Integer::sum);
            for (String n : extraNames) uses.merge(n, 1, Integer::sum);
            LinkedHashMap<String, NDArray> params = new LinkedHashMap<>();
            for (HfLayout.Mapping m : mappings) {
                List<NDArray> parts = new ArrayList<>();
                for (String n : m.hfNames()) {
                    NDArray a = hf.get(n);
                    parts.add(a.getDataType() == dt ? a : a.toType(dt, false));
                }
                NDArray fused = HfLayout.fromHf(m, parts);
                boolean isFileTensor = m.hfNames().size() == 1 && fused == hf.get(m.hfNames().get(0));
                // a file tensor two parameters read (tied weights written twice) gives each its own copy
                NDArray p = isFileTensor && uses.get(m.hfNames().get(0)) > 1 ? fused.duplicate() : fused;
                p.attach(modelManager);
                params.put(m.internal(), p);
                for (int i = 0; i < parts.size(); i++) {
                    String n = m.hfNames().get(i);
                    if (parts.get(i) != p && parts.get(i) != hf.get(n)) parts.get(i).close(); // a dtype copy
                    if (uses.merge(n, -1, Integer::sum) == 0 && hf.get(n) != p) hf.remove(n).close();
                }
            }
            Map<String, NDArray> extras = new LinkedHashMap<>();
            for (String name : extraNames) {
                NDArray a = hf.get(name);
                NDArray e = (a.getDataType() == dt ? a : a.toType(dt, false)).duplicate();
                e.attach(modelManager);
                extras.put(name, e);
            }
            return new Loaded(CausalLM.wrap(config, compute, modelManager, params), extras);
        } catch (RuntimeException e) {
            modelManager.close();
            throw e;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    static SafeTensors.Entry entry(SafeTensors.Header h, String name) {
        for (SafeTensors.Entry e : h.entries()) {
            if (e.name().equals(name) || e.name().equals(name.substring("transformer.".length() * (name.startsWith("transformer.") ? 1 : 0)))) {
                return e;
            }
        }
        throw new WeightsException(h.file() + ": tensor '" + name + "' is listed in " + INDEX + " but not in the file");
    }

    private static Map<Path, SafeTensors.Header> uniqueFiles(Map<String, SafeTensors.Header> byTensor) {
        Map<Path, SafeTensors.Header> m = new LinkedHashMap<>();
        for (SafeTensors.Header h : byTensor.values()) {
            m.putIfAbsent(h.file(), h);
        }
        return m;
    }

    private static String files(Map<String, SafeTensors.Header> byTensor) {
        List<String> names = new ArrayList<>();
        for (Path p : uniqueFiles(byTensor).keySet()) {
            names.add(p.getFileName().toString());
        }
        return String.join(", ", names);
    }

    /** Tensor name (normalized) -> header of the file holding it, checking the index against the shards. */
    static Map<String, SafeTensors.Header> locate(Path dir) {
        ModelConfig config = readConfig(dir);
        Map<String, SafeTensors.Header> out = new TreeMap<>();
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            JsonObject map;
            try {
                map = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
            } catch (IOException | RuntimeException e) {
                throw new WeightsException(index + ": not a valid safetensors index (" + e.getMessage() + ")", e);
            }
            if (map == null) {
                throw new WeightsException(index + ": no weight_map");
            }
            Map<String, SafeTensors.Header> headers = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                String file = e.getValue().getAsString();
                Path shard = dir.resolve(file);
                if (!Files.isRegularFile(shard)) {
                    throw new WeightsException(index + ": tensor '" + e.getKey() + "' is in shard " + file
                            + ", which does not exist");
                }
                SafeTensors.Header h = headers.computeIfAbsent(file, f -> SafeTensors.readHeader(shard));
                boolean found = h.entries().stream().anyMatch(x -> x.name().equals(e.getKey()));
                if (!found) {
                    throw new WeightsException(shard + ": tensor '" + e.getKey() + "' is listed in " + INDEX
                            + " but not in the file");
                }
                out.put(HfLayout.normalize(config, e.getKey()), h);
            }
        } else if (Files.isRegularFile(single)) {
            SafeTensors.Header h = SafeTensors.readHeader(single);
            for (SafeTensors.Entry e : h.entries()) {
                out.put(HfLayout.normalize(config, e.name()), h);
            }
        } else {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " (pytorch_model.bin is not supported: convert it to safetensors)" : "";
            throw new WeightsException(dir + ": no " + SINGLE + " or " + INDEX + hint);
        }
        return out;
    }

    /** Saves in one file. */
    public static void save(CausalLM model, Path dir) {
        save(model, dir, Long.MAX_VALUE);
    }

    /**
     * Saves config.json and the weights; more than {@code maxShardBytes} of tensors are split into shards
     * with an index, the way {@code save_pretrained(max_shard_size=...)} does.
     */
    public static void save(CausalLM model, Path dir, long maxShardBytes) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            Files.createDirectories(dir);
            HfConfig.write(model.config(), dir.resolve(CONFIG), model.compute().dtype());
            LinkedHashMap<String, NDArray> hf = HfLayout.toHf(model);
            TreeMap<String, NDArray> sorted = new TreeMap<>(hf);
            List<Map<String, NDArray>> shards = new ArrayList<>();
            Map<String, NDArray> cur = new LinkedHashMap<>();
            long curBytes = 0;
            long total = 0;
            for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
                long bytes = e.getValue().size() * e.getValue().getDataType().getNumOfBytes();
                if (!cur.isEmpty() && curBytes + bytes > maxShardBytes) {
                    shards.add(cur);
                    cur = new LinkedHashMap<>();
                    curBytes = 0;
                }
                cur.put(e.getKey(), e.getValue());
                curBytes += bytes;
                total += bytes;
            }
            shards.add(cur);
            Files.deleteIfExists(dir.resolve(INDEX));
            Files.deleteIfExists(dir.resolve(SINGLE));
            if (shards.size() == 1) {
                SafeTensors.write(dir.resolve(SINGLE), shards.get(0), null);
            } else {
                Map<String, String> weightMap = new TreeMap<>();
                for (int i = 0; i < shards.size(); i++) {
                    String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                    SafeTensors.write(dir.resolve(name), shards.get(i), null);
                    for (String k : shards.get(i).keySet()) {
                        weightMap.put(k, name);
                    }
                }
                Map<String, Object> idx = new LinkedHashMap<>();
                idx.put("metadata", Map.of("total_size", total));
                idx.put("weight_map", weightMap);
                Files.writeString(dir.resolve(INDEX), new GsonBuilder().setPrettyPrinting().create().toJson(idx) + "\n");
            }
            for (Map.Entry<String, NDArray> e : hf.entrySet()) {
                if (model.parameters().values().stream().noneMatch(v -> v == e.getValue())) {
                    e.getValue().close();
                }
            }
        } catch (IOException e) {
            throw new WeightsException(dir + ": cannot save (" + e.getMessage() + ")", e);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
