package dev.rlx.interpreter.editor;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.ast.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * What is at an offset of a module's syntax tree (a name and what it is bound to, a module member, a named
 * argument, a `train` key, a declaration) and which local names are in scope there. Purely syntactic: nothing is
 * translated or evaluated.
 */
public final class Locate {
    /** A local name: a parameter, a `let` binding or a lambda parameter, with the expression it is bound to. */
    public record Local(String name, Span span, String kind, Expr value) {}

    public sealed interface Hit permits NameHit, MemberHit, NamedArgHit, KeyHit, DeclHit, LocalHit, ImportHit {}

    /** A name in an expression; {@code local} is its binding when it is one, else it is top-level or builtin. */
    public record NameHit(Name name, Local local) implements Hit {}

    /** {@code target.member} where target is not a local (so possibly an import alias). */
    public record MemberHit(String target, String member, Span nameSpan) implements Hit {}

    /** {@code callee(..., arg: value)} with the cursor on {@code arg}. */
    public record NamedArgHit(Expr callee, String arg, Span nameSpan) implements Hit {}

    /** A key of an experiment record: {@code path} is e.g. [train, steps] or [train, rollout, group]. */
    public record KeyHit(List<String> path, Span nameSpan) implements Hit {}

    public record DeclHit(Decl decl) implements Hit {}

    public record LocalHit(Local local) implements Hit {}

    public record ImportHit(Import imp) implements Hit {}

    /** The hit (null if nothing), the locals in scope at the offset, and the declaration it is in. */
    public record Result(Hit hit, List<Local> scope, Decl decl) {}

    private final int offset;
    private Hit hit;
    private List<Local> scopeAt = List.of();

    private Locate(int offset) {
        this.offset = offset;
    }

    public static Result at(Ast.Module module, int offset) {
        Locate l = new Locate(offset);
        for (Import imp : module.imports()) {
            if (contains(imp.span(), offset)) {
                l.hit = new ImportHit(imp);
            }
        }
        for (Decl d : module.decls()) {
            if (contains(d.span(), offset)) {
                l.decl(d);
                return new Result(l.hit, l.scopeAt, d);
            }
        }
        return new Result(l.hit, List.of(), null);
    }

    private static boolean contains(Span s, int offset) {
        return s != null && s.start() <= offset && offset <= s.end();
    }

    private static Span nameSpan(Span whole, String name) {
        return new Span(whole.sourceName(), whole.line(), whole.column(), whole.start(), whole.start() + name.length());
    }

    private void decl(Decl d) {
        List<Local> scope = new ArrayList<>();
        if (contains(d.nameSpan(), offset)) {
            hit = new DeclHit(d);
        }
        if (d.params() != null) {
            params(d.params(), "parameter of " + d.name(), scope);
        }
        expr(d.body(), scope, null);
    }

    private void params(List<Param> params, String kind, List<Local> scope) {
        for (Param p : params) {
            Local local = new Local(p.name(), nameSpan(p.span(), p.name()), kind, p.defaultValue());
            if (contains(local.span(), offset)) {
                hit = new LocalHit(local);
            }
            if (p.defaultValue() != null) {
                expr(p.defaultValue(), scope, null);
            }
            scope.add(local);
        }
    }

    /** {@code recordPath}: the experiment-key path of {@code e} when it is an untagged record value of a key. */
    private void expr(Expr e, List<Local> scope, List<String> recordPath) {
        if (e == null || !contains(e.span(), offset)) {
            return;
        }
        scopeAt = List.copyOf(scope);
        switch (e) {
            case Name n -> hit = new NameHit(n, lookup(scope, n.name()));
            case ListLit l -> l.items().forEach(x -> expr(x, scope, null));
            case RecordLit r -> record(r, scope, r.tag() != null ? List.of(r.tag()) : recordPath);
            case Call c -> {
                expr(c.callee(), scope, null);
                for (Arg a : c.args()) {
                    if (a.name() != null && contains(nameSpan(a.span(), a.name()), offset)) {
                        hit = new NamedArgHit(c.callee(), a.name(), nameSpan(a.span(), a.name()));
                    }
                    expr(a.value(), scope, null);
                }
            }
            case Member m -> {
                expr(m.target(), scope, null);
                if (contains(m.nameSpan(), offset) && m.target() instanceof Name n && lookup(scope, n.name()) == null) {
                    hit = new MemberHit(n.name(), m.name(), m.nameSpan());
                }
            }
            case Index i -> {
                expr(i.target(), scope, null);
                expr(i.index(), scope, null);
            }
            case Slice s -> {
                expr(s.target(), scope, null);
                expr(s.from(), scope, null);
                expr(s.to(), scope, null);
            }
            case Binary b -> {
                expr(b.left(), scope, null);
                expr(b.right(), scope, null);
            }
            case Unary u -> expr(u.operand(), scope, null);
            case If i -> {
                expr(i.cond(), scope, null);
                expr(i.thenBranch(), scope, null);
                expr(i.elseBranch(), scope, null);
            }
            case Let l -> {
                List<Local> inner = new ArrayList<>(scope);
                for (Binding b : l.bindings()) {
                    Local local = new Local(b.name(), nameSpan(b.span(), b.name()), "let", b.value());
                    if (contains(local.span(), offset)) {
                        hit = new LocalHit(local);
                    }
                    if (b.params() != null) {
                        inner.add(local); // a local function sees itself
                        List<Local> fn = new ArrayList<>(inner);
                        params(b.params(), "parameter of " + b.name(), fn);
                        expr(b.value(), fn, null);
                    } else {
                        expr(b.value(), inner, null);
                        inner.add(local);
                    }
                }
                expr(l.body(), inner, null);
            }
            case Lambda l -> {
                List<Local> inner = new ArrayList<>(scope);
                params(l.params(), "lambda parameter", inner);
                expr(l.body(), inner, null);
            }
            default -> { }
        }
    }

    private void record(RecordLit r, List<Local> scope, List<String> path) {
        for (Field f : r.fields()) {
            List<String> keyPath = null;
            if (path != null) {
                keyPath = new ArrayList<>(path);
                keyPath.add(f.name());
                if (contains(nameSpan(f.span(), f.name()), offset)) {
                    hit = new KeyHit(List.copyOf(keyPath), nameSpan(f.span(), f.name()));
                }
            }
            expr(f.value(), scope, keyPath);
        }
    }

    static Local lookup(List<Local> scope, String name) {
        for (int i = scope.size() - 1; i >= 0; i--) {
            if (scope.get(i).name().equals(name)) {
                return scope.get(i);
            }
        }
        return null;
    }
}
