package dev.rlx.interpreter.resolve;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.parser.RlxParsing;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * `--set name=value`: replaces a literal top-level binding of the main script with another literal
 * of the same type (an int may become a float). Overrides are configuration, so both sides must be
 * literals; anything else, an unknown name or a type change is an error citing the binding.
 */
public final class Overrides {
    /** An override as applied, for printing and for the run's overrides.txt. */
    public record Applied(String name, String value, String previous, String location) {
        @Override
        public String toString() {
            return name + " = " + value + "  (was " + previous + " at " + location + ")";
        }
    }

    private Overrides() {}

    static List<Applied> apply(RlxModule module, Ast.Module ast, Map<String, String> overrides,
                               List<Diagnostic> diagnostics) {
        List<Applied> applied = new ArrayList<>();
        for (var e : overrides.entrySet()) {
            String name = e.getKey();
            Decl decl = ast.decls().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
            if (decl == null || decl.isFunction()) {
                List<String> names = ast.decls().stream().filter(d -> !d.isFunction()).map(Decl::name).toList();
                String problem = decl == null ? "unknown binding '" + name + "'" : "'" + name + "' is a function";
                diagnostics.add(new Diagnostic("--set " + name, 1, 1, name.length(), problem + " in " + ast.sourceName()
                        + "; --set overrides a top-level binding such as " + String.join(", ", names),
                        Suggest.hint(name, names)));
                continue;
            }
            Object previous = literal(decl.body());
            if (previous == null) {
                diagnostics.add(Diagnostic.at(decl.nameSpan(), "--set " + name + ": '" + name
                        + "' is not a literal, so it cannot be overridden", "bind the literal to its own name and "
                        + "use that name in the expression"));
                continue;
            }
            Object value = parseValue(name, e.getValue(), previous, diagnostics);
            if (value == null) {
                continue;
            }
            if (previous instanceof Double && value instanceof Long l) {
                value = l.doubleValue();
            }
            if (previous != RlxNone.INSTANCE && !Types.name(previous).equals(Types.name(value))) {
                diagnostics.add(Diagnostic.at(decl.body().span(), "--set " + name + "=" + e.getValue()
                        + " changes the type of '" + name + "' from " + Types.name(previous) + " to "
                        + Types.name(value)));
                continue;
            }
            GlobalCell cell = module.cell(name);
            cell.initializeValue(value);
            applied.add(new Applied(name, ValuePrinter.display(value), ValuePrinter.display(previous),
                    decl.nameSpan().where()));
        }
        return applied;
    }

    private static final Pattern BARE_WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private static Object parseValue(String name, String text, Object previous, List<Diagnostic> diagnostics) {
        if (previous instanceof String && BARE_WORD.matcher(text).matches()) {
            // `--set agg=token-mean` or `--set scale=none` for a string binding needs no quotes: a bare word
            // there is the string, even when it would parse as a keyword (none, true) or an expression
            return text;
        }
        SourceText source = new SourceText("--set " + name, text, null);
        try {
            Expr expr = RlxParsing.parseExpression(source);
            Object v = literal(expr);
            if (v == null) {
                diagnostics.add(new Diagnostic(source.name(), 1, 1, text.length(), "--set " + name + "=" + text
                        + ": the value must be a literal (number, string, bool, none, list or record of literals)",
                        null));
            }
            return v;
        } catch (CompileErrors err) {
            diagnostics.addAll(err.diagnostics());
            return null;
        }
    }

    /** The value of a literal expression, or null when it is not one. */
    static Object literal(Expr e) {
        return switch (e) {
            case IntLit i -> i.value();
            case FloatLit f -> f.value();
            case StringLit s -> s.value();
            case BoolLit b -> b.value();
            case NoneLit n -> RlxNone.INSTANCE;
            case ListLit l -> {
                Object[] items = new Object[l.items().size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = literal(l.items().get(i));
                    if (items[i] == null) {
                        yield null;
                    }
                }
                yield new RlxList(items);
            }
            case RecordLit r -> {
                List<String> keys = new ArrayList<>();
                List<Object> values = new ArrayList<>();
                for (Field f : r.fields()) {
                    Object v = literal(f.value());
                    if (v == null) {
                        yield null;
                    }
                    keys.add(f.name());
                    values.add(v);
                }
                yield RlxRecord.of(r.tag(), keys, values);
            }
            default -> null;
        };
    }
}
