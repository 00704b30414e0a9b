package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import dev.rlx.interpreter.diag.Suggest;
import java.util.ArrayList;
import java.util.List;

/**
 * A function's parameters: names, which have defaults, and a display form for error messages
 * (`grpo(scores, group, scale = "group", eps = 1e-6)`).
 */
public final class Signature {
    private final String name;
    @CompilationFinal(dimensions = 1) private final String[] params;
    @CompilationFinal(dimensions = 1) private final boolean[] optional;
    private final String[] defaultTexts;
    private final boolean variadic;

    public Signature(String name, String[] params, boolean[] optional, String[] defaultTexts, boolean variadic) {
        this.name = name;
        this.params = params;
        this.optional = optional;
        this.defaultTexts = defaultTexts;
        this.variadic = variadic;
    }

    /** Parses `"name(a, b = 1, c = none)"`-style builtin declarations; `...rest` marks a variadic tail. */
    public static Signature parse(String decl) {
        int open = decl.indexOf('(');
        String name = decl.substring(0, open).trim();
        String inner = decl.substring(open + 1, decl.lastIndexOf(')')).trim();
        List<String> names = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        boolean variadic = false;
        if (!inner.isEmpty()) {
            for (String part : inner.split(",")) {
                String p = part.trim();
                if (p.startsWith("...")) {
                    variadic = true;
                    p = p.substring(3);
                }
                int eq = p.indexOf('=');
                names.add((eq < 0 ? p : p.substring(0, eq)).trim());
                defaults.add(eq < 0 ? null : p.substring(eq + 1).trim());
            }
        }
        boolean[] optional = new boolean[names.size()];
        for (int i = 0; i < optional.length; i++) {
            optional[i] = defaults.get(i) != null;
        }
        return new Signature(name, names.toArray(new String[0]), optional, defaults.toArray(new String[0]), variadic);
    }

    public String name() {
        return name;
    }

    public int arity() {
        return params.length;
    }

    public String param(int i) {
        return params[i];
    }

    public boolean isOptional(int i) {
        return optional[i];
    }

    public boolean isVariadic() {
        return variadic;
    }

    public int indexOf(String param) {
        for (int i = 0; i < params.length; i++) {
            if (params[i].equals(param)) {
                return i;
            }
        }
        return -1;
    }

    public List<String> params() {
        return List.of(params);
    }

    /**
     * Checks a call with {@code positional} leading positional arguments followed by the given named
     * ones; returns {message, hint} for the first problem, or null when the call fits. Shared by the
     * static checker and the runtime dispatch so both say the same thing.
     */
    public String[] checkCall(int positional, List<String> named) {
        int fixed = variadic ? params.length - 1 : params.length;
        String sig = "signature: " + this;
        if (positional > fixed && !variadic) {
            int required = 0;
            for (boolean o : optional) {
                required += o ? 0 : 1;
            }
            String arity = required == params.length ? params.length + " arguments"
                    : required + " to " + params.length + " arguments";
            return new String[] {name + "() takes " + arity + ", got " + positional + " positional", sig};
        }
        boolean[] filled = new boolean[params.length];
        for (int i = 0; i < Math.min(positional, fixed); i++) {
            filled[i] = true;
        }
        if (variadic && positional > fixed) {
            filled[params.length - 1] = true;
        }
        for (String n : named) {
            if (n == null) {
                return new String[] {"a positional argument cannot follow named arguments", sig};
            }
            int p = indexOf(n);
            if (p < 0) {
                String close = Suggest.hint(n, params());
                return new String[] {name + "() has no parameter '" + n + "'", close == null ? sig : close + " " + sig};
            }
            if (filled[p]) {
                return new String[] {name + "() got two values for '" + n + "'", sig};
            }
            filled[p] = true;
        }
        for (int p = 0; p < params.length; p++) {
            if (!filled[p] && !optional[p] && !(variadic && p == params.length - 1)) {
                return new String[] {name + "() is missing argument '" + params[p] + "'", sig};
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (variadic && i == params.length - 1) {
                sb.append("...");
            }
            sb.append(params[i]);
            if (defaultTexts[i] != null) {
                sb.append(" = ").append(defaultTexts[i]);
            }
        }
        return sb.append(')').toString();
    }
}
