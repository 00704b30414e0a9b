package dev.rlx.interpreter.lock;

import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.resolve.ModuleLoader;
import dev.rlx.interpreter.resolve.Overrides;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * `recipe.lock.rlx`: the fully resolved script of a run, as one self-contained file. Every imported
 * module (stdlib included) is inlined with its top-level names mangled (`std/credit`'s `grpo` becomes
 * `std_credit__grpo`), `--set` overrides are written in as the bindings' values, and everything is
 * printed canonically (no comments, one layout). `rlx run` on the lock reproduces the run; the run
 * hash is taken over this text and the rlx version, so formatting and comments never change it.
 */
public final class LockFile {
    private final ModuleLoader loader;
    private final Map<RlxModule, String> prefixes = new LinkedHashMap<>();

    private LockFile(ModuleLoader loader) {
        this.loader = loader;
    }

    /** The lock text for a loaded main module. */
    public static String render(RlxModule main, Ast.Module mainAst, List<Overrides.Applied> overrides,
                                ModuleLoader loader) {
        return new LockFile(loader).renderMain(main, mainAst, overrides);
    }

    /**
     * First 8 hex digits of SHA-256 over the lock's code and the rlx version. Blank lines and lines that start
     * with `//` are left out: they are the lock's own section headings, which differ when a lock is locked
     * again (`rlx run recipe.lock.rlx` puts every block under "the script"), so a lock reproduces its run hash.
     * No code is lost: strings cannot span lines, so a canonical code line is never blank or a `//` line.
     */
    public static String hash(String lockText) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("rlx " + RlxLanguage.VERSION + "\n").getBytes(StandardCharsets.UTF_8));
            for (String line : lockText.split("\n", -1)) {
                if (!line.isBlank() && !line.startsWith("//")) {
                    sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String renderMain(RlxModule main, Ast.Module ast, List<Overrides.Applied> overrides) {
        List<String> blocks = new ArrayList<>();
        collect(main, blocks, true);
        Map<String, String> overridden = new LinkedHashMap<>();
        overrides.forEach(o -> overridden.put(o.name(), o.value()));
        Unparser printer = new Unparser(renamer(main, ast, true));
        StringBuilder sb = new StringBuilder();
        sb.append("// recipe.lock.rlx, written by rlx ").append(RlxLanguage.VERSION)
                .append(": the resolved script of this run (imports inlined, overrides applied).\n");
        sb.append("// `rlx run` on this file reproduces the run.\n");
        for (String block : blocks) {
            sb.append('\n').append(block);
        }
        sb.append("\n// the script\n"); // not its path: moving a script must not change the run hash
        for (Ast.Decl d : ast.decls()) {
            String v = overridden.get(d.name());
            sb.append(v != null ? d.name() + " = " + v : printer.decl(d, d.name())).append('\n');
        }
        return sb.toString();
    }

    /** Appends the inlined text of every module {@code module} imports, dependencies first, once each. */
    private void collect(RlxModule module, List<String> blocks, boolean isMain) {
        for (GlobalCell cell : module.cells().values()) {
            if (cell.decl() == null && cell.isEvaluated() && cell.get(null) instanceof RlxModule imported
                    && !prefixes.containsKey(imported)) {
                prefixes.put(imported, mangle(imported.name()));
                collect(imported, blocks, false);
                Ast.Module ast = loader.ast(imported);
                Unparser printer = new Unparser(renamer(imported, ast, false));
                StringBuilder sb = new StringBuilder("// ").append(imported.name()).append('\n');
                for (Ast.Decl d : ast.decls()) {
                    sb.append(printer.decl(d, prefixes.get(imported) + "__" + d.name())).append('\n');
                }
                blocks.add(sb.toString());
            }
        }
    }

    private UnaryOperator<String> renamer(RlxModule module, Ast.Module ast, boolean isMain) {
        String own = isMain ? null : prefixes.get(module);
        Set<String> declared = new HashSet<>();
        ast.decls().forEach(d -> declared.add(d.name()));
        return name -> {
            int dot = name.indexOf('.');
            if (dot >= 0) {
                GlobalCell cell = module.cell(name.substring(0, dot));
                if (cell != null && cell.decl() == null && cell.isEvaluated()
                        && cell.get(null) instanceof RlxModule target) {
                    return prefixes.get(target) + "__" + name.substring(dot + 1);
                }
                return null;
            }
            return own != null && declared.contains(name) ? own + "__" + name : null;
        };
    }

    /** `std/credit` -> `std_credit`, `lib/my-util` -> `lib_my_util`. */
    static String mangle(String modulePath) {
        String p = modulePath.endsWith(".rlx") ? modulePath.substring(0, modulePath.length() - 4) : modulePath;
        return p.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
