package dev.rlx.interpreter;

import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.TruffleLanguage.ContextReference;
import com.oracle.truffle.api.nodes.Node;
import dev.rlx.interpreter.api.ProgressListener;
import dev.rlx.interpreter.resolve.ModuleLoader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Per-session state: loaded modules, the output stream for `print`, where long builtins report progress, and the
 * recursion counter.
 */
public final class RlxContext {
    private static final ContextReference<RlxContext> REFERENCE = ContextReference.create(RlxLanguage.class);

    final TruffleLanguage.Env env;
    private final RlxLanguage language;
    private final ModuleLoader loader;
    private PrintStream out;
    private ProgressListener progress;
    public int callDepth;
    public final int maxCallDepth;

    RlxContext(RlxLanguage language, TruffleLanguage.Env env) {
        this.env = env;
        this.language = language;
        this.loader = new ModuleLoader(language);
        this.out = new PrintStream(env.out(), true, StandardCharsets.UTF_8);
        this.maxCallDepth = env.getOptions().get(RlxLanguage.MaxDepth);
    }

    public static RlxContext get(Node node) {
        return REFERENCE.get(node);
    }

    public TruffleLanguage.Env env() {
        return env;
    }

    public RlxLanguage getLanguage() {
        return language;
    }

    public ModuleLoader loader() {
        return loader;
    }

    public PrintStream out() {
        return out;
    }

    public void setOut(PrintStream out) {
        this.out = out;
    }

    /** The host's progress listener, or null. */
    public ProgressListener progress() {
        return progress;
    }

    public void setProgress(ProgressListener progress) {
        this.progress = progress;
    }

    private final java.util.Set<java.nio.file.Path> inputs = new java.util.LinkedHashSet<>();
    private final java.util.Set<java.nio.file.Path> outputs = new java.util.LinkedHashSet<>();

    /** A data, model or tokenizer file or folder the script read (a run pins them by digest: RunInputs). */
    public void recordInput(java.nio.file.Path p) {
        inputs.add(p.toAbsolutePath().normalize());
    }

    /** A model folder the script wrote: reading it back later is not an input from outside the run. */
    public void recordOutput(java.nio.file.Path p) {
        outputs.add(p.toAbsolutePath().normalize());
    }

    /** What the script read that it did not write itself, in first-read order. */
    public java.util.List<java.nio.file.Path> inputsFromOutside() {
        return inputs.stream().filter(p -> outputs.stream().noneMatch(p::startsWith)).toList();
    }

    /** A paused evaluation clock, running again when closed. */
    public interface PausedClock extends AutoCloseable {
        @Override
        void close();
    }

    private java.util.function.Supplier<PausedClock> clock = () -> () -> { };

    /**
     * Stops the top-level time limit's clock while engine work runs (an SFT, a reward model's training): the
     * limit bounds what the script itself computes. The session installs the clock.
     */
    public PausedClock pauseClock() {
        return clock.get();
    }

    public void setClock(java.util.function.Supplier<PausedClock> clock) {
        this.clock = clock;
    }
}
