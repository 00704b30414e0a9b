package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.Tokenizers;
import dev.rlx.engine.weights.HfModels;
import dev.rlx.engine.weights.HfRewardModels;
import dev.rlx.interpreter.model.ModelFolders;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.tensor.TensorValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Models as .rlx values: the builders (every option of {@link ModelConfig} a named parameter with its
 * default in the signature), Hugging Face folders in and out, and raw logits. Sampling and SFT are in
 * {@link PolicyBuiltins}, tokenizers in {@link TokenizerBuiltins}; {@link #FACTORIES} lists all three.
 */
public final class ModelBuiltins {
    private ModelBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = all();

    private static List<NodeFactory<? extends BuiltinNode>> all() {
        List<NodeFactory<? extends BuiltinNode>> out = new ArrayList<>(List.of(
                ModelBuiltinsFactory.GptFactory.getInstance(), ModelBuiltinsFactory.LlamaFactory.getInstance(),
                ModelBuiltinsFactory.Qwen2Factory.getInstance(), ModelBuiltinsFactory.LoadModelFactory.getInstance(),
                ModelBuiltinsFactory.SaveModelFactory.getInstance(), ModelBuiltinsFactory.LogitsFactory.getInstance()));
        out.addAll(PolicyBuiltins.FACTORIES);
        out.addAll(TokenizerBuiltins.FACTORIES);
        return List.copyOf(out);
    }

    /** Builds and initializes a model from the builder arguments shared by gpt, llama and qwen2. */
    @TruffleBoundary
    static ModelValue build(EngineArgs a, ModelConfig.Builder b, boolean llamaFamily) {
        TokenizerValue tok = a.tokenizerOrNone("tokenizer");
        if (a.isNone("vocab") && tok == null) {
            throw a.wrongType("vocab", "an int when no tokenizer is given");
        }
        int vocab = a.integerOr("vocab", tok == null ? 0 : tok.tokenizer().vocabSize());
        if (tok != null && vocab < tok.tokenizer().vocabSize()) {
            throw a.error("vocab " + vocab + " is smaller than the tokenizer's " + tok.tokenizer().vocabSize()
                    + " tokens");
        }
        int bos = tok == null ? 0 : Math.max(0, tok.tokenizer().bosId());
        int eos = tok == null ? 0 : Math.max(0, tok.tokenizer().eosId());
        b.vocabSize(vocab).layers(a.integer("layers")).dim(a.integer("dim")).heads(a.integer("heads"))
                .context(a.integer("context")).normEps(a.number("norm_eps"))
                .tieWordEmbeddings(a.bool("tie_embeddings")).activation(a.string("activation"))
                .initializerRange(a.number("init_std"))
                .bosTokenId(a.integerOr("bos_id", bos)).eosTokenId(a.integerOr("eos_id", eos));
        if (!a.isNone("mlp_dim")) {
            b.intermediateSize(a.integer("mlp_dim"));
        }
        if (llamaFamily) {
            b.kvHeads(a.integerOr("kv_heads", 0)).ropeTheta(a.number("rope_theta")).qkvBias(a.bool("qkv_bias"));
        }
        long seed = a.longValue("seed");
        ComputeConfig compute = compute(a);
        return a.engine(() -> new ModelValue(CausalLM.create(b.build(), compute, seed), tok, new double[0]));
    }

    static ComputeConfig compute(EngineArgs a) {
        String device = a.string("device");
        String dtype = a.string("dtype");
        ComputeConfig c = a.engine(() -> new ComputeConfig(device, dtype));
        if (c.isBfloat16()) {
            // PyTorch's CPU build under DJL aborts the whole JVM (exit 134) on the first bf16 op of a model here:
            // refuse before any weight exists rather than crash (issue 18, half precision)
            throw a.node().error("dtype \"" + dtype + "\" is not supported: bfloat16 models abort the native "
                    + "PyTorch runtime rlx runs on; use \"float32\" (or \"float16\" for generation only)");
        }
        return c;
    }

    /**
     * Training updates weights in place in the model's dtype; in float16 that fails inside PyTorch (no gradient
     * reaches half-precision leaves) and fp32 master weights are not built yet, so training a non-float32
     * model is refused where it is asked for. {@code what} names the training builtin or experiment.
     */
    static void requireFloat32(BuiltinNode node, ModelValue m, String what) {
        String dtype = m.model().compute().dtype();
        if (!m.model().compute().isFloat32()) {
            throw node.error(what + " needs a float32 model, this one is " + dtype + ": training in half precision "
                    + "is not supported yet (no fp32 master weights); build or load the model with dtype: "
                    + "\"float32\" (a float16 model can generate)");
        }
    }

    @Builtin(value = "gpt(tokenizer = none, vocab = none, layers = 4, dim = 128, heads = 4, context = 256, "
            + "mlp_dim = none, norm_eps = 1e-5, activation = \"gelu\", tie_embeddings = true, init_std = 0.02, "
            + "bos_id = none, eos_id = none, seed = 0, device = \"cpu\", dtype = \"float32\")",
            doc = "a new GPT-2 shaped model (learned positions, pre-LayerNorm, GELU MLP), randomly initialized from "
                    + "seed; vocab, bos_id and eos_id come from the tokenizer; mlp_dim none is 4*dim")
    public abstract static class Gpt extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object gpt(Object tokenizer, Object vocab, Object layers, Object dim, Object heads, Object context,
                             Object mlpDim, Object normEps, Object activation, Object tie, Object initStd, Object bosId,
                             Object eosId, Object seed, Object device, Object dtype) {
            EngineArgs a = EngineArgs.of(this, tokenizer, vocab, layers, dim, heads, context, mlpDim, normEps,
                    activation, tie, initStd, bosId, eosId, seed, device, dtype);
            return build(a, ModelConfig.gpt(), false);
        }
    }

    @Builtin(value = "llama(tokenizer = none, vocab = none, layers = 4, dim = 128, heads = 4, kv_heads = none, "
            + "context = 256, mlp_dim = none, norm_eps = 1e-6, rope_theta = 10000.0, tie_embeddings = false, "
            + "qkv_bias = false, activation = \"silu\", init_std = 0.02, bos_id = none, eos_id = none, seed = 0, "
            + "device = \"cpu\", dtype = \"float32\")",
            doc = "a new Llama shaped model (RMSNorm, rotary embeddings, SwiGLU, grouped-query attention); "
                    + "kv_heads none is heads, mlp_dim none is about 8/3*dim")
    public abstract static class Llama extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object llama(Object tokenizer, Object vocab, Object layers, Object dim, Object heads, Object kvHeads,
                               Object context, Object mlpDim, Object normEps, Object ropeTheta, Object tie,
                               Object qkvBias, Object activation, Object initStd, Object bosId, Object eosId,
                               Object seed, Object device, Object dtype) {
            EngineArgs a = EngineArgs.of(this, tokenizer, vocab, layers, dim, heads, kvHeads, context, mlpDim,
                    normEps, ropeTheta, tie, qkvBias, activation, initStd, bosId, eosId, seed, device, dtype);
            return build(a, ModelConfig.llama(), true);
        }
    }

    @Builtin(value = "qwen2(tokenizer = none, vocab = none, layers = 4, dim = 128, heads = 4, kv_heads = none, "
            + "context = 256, mlp_dim = none, norm_eps = 1e-6, rope_theta = 10000.0, tie_embeddings = false, "
            + "qkv_bias = true, activation = \"silu\", init_std = 0.02, bos_id = none, eos_id = none, seed = 0, "
            + "device = \"cpu\", dtype = \"float32\")",
            doc = "a new Qwen2 shaped model: llama with q/k/v bias, saved with model_type qwen2")
    public abstract static class Qwen2 extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object qwen2(Object tokenizer, Object vocab, Object layers, Object dim, Object heads, Object kvHeads,
                               Object context, Object mlpDim, Object normEps, Object ropeTheta, Object tie,
                               Object qkvBias, Object activation, Object initStd, Object bosId, Object eosId,
                               Object seed, Object device, Object dtype) {
            EngineArgs a = EngineArgs.of(this, tokenizer, vocab, layers, dim, heads, kvHeads, context, mlpDim,
                    normEps, ropeTheta, tie, qkvBias, activation, initStd, bosId, eosId, seed, device, dtype);
            return build(a, ModelConfig.qwen2(), true);
        }
    }

    @Builtin(value = "load_model(path, device = \"cpu\", dtype = \"float32\")",
            doc = "a model from a Hugging Face folder (config.json + model.safetensors or shards) relative to the "
                    + "script; a *ForSequenceClassification folder gives a reward model; it carries the folder's "
                    + "tokenizer.json when there is one")
    public abstract static class LoadModel extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object load(Object path, Object device, Object dtype) {
            EngineArgs a = EngineArgs.of(this, path, device, dtype);
            Path dir = a.input("path");
            ComputeConfig compute = compute(a);
            return a.engine(() -> {
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(dir + ": no such model folder");
                }
                Path tj = dir.resolve("tokenizer.json");
                TokenizerValue tok = Files.isRegularFile(tj) ? new TokenizerValue(Tokenizers.load(tj)) : null;
                if (HfRewardModels.isRewardModel(dir)) {
                    return new RewardModelValue(HfRewardModels.load(dir, compute), tok, new double[0], new double[0],
                            HfRewardModels.padTokenId(dir));
                }
                return new ModelValue(HfModels.load(dir, compute), tok, new double[0]);
            });
        }
    }

    @Builtin(value = "save_model(model, path)",
            doc = "writes the model or reward model (and its tokenizer) as a Hugging Face folder relative to the script, "
                    + "atomically (a reward model as *ForSequenceClassification); replaces an earlier model folder "
                    + "there; returns path")
    public abstract static class SaveModel extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object save(Object model, Object path) {
            EngineArgs a = EngineArgs.of(this, model, path);
            if (model instanceof RewardModelValue rm) {
                Path dir = a.output("path");
                a.engine(() -> {
                    ModelFolders.saveAtomically(dir, tmp -> {
                        HfRewardModels.save(rm.model(), tmp, rm.padTokenId());
                        if (rm.tokenizer() != null) {
                            rm.tokenizer().tokenizer().save(tmp);
                        }
                    });
                    return null;
                });
                return a.string("path");
            }
            ModelValue m = a.model("model");
            Path dir = a.output("path");
            a.engine(() -> {
                ModelFolders.saveAtomically(dir, tmp -> {
                    HfModels.save(m.model(), tmp);
                    if (m.tokenizer() != null) {
                        m.tokenizer().tokenizer().save(tmp);
                    }
                });
                return null;
            });
            return a.string("path");
        }
    }

    @Builtin(value = "logits(model, tokens)",
            doc = "the next-token logits of every position of one token sequence: a [T][V] list of lists of floats")
    public abstract static class Logits extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object logits(Object model, Object tokens) {
            EngineArgs a = EngineArgs.of(this, model, tokens);
            ModelValue m = a.model("model");
            int[] ids = a.tokens("tokens");
            checkTokens(this, m, ids, "tokens");
            float[][] out = a.engine(() -> m.model().logits(ids));
            int vocab = out.length == 0 ? 0 : out[0].length;
            float[] flat = new float[out.length * vocab];
            for (int t = 0; t < out.length; t++) {
                System.arraycopy(out[t], 0, flat, t * vocab, vocab);
            }
            return new TensorValue(
                    Tensors.fromFloats(flat, out.length, vocab));
        }
    }

    /** Token ids must index the vocabulary and fit the context; the engine would fail obscurely otherwise. */
    static void checkTokens(BuiltinNode node, ModelValue m, int[] ids, String what) {
        checkTokens(node, m.model().config(), ids, what);
    }

    static void checkTokens(BuiltinNode node, ModelConfig c, int[] ids, String what) {
        if (ids.length == 0) {
            throw node.error(what + " is empty");
        }
        if (ids.length > c.maxPositions()) {
            throw node.error(what + " has " + ids.length + " tokens, more than the model's context of "
                    + c.maxPositions());
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= c.vocabSize()) {
                throw node.error(what + "[" + i + "] = " + ids[i] + " is not in the model's vocabulary of "
                        + c.vocabSize());
            }
        }
    }

    /** The tokenizer a builtin needs for text, with an error saying how to do without. */
    static Tokenizer tokenizerFor(BuiltinNode node, ModelValue m, String what) {
        if (m.tokenizer() == null) {
            throw node.error("the model has no tokenizer, so " + what + " must be token ids (lists of ints)");
        }
        return m.tokenizer().tokenizer();
    }
}
