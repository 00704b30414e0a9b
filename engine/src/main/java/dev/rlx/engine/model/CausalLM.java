package dev.rlx.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.device.ComputeConfig;
import dev.rlx.engine.tensor.HostArrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A decoder-only language model: the parameters (in the model's own manager, under rlx's internal names)
 * and a pure forward function over them. Subclasses write the architecture in one readable method each.
 * Internal names follow Hugging Face except where projections are fused for speed (see
 * {@link dev.rlx.engine.weights.HfLayout}, which converts both ways).
 */
public abstract class CausalLM implements AutoCloseable {
    protected final ModelConfig config;
    protected final ComputeConfig compute;
    protected final NDManager manager;
    protected final LinkedHashMap<String, NDArray> params;
    private boolean trainable;

    protected CausalLM(ModelConfig config, ComputeConfig compute, NDManager manager, LinkedHashMap<String, NDArray> params) {
        this.config = config;
        this.compute = compute;
        this.manager = manager;
        this.params = params;
    }

    /** A freshly initialized model (normal(0, initializerRange) weights, seeded in Java so it is portable). */
    public static CausalLM create(ModelConfig config, ComputeConfig compute, long seed) {
        NDManager m = NDManager.newBaseManager(compute.djlDevice());
        LinkedHashMap<String, NDArray> p = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (Map.Entry<String, ParamSpec> e : specs(config).entrySet()) {
            p.put(e.getKey(), e.getValue().init(m, rng, config).toType(compute.djlDataType(), false));
        }
        return wrap(config, compute, m, p);
    }

    /** Wraps parameters already in internal layout; takes ownership of {@code manager}. */
    public static CausalLM wrap(ModelConfig config, ComputeConfig compute, NDManager manager, LinkedHashMap<String, NDArray> params) {
        Map<String, ParamSpec> specs = specs(config);
        for (Map.Entry<String, ParamSpec> e : specs.entrySet()) {
            NDArray a = params.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("missing parameter " + e.getKey());
            }
            if (!a.getShape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has shape " + a.getShape()
                        + ", expected " + e.getValue().shape());
            }
        }
        for (String k : params.keySet()) {
            if (!specs.containsKey(k)) {
                throw new IllegalArgumentException("unexpected parameter " + k);
            }
        }
        return config.isGpt2() ? new Gpt2Model(config, compute, manager, params)
                : new LlamaModel(config, compute, manager, params);
    }

    /** The expected internal parameters, in a fixed order (the order of the optimizer and of checkpoints). */
    public static Map<String, ParamSpec> specs(ModelConfig c) {
        return c.isGpt2() ? Gpt2Model.paramSpecs(c) : LlamaModel.paramSpecs(c);
    }

    public ModelConfig config() {
        return config;
    }

    public ComputeConfig compute() {
        return compute;
    }

    public DataType dataType() {
        return compute.djlDataType();
    }

    /** The model's manager: create per-call sub-managers from it so inputs live on the model's device. */
    public NDManager manager() {
        return manager;
    }

    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    public long numParameters() {
        long n = 0;
        for (NDArray a : params.values()) {
            n += a.size();
        }
        return n;
    }

    /** Turns gradient tracking of every parameter on or off (a frozen reference keeps it off). */
    public void setTrainable(boolean on) {
        for (NDArray a : params.values()) {
            a.setRequiresGradient(on);
        }
        trainable = on;
    }

    public boolean isTrainable() {
        return trainable;
    }

    /**
     * Final normalized hidden states [B,T,D] of T new tokens.
     *
     * @param tokens [B,T] int64
     * @param in positions and attention bias of these tokens (see {@link AttentionInputs})
     * @param cache keys/values of earlier tokens, appended to; null for a full (training/scoring) forward
     */
    public abstract NDArray hidden(NDArray tokens, AttentionInputs in, KvCache cache);

    /** Logits [..., V] from hidden states: the (possibly tied) output projection. */
    public NDArray logitsFromHidden(NDArray hidden) {
        NDArray head = params.get("lm_head.weight");
        return Ops.linear(hidden, head != null ? head : embeddingTable(), null);
    }

    public NDArray forward(NDArray tokens, AttentionInputs in, KvCache cache) {
        return logitsFromHidden(hidden(tokens, in, cache));
    }

    protected abstract NDArray embeddingTable();

    public KvCache newCache(NDManager scope) {
        return new KvCache(scope, config.numLayers());
    }

    /** Logits [T,V] of one unpadded sequence, as a Java array (the REPL's {@code logits(model, tokens)}). */
    public float[][] logits(int[] tokens) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = manager.newSubManager()) {
            long[] ids = new long[tokens.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tokens[i];
            }
            NDArray t = HostArrays.of(m, ids, new Shape(1, ids.length));
            NDArray out = forward(t, AttentionInputs.causal(m, ids.length, dataType()), null)
                    .toType(DataType.FLOAT32, false);
            float[] flat = out.toFloatArray();
            int v = config.vocabSize();
            float[][] res = new float[tokens.length][v];
            for (int i = 0; i < tokens.length; i++) {
                System.arraycopy(flat, i * v, res[i], 0, v);
            }
            return res;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /** A deep copy on its own manager that shares no storage with this model, gradients off. */
    public CausalLM copy() {
        NDManager m = NDManager.newBaseManager(manager.getDevice());
        LinkedHashMap<String, NDArray> p = new LinkedHashMap<>();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray d = e.getValue().duplicate();
                d.attach(m);
                p.put(e.getKey(), d);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return wrap(config, compute, m, p);
    }

    /** The frozen reference policy of RL: a copy whose parameters never require gradients. */
    public CausalLM frozenCopy() {
        return copy();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Shape and initializer of one parameter. */
    public record ParamSpec(Shape shape, Init init, double scale) {
        public enum Init { NORMAL, ZEROS, ONES }

        static ParamSpec normal(double scale, long... shape) {
            return new ParamSpec(new Shape(shape), Init.NORMAL, scale);
        }

        static ParamSpec zeros(long... shape) {
            return new ParamSpec(new Shape(shape), Init.ZEROS, 0);
        }

        static ParamSpec ones(long... shape) {
            return new ParamSpec(new Shape(shape), Init.ONES, 0);
        }

        NDArray init(NDManager m, SplittableRandom rng, ModelConfig c) {
            return switch (init) {
                case ZEROS -> m.zeros(shape);
                case ONES -> m.ones(shape);
                case NORMAL -> {
                    float[] v = new float[Math.toIntExact(shape.size())];
                    double std = c.initializerRange() * scale;
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (gaussian(rng) * std);
                    }
                    yield HostArrays.of(m, v, shape);
                }
            };
        }

        private static double gaussian(SplittableRandom rng) {
            // Box-Muller: SplittableRandom has no nextGaussian that is stable across JDKs
            double u1 = 1.0 - rng.nextDouble();
            double u2 = rng.nextDouble();
            return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        }
    }

    static NDList list(NDArray... a) {
        return new NDList(a);
    }
}
