package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.dsl.NodeFactory;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.nodes.RlxNode;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one list of builtins. Adding a builtin: write its class, then add its factory here. */
public final class Builtins {
    private Builtins() {}

    private static List<NodeFactory<? extends BuiltinNode>> factories() {
        List<NodeFactory<? extends BuiltinNode>> all = new ArrayList<>();
        all.addAll(StringBuiltins.FACTORIES);
        all.addAll(RegexBuiltins.FACTORIES);
        all.addAll(MathBuiltins.FACTORIES);
        all.addAll(ListBuiltins.FACTORIES);
        all.addAll(PreferenceBuiltins.FACTORIES);
        all.addAll(ValueBuiltins.FACTORIES);
        all.addAll(TensorBuiltins.FACTORIES);
        all.addAll(TensorMathBuiltins.FACTORIES);
        all.addAll(CreditPrimitives.FACTORIES);
        all.addAll(ModelBuiltins.FACTORIES);
        all.addAll(ExperimentBuiltins.FACTORIES);
        all.addAll(RewardModelBuiltins.FACTORIES);
        all.addAll(ModelRewardBuiltins.FACTORIES);
        all.addAll(TaskBuiltins.FACTORIES);
        all.addAll(MathAnswerBuiltins.FACTORIES);
        all.addAll(ChatBuiltins.FACTORIES);
        all.addAll(EXTENSIONS);
        return all;
    }

    /** Builtins contributed by other parts of the interpreter (tensors, engine values). */
    private static final List<NodeFactory<? extends BuiltinNode>> EXTENSIONS = new ArrayList<>();

    public static synchronized void register(List<? extends NodeFactory<? extends BuiltinNode>> more) {
        EXTENSIONS.addAll(more);
    }

    /** Creates every builtin as a function value of {@code language}, by name. */
    public static Map<String, RlxFunction> create(RlxLanguage language) {
        Map<String, RlxFunction> out = new LinkedHashMap<>();
        for (NodeFactory<? extends BuiltinNode> f : factories()) {
            Builtin b = f.getNodeClass().getAnnotation(Builtin.class);
            if (b == null) {
                throw new IllegalStateException(f.getNodeClass() + " lacks @Builtin");
            }
            Signature sig = Signature.parse(b.value());
            RlxNode[] template = new RlxNode[sig.arity()];
            Object[] defaults = defaults(b.value(), sig);
            if (sig.isVariadic()) {
                defaults[sig.arity() - 1] = RlxList.EMPTY;
            }
            BuiltinRootNode root = new BuiltinRootNode(language, () -> {
                RlxNode[] args = new RlxNode[template.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = new ReadArgumentNode(i, defaults[i]);
                }
                return f.createNode((Object) args);
            }, sig.name());
            out.put(sig.name(), new RlxFunction(sig, root.getCallTarget(), null, b.doc(), true));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Builtin defaults are literals: none, true, false, ints, floats, "strings", []. */
    private static Object[] defaults(String decl, Signature sig) {
        String inner = decl.substring(decl.indexOf('(') + 1, decl.lastIndexOf(')'));
        Object[] out = new Object[sig.arity()];
        String[] parts = inner.isBlank() ? new String[0] : inner.split(",");
        for (int i = 0; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                continue;
            }
            String t = parts[i].substring(eq + 1).trim();
            out[i] = switch (t) {
                case "none" -> RlxNone.INSTANCE;
                case "[]" -> RlxList.EMPTY;
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> t.startsWith("\"") ? t.substring(1, t.length() - 1)
                        : t.matches("-?[0-9]+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            };
        }
        return out;
    }
}
