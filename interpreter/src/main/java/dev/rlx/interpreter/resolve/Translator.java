package dev.rlx.interpreter.resolve;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.experiment.TrainSchema;
import dev.rlx.interpreter.nodes.*;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Signature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves names and turns the AST of one module into Truffle nodes. Names resolve innermost-out:
 * locals (parameters, `let`), the module's top-level bindings and imports, then builtins. Unknown
 * names, unknown module members and calls that do not fit a known signature are collected as
 * diagnostics, so `rlx check` reports them all without running anything.
 */
public final class Translator {
    private final RlxLanguage language;
    private final SourceText text;
    private final Source source;
    private final RlxModule module;
    private final Map<String, RlxFunction> builtins;
    private final List<Diagnostic> diagnostics;

    public Translator(RlxLanguage language, SourceText text, RlxModule module, Map<String, RlxFunction> builtins,
                      List<Diagnostic> diagnostics) {
        this.language = language;
        this.text = text;
        // a file's URI lets builtins find the script's folder for sandboxed file access (ScriptFolder)
        var builder = Source.newBuilder(RlxLanguage.ID, text.text(), text.name());
        if (text.path() != null) {
            builder.uri(Path.of(text.path()).toAbsolutePath().normalize().toUri());
        }
        this.source = builder.build();
        this.module = module;
        this.builtins = builtins;
        this.diagnostics = diagnostics;
    }

    /** Makes the cell for a declaration (before any body is translated, so forward references work). */
    public GlobalCell declare(Decl decl) {
        GlobalCell existing = module.cell(decl.name());
        if (existing != null && existing.decl() != null && module.path() != null) {
            diagnostics.add(Diagnostic.at(decl.nameSpan(), "'" + decl.name() + "' is already defined at "
                    + existing.decl().nameSpan().line() + ":" + existing.decl().nameSpan().column()));
        }
        GlobalCell cell = new GlobalCell(decl.name(), decl, null);
        module.define(cell);
        return cell;
    }

    /** Translates a declaration's body into its cell. */
    public void define(Decl decl, GlobalCell cell) {
        if (decl.isFunction()) {
            RlxFunction fn = function(decl.name(), decl.params(), decl.body(), decl.doc(), decl.span(), null);
            cell.initializeValue(decl.kind() == DeclKind.REWARD ? RlxReward.named(decl.name(), fn) : fn);
            return;
        }
        Scope scope = new Scope(null);
        RlxNode body = expr(decl.body(), scope);
        if (decl.kind() == DeclKind.REWARD) {
            body = new RewardNode(decl.name(), body).at(decl.body().span());
        } else if (decl.kind() == DeclKind.EXPERIMENT) {
            body = new ExperimentNode(decl.name(), body).at(decl.body().span());
        }
        cell.initialize(new FunctionRootNode(language, scope.frame.build(), decl.name(), section(decl.span()),
                new RlxNode[0], body).getCallTarget());
    }

    /** A zero-argument call target computing {@code expr} (for `rlx eval` and REPL expressions). */
    public RootCallTarget expression(Expr expr, String name) {
        Scope scope = new Scope(null);
        RlxNode body = expr(expr, scope);
        return new FunctionRootNode(language, scope.frame.build(), name, section(expr.span()), new RlxNode[0], body)
                .getCallTarget();
    }

    private SourceSection section(Span span) {
        int end = Math.min(span.end(), source.getLength());
        return source.createSection(span.start(), Math.max(0, end - span.start()));
    }

    // ---- functions

    private RlxFunction function(String name, List<Param> params, Expr body, String doc, Span span, Scope parent) {
        LambdaParts parts = lambdaParts(name, params, body, span, parent);
        return new RlxFunction(parts.signature, parts.target, null, doc, false);
    }

    private record LambdaParts(Signature signature, RootCallTarget target) {}

