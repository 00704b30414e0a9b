package dev.rlx.interpreter.api;

import com.oracle.truffle.api.RootCallTarget;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.lock.LockFile;
import dev.rlx.interpreter.parser.RlxParsing;
import dev.rlx.interpreter.resolve.ModuleLoader;
import dev.rlx.interpreter.resolve.Overrides;
import dev.rlx.interpreter.resolve.Translator;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The host-side entry point: one rlx session (a Truffle context) on the calling thread. Loads and
 * checks scripts, evaluates expressions and REPL input, and calls script functions for the engine.
 * Every script error surfaces as an {@link RlxError} carrying the user-facing text.
 *
 * <p>The context is entered on the creating thread for the session's lifetime, so all calls must come
 * from that thread; this keeps per-call overhead (a reward called a million times) at a direct call.
 */
public final class RlxSession implements AutoCloseable {
    /** The rlx version: part of every run hash. */
    public static final String VERSION = RlxLanguage.VERSION;

    private static Engine sharedEngine;

    private final Context context;
    private final RlxContext rlx;
    private final Thread owner;
    private final CallWatchdog watchdog;
    private RlxModule scratch;
    private int replInputs;

    /** A loaded script: its module, the overrides applied, and its declarations in order. */
    public record Script(RlxModule module, Ast.Module ast, SourceText source, List<Overrides.Applied> overrides) {
        public Path path() {
            return source.path() == null ? null : Path.of(source.path());
        }
    }

    public RlxSession(OutputStream out) {
        this(out, 10_000);
    }

    public RlxSession(OutputStream out, int maxCallDepth) {
        this.context = Context.newBuilder(RlxLanguage.ID)
                .engine(engine())
                .out(out).err(out)
                .allowHostAccess(HostAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .option("rlx.MaxDepth", Integer.toString(maxCallDepth))
                .build();
        context.initialize(RlxLanguage.ID);
        context.enter();
        this.owner = Thread.currentThread();
        this.rlx = RlxContext.get(null);
        this.watchdog = new CallWatchdog(rlx.env(), owner);
        rlx.setClock(watchdog::pause);
        rlx.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        resetScratch();
    }

    /** Where train_reward_model and sft report their steps (null: nowhere, the default). */
    public void setProgressListener(ProgressListener listener) {
        rlx.setProgress(listener);
    }

    /** One engine for all sessions in this JVM: later contexts start in ~1 ms and share compiled code. */
    private static synchronized Engine engine() {
        if (sharedEngine == null) {
            sharedEngine = Engine.newBuilder(RlxLanguage.ID).build();
        }
        return sharedEngine;
    }

    /** "GraalVM CE" with the optimizing runtime; "Interpreted" when the JIT is not available. */
    public static String runtimeName() {
        return engine().getImplementationName();
    }

    // ---- scripts

    /** Parses, resolves and statically checks a script file; applies `--set` overrides. Runs nothing. */
    public Script load(Path file, Map<String, String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RlxError("error: cannot read " + file + ": " + e.getMessage(), e);
        }
        return load(new SourceText(file.toString(), text, file.toString()), overrides);
    }

