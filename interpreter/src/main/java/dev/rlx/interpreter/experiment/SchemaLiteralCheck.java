package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.experiment.TrainSchema.Key;
import dev.rlx.interpreter.experiment.TrainSchema.Type;
import dev.rlx.interpreter.diag.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The static half of the train schema: checks a `train { ... }` literal and every nested record written as a
 * literal inside it, before anything runs. Unknown keys get a did-you-mean at the key, missing required keys an
 * error at the record, and a value written as a literal of the wrong type (or a string outside a key's choices)
 * an error at its key. Values that are not literals are checked when the record is evaluated ({@link TrainRecord}).
 */
final class SchemaLiteralCheck {
    private SchemaLiteralCheck() {}

    static List<Diagnostic> check(Ast.RecordLit record, Map<String, Key> schema, String path) {
        List<Diagnostic> out = new ArrayList<>();
        check(record, schema, path, out);
        return out;
    }

    private static void check(Ast.RecordLit record, Map<String, Key> schema, String path, List<Diagnostic> out) {
        List<String> present = new ArrayList<>();
        for (Ast.Field f : record.fields()) {
            present.add(f.name());
            Key key = schema.get(f.name());
            if (key == null) {
                String hint = Suggest.hint(f.name(), schema.keySet());
                out.add(Diagnostic.at(keySpan(f), "unknown key '" + f.name() + "' in " + path + " record",
                        hint != null ? hint : "keys: " + String.join(", ", schema.keySet())));
                continue;
            }
            checkValue(f, key, path + "." + f.name(), out);
        }
        List<Key> missing = schema.values().stream().filter(k -> k.required() && !present.contains(k.name())).toList();
        if (missing.size() == 1) {
            Key k = missing.get(0);
            out.add(Diagnostic.at(record.span(), path + " record is missing the required key '" + k.name() + "'",
                    k.name() + ": " + k.doc()));
        } else if (!missing.isEmpty()) {
            out.add(Diagnostic.at(record.span(), path + " record is missing the required keys "
                    + String.join(", ", missing.stream().map(k -> "'" + k.name() + "'").toList()), null));
        }
    }

    private static void checkValue(Ast.Field f, Key key, String path, List<Diagnostic> out) {
        Ast.Expr v = f.value();
        if (v instanceof Ast.NoneLit) {
            if (key.required()) {
                out.add(Diagnostic.at(keySpan(f), path + " is required: " + key.type().expected));
            }
            return;
        }
        String literal = literalType(v);
        if (literal != null && !fits(literal, v, key.type())) {
            out.add(Diagnostic.at(keySpan(f), path + " must be " + key.type().expected + ", got " + article(literal)
                    + (v instanceof Ast.ListLit l ? listItems(l) : "")));
            return;
        }
        if (key.choices() != null && v instanceof Ast.StringLit s && !key.choices().contains(s.value())) {
            out.add(Diagnostic.at(keySpan(f), path + " must be " + choices(key.choices()) + ", got \"" + s.value() + "\"",
                    Suggest.hint(s.value(), key.choices())));
        }
        if (key.nested() != null && v instanceof Ast.RecordLit inner) {
            check(inner, key.nested(), path, out);
        }
    }

    /** The type a literal evaluates to (`int`, `optimizer record`), or null when only running it can tell. */
    private static String literalType(Ast.Expr e) {
        return switch (e) {
            case Ast.IntLit i -> "int";
            case Ast.FloatLit x -> "float";
            case Ast.StringLit s -> "string";
            case Ast.BoolLit b -> "bool";
            case Ast.ListLit l -> "list";
            case Ast.Lambda l -> "function";
            case Ast.RecordLit r -> r.tag() == null ? "record" : r.tag() + " record";
            case Ast.Unary u when u.op() == Ast.UnaryOp.NEG -> {
                String inner = literalType(u.operand());
                yield "int".equals(inner) || "float".equals(inner) ? inner : null;
            }
            default -> null;
        };
    }

    private static boolean fits(String literal, Ast.Expr e, Type type) {
        return switch (type) {
            case INT -> literal.equals("int");
            case NUMBER -> literal.equals("int") || literal.equals("float");
            case BOOL -> literal.equals("bool");
            case STRING -> literal.equals("string");
            case STRINGS -> literal.equals("list") && ((Ast.ListLit) e).items().stream()
                    .allMatch(x -> literalType(x) == null || x instanceof Ast.StringLit);
            case NUMBERS -> literal.equals("list") && ((Ast.ListLit) e).items().stream()
                    .allMatch(x -> literalType(x) == null || "int".equals(literalType(x)) || "float".equals(literalType(x)));
            case FUNCTION, REWARD -> literal.equals("function");
            case RECORD, STATE -> literal.equals("record");
            case OPTIMIZER -> literal.equals(TrainSchema.OPTIMIZER_TAG + " record");
            case MODEL, DATASET -> false; // no literal is a model or a dataset
        };
    }

    /** ` holding a string`: the first literal item's type, when the list's items are the problem. */
    private static String listItems(Ast.ListLit list) {
        for (Ast.Expr item : list.items()) {
            String t = literalType(item);
            if (t != null && !t.equals("int") && !t.equals("float")) {
                return " holding " + article(t);
            }
        }
        return list.items().stream().anyMatch(x -> literalType(x) != null) ? " holding numbers" : "";
    }

    static String article(String typeName) {
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    /** `"none" or "greedy"`, `"constant", "linear" or "cosine"`. */
    static String choices(List<String> choices) {
        List<String> quoted = choices.stream().map(c -> "\"" + c + "\"").toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    /** The key's own span (the field span starts at the key). */
    static Span keySpan(Ast.Field f) {
        Span s = f.span();
        return new Span(s.sourceName(), s.line(), s.column(), s.start(), s.start() + f.name().length());
    }
}
