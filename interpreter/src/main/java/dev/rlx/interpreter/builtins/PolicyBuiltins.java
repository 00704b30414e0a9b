package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.chat.ChatPrompts;
import dev.rlx.engine.train.SftConfig;
import dev.rlx.engine.train.SftTrainer;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a policy does in a script: sample from it ({@code generate}) and fine-tune it ({@code sft}). Text is
 * encoded with the model's tokenizer, prompts with BOS in front (when the tokenizer has one) and SFT
 * responses with EOS after, so a fine-tuned model learns to stop and {@code generate} sees prompts the way
 * {@code sft} showed them.
 */
public final class PolicyBuiltins {
    private PolicyBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            PolicyBuiltinsFactory.GenerateFactory.getInstance(), PolicyBuiltinsFactory.SftFactory.getInstance());

    private static final List<String> GENERATION_KEYS = List.of("text", "tokens", "logprobs", "finish");

    /** A conversation rendered with the model's chat template (generation prompt added) and encoded with BOS. */
    static int[] chatPromptIds(BuiltinNode node, ModelValue m, List<Map<String, Object>> messages, String what) {
        Tokenizer tok = ModelBuiltins.tokenizerFor(node, m, what);
        String text;
        try {
            text = ChatPrompts.promptText(tok, messages, "the model's tokenizer");
        } catch (RuntimeException e) {
            throw node.error(what + ": " + e.getMessage());
        }
        return tok.encodeWithBos(text);
    }

    @Builtin(value = "generate(model, prompt, max_tokens = 16, greedy = true, temperature = 1.0, top_k = 0, "
            + "top_p = 1.0, seed = 0, stop = [], chat = false)",
            doc = "samples a completion with the KV cache: {text, tokens, logprobs, finish} (finish is \"stop\" or "
                    + "\"length\"); prompt is a string, a list of token ids, a conversation (a list of records "
                    + "{role, content}, rendered by the model's chat template with the assistant's turn opened), or a "
                    + "list of these (a batch, giving a list of records); chat: true renders a string prompt as one "
                    + "user message; stop holds stop strings and stop token ids; EOS always stops")
    public abstract static class Generate extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object generate(Object model, Object prompt, Object maxTokens, Object greedy, Object temperature,
                                  Object topK, Object topP, Object seed, Object stop, Object chat) {
            EngineArgs a = EngineArgs.of(this, model, prompt, maxTokens, greedy, temperature, topK, topP, seed, stop,
                    chat);
            ModelValue m = a.model("model");
            boolean asChat = a.bool("chat");
            boolean batch = prompt instanceof RlxList l && !l.asList().isEmpty()
                    && (l.get(0) instanceof String || l.get(0) instanceof RlxList);
            List<int[]> prompts = new ArrayList<>();
            if (batch) {
                RlxList l = (RlxList) prompt;
                for (int i = 0; i < l.size(); i++) {
                    prompts.add(promptIds(m, l.get(i), "prompt[" + i + "]", asChat));
                }
            } else {
                prompts.add(promptIds(m, prompt, "prompt", asChat));
            }
            SamplingParams.Builder p = SamplingParams.builder().maxTokens(a.integer("max_tokens"))
                    .greedy(a.bool("greedy")).temperature(a.number("temperature")).topK(a.integer("top_k"))
                    .topP(a.number("top_p")).seed(a.longValue("seed"));
            stops(a, p);
            Tokenizer tok = m.tokenizer() == null ? null : m.tokenizer().tokenizer();
            Generation g = a.engine(() -> KvCacheSampler.generate(m.model(), tok, prompts, p.build()));
            if (!batch) {
                return record(g, 0);
            }
            Object[] out = new Object[g.batchSize()];
            for (int i = 0; i < out.length; i++) {
                out[i] = record(g, i);
            }
            return new RlxList(out);
        }

        private int[] promptIds(ModelValue m, Object prompt, String what, boolean chat) {
            int[] ids;
            if (ChatBuiltins.isConversation(prompt) || (chat && prompt instanceof String)) {
                ids = chatPromptIds(this, m, prompt instanceof String s ? List.of(userMessage(s))
                        : ChatBuiltins.messages(this, prompt, what), what);
            } else if (prompt instanceof String s) {
                ids = ModelBuiltins.tokenizerFor(this, m, what).encodeWithBos(s);
                if (ids.length == 0) {
                    throw error(what + " is empty and the tokenizer has no BOS token to start from");
                }
            } else if (prompt instanceof RlxList l) {
                ids = EngineArgs.tokens(this, what, l);
            } else {
                throw error(what + " must be a string, a list of token ids or a conversation (a list of records "
                        + "{role, content}), not " + EngineArgs.show(prompt));
            }
            ModelBuiltins.checkTokens(this, m, ids, what);
            return ids;
        }

        private static Map<String, Object> userMessage(String content) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", "user");
            m.put("content", content);
            return m;
        }

        private void stops(EngineArgs a, SamplingParams.Builder p) {
            if (!(a.raw("stop") instanceof RlxList list)) {
                throw a.wrongType("stop", "a list of stop strings and token ids");
            }
            Set<Integer> tokens = new HashSet<>();
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object s = list.get(i);
                if (s instanceof String str && !str.isEmpty()) {
                    strings.add(str);
                } else if (s instanceof Long id && id >= 0 && id <= Integer.MAX_VALUE) {
                    tokens.add(id.intValue());
                } else {
                    throw error("stop[" + i + "] is " + EngineArgs.show(s)
                            + ", not a stop string (non-empty) or token id");
                }
            }
            p.stopTokens(tokens).stopStrings(strings);
        }

        private static RlxRecord record(Generation g, int row) {
            int n = g.lengths()[row];
            Object[] lps = new Object[n];
            for (int i = 0; i < n; i++) {
                lps[i] = (double) g.logprobs()[row][i];
            }
            Object text = g.texts() == null ? RlxNone.INSTANCE : g.texts()[row];
            return RlxRecord.of(null, GENERATION_KEYS,
                    List.of(text, EngineArgs.ints(g.response(row)), new RlxList(lps), g.finishReasons()[row]));
        }
    }

    @Builtin(value = "sft(model, data, steps = 100, lr = 3e-4, batch = 16, warmup = 0, schedule = \"cosine\", "
            + "min_lr_ratio = 0.1, weight_decay = 0.01, clip_grad = 1.0, seed = 0)",
            doc = "a fine-tuned copy of model: cross-entropy on the responses of data, a list of records "
                    + "{prompt, response} (or {prompt, answer}; strings, numbers or token lists), AdamW, warmup then "
                    + "\"cosine\" or \"constant\" schedule; the copy's .losses holds the loss of every step")
    public abstract static class Sft extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object sft(Object model, Object data, Object steps, Object lr, Object batch, Object warmup,
                             Object schedule, Object minLrRatio, Object weightDecay, Object clipGrad, Object seed) {
            EngineArgs a = EngineArgs.of(this, model, data, steps, lr, batch, warmup, schedule, minLrRatio,
                    weightDecay, clipGrad, seed);
            ModelValue m = a.model("model");
            ModelBuiltins.requireFloat32(this, m, "sft");
            if (!(data instanceof RlxList list) || list.size() == 0) {
                throw a.wrongType("data", "a non-empty list of {prompt, response} records");
            }
            List<SftTrainer.Example> examples = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                examples.add(example(m, list.get(i), "data[" + i + "]"));
            }
            SftConfig cfg = a.engine(() -> SftConfig.builder().steps(a.integer("steps")).lr(a.number("lr"))
                    .batch(a.integer("batch")).warmupSteps(a.integer("warmup")).schedule(a.string("schedule"))
                    .minLrRatio(a.number("min_lr_ratio")).weightDecay(a.number("weight_decay"))
                    .clipGrad(a.number("clip_grad")).seed(a.longValue("seed")).build());
            int pad = m.tokenizer() == null ? 0 : Math.max(0, m.tokenizer().tokenizer().padId());
            double[] losses = new double[cfg.steps()];
            BuiltinProgress progress = BuiltinProgress.of(this, "sft", cfg.steps());
            CausalLM trained;
            try {
                trained = a.engine(() -> SftTrainer.train(m.model(), examples, cfg, pad, info -> {
                    losses[info.step()] = info.loss();
                    progress.step(info.step() + 1, "loss %.4f", info.loss());
                }));
            } finally {
                progress.end();
            }
            return new ModelValue(trained, m.tokenizer(), losses);
        }

        private SftTrainer.Example example(ModelValue m, Object item, String what) {
            if (!(item instanceof RlxRecord r)) {
                throw error(what + " is " + EngineArgs.show(item) + ", not a {prompt, response} record");
            }
            Object prompt = r.get("prompt");
            Object response = r.get("response") != null ? r.get("response") : r.get("answer");
            if (prompt == null || response == null) {
                throw error(what + " needs the fields prompt and response (or answer); it has " + r.shape().keys());
            }
            int[] p;
            int[] resp;
            if (ChatBuiltins.isConversation(prompt)) {
                // a conversation is rendered as generate and RL runs render it, so SFT teaches the response after
                // exactly the text the policy will later be prompted with
                p = chatPromptIds(this, m, ChatBuiltins.messages(this, prompt, what + ".prompt"), what + ".prompt");
            } else if (prompt instanceof RlxList l) {
                p = EngineArgs.tokens(this, what + ".prompt", l);
            } else if (prompt instanceof String s) {
                p = ModelBuiltins.tokenizerFor(this, m, what + ".prompt").encodeWithBos(s);
            } else {
                throw error(what + ".prompt must be a string, a list of token ids or a conversation (a list of "
                        + "records {role, content}), not " + EngineArgs.show(prompt));
            }
            if (response instanceof RlxList l) {
                resp = EngineArgs.tokens(this, what + ".response", l);
            } else if (response instanceof String || response instanceof Long || response instanceof Double) {
                Tokenizer tok = ModelBuiltins.tokenizerFor(this, m, what + ".response");
                int[] ids = tok.encode(ValuePrinter.plain(response));
                resp = tok.eosId() < 0 ? ids : append(ids, tok.eosId());
            } else {
                throw error(what + ".response must be a string, a number or a list of token ids, not "
                        + EngineArgs.show(response));
            }
            if (p.length == 0 || resp.length == 0) {
                throw error(what + " has an empty " + (p.length == 0 ? "prompt" : "response"));
            }
            int[] all = append(p, resp);
            ModelBuiltins.checkTokens(this, m, all, what + " (prompt + response)");
            return new SftTrainer.Example(p, resp);
        }

        private static int[] append(int[] a, int... b) {
            int[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