    private LambdaParts lambdaParts(String name, List<Param> params, Expr body, Span span, Scope parent) {
        Scope scope = new Scope(parent);
        Set<String> seen = new LinkedHashSet<>();
        for (Param p : params) {
            if (!seen.add(p.name())) {
                diagnostics.add(Diagnostic.at(p.span(), "duplicate parameter '" + p.name() + "'"));
            }
            scope.declare(p.name());
        }
        RlxNode[] defaults = new RlxNode[params.size()];
        boolean sawDefault = false;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (p.defaultValue() != null) {
                defaults[i] = expr(p.defaultValue(), scope);
                sawDefault = true;
            } else if (sawDefault) {
                diagnostics.add(Diagnostic.at(p.span(), "parameter '" + p.name()
                        + "' without a default follows one with a default"));
            }
        }
        RlxNode bodyNode = expr(body, scope);
        FunctionRootNode root = new FunctionRootNode(language, scope.frame.build(), name, section(span), defaults,
                bodyNode);
        return new LambdaParts(signature(name, params), root.getCallTarget());
    }

    private Signature signature(String name, List<Param> params) {
        return signature(name, params, true);
    }

    private Signature signature(String name, List<Param> params, boolean withDefaultTexts) {
        String[] names = new String[params.size()];
        boolean[] optional = new boolean[params.size()];
        String[] texts = new String[params.size()];
        for (int i = 0; i < names.length; i++) {
            Param p = params.get(i);
            names[i] = p.name();
            optional[i] = p.defaultValue() != null;
            if (p.defaultValue() != null && !withDefaultTexts) {
                texts[i] = "...";
            } else if (p.defaultValue() != null) {
                Span s = p.defaultValue().span();
                texts[i] = text.text().substring(s.start(), Math.min(s.end(), text.text().length()));
            }
        }
        return new Signature(name, names, optional, texts, false);
    }

    // ---- expressions

    private RlxNode expr(Expr e, Scope scope) {
        return translate(e, scope).at(e.span());
    }

    private RlxNode translate(Expr e, Scope scope) {
        return switch (e) {
            case IntLit i -> new LiteralNode(i.value());
            case FloatLit f -> new LiteralNode(f.value());
            case StringLit s -> new LiteralNode(s.value());
            case BoolLit b -> new LiteralNode(b.value());
            case NoneLit n -> new LiteralNode(RlxNone.INSTANCE);
            case Name n -> name(n, scope);
            case ListLit l -> new ListNode(exprs(l.items(), scope));
            case RecordLit r -> record(r, scope);
            case Call c -> call(c, scope);
            case Member m -> member(m, scope);
            case Index i -> IndexNodeGen.create(expr(i.target(), scope), expr(i.index(), scope));
            case Slice s -> IndexNodeGen.SliceNodeGen.create(expr(s.target(), scope),
                    s.from() == null ? new LiteralNode(RlxNone.INSTANCE) : expr(s.from(), scope),
                    s.to() == null ? new LiteralNode(RlxNone.INSTANCE) : expr(s.to(), scope));
            case Binary b -> binary(b, scope);
            case Unary u -> u.op() == UnaryOp.NEG ? NegateNodeGen.create(expr(u.operand(), scope))
                    : new LogicNodes.NotNode(expr(u.operand(), scope));
            case If i -> new IfNode(expr(i.cond(), scope), expr(i.thenBranch(), scope), expr(i.elseBranch(), scope));
            case Let l -> let(l, scope);
            case Lambda l -> {
                LambdaParts parts = lambdaParts("lambda", l.params(), l.body(), l.span(), scope);
                yield new LambdaNode(parts.signature, parts.target, null);
            }
        };
    }

    private RlxNode[] exprs(List<Expr> items, Scope scope) {
        RlxNode[] out = new RlxNode[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = expr(items.get(i), scope);
        }
        return out;
    }

    private RlxNode name(Name n, Scope scope) {
        int[] local = scope.lookup(n.name());
        if (local != null) {
            return new ReadLocalNode(local[0], local[1], n.name());
        }
        GlobalCell cell = module.cell(n.name());
        if (cell != null) {
            return new ReadGlobalNode(cell);
        }
        RlxFunction builtin = builtins.get(n.name());
        if (builtin != null) {
            return new LiteralNode(builtin);
        }
        Set<String> visible = new LinkedHashSet<>(scope.visibleNames());
        visible.addAll(module.cells().keySet());
        visible.addAll(builtins.keySet());
        diagnostics.add(Diagnostic.at(n.span(), "unknown name '" + n.name() + "'", Suggest.hint(n.name(), visible)));
        return new LiteralNode(RlxNone.INSTANCE);
    }

    private RlxNode record(RecordLit r, Scope scope) {
        String[] keys = new String[r.fields().size()];
        Span[] spans = new Span[keys.length];
        List<Expr> values = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = r.fields().get(i).name();
            spans[i] = r.fields().get(i).span();
            values.add(r.fields().get(i).value());
        }
        if (r.tag() != null) {
            diagnostics.addAll(TrainSchema.checkLiteral(r));
        }
        return new RecordNode(new RlxRecord.Shape(r.tag(), keys, spans), exprs(values, scope));
    }

    private RlxNode member(Member m, Scope scope) {
        RlxModule target = staticModule(m.target(), scope);
        if (target != null && target.cell(m.name()) == null) {
            diagnostics.add(Diagnostic.at(m.nameSpan(), "module " + target.name() + " has no member '" + m.name()
                    + "'", Suggest.hint(m.name(), target.cells().keySet())));
        }
        return MemberNodeGen.create(m.name(), expr(m.target(), scope));
    }

    /** The module an expression names, when it is statically an import alias. */
    private RlxModule staticModule(Expr e, Scope scope) {
        if (e instanceof Name n && scope.lookup(n.name()) == null) {
            GlobalCell cell = module.cell(n.name());
            if (cell != null && cell.isEvaluated() && cell.get(null) instanceof RlxModule mod) {
                return mod;
            }
        }
        return null;
    }

    private RlxNode call(Call c, Scope scope) {
        String[] names = new String[c.args().size()];
        List<Expr> values = new ArrayList<>();
        int positional = 0;
        boolean named = false;
        for (int i = 0; i < names.length; i++) {
            Arg a = c.args().get(i);
            names[i] = a.name();
            values.add(a.value());
            if (a.name() == null) {
                if (named) {
                    diagnostics.add(Diagnostic.at(a.span(), "a positional argument cannot follow named arguments"));
                }
                positional++;
            } else {
                named = true;
            }
        }
        Signature sig = staticSignature(c.callee(), scope);
        if (sig != null && positional == countLeadingPositional(names)) {
            String[] problem = sig.checkCall(positional,
                    Arrays.asList(names).subList(positional, names.length));
            if (problem != null) {
                diagnostics.add(Diagnostic.at(c.span(), problem[0], problem[1]));
            }
        }
        return new CallNode(expr(c.callee(), scope), exprs(values, scope), names);
    }

    private static int countLeadingPositional(String[] names) {
        int p = 0;
        while (p < names.length && names[p] == null) {
            p++;
        }
        return p;
    }

    /** The signature of a callee known before running: a builtin, a top-level function, a module's function. */
    private Signature staticSignature(Expr callee, Scope scope) {
        if (callee instanceof Name n && scope.lookup(n.name()) == null) {
            GlobalCell cell = module.cell(n.name());
            if (cell != null) {
                return declSignature(cell, true);
            }
            RlxFunction b = builtins.get(n.name());
            return b == null ? null : b.signature();
        }
        if (callee instanceof Member m) {
            RlxModule target = staticModule(m.target(), scope);
            GlobalCell cell = target == null ? null : target.cell(m.name());
            return cell == null ? null : declSignature(cell, false);
        }
        return null;
    }

    /**
     * {@code local}: the declaration is in the source being translated. Another module's declaration
     * has spans into its own source, so its default texts cannot be read from {@code text}.
     */
    private Signature declSignature(GlobalCell cell, boolean local) {
        Decl d = cell.decl();
        if (d == null || !local) {
            if (cell.isEvaluated() && cell.get(null) instanceof RlxFunction f) {
                return f.signature();
            }
            return d != null && d.isFunction() ? signature(d.name(), d.params(), false) : null;
        }
        return d.isFunction() ? signature(d.name(), d.params()) : null;
    }

    private RlxNode binary(Binary b, Scope scope) {
        RlxNode l = expr(b.left(), scope);
        RlxNode r = expr(b.right(), scope);
        return switch (b.op()) {
            case ADD -> ArithmeticNodesFactory.AddNodeGen.create(l, r);
            case SUB -> ArithmeticNodesFactory.SubNodeGen.create(l, r);
            case MUL -> ArithmeticNodesFactory.MulNodeGen.create(l, r);
            case DIV -> ArithmeticNodesFactory.DivNodeGen.create(l, r);
            case MOD -> ArithmeticNodesFactory.ModNodeGen.create(l, r);
            case POW -> ArithmeticNodesFactory.PowNodeGen.create(l, r);
            case LT, LE, GT, GE -> CompareNodesFactory.OrderNodeGen.create(b.op(), l, r);
            case EQ -> CompareNodesFactory.EqualNodeGen.create(false, l, r);
            case NE -> CompareNodesFactory.EqualNodeGen.create(true, l, r);
            case AND -> new LogicNodes.AndNode(l, r);
            case OR -> new LogicNodes.OrNode(l, r);
        };
    }

    private RlxNode let(Let l, Scope scope) {
        scope.enterBlock();
        try {
            WriteLocalNode[] writes = new WriteLocalNode[l.bindings().size()];
            for (int i = 0; i < writes.length; i++) {
                Binding b = l.bindings().get(i);
                if (b.params() != null) {
                    // declared first so that the function can call itself
                    int slot = scope.declare(b.name());
                    LambdaParts parts = lambdaParts(b.name(), b.params(), b.value(), b.span(), scope);
                    writes[i] = new WriteLocalNode(slot, new LambdaNode(parts.signature, parts.target, null).at(b.span()));
                } else {
                    RlxNode value = expr(b.value(), scope);
                    writes[i] = new WriteLocalNode(scope.declare(b.name()), value);
                }
                writes[i].at(b.span());
            }
            return new LetNode(writes, expr(l.body(), scope));
        } finally {
            scope.exitBlock();
        }
    }
}
