package dev.rlx.engine.tensor;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Who frees a tensor's native memory.
 *
 * <p>The rule: <b>every tensor an operation returns belongs to the innermost open scope of the calling
 * thread</b>, whatever scope its operands came from. Closing a scope frees every tensor created in it
 * (and in scopes opened inside it). To let a result outlive the scope, call {@link #keep} before closing:
 * it moves the tensor to the enclosing scope. Each thread has a root scope that is never closed, so
 * plain calls work without any setup; long-running code (a training step, a REPL evaluation) should open
 * a scope per unit of work so the root does not grow.
 *
 * <pre>{@code
 * Tensor kept;
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor adv = Masked.whiten(x, mask, true);   // temporaries and adv live in `step`
 *     kept = step.keep(adv.sum());                 // moved to the enclosing scope
 * }                                                // everything else is freed here
 * }</pre>
 *
 * Why re-attach every result: DJL gives an op's result to its first operand's manager, so a loss built
 * from a model parameter would otherwise land in the model's long-lived manager and leak.
 *
 * <p>Scopes nest strictly (try-with-resources); closing an outer scope closes inner ones still open.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<Deque<TensorScope>> STACK = ThreadLocal.withInitial(() -> {
        Deque<TensorScope> stack = new ArrayDeque<>();
        stack.push(new TensorScope(NDManager.newBaseManager(TensorRuntime.device()), null));
        return stack;
    });

    private final NDManager manager;
    private final TensorScope parent;
    private boolean closed;

    private TensorScope(NDManager manager, TensorScope parent) {
        this.manager = manager;
        this.parent = parent;
    }

    /** Opens a scope nested in the current one, on its device; close it with try-with-resources. */
    public static TensorScope open() {
        return push(current().manager.newSubManager());
    }

    /**
     * Opens a scope nested in the current one whose new tensors (and those of scopes opened inside it) are
     * created on {@code device}. A training step opens its scope on the policy's device: that is the one
     * place that decides where the step's tensors live, so the script's credit and loss functions, the
     * batch and the stages' temporaries all land next to the model whatever the process-wide default is.
     */
    public static TensorScope open(Device device) {
        return push(current().manager.newSubManager(device));
    }

    private static TensorScope push(NDManager manager) {
        TensorScope scope = new TensorScope(manager, current());
        STACK.get().push(scope);
        return scope;
    }

    /** Whether {@code array} belongs to this scope or to a scope opened inside it. */
    public boolean owns(NDArray array) {
        for (NDManager m = array.getManager(); m != null; m = m.getParentManager()) {
            if (m == manager) return true;
            if (m.getParentManager() == m) break;
        }
        return false;
    }

    /**
     * The innermost open scope of this thread (the root scope if none was opened). If
     * {@link TensorRuntime#configure} changed the device while only the root was open, the root is
     * replaced by one on the new device (tensors already made stay valid where they are).
     */
    public static TensorScope current() {
        Deque<TensorScope> stack = STACK.get();
        TensorScope top = stack.peek();
        if (top.parent == null && !top.manager.getDevice().equals(TensorRuntime.device())) {
            stack.pop();
            top = new TensorScope(NDManager.newBaseManager(TensorRuntime.device()), null);
            stack.push(top);
        }
        return top;
    }

    /**
     * Moves {@code t} to the enclosing scope so it survives this one's closing; returns {@code t}. A
     * tensor this scope does not own (e.g. an op returned its input unchanged) is left where it is.
     */
    public Tensor keep(Tensor t) {
        if (closed) throw new TensorException("keep: the scope is already closed");
        if (parent != null && t.ndarray().getManager() == manager) t.ndarray().attach(parent.manager);
        return t;
    }

    /** Moves {@code t} into this scope (e.g. to free it with this scope); returns {@code t}. */
    public Tensor adopt(Tensor t) {
        if (closed) throw new TensorException("adopt: the scope is already closed");
        t.ndarray().attach(manager);
        return t;
    }

    /** The DJL manager of this scope, for engine code that creates NDArrays itself. */
    public NDManager manager() {
        return manager;
    }

    /** How many native arrays this scope currently owns (not counting inner scopes); for tests and leaks. */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Hands an op result to the innermost scope. */
    static NDArray own(NDArray array) {
        array.attach(current().manager);
        return array;
    }

    @Override
    public void close() {
        if (closed) return;
        if (parent == null) throw new TensorException("the root tensor scope cannot be closed");
        Deque<TensorScope> stack = STACK.get();
        if (!stack.contains(this)) throw new TensorException("a tensor scope must be closed on the thread that opened it");
        while (true) {
            TensorScope top = stack.pop();
            top.closed = true;
            top.manager.close();
            if (top == this) break;
        }
    }
}