    /**
     * Loads a run's recipe.lock.rlx. Errors name the lock file, but file paths in it (data, models) resolve
     * against {@code fileRoot}, the folder of the script the run came from: the lock inlines that script, so
     * its relative paths mean what they meant there.
     */
    public Script loadLock(Path lock, Path fileRoot, Map<String, String> overrides) {
        String text;
        try {
            text = Files.readString(lock, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RlxError("error: cannot read " + lock + ": " + e.getMessage(), e);
        }
        return load(new SourceText(lock.toString(), text, fileRoot.resolve(lock.getFileName()).toString()), overrides);
    }

    /** Loads a script held in memory; {@code name} is what its errors are reported against. */
    public Script loadText(String name, String text) {
        return load(new SourceText(name, text, null), Map.of());
    }

    public Script load(SourceText source, Map<String, String> overrides) {
        return guard(() -> {
            ModuleLoader.Loaded l = rlx.loader().loadMain(source, overrides);
            return new Script(l.module(), l.ast(), l.source(), l.overrides());
        });
    }

    /** Evaluates every value declaration of the script in order (functions are values already). */
    public Map<String, Object> evaluateAll(Script script) {
        return guard(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Ast.Decl d : script.ast().decls()) {
                out.put(d.name(), limited(d.name(), () -> script.module().cell(d.name()).get(null)));
            }
            return out;
        });
    }

    /** A source text parsed in this session, by its display name (for errors that point into it). */
    public SourceText sourceText(String name) {
        return rlx.loader().source(name);
    }

    /** The script's `recipe.lock.rlx` text: imports inlined, overrides applied, canonical layout. */
    public String lockText(Script script) {
        return guard(() -> LockFile.render(script.module(), script.ast(),
                script.overrides(), rlx.loader()));
    }

    /** The run hash of a lock text (8 hex digits). */
    public static String runHash(String lockText) {
        return LockFile.hash(lockText);
    }

    /** The value of a top-level binding of a loaded script. */
    public Object value(Script script, String name) {
        return guard(() -> {
            GlobalCell cell = script.module().cell(name);
            if (cell == null) {
                throw new RlxError("error: " + script.source().name() + " has no binding '" + name + "'", null);
            }
            return limited(name, () -> cell.get(null));
        });
    }

    // ---- expressions and the REPL

    /** Evaluates one expression with the stdlib modules bound under their names (credit, loss, ...). */
    public Object eval(String expression) {
        return guard(() -> {
            SourceText source = new SourceText("<eval>", expression, null);
            Ast.Expr expr = RlxParsing.parseExpression(source);
            return limited("<eval>", () -> evaluateIn(scratch, source, expr));
        });
    }

    /**
     * Evaluates one expression where the std modules are bound as in {@link #eval} (and std/rewards also as `rw`, the
     * examples' name for it) and, when {@code script} is given, its top-level bindings too (they win): `rlx evaluate`
     * reads its data and metric so. A binding is evaluated only when the expression reads it (a run's `test` data,
     * not its SFT warm start). {@code sourceName} names the expression in errors.
     */
    public Object evalWith(Script script, String sourceName, String expression) {
        return guard(() -> {
            SourceText source = new SourceText(sourceName, expression, null);
            Ast.Expr expr = RlxParsing.parseExpression(source);
            RlxModule module = new RlxModule(sourceName, null);
            StdlibBindings.bindAll(module, rlx);
            StdlibBindings.bindAlias(module, rlx, "rw", "std/rewards");
            if (script != null) {
                script.module().cells().values().forEach(module::define);
            }
            return limited(sourceName, () -> evaluateIn(module, source, expr));
        });
    }

    /** What one REPL input did: a value to show, a binding made, or nothing. */
    public record ReplResult(String name, Object value, boolean isDeclaration) {}

    /** Accepts one REPL input: an import, a declaration (bound for later inputs) or an expression. */
    public ReplResult repl(String input) {
        return guard(() -> {
            // each input is its own source, so errors in a function defined earlier point at that input
            SourceText source = new SourceText("<repl:" + ++replInputs + ">", input, null);
            RlxParsing.ReplItem item = RlxParsing.parseReplInput(source);
            List<Diagnostic> diagnostics = new ArrayList<>();
            if (item.importDecl() != null) {
                rlx.loader().addImport(item.importDecl(), source, scratch, diagnostics);
                failOn(diagnostics, source);
                return new ReplResult(item.importDecl().alias(), scratch.cell(item.importDecl().alias()).get(null), true);
            }
            if (item.decl() != null) {
                Translator t = new Translator(rlx.getLanguage(), source, scratch, rlx.loader().builtins(), diagnostics);
                GlobalCell previous = scratch.cell(item.decl().name());
                GlobalCell cell = t.declare(item.decl());
                t.define(item.decl(), cell);
                if (!diagnostics.isEmpty()) {
                    if (previous != null) {
                        scratch.define(previous);
                    }
                    failOn(diagnostics, source);
                }
                return new ReplResult(item.decl().name(), limited(item.decl().name(), () -> cell.get(null)), true);
            }
            if (item.expr() == null) {
                return new ReplResult(null, null, false);
            }
            return new ReplResult(null, limited("<input>", () -> evaluateIn(scratch, source, item.expr())), false);
        });
    }

    /** Makes every top-level binding of a script visible to later REPL inputs (`:load`). */
    public List<String> loadIntoRepl(Path file) {
        Script script = load(file, Map.of());
        List<String> names = new ArrayList<>();
        for (var e : script.module().cells().entrySet()) {
            scratch.define(e.getValue());
            names.add(e.getKey());
        }
        return names;
    }

    /** Forgets every REPL binding (`:reset`). */
    public void resetScratch() {
        scratch = new RlxModule("<repl>", null);
        StdlibBindings.bindAll(scratch, rlx);
    }

    /**
     * Evaluates {@code expression} where only builtins and the std modules (credit, loss, ...) are visible,
     * never REPL or script bindings: defaults that the train schema writes as stdlib code (the default value
     * loss, `adamw()`) mean the same in every session. {@code sourceName} names the code in errors.
     */
    public Object evalStdlib(String sourceName, String expression) {
        return guard(() -> {
            SourceText source = new SourceText(sourceName, expression, null);
            RlxModule module = new RlxModule(sourceName, null);
            StdlibBindings.bindAll(module, rlx);
            return evaluateIn(module, source, RlxParsing.parseExpression(source));
        });
    }

    /** Names visible in the REPL (bindings, then builtins), for completion. */
    public List<String> visibleNames() {
        List<String> names = new ArrayList<>(scratch.cells().keySet());
        names.addAll(rlx.loader().builtins().keySet());
        return names;
    }

    /** The doc of a builtin, a REPL binding, or `module.member` (`:help`). */
    public String help(String name) {
        return guard(() -> Help.describe(this, name));
    }

    Object lookupForHelp(String name) {
        String[] parts = name.split("\\.");
        Object v;
        GlobalCell cell = scratch.cell(parts[0]);
        if (cell != null) {
            v = cell.get(null);
        } else {
            v = rlx.loader().builtins().get(parts[0]);
        }
        for (int i = 1; i < parts.length && v != null; i++) {
            v = v instanceof RlxModule m && m.cell(parts[i]) != null ? m.cell(parts[i]).get(null) : null;
        }
        return v;
    }

    ModuleLoader loader() {
        return rlx.loader();
    }

    /** `:type EXPR`. */
    public String typeOf(String expression) {
        return Types.name(eval(expression));
    }

    // ---- calling script functions from Java

    /** A handle for calling {@code function} (a function or single reward value) with {@code arity} arguments. */
    public FunctionHandle handle(Object function, int arity, Duration limit) {
        return new FunctionHandle(this, function, arity, limit, null);
    }

    /**
     * The same, where {@code limitName} says what sets the limit (e.g. "train.reward_timeout"): a call that runs
     * past it is cancelled with a hint to raise that.
     */
    public FunctionHandle handle(Object function, int arity, Duration limit, String limitName) {
        return new FunctionHandle(this, function, arity, limit, limitName);
    }

    Object callWithLimit(RlxFunction fn, Object[] frameArgs, long limitNanos, String limitName) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("rlx session used from another thread");
        }
        try {
            if (limitNanos <= 0) {
                return fn.callTarget().call(frameArgs);
            }
            CallWatchdog.State outer = watchdog.save();
            watchdog.arm(limitNanos, fn.name(), limitName);
            try {
                return fn.callTarget().call(frameArgs);
            } finally {
                watchdog.restore(outer);
            }
        } catch (RuntimeException | StackOverflowError e) {
            RlxError wrapped = ErrorFormatter.wrap(e);
            if (wrapped == null) {
                throw e;
            }
            throw wrapped;
        }
    }

    // ---- display

    public static String display(Object value) {
        return ValuePrinter.display(value);
    }

    public static String json(Object value) {
        return ValuePrinter.json(value);
    }

    public static String typeName(Object value) {
        return Types.name(value);
    }

    @Override
    public void close() {
        watchdog.stop();
        context.leave();
        context.close();
    }

    // ---- internals

    private Object evaluateIn(RlxModule module, SourceText source, Ast.Expr expr) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Translator t = new Translator(rlx.getLanguage(), source, module, rlx.loader().builtins(), diagnostics);
        RootCallTarget target = t.expression(expr, "<top>");
        failOn(diagnostics, source);
        return target.call((Object) null);
    }

    private static void failOn(List<Diagnostic> diagnostics, SourceText source) {
        if (!diagnostics.isEmpty()) {
            throw new CompileErrors(diagnostics, Map.of(source.name(), source));
        }
    }

    /**
     * The time limit for evaluating top-level bindings, `rlx eval` expressions and REPL inputs (null or zero: none).
     * The clock stops while engine builtins run (see {@link RlxContext#pauseClock}); a binding that runs past it is
     * cancelled with an error that names it and where it was.
     */
    public void setTimeLimit(Duration limit) {
        timeLimitNanos = limit == null ? 0 : limit.toNanos();
    }

    /**
     * Cancels the evaluation in progress (from another thread: Ctrl-C in the REPL); it ends with an error at its
     * next function call. Nothing happens when nothing is being evaluated.
     */
    public void cancel() {
        watchdog.cancel("interrupted (Ctrl-C)", null);
    }

    private long timeLimitNanos;

    /** The data, model and tokenizer files and folders the session's scripts read, less models they saved themselves. */
    public List<Path> inputsRead() {
        return rlx.inputsFromOutside();
    }

    /** Runs {@code body} with the top-level limit armed (or an unlimited arming, so that {@link #cancel} works). */
    private <T> T limited(String what, Supplier<T> body) {
        CallWatchdog.State outer = watchdog.save();
        watchdog.arm(timeLimitNanos > 0 ? timeLimitNanos : Long.MAX_VALUE, what, "--time-limit");
        try {
            return body.get();
        } finally {
            watchdog.restore(outer);
        }
    }

    private <T> T guard(Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException | StackOverflowError e) {
            RlxError wrapped = ErrorFormatter.wrap(e);
            if (wrapped == null) {
                throw e;
            }
            rlx.callDepth = 0;
            throw wrapped;
        }
    }
}
