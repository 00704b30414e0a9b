package dev.rlx.interpreter.lock;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Prints syntax trees back as canonical .rlx source: one layout, minimal parentheses, no comments. Two
 * scripts that differ only in formatting print the same, which is what the run hash is taken over.
 * A renamer maps top-level and imported names (the lock file inlines modules under mangled names);
 * locals (parameters, `let`, lambda parameters) are never renamed.
 */
final class Unparser {
    /** Maps a free name, or `alias.member` (passed as "alias.member"), to its printed form; null keeps it. */
    private final UnaryOperator<String> rename;
    private final Deque<Set<String>> locals = new ArrayDeque<>();

    Unparser(UnaryOperator<String> rename) {
        this.rename = rename;
    }

    String decl(Decl d, String printedName) {
        StringBuilder sb = new StringBuilder();
        switch (d.kind()) {
            case REWARD -> sb.append("reward ");
            case EXPERIMENT -> sb.append("experiment ");
            default -> { }
        }
        sb.append(printedName);
        if (d.isFunction()) {
            sb.append(params(d.params()));
            locals.push(names(d.params()));
            sb.append(" = ").append(expr(d.body(), 0));
            locals.pop();
        } else {
            sb.append(" = ").append(expr(d.body(), 0));
        }
        return sb.toString();
    }

    private String params(List<Param> params) {
        StringBuilder sb = new StringBuilder("(");
        Set<String> scope = new HashSet<>();
        locals.push(scope);
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(p.name());
            if (p.defaultValue() != null) {
                sb.append(" = ").append(expr(p.defaultValue(), 0)); // defaults see earlier parameters
            }
            scope.add(p.name());
        }
        locals.pop();
        return sb.append(')').toString();
    }

    private static Set<String> names(List<Param> params) {
        Set<String> out = new HashSet<>();
        params.forEach(p -> out.add(p.name()));
        return out;
    }

    private boolean isLocal(String name) {
        for (Set<String> s : locals) {
            if (s.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static int precedence(Expr e) {
        return switch (e) {
            case Binary b -> switch (b.op()) {
                case OR -> 1;
                case AND -> 2;
                case LT, LE, GT, GE, EQ, NE -> 4;
                case ADD, SUB -> 5;
                case MUL, DIV, MOD -> 6;
                case POW -> 8;
            };
            case Unary u -> u.op() == UnaryOp.NOT ? 3 : 7;
            case If i -> 0;
            case Let l -> 0;
            case Lambda l -> 0;
            case Call c -> 9;
            case Member m -> 9;
            case Index i -> 9;
            case Slice s -> 9;
            // a folded negative literal prints with its minus: it binds like unary minus, not like a primary
            case IntLit i -> i.value() < 0 ? 7 : 10;
            case FloatLit f -> f.value() < 0 || 1 / f.value() < 0 ? 7 : 10;
            default -> 10;
        };
    }

    /** {@code e} printed, parenthesized when it binds looser than {@code context}. */
    String expr(Expr e, int context) {
        String s = print(e);
        return precedence(e) < context ? "(" + s + ")" : s;
    }

    private String print(Expr e) {
        return switch (e) {
            case IntLit i -> Long.toString(i.value());
            case FloatLit f -> ValuePrinter.formatDouble(f.value());
            case StringLit s -> ValuePrinter.json(s.value());
            case BoolLit b -> Boolean.toString(b.value());
            case NoneLit n -> "none";
            case Name n -> {
                String renamed = isLocal(n.name()) ? null : rename.apply(n.name());
                yield renamed == null ? n.name() : renamed;
            }
            case ListLit l -> "[" + String.join(", ", l.items().stream().map(x -> expr(x, 0)).toList()) + "]";
            case RecordLit r -> (r.tag() == null ? "" : r.tag() + " ") + "{" + String.join(", ",
                    r.fields().stream().map(f -> f.name() + ": " + expr(f.value(), 0)).toList()) + "}";
            case Call c -> expr(c.callee(), 9) + "(" + String.join(", ", c.args().stream()
                    .map(a -> (a.name() == null ? "" : a.name() + ": ") + expr(a.value(), 0)).toList()) + ")";
            case Member m -> {
                if (m.target() instanceof Name n && !isLocal(n.name())) {
                    String renamed = rename.apply(n.name() + "." + m.name());
                    if (renamed != null) {
                        yield renamed;
                    }
                }
                yield expr(m.target(), 9) + "." + m.name();
            }
            case Index i -> expr(i.target(), 9) + "[" + expr(i.index(), 0) + "]";
            case Slice s -> expr(s.target(), 9) + "[" + (s.from() == null ? "" : expr(s.from(), 0)) + ":"
                    + (s.to() == null ? "" : expr(s.to(), 0)) + "]";
            case Binary b -> {
                int p = precedence(b);
                // left-associative, except ** (right); comparisons do not chain, so both sides bind tighter
                int left = b.op() == BinaryOp.POW || p == 4 ? p + 1 : p;
                int right = b.op() == BinaryOp.POW ? p : p + 1;
                yield expr(b.left(), left) + " " + b.op().symbol + " " + expr(b.right(), right);
            }
            case Unary u -> u.op() == UnaryOp.NOT ? "not " + expr(u.operand(), 3) : "-" + expr(u.operand(), 7);
            case If i -> "if " + expr(i.cond(), 0) + " then " + expr(i.thenBranch(), 0) + " else "
                    + expr(i.elseBranch(), 0);
            case Let l -> {
                Set<String> scope = new HashSet<>();
                locals.push(scope);
                StringBuilder sb = new StringBuilder("let ");
                for (int k = 0; k < l.bindings().size(); k++) {
                    Binding b = l.bindings().get(k);
                    if (k > 0) {
                        sb.append(", ");
                    }
                    sb.append(b.name());
                    if (b.params() != null) {
                        scope.add(b.name()); // a local function sees itself
                        sb.append(params(b.params()));
                        locals.push(names(b.params()));
                        sb.append(" = ").append(expr(b.value(), 0));
                        locals.pop();
                    } else {
                        sb.append(" = ").append(expr(b.value(), 0));
                        scope.add(b.name());
                    }
                }
                sb.append(" in ").append(expr(l.body(), 0));
                locals.pop();
                yield sb.toString();
            }
            case Lambda l -> {
                String ps = params(l.params());
                locals.push(names(l.params()));
                String body = expr(l.body(), 0);
                locals.pop();
                yield ps + " => " + body;
            }
        };
    }
}
