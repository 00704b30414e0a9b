package dev.rlx.interpreter.api;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.resolve.StdlibIndex;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The std modules bound in `rlx eval` and the REPL without an import (`credit`, `loss`, `tasks`, ...). Each is
 * imported on first use, so a session that never touches one never loads it.
 */
final class StdlibBindings {
    private StdlibBindings() {}

    /** Binds every top-level std/x module in {@code module} as x (nested ones like std/recipes/grpo are not). */
    static void bindAll(RlxModule module, RlxContext rlx) {
        for (String std : StdlibIndex.modules()) {
            if (std.indexOf('/', 4) >= 0) {
                continue;
            }
            String alias = std.substring(4);
            module.define(new GlobalCell(alias, null, new ImportOnRead(rlx, alias, std).getCallTarget()));
        }
    }

    /** Binds std module {@code path} (e.g. "std/rewards") under {@code alias} as well (`rw`, as the examples import it). */
    static void bindAlias(RlxModule module, RlxContext rlx, String alias, String path) {
        module.define(new GlobalCell(alias, null, new ImportOnRead(rlx, alias, path).getCallTarget()));
    }

    /** The initializer of a pre-bound module's cell: runs the import when the name is first read. */
    private static final class ImportOnRead extends RootNode {
        private final RlxContext rlx;
        private final String alias;
        private final String path;

        ImportOnRead(RlxContext rlx, String alias, String path) {
            super(rlx.getLanguage());
            this.rlx = rlx;
            this.alias = alias;
            this.path = path;
        }

        @Override
        public Object execute(VirtualFrame frame) {
            return importNow();
        }

        @TruffleBoundary
        private Object importNow() {
            RlxModule holder = new RlxModule("<import>", null);
            List<Diagnostic> diagnostics = new ArrayList<>();
            SourceText source = new SourceText("<stdlib>", "import \"" + path + "\" as " + alias, null);
            Ast.Import imp = new Ast.Import(path, alias, null, new Span("<stdlib>", 1, 8, 7, 8 + path.length()));
            rlx.loader().addImport(imp, source, holder, diagnostics);
            if (!diagnostics.isEmpty()) {
                throw new CompileErrors(diagnostics, Map.of(source.name(), source));
            }
            return holder.cell(alias).get(null);
        }
    }
}
