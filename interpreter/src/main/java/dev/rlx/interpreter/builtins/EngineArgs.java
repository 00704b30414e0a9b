package dev.rlx.interpreter.builtins;

import dev.rlx.interpreter.RlxContext;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.ScriptFolder;
import dev.rlx.interpreter.runtime.Types;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The arguments of an engine builtin (model builders, sampling, SFT) by parameter name, with conversions
 * whose errors name the builtin and the parameter: `gpt: layers must be an int, not string`. Engine
 * builtins take many named options, so they check types here instead of in one specialization per type
 * combination.
 */
final class EngineArgs {
    private final BuiltinNode node;
    private final List<String> names;
    private final Object[] values;

    private EngineArgs(BuiltinNode node, List<String> names, Object[] values) {
        this.node = node;
        this.names = names;
        this.values = values;
    }

    /** The arguments of {@code node}'s call, named as in its {@link Builtin} signature. */
    @TruffleBoundary
    static EngineArgs of(BuiltinNode node, Object... values) {
        Builtin b = node.getClass().getSuperclass().getAnnotation(Builtin.class);
        String decl = b.value();
        String inner = decl.substring(decl.indexOf('(') + 1, decl.lastIndexOf(')'));
        List<String> names = new ArrayList<>();
        for (String part : inner.split(",")) {
            int eq = part.indexOf('=');
            names.add((eq < 0 ? part : part.substring(0, eq)).trim());
        }
        if (names.size() != values.length) {
            throw new IllegalStateException(decl + ": " + values.length + " values for " + names.size() + " parameters");
        }
        return new EngineArgs(node, names, values);
    }

    Object raw(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("no parameter " + name);
        }
        return values[i];
    }

    boolean isNone(String name) {
        return raw(name) == RlxNone.INSTANCE;
    }

    RlxException error(String message) {
        return node.error(message);
    }

    RlxException wrongType(String name, String expected) {
        return node.error(name + " must be " + expected + ", not " + describe(raw(name)));
    }

    private static String describe(Object v) {
        String t = Types.name(v);
        return t.startsWith("<") || t.equals("none") ? t : aOrAn(t);
    }

    private static String aOrAn(String t) {
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    int integer(String name) {
        if (raw(name) instanceof Long l) {
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw node.error(name + " is out of range: " + l);
            }
            return l.intValue();
        }
        throw wrongType(name, "an int");
    }

    /** An int, or {@code ifNone} when the argument is none. */
    int integerOr(String name, int ifNone) {
        return isNone(name) ? ifNone : integer(name);
    }

    long longValue(String name) {
        if (raw(name) instanceof Long l) {
            return l;
        }
        throw wrongType(name, "an int");
    }

    double number(String name) {
        Object v = raw(name);
        if (v instanceof Long l) {
            return l;
        } else if (v instanceof Double d) {
            return d;
        }
        throw wrongType(name, "a number");
    }

    boolean bool(String name) {
        if (raw(name) instanceof Boolean b) {
            return b;
        }
        throw wrongType(name, "true or false");
    }

    String string(String name) {
        if (raw(name) instanceof String s) {
            return s;
        }
        throw wrongType(name, "a string");
    }

    /** What a causal LM is called where a reward model was given instead, so the error names both kinds. */
    static final String CAUSAL_LM = "a causal LM (gpt(...), llama(...), qwen2(...), sft(...), load_model of a "
            + "*ForCausalLM folder)";
    static final String REWARD_MODEL = "a reward model (reward_model(...), train_reward_model(...), load_model of a "
            + "*ForSequenceClassification folder)";

    ModelValue model(String name) {
        if (raw(name) instanceof ModelValue m) {
            return m;
        }
        throw wrongType(name, raw(name) instanceof RewardModelValue ? CAUSAL_LM : "a model");
    }

    RewardModelValue rewardModel(String name) {
        if (raw(name) instanceof RewardModelValue m) {
            return m;
        }
        throw wrongType(name, REWARD_MODEL);
    }

    /** A tokenizer value, or the tokenizer a model carries; null for none. */
    TokenizerValue tokenizerOrNone(String name) {
        Object v = raw(name);
        if (v == RlxNone.INSTANCE) {
            return null;
        } else if (v instanceof TokenizerValue t) {
            return t;
        } else if (v instanceof ModelValue m && m.tokenizer() != null) {
            return m.tokenizer();
        } else if (v instanceof RewardModelValue m && m.tokenizer() != null) {
            return m.tokenizer();
        }
        throw wrongType(name, "a tokenizer");
    }

    Tokenizer tokenizer(String name) {
        TokenizerValue t = tokenizerOrNone(name);
        if (t == null) {
            throw wrongType(name, "a tokenizer");
        }
        return t.tokenizer();
    }

    /** A list of ints (token ids). */
    int[] tokens(String name) {
        if (raw(name) instanceof RlxList list) {
            return tokens(node, name, list);
        }
        throw wrongType(name, "a list of token ids");
    }

    static int[] tokens(BuiltinNode node, String what, RlxList list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw node.error(what + "[" + i + "] is " + show(list.get(i)) + ", not a token id (an int >= 0)");
            }
            out[i] = l.intValue();
        }
        return out;
    }

    static RlxList ints(int[] a) {
        Object[] out = new Object[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (long) a[i];
        }
        return new RlxList(out);
    }

    static String show(Object v) {
        return v instanceof Long || v instanceof Double ? v.toString() : describe(v);
    }

    /** A path the script names, inside the calling script's folder. */
    Path path(String name) {
        String p = string(name);
        try {
            return ScriptFolder.resolve(p);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** A file or folder the script reads: {@link #path}, recorded as one of the run's inputs. */
    Path input(String name) {
        Path p = path(name);
        RlxContext.get(node).recordInput(p);
        return p;
    }

    /** A model folder the script writes: {@link #path}, recorded so that reading it back is not an input. */
    Path output(String name) {
        Path p = path(name);
        RlxContext.get(node).recordOutput(p);
        return p;
    }

    /** Runs engine code, turning its errors (bad configurations, corrupt files) into located script errors. */
    BuiltinNode node() {
        return node;
    }

    <T> T engine(Supplier<T> body) {
        try (RlxContext.PausedClock paused = RlxContext.get(node).pauseClock()) {
            return body.get();
        } catch (RlxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw node.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
