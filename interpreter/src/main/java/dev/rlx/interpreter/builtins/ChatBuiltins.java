package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.chat.ChatPrompts;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat templates in scripts: render a conversation with a tokenizer's chat template ({@code apply_chat_template}),
 * and turn a dataset's plain prompts into one-message conversations ({@code chat_task}, std/tasks' chat), which
 * a run then renders with the policy's template.
 */
public final class ChatBuiltins {
    private ChatBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            ChatBuiltinsFactory.ApplyChatTemplateFactory.getInstance(),
            ChatBuiltinsFactory.ChatTaskFactory.getInstance());

    /** The tokenizer of a tokenizer, model or reward model value; null when v is none of them or has none. */
    static Tokenizer tokenizerOf(Object v) {
        if (v instanceof TokenizerValue t) {
            return t.tokenizer();
        }
        if (v instanceof ModelValue m && m.tokenizer() != null) {
            return m.tokenizer().tokenizer();
        }
        if (v instanceof RewardModelValue m && m.tokenizer() != null) {
            return m.tokenizer().tokenizer();
        }
        return null;
    }

    /** Whether v looks like a conversation: a non-empty list whose first item is a record. */
    static boolean isConversation(Object v) {
        return v instanceof RlxList l && l.size() > 0 && l.get(0) instanceof RlxRecord;
    }

    /**
     * A conversation as Java maps: a non-empty list of records, each with a string {@code role} and a string
     * {@code content} (other fields, such as tool_calls, are passed on); {@code what} names it in errors.
     */
    @TruffleBoundary
    static List<Map<String, Object>> messages(BuiltinNode node, Object v, String what) {
        if (!(v instanceof RlxList l) || l.size() == 0) {
            throw node.error(what + " must be a non-empty list of records {role, content}, not " + EngineArgs.show(v));
        }
        List<Map<String, Object>> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            String item = what + "[" + i + "]";
            if (!(l.get(i) instanceof RlxRecord r)) {
                throw node.error(item + " is " + EngineArgs.show(l.get(i)) + ", not a record {role, content}");
            }
            for (String key : List.of("role", "content")) {
                if (!(r.get(key) instanceof String)) {
                    throw node.error(item + "." + key + (r.get(key) == null ? " is missing" : " is "
                            + EngineArgs.show(r.get(key)) + ", not a string") + " (a message is {role, content})");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) java(node, r, item);
            out.add(m);
        }
        return out;
    }

    /** .rlx data as the template sees it: records as maps, lists as lists, none as null. */
    private static Object java(BuiltinNode node, Object v, String where) {
        if (v instanceof RlxRecord r) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < r.size(); i++) {
                m.put(r.key(i), java(node, r.value(i), where + "." + r.key(i)));
            }
            return m;
        }
        if (v instanceof RlxList l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(java(node, l.get(i), where + "[" + i + "]"));
            }
            return out;
        }
        if (v == RlxNone.INSTANCE) {
            return null;
        }
        if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return v;
        }
        throw node.error(where + " is " + EngineArgs.show(v) + ": a chat template sees only strings, numbers, bools, "
                + "none, lists and records");
    }

    @Builtin(value = "apply_chat_template(tokenizer, messages, add_generation_prompt = true, tools = none)",
            doc = "the conversation messages (a list of records {role, content}) as text, rendered by the chat "
                    + "template of tokenizer (a tokenizer or a model that has one; its tokenizer_config.json "
                    + "chat_template) exactly as transformers' apply_chat_template(tokenize=False) renders it; "
                    + "add_generation_prompt opens the assistant's turn; tools: a list of tool records for "
                    + "templates that take them")
    public abstract static class ApplyChatTemplate extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object apply(Object tokenizer, Object messages, Object addGenerationPrompt, Object tools) {
            Tokenizer t = tokenizerOf(tokenizer);
            if (t == null || !(addGenerationPrompt instanceof Boolean agp)
                    || !(tools == RlxNone.INSTANCE || tools instanceof RlxList)) {
                throw typeError(tokenizer, messages, addGenerationPrompt, tools);
            }
            List<Map<String, Object>> m = messages(this, messages, "messages");
            List<?> toolList = tools == RlxNone.INSTANCE ? null : (List<?>) java(this, tools, "tools");
            EngineArgs a = EngineArgs.of(this, tokenizer, messages, addGenerationPrompt, tools);
            return a.engine(() -> ChatPrompts.require(t, "the tokenizer").render(m, agp, toolList));
        }
    }

    @Builtin(value = "chat_task(data, system = none)",
            doc = "data with every prompt made a conversation: [{role: \"system\", content: system}] (when system is "
                    + "a string) + [{role: \"user\", content: prompt}], in the row's `messages` field; a run prompts the "
                    + "policy with it rendered by the policy's chat template")
    public abstract static class ChatTask extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object chat(DatasetValue data, Object system) {
            if (!(system == RlxNone.INSTANCE || system instanceof String)) {
                throw error("system must be a string or none, not " + EngineArgs.show(system));
            }
            Dataset d = data.dataset();
            if (d.kind() != Dataset.Kind.PROBLEMS) {
                throw error(data.display() + " holds " + d.kind().name().toLowerCase() + ", not prompt rows");
            }
            List<Row> rows = new ArrayList<>(d.size());
            for (Row r : d.rows()) {
                if (r.messages() != null) {
                    rows.add(r); // already a conversation
                    continue;
                }
                List<Object> conv = new ArrayList<>();
                if (system instanceof String s) {
                    conv.add(message("system", s));
                }
                conv.add(message("user", r.prompt()));
                Map<String, Object> fields = new LinkedHashMap<>(r.fields());
                fields.put(Row.MESSAGES, conv);
                rows.add(new Row(r.prompt(), r.answer(), fields));
            }
            return new DatasetValue(new Dataset("chat(" + d.name() + ")", rows, d.tokenizer(), d.kind()));
        }

        private static Map<String, Object> message(String role, String content) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", role);
            m.put("content", content);
            return m;
        }

        @com.oracle.truffle.api.dsl.Fallback
        protected Object error(Object data, Object system) {
            throw typeError(data, system);
        }
    }
}
