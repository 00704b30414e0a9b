package dev.rlx.interpreter.resolve;

import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.builtins.Builtins;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.parser.RlxParsing;
import dev.rlx.interpreter.runtime.GlobalCell;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxModule;
import dev.rlx.interpreter.runtime.Sandbox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, parses and translates modules. `std/...` comes from the bundled stdlib on the class path;
 * any other import path is relative to the importing file and must name a .rlx file. Each module is
 * loaded once per session; an import cycle is an error listing the chain.
 */
public final class ModuleLoader {
    /** A translated main module with its syntax tree and text (the run lock and `:help` use them). */
    public record Loaded(RlxModule module, Ast.Module ast, SourceText source, List<Overrides.Applied> overrides) {}

    private final RlxLanguage language;
    private Map<String, RlxFunction> builtins;
    private final Map<String, RlxModule> loaded = new HashMap<>();
    private final Map<String, Ast.Module> asts = new HashMap<>();
    /** Modules by the display name of their source, so a function's source section leads back to its module. */
    private final Map<String, RlxModule> bySource = new HashMap<>();
    /** Every source text parsed in this session by display name, so later errors can show its lines. */
    private final Map<String, SourceText> sources = new HashMap<>();
    private final Deque<String> loading = new ArrayDeque<>();
    /** The main script's folder: imported files are shown relative to it. */
    private Path root = Path.of("").toAbsolutePath();

    public ModuleLoader(RlxLanguage language) {
        this.language = language;
    }

    public Map<String, RlxFunction> builtins() {
        if (builtins == null) {
            builtins = Builtins.create(language);
        }
        return builtins;
    }

    /** Loads a script given by the user; {@code overrides} are `--set name=value` pairs, in order. */
    public Loaded loadMain(SourceText source, Map<String, String> overrides) {
        sources.put(source.name(), source);
        Ast.Module ast = RlxParsing.parseModule(source);
        String key = source.path() == null ? source.name() : Path.of(source.path()).toAbsolutePath().normalize().toString();
        RlxModule module = new RlxModule(source.name(), source.path());
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (source.path() != null) {
            root = Path.of(key).getParent();
        }
        loading.push(key);
        try {
            translate(ast, source, module, diagnostics);
        } finally {
            loading.pop();
        }
        List<Overrides.Applied> applied = diagnostics.isEmpty()
                ? Overrides.apply(module, ast, overrides, diagnostics) : List.of();
        if (!diagnostics.isEmpty()) {
            throw new CompileErrors(diagnostics, Map.of(source.name(), source));
        }
        loaded.put(key, module);
        asts.put(key, ast);
        bySource.put(source.name(), module);
        return new Loaded(module, ast, source, applied);
    }

    /** Translates one parsed module into {@code module}: imports, then declarations (forward refs allowed). */
    public void translate(Ast.Module ast, SourceText source, RlxModule module, List<Diagnostic> diagnostics) {
        Translator translator = new Translator(language, source, module, builtins(), diagnostics);
        for (Ast.Import imp : ast.imports()) {
            addImport(imp, source, module, diagnostics);
        }
        Map<Ast.Decl, GlobalCell> cells = new LinkedHashMap<>();
        for (Ast.Decl d : ast.decls()) {
            cells.put(d, translator.declare(d));
        }
        cells.forEach(translator::define);
    }

    /** Loads the module an import names and binds it under its alias in {@code into}. */
    public void addImport(Ast.Import imp, SourceText from, RlxModule into, List<Diagnostic> diagnostics) {
        RlxModule target = importModule(imp, from, diagnostics);
        if (target != null) {
            into.define(GlobalCell.ofValue(imp.alias(), null, target));
        }
    }

    private RlxModule importModule(Ast.Import imp, SourceText from, List<Diagnostic> diagnostics) {
        String path = imp.path();
        String key;
        String displayName;
        String text;
        String filePath = null;
        if (path.startsWith("std/")) {
            key = path;
            displayName = path.endsWith(".rlx") ? path : path + ".rlx";
            text = readResource(displayName);
            if (text == null) {
                diagnostics.add(Diagnostic.at(imp.pathSpan(), "no stdlib module '" + path + "'",
                        Suggest.hint(path, StdlibIndex.modules())));
                return null;
            }
        } else {
            Path base = from.path() == null ? Path.of("").toAbsolutePath() : Path.of(from.path()).toAbsolutePath().getParent();
            Path file;
            try {
                // imports obey the file sandbox: relative, inside the importing script's folder, links followed
                file = Sandbox.resolve(base, path.endsWith(".rlx") ? path : path + ".rlx");
            } catch (IllegalArgumentException e) { // InvalidPathException included
                diagnostics.add(Diagnostic.at(imp.pathSpan(), "cannot import '" + path + "': " + e.getMessage(),
                        "import std/... modules, or .rlx files in this script's folder or below it"));
                return null;
            }
            key = file.toString();
            displayName = relativize(file);
            filePath = file.toString();
            if (!Files.isRegularFile(file)) {
                diagnostics.add(Diagnostic.at(imp.pathSpan(), "cannot find module '" + path + "' (looked for " + file + ")"));
                return null;
            }
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                diagnostics.add(Diagnostic.at(imp.pathSpan(), "cannot read " + file + ": " + e.getMessage()));
                return null;
            }
        }
        RlxModule done = loaded.get(key);
        if (done != null) {
            return done;
        }
        if (loading.contains(key)) {
            List<String> chain = new ArrayList<>(loading);
            Collections.reverse(chain);
            chain.add(key);
            diagnostics.add(Diagnostic.at(imp.pathSpan(), "import cycle: " + String.join(" -> ", chain.stream()
                    .map(this::shortName).toList())));
            return null;
        }
        SourceText source = new SourceText(displayName, text, filePath);
        sources.put(source.name(), source);
        loading.push(key);
        try {
            Ast.Module ast = RlxParsing.parseModule(source);
            RlxModule module = new RlxModule(path, filePath);
            List<Diagnostic> own = new ArrayList<>();
            translate(ast, source, module, own);
            if (!own.isEmpty()) {
                throw new CompileErrors(own, Map.of(source.name(), source));
            }
            loaded.put(key, module);
            asts.put(key, ast);
            bySource.put(source.name(), module);
            return module;
        } finally {
            loading.pop();
        }
    }

    /** A source parsed in this session, by display name; null if unknown. */
    public SourceText source(String name) {
        return sources.get(name);
    }

    /** The module whose source has this display name (a source section's name); null if unknown. */
    public RlxModule moduleOfSource(String name) {
        return bySource.get(name);
    }

    /** The syntax tree of a loaded module (for `:help` doc comments and the run lock). */
    public Ast.Module ast(RlxModule module) {
        for (var e : loaded.entrySet()) {
            if (e.getValue() == module) {
                return asts.get(e.getKey());
            }
        }
        return null;
    }

    public static String readResource(String name) {
        try (InputStream in = ModuleLoader.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private String shortName(String key) {
        return key.startsWith("std/") ? key : relativize(Path.of(key));
    }

    private String relativize(Path file) {
        return file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    }
}
