package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.nodes.Node;
import dev.rlx.interpreter.ast.Ast;

/**
 * A top-level binding. Its initializer runs on first read (so declaration order does not matter and
 * unused expensive bindings cost nothing), and its value is then fixed forever: compiled reads fold it
 * to a constant. Reading a binding while it is being computed is a cycle and an error.
 */
public final class GlobalCell {
    private final String name;
    private final Ast.Decl decl;
    private RootCallTarget initializer;
    @CompilationFinal private Object value;
    private boolean evaluating;

    public GlobalCell(String name, Ast.Decl decl, RootCallTarget initializer) {
        this.name = name;
        this.decl = decl;
        this.initializer = initializer;
    }

    /** Completes a cell created before its body was translated (so that forward references resolve). */
    public void initialize(RootCallTarget target) {
        this.initializer = target;
    }

    /** Completes a cell whose value needs no evaluation (functions). */
    public void initializeValue(Object v) {
        this.value = v;
    }

    /** A cell whose value is known up front (imports, builtin modules, `--set` overrides). */
    public static GlobalCell ofValue(String name, Ast.Decl decl, Object value) {
        GlobalCell cell = new GlobalCell(name, decl, null);
        cell.value = value;
        return cell;
    }

    public String name() {
        return name;
    }

    /** The declaration, for locations and docs; null for synthetic cells. */
    public Ast.Decl decl() {
        return decl;
    }

    public boolean isEvaluated() {
        return value != null;
    }

    public Object get(Node reader) {
        Object v = value;
        if (v != null) {
            return v;
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        return evaluate(reader);
    }

    private Object evaluate(Node reader) {
        if (evaluating) {
            throw new RlxException("'" + name + "' depends on itself (its value is needed while computing it)",
                    reader);
        }
        evaluating = true;
        try {
            Object v = initializer.call((Object) null);
            value = v;
            initializer = null;
            return v;
        } finally {
            evaluating = false;
        }
    }
}
