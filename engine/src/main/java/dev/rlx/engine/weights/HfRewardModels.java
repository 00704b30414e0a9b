package dev.rlx.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.reward.RewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reward models in Hugging Face layout, the {@code *ForSequenceClassification} folders TRL and OpenRLHF save:
 * config.json naming that class with one label and {@code pad_token_id}, and one safetensors file with the
 * backbone under its usual names ({@code transformer.*} for GPT-2, {@code model.*} for Llama/Qwen2), no LM head,
 * and {@code score.weight} [1, D].
 */
public final class HfRewardModels {
    private static final String SUFFIX = "ForSequenceClassification";

    private HfRewardModels() {}

    /** Whether {@code dir}'s config.json names a {@code *ForSequenceClassification} class. */
    public static boolean isRewardModel(Path dir) {
        Path cfg = dir.resolve(HfModels.CONFIG);
        if (!Files.isRegularFile(cfg)) {
            return false;
        }
        String arch = HfConfig.architecture(cfg);
        return arch != null && arch.endsWith(SUFFIX);
    }

    /** {@code pad_token_id} of the folder's config, or -1 when it has none. */
    public static int padTokenId(Path dir) {
        return HfConfig.padTokenId(dir.resolve(HfModels.CONFIG));
    }

    /**
     * Loads a reward model folder. A reward model has no LM head, so the backbone is built with tied embeddings
     * whatever the config says: the flag only decides whether there is a separate head, and here there is none to
     * load (an untied Llama would otherwise need an lm_head.weight the folder does not have).
     */
    public static RewardModel load(Path dir, ComputeConfig compute) {
        ModelConfig config = HfModels.readConfig(dir);
        if (!isRewardModel(dir)) {
            throw new WeightsException(dir + ": not a reward model (" + HfModels.CONFIG + " names "
                    + HfConfig.architecture(dir.resolve(HfModels.CONFIG)) + ", not a *" + SUFFIX + ")");
        }
        checkScoreShape(dir, config);
        HfModels.Loaded loaded = HfModels.load(dir, config.withTieWordEmbeddings(true), compute,
                Set.of(RewardModel.SCORE_WEIGHT));
        return RewardModel.wrap(loaded.model(), loaded.extras().get(RewardModel.SCORE_WEIGHT));
    }

    /** One label: a score head of another shape is a classifier, not a reward model. */
    private static void checkScoreShape(Path dir, ModelConfig config) {
        SafeTensors.Header h = HfModels.locate(dir).get(RewardModel.SCORE_WEIGHT);
        if (h == null) {
            return; // the loader names the missing tensor and the files it looked in
        }
        Shape s = new Shape(HfModels.entry(h, RewardModel.SCORE_WEIGHT).shape());
        Shape want = new Shape(1, config.hiddenSize());
        if (!s.equals(want)) {
            String why = s.dimension() == 2 && s.get(1) == config.hiddenSize()
                    ? " (" + s.get(0) + " labels; a reward model has num_labels 1)" : "";
            throw new WeightsException(h.file() + ": tensor '" + RewardModel.SCORE_WEIGHT + "' has shape " + s
                    + " but a reward model needs " + want + why);
        }
    }

    /**
     * Writes config.json and model.safetensors into {@code dir}. {@code padTokenId} goes into the config (negative:
     * null), so transformers finds the last real token of a right-padded batch as rlx does.
     */
    public static void save(RewardModel rm, Path dir, int padTokenId) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        LinkedHashMap<String, NDArray> hf = null;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(HfModels.INDEX));
            HfConfig.writeRewardModel(rm.config(), dir.resolve(HfModels.CONFIG), rm.backbone().compute().dtype(),
                    padTokenId);
            hf = HfLayout.toHf(rm.backbone());
            Map<String, NDArray> tensors = new LinkedHashMap<>(hf);
            tensors.remove("lm_head.weight"); // a backbone made from an untied LM carries its head; an RM has none
            tensors.put(RewardModel.SCORE_WEIGHT, rm.scoreWeight());
            SafeTensors.write(dir.resolve(HfModels.SINGLE), tensors, null);
        } catch (IOException e) {
            throw new WeightsException(dir + ": cannot save (" + e.getMessage() + ")", e);
        } finally {
            if (hf != null) {
                closeCopies(hf.values(), rm.backbone().parameters().values());
            }
            JniUtils.setGradMode(grad);
        }
    }

    /** Closes the transposed and split copies toHf made, never a parameter it passed through as is. */
    private static void closeCopies(Collection<NDArray> converted, Collection<NDArray> params) {
        Map<NDArray, Boolean> own = new IdentityHashMap<>();
        for (NDArray p : params) {
            own.put(p, true);
        }
        for (NDArray a : converted) {
            if (!own.containsKey(a)) {
                a.close();
            }
        }
    }
}
