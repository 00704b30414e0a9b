package dev.rlx.interpreter.experiment;

import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.source.SourceSection;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Ast.*;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.resolve.ModuleLoader;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a credit or loss function of the batch computes, read from its syntax tree without running it: the
 * export to another trainer needs to know that `(b) => credit.grpo(b.scores, group: b.group)` is GRPO's
 * advantage, not merely that it returns a tensor. The body is evaluated over a small symbolic domain: the batch
 * record's fields are {@link Field}s, calls of std functions are {@link StdCall}s with their arguments (defaults
 * filled in), arithmetic on them is a {@link Linear} combination, and the values the lambda closes over (a
 * recipe's parameters, the script's bindings) are read from its frames, so `if beta == 0.0 then ...` picks its
 * branch. Anything else (a call of the script's own function, a tensor builtin on the batch) becomes an
 * {@link Opaque} naming its source location: the caller refuses it rather than guess.
 */
final class BatchFunctionShape {
    /** {@code b.name}. */
    record BatchField(String name) {}

    /** A call of a std module's function: {@code "std/loss.ppo_clip"} and every parameter's value. */
    record StdCall(String function, Map<String, Object> args, Span span) {}

    /** {@code target.field} of a std call's result ({@code pg.loss}). */
    record Proj(StdCall target, String field) {}

    /** {@code sum_i coefs[i] * terms[i]} (a constant term is dropped when 0). */
    record Linear(List<Object> terms, List<Double> coefs) {}

    /** Something the shape does not describe: where it is and why. */
    record Opaque(Span span, String why) {}

    /** A function value that is not std: the script's own (refused by name and location). */
    record OwnFunction(String name, Span defined) {}

    /** A std module's function, not yet called. */
    private record StdRef(RlxModule module, String name) {}

    private final ModuleLoader loader;
    private final Deque<Map<String, Object>> locals = new ArrayDeque<>();
    private String param;

    private BatchFunctionShape(ModuleLoader loader) {
        this.loader = loader;
    }

    /** The shape of a one-parameter lambda's result, or an {@link Opaque} when the function cannot be read. */
    static Object of(RlxFunction fn) {
        return new BatchFunctionShape(RlxContext.get(null).loader()).read(fn);
    }

    /** Where a function value is defined, for messages (null for builtins). */
    static Span where(RlxFunction fn) {
        SourceSection s = fn.callTarget().getRootNode().getSourceSection();
        if (s == null || !s.isAvailable()) {
            return null;
        }
        return new Span(s.getSource().getName(), s.getStartLine(), s.getStartColumn(), s.getCharIndex(),
                s.getCharEndIndex());
    }

    private Object read(RlxFunction fn) {
        Span at = where(fn);
        if (fn.isBuiltin() || at == null) {
            return new Opaque(null, "a builtin (" + fn.name() + ")");
        }
        RlxModule module = loader.moduleOfSource(at.sourceName());
        Ast.Module ast = module == null ? null : loader.ast(module);
        Lambda lambda = ast == null ? null : findLambda(ast, at.start());
        if (lambda == null || lambda.params().size() != 1) {
            return new Opaque(at, "not a lambda of the batch record, (b) => ...");
        }
        param = lambda.params().get(0).name();
        Env env = new Env(module, fn.enclosing());
        return eval(lambda.body(), env);
    }

    /** The closure's context: its module's globals and the frames it closes over. */
    private record Env(RlxModule module, Frame frame) {}

    private Object eval(Expr e, Env env) {
        return switch (e) {
            case IntLit i -> i.value();
            case FloatLit f -> f.value();
            case StringLit s -> s.value();
            case BoolLit b -> b.value();
            case NoneLit n -> RlxNone.INSTANCE;
            case Name n -> name(n, env);
            case Member m -> member(m, env);
            case Call c -> call(c, env);
            case RecordLit r -> {
                if (r.tag() != null) {
                    yield new Opaque(r.span(), "a " + r.tag() + " record");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                r.fields().forEach(f -> out.put(f.name(), eval(f.value(), env)));
                yield out;
            }
            case If i -> {
                Object c = eval(i.cond(), env);
                yield c instanceof Boolean b ? eval(b ? i.thenBranch() : i.elseBranch(), env)
                        : new Opaque(i.cond().span(), "a condition that depends on the batch");
            }
            case Let l -> {
                Map<String, Object> scope = new HashMap<>();
                locals.push(scope);
                try {
                    for (Binding b : l.bindings()) {
                        scope.put(b.name(), b.params() != null ? new Opaque(b.span(), "a local function")
                                : eval(b.value(), env));
                    }
                    yield eval(l.body(), env);
                } finally {
                    locals.pop();
                }
            }
            case Binary b -> binary(b, env);
            case Unary u -> {
                Object v = eval(u.operand(), env);
                if (u.op() == UnaryOp.NOT) {
                    yield v instanceof Boolean x ? !x : new Opaque(u.span(), "`not` of a batch value");
                }
                yield scale(-1.0, v, u.span());
            }
            default -> new Opaque(e.span(), "an expression the export does not read (" + e.getClass().getSimpleName()
                    .toLowerCase() + ")");
        };
    }

    private Object name(Name n, Env env) {
        for (Map<String, Object> scope : locals) {
            if (scope.containsKey(n.name())) {
                return scope.get(n.name());
            }
        }
        if (n.name().equals(param)) {
            return new Opaque(n.span(), "the whole batch record (only its fields b.x are read)");
        }
        for (Frame f = env.frame(); f != null; ) {
            Object v = slot(f, n.name());
            if (v != null) {
                return v;
            }
            Object[] args = f.getArguments();
            f = args.length > 0 && args[0] instanceof Frame parent ? parent : null;
        }
        GlobalCell cell = env.module().cell(n.name());
        if (cell != null) {
            Object v = cell.get(null);
            return v instanceof RlxModule m ? m : value(v);
        }
        RlxFunction builtin = loader.builtins().get(n.name());
        return builtin != null ? new Opaque(n.span(), "the builtin " + n.name()) : new Opaque(n.span(), "unknown name");
    }

    /** The one value named {@code name} in the frame; null when none (or several, which would be ambiguous). */
    private static Object slot(Frame f, String name) {
        FrameDescriptor d = f.getFrameDescriptor();
        Object found = null;
        for (int i = 0; i < d.getNumberOfSlots(); i++) {
            if (name.equals(d.getSlotName(i))) {
                Object v = f.getObject(i);
                if (v != null) {
                    if (found != null && !Objects.equals(found, v)) {
                        return null;
                    }
                    found = v;
                }
            }
        }
        return found == null ? null : value(found);
    }

    /** A closed-over value: functions become std references or the script's own. */
    private static Object value(Object v) {
        if (v instanceof RlxFunction fn && !fn.isBuiltin()) {
            return new OwnFunction(fn.name(), where(fn));
        }
        return v;
    }

    private Object member(Member m, Env env) {
        if (m.target() instanceof Name n && n.name().equals(param) && !isLocal(n.name())) {
            return new BatchField(m.name());
        }
        Object t = eval(m.target(), env);
        return switch (t) {
            case RlxModule mod when mod.name().startsWith("std/") -> new StdRef(mod, m.name());
            case RlxModule mod -> {
                GlobalCell c = mod.cell(m.name());
                Object v = c == null ? null : c.get(null);
                yield v instanceof RlxFunction fn ? new OwnFunction(fn.name(), where(fn))
                        : new Opaque(m.span(), mod.name() + "." + m.name());
            }
            case Map<?, ?> rec -> rec.containsKey(m.name()) ? rec.get(m.name())
                    : new Opaque(m.span(), "no field " + m.name());
            case StdCall call -> new Proj(call, m.name());
            case RlxRecord r -> r.get(m.name()) != null ? value(r.get(m.name())) : new Opaque(m.span(), "no field");
            case Opaque o -> o;
            default -> new Opaque(m.span(), "a member of a value the export does not read");
        };
    }

    private boolean isLocal(String name) {
        return locals.stream().anyMatch(s -> s.containsKey(name));
    }

    private Object call(Call c, Env env) {
        Object callee = eval(c.callee(), env);
        if (callee instanceof OwnFunction own) {
            return new Opaque(c.span(), "calls " + own.name() + (own.defined() == null ? "" : " (defined at "
                    + own.defined().where() + ")"));
        }
        if (!(callee instanceof StdRef ref)) {
            return callee instanceof Opaque o && o.span() == c.callee().span() ? new Opaque(c.span(), o.why())
                    : new Opaque(c.span(), "a call the export does not read");
        }
        Ast.Module ast = loader.ast(ref.module());
        Decl decl = ast == null ? null : ast.decls().stream().filter(d -> d.name().equals(ref.name()) && d.isFunction())
                .findFirst().orElse(null);
        if (decl == null) {
            return new Opaque(c.span(), ref.module().name() + "." + ref.name() + " is not a function");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        List<Param> params = decl.params();
        int positional = 0;
        for (Arg a : c.args()) {
            String key = a.name() != null ? a.name() : positional < params.size() ? params.get(positional++).name() : null;
            if (key == null) {
                return new Opaque(c.span(), "too many arguments");
            }
            args.put(key, eval(a.value(), env));
        }
        Env calleeEnv = new Env(ref.module(), null);
        for (Param p : params) {
            if (!args.containsKey(p.name())) {
                // std defaults are literals (eps = 0.2, keep = none); anything else stays opaque
                args.put(p.name(), p.defaultValue() == null ? new Opaque(c.span(), "missing argument " + p.name())
                        : eval(p.defaultValue(), calleeEnv));
            }
        }
        return new StdCall(ref.module().name() + "." + ref.name(), args, c.span());
    }

    private Object binary(Binary b, Env env) {
        Object l = eval(b.left(), env);
        Object r = eval(b.right(), env);
        boolean concrete = isConcrete(l) && isConcrete(r);
        switch (b.op()) {
            case EQ, NE -> {
                if (!concrete) return new Opaque(b.span(), "a comparison of batch values");
                boolean eq = l instanceof Number x && r instanceof Number y ? x.doubleValue() == y.doubleValue()
                        : Objects.equals(l, r);
                return b.op() == BinaryOp.EQ ? eq : !eq;
            }
            case LT, LE, GT, GE -> {
                if (!(l instanceof Number x) || !(r instanceof Number y)) return new Opaque(b.span(), "a comparison");
                int cmp = Double.compare(x.doubleValue(), y.doubleValue());
                return switch (b.op()) {
                    case LT -> cmp < 0;
                    case LE -> cmp <= 0;
                    case GT -> cmp > 0;
                    default -> cmp >= 0;
                };
            }
            case AND, OR -> {
                if (!(l instanceof Boolean x) || !(r instanceof Boolean y)) return new Opaque(b.span(), "a logic op");
                return b.op() == BinaryOp.AND ? x && y : x || y;
            }
            case ADD, SUB -> {
                if (l instanceof Number x && r instanceof Number y) {
                    double v = b.op() == BinaryOp.ADD ? x.doubleValue() + y.doubleValue() : x.doubleValue() - y.doubleValue();
                    return l instanceof Long && r instanceof Long ? (Object) (long) v : (Object) v;
                }
                return add(l, b.op() == BinaryOp.ADD ? r : scale(-1.0, r, b.span()), b.span());
            }
            case MUL -> {
                if (l instanceof Number x && r instanceof Number y) {
                    return l instanceof Long && r instanceof Long ? (Object) (x.longValue() * y.longValue())
                            : (Object) (x.doubleValue() * y.doubleValue());
                }
                if (l instanceof Number x) return scale(x.doubleValue(), r, b.span());
                if (r instanceof Number y) return scale(y.doubleValue(), l, b.span());
                return new Opaque(b.span(), "a product of batch values");
            }
            default -> {
                if (concrete && l instanceof Number x && r instanceof Number y && b.op() == BinaryOp.DIV) {
                    return x.doubleValue() / y.doubleValue();
                }
                return new Opaque(b.span(), "`" + b.op().symbol + "` on batch values");
            }
        }
    }

    private static boolean isConcrete(Object v) {
        return v instanceof Number || v instanceof String || v instanceof Boolean || v == RlxNone.INSTANCE;
    }

    private static Linear linear(Object v) {
        return v instanceof Linear lin ? lin : new Linear(List.of(v), List.of(1.0));
    }

    private static Object scale(double k, Object v, Span span) {
        if (v instanceof Number x) return k * x.doubleValue();
        if (v instanceof Opaque) return v;
        if (!(v instanceof Proj) && !(v instanceof Linear)) return new Opaque(span, "arithmetic on a batch value");
        Linear lin = linear(v);
        return new Linear(lin.terms(), lin.coefs().stream().map(c -> c * k).toList());
    }

    private static Object add(Object a, Object b, Span span) {
        if (a instanceof Opaque) return a;
        if (b instanceof Opaque) return b;
        if (a instanceof Number x && x.doubleValue() == 0) return b;
        if (b instanceof Number y && y.doubleValue() == 0) return a;
        for (Object v : List.of(a, b)) {
            if (!(v instanceof Proj) && !(v instanceof Linear)) return new Opaque(span, "arithmetic on a batch value");
        }
        Linear x = linear(a);
        Linear y = linear(b);
        List<Object> terms = new ArrayList<>(x.terms());
        terms.addAll(y.terms());
        List<Double> coefs = new ArrayList<>(x.coefs());
        coefs.addAll(y.coefs());
        return new Linear(terms, coefs);
    }

    /** The lambda whose source starts at {@code start} (the function's root section starts there). */
    private static Lambda findLambda(Ast.Module ast, int start) {
        for (Decl d : ast.decls()) {
            Lambda l = findLambda(d.body(), start);
            if (l != null) return l;
            if (d.params() != null) {
                for (Param p : d.params()) {
                    if (p.defaultValue() != null && (l = findLambda(p.defaultValue(), start)) != null) return l;
                }
            }
        }
        return null;
    }

    private static Lambda findLambda(Expr e, int start) {
        if (e == null) return null;
        if (e instanceof Lambda l && l.span().start() == start) return l;
        List<Expr> children = switch (e) {
            case ListLit l -> l.items();
            case RecordLit r -> r.fields().stream().map(Field::value).toList();
            case Call c -> {
                List<Expr> out = new ArrayList<>(List.of(c.callee()));
                c.args().forEach(a -> out.add(a.value()));
                yield out;
            }
            case Member m -> List.of(m.target());
            case Index i -> List.of(i.target(), i.index());
            case Slice s -> java.util.stream.Stream.of(s.target(), s.from(), s.to()).filter(Objects::nonNull).toList();
            case Binary b -> List.of(b.left(), b.right());
            case Unary u -> List.of(u.operand());
            case If i -> List.of(i.cond(), i.thenBranch(), i.elseBranch());
            case Let l -> {
                List<Expr> out = new ArrayList<>();
                l.bindings().forEach(b -> out.add(b.value()));
                out.add(l.body());
                yield out;
            }
            case Lambda l -> List.of(l.body());
            default -> List.of();
        };
        for (Expr c : children) {
            Lambda found = findLambda(c, start);
            if (found != null) return found;
        }
        return null;
    }
}
