package dev.rlx.interpreter.editor;

import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.resolve.ModuleLoader;
import dev.rlx.interpreter.runtime.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The modules a document imports, found as the loader finds them (`std/...` from the bundled stdlib, other paths
 * relative to the document, inside its folder) but only parsed: their trees give members, signatures, docs and
 * definitions. A std module is shown from the checkout's stdlib/ when rlx runs from one (`-Drlx.home`), else
 * from a copy written once under the temp folder, so that an editor can open it.
 */
public final class Modules {
    /** An imported module: its path as imported, the file an editor opens, its text and tree. */
    public record Module(String importPath, Path file, TextMap text, Ast.Module ast) {
        public Ast.Decl decl(String name) {
            for (Ast.Decl d : ast.decls()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    private record Cached(long modified, Module module) {}

    private final Map<Path, Cached> files = new HashMap<>();
    private final Map<String, Module> std = new HashMap<>();

    /** The module {@code imp} names from a document at {@code document} (null: unsaved, the current folder). */
    public Module resolve(Path document, Ast.Import imp) {
        String path = imp.path();
        if (path == null) {
            return null;
        }
        if (path.startsWith("std/")) {
            return std.computeIfAbsent(path, this::loadStd);
        }
        Path base = document == null ? Path.of("").toAbsolutePath() : document.toAbsolutePath().getParent();
        try {
            Path file = Sandbox.resolve(base, path.endsWith(".rlx") ? path : path + ".rlx");
            if (!Files.isRegularFile(file)) {
                return null;
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            Cached c = files.get(file);
            if (c == null || c.modified() != modified) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                c = new Cached(modified, new Module(path, file, new TextMap(text),
                        TolerantParse.parse(file.getFileName().toString(), text)));
                files.put(file, c);
            }
            return c.module();
        } catch (IllegalArgumentException | IOException e) {
            return null; // `rlx check` reports it; an editor just has nothing to show
        }
    }

    private Module loadStd(String path) {
        String name = path.endsWith(".rlx") ? path : path + ".rlx";
        String text = ModuleLoader.readResource(name);
        if (text == null) {
            return null;
        }
        return new Module(path, stdFile(name, text), new TextMap(text), TolerantParse.parse(name, text));
    }

    private static Path stdFile(String name, String text) {
        String home = System.getProperty("rlx.home");
        if (home != null) {
            Path checkout = Path.of(home, "stdlib", name);
            if (Files.isRegularFile(checkout)) {
                return checkout;
            }
        }
        Path copy = Path.of(System.getProperty("java.io.tmpdir"), "rlx-stdlib-" + RlxLanguage.VERSION, name);
        try {
            if (!Files.isRegularFile(copy) || !Files.readString(copy, StandardCharsets.UTF_8).equals(text)) {
                Files.createDirectories(copy.getParent());
                Path tmp = Files.createTempFile(copy.getParent(), ".std", ".rlx");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            return null;
        }
        return copy;
    }
}
