package dev.rlx.interpreter.api;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.editor.Completions;
import dev.rlx.interpreter.editor.Docs;
import dev.rlx.interpreter.editor.Locate;
import dev.rlx.interpreter.editor.Modules;
import dev.rlx.interpreter.editor.TextMap;
import dev.rlx.interpreter.editor.TolerantParse;
import dev.rlx.interpreter.experiment.TrainSchemaHelp;
import dev.rlx.interpreter.runtime.RlxFunction;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an editor asks about a document, answered without running it: the errors `rlx check` reports, the `:help`
 * text of the name under the cursor, completions, definitions and the declarations of the file. Positions are
 * 0-based lines and UTF-16 characters, as LSP counts them.
 *
 * <p>{@link #check} loads the document in a fresh session each time (imported files may have changed), so, like
 * {@link RlxSession}, an EditorSession is used from one thread. Nothing here evaluates a binding: no model is
 * built and nothing trains while someone types.
 */
public final class EditorSession {
    public record Range(int line, int character, int endLine, int endCharacter) {}

    /** An error: {@code file} is null when it is in the document itself, else the imported file it is in. */
    public record Problem(Range range, String message, String hint, String file) {}

    public record Place(Path file, Range range) {}

    /** {@code kind}: import, function, value, reward, experiment. */
    public record Symbol(String name, String kind, String detail, Range range, Range selection) {}

    /** {@code kind}: function, variable, module, keyword, key, argument. */
    public record Completion(String label, String kind, String detail, String documentation, String insertText) {}

    private final Completions.Builtins builtins;
    private final Modules modules = new Modules();

    public EditorSession() {
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, List<String>> params = new LinkedHashMap<>();
        try (RlxSession session = new RlxSession(OutputStream.nullOutputStream())) {
            Map<String, RlxFunction> all = session.loader().builtins();
            all.keySet().stream().sorted().forEach(name -> {
                help.put(name, Help.describe(session, name));
                params.put(name, all.get(name).signature().params());
            });
        }
        builtins = new Completions.Builtins(java.util.Collections.unmodifiableMap(help),
                java.util.Collections.unmodifiableMap(params));
    }

    // ---- diagnostics

    /** Every error `rlx check FILE` reports for {@code text} as the content of {@code file} (null: unsaved). */
    public List<Problem> check(Path file, String text) {
        String name = file == null ? "untitled.rlx" : file.getFileName().toString();
        TextMap map = new TextMap(text);
        try (RlxSession session = new RlxSession(OutputStream.nullOutputStream())) {
            session.load(new SourceText(name, text, file == null ? null : file.toAbsolutePath().toString()), Map.of());
            return List.of();
        } catch (RlxError e) {
            if (!(e.getCause() instanceof CompileErrors errors)) {
                return List.of(new Problem(new Range(0, 0, 0, 0), e.formatted(), null, null));
            }
            List<Problem> out = new ArrayList<>();
            for (Diagnostic d : errors.diagnostics()) {
                if (d.sourceName().equals(name)) {
                    out.add(new Problem(caret(map, d), d.message(), d.hint(), null));
                } else {
                    // an error inside an imported file: shown at the import that brings it in
                    out.add(new Problem(importRange(map, name, text, d.sourceName()),
                            d.sourceName() + ":" + d.line() + ":" + d.column() + ": " + d.message(), d.hint(),
                            d.sourceName()));
                }
            }
            return out;
        }
    }

    /** The range `rlx check` puts its caret under: from the column, as wide as the error, cut at the line's end. */
    private static Range caret(TextMap map, Diagnostic d) {
        int start = map.offsetOfColumn(d.line(), d.column());
        int lineEnd = map.lineEnd(map.position(start)[0]);
        int end = Math.min(start + Math.max(1, d.length()), Math.max(lineEnd, start + 1));
        return range(map, start, Math.min(end, map.length()));
    }

    private Range importRange(TextMap map, String name, String text, String otherFile) {
        Ast.Module ast = TolerantParse.parse(name, text);
        Ast.Import first = null;
        for (Ast.Import imp : ast.imports()) {
            String shown = imp.path().endsWith(".rlx") ? imp.path() : imp.path() + ".rlx";
            if (Path.of(shown).normalize().toString().equals(otherFile)) {
                return range(map, imp.span());
            }
            if (first == null && !imp.path().startsWith("std/")) {
                first = imp;
            }
        }
        return first != null ? range(map, first.span()) : new Range(0, 0, 0, 0);
    }

    // ---- hover, definition, completion, symbols

    /** The `:help` text of what is at the position (a name, a module member, a named argument, a train key), or null. */
    public String hover(Path file, String text, int line, int character) {
        Doc doc = new Doc(file, text);
        int offset = doc.map.offset(line, character);
        Locate.Result here = Locate.at(doc.ast, offset);
        return switch (here.hit()) {
            case null -> experimentTag(doc.map, offset);
            case Locate.NameHit n when n.local() != null -> Docs.local(n.local(), doc.map);
            case Locate.NameHit n -> describeName(doc, n.name().name());
            case Locate.LocalHit l -> Docs.local(l.local(), doc.map);
            case Locate.DeclHit d -> Docs.decl(d.decl(), d.decl().name(), doc.map);
            case Locate.MemberHit m -> {
                Modules.Module module = doc.module(m.target());
                Ast.Decl d = module == null ? null : module.decl(m.member());
                yield d == null ? null : Docs.decl(d, m.target() + "." + m.member(), module.text());
            }
            case Locate.NamedArgHit a -> switch (a.callee()) {
                case Ast.Name n -> describeName(doc, n.name());
                case Ast.Member m when m.target() instanceof Ast.Name t && doc.module(t.name()) != null -> {
                    Modules.Module module = doc.module(t.name());
                    Ast.Decl d = module.decl(m.name());
                    yield d == null ? null : Docs.decl(d, t.name() + "." + m.name(), module.text());
                }
                default -> null;
            };
            case Locate.KeyHit k -> TrainSchemaHelp.describeKey(k.path());
            case Locate.ImportHit i -> {
                Modules.Module module = modules.resolve(file, i.imp());
                yield module == null ? null : Docs.module(module);
            }
        };
    }

    /** `train` or `preference` before a record's brace: `:help train`, the experiment's keys. */
    private static String experimentTag(TextMap map, int offset) {
        int start = offset;
        while (start > 0 && isWordChar(map.codePoint(start - 1))) {
            start--;
        }
        int end = offset;
        while (isWordChar(map.codePoint(end))) {
            end++;
        }
        int next = end;
        while (map.codePoint(next) == ' ') {
            next++;
        }
        String word = map.slice(start, end);
        return map.codePoint(next) == '{' && (word.equals("train") || word.equals("preference"))
                ? TrainSchemaHelp.describe(word) : null;
    }

    private static boolean isWordChar(int c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private String describeName(Doc doc, String name) {
        Ast.Decl own = doc.decl(name);
        if (own != null) {
            return Docs.decl(own, name, doc.map);
        }
        Modules.Module module = doc.module(name);
        if (module != null) {
            return Docs.module(module);
        }
        return builtins.help().get(name);
    }

    /** Where the name at the position is defined: a local, a declaration of this file, of an import, or the stdlib. */
    public List<Place> definition(Path file, String text, int line, int character) {
        Doc doc = new Doc(file, text);
        Locate.Result here = Locate.at(doc.ast, doc.map.offset(line, character));
        Place place = switch (here.hit()) {
            case null -> null;
            case Locate.NameHit n when n.local() != null -> new Place(file, range(doc.map, n.local().span()));
            case Locate.NameHit n -> globalPlace(doc, n.name().name());
            case Locate.LocalHit l -> new Place(file, range(doc.map, l.local().span()));
            case Locate.DeclHit d -> new Place(file, range(doc.map, d.decl().nameSpan()));
            case Locate.MemberHit m -> memberPlace(doc.module(m.target()), m.member());
            case Locate.NamedArgHit a -> argumentPlace(doc, a);
            case Locate.KeyHit k -> null;
            case Locate.ImportHit i -> modulePlace(modules.resolve(file, i.imp()));
        };
        return place == null ? List.of() : List.of(place);
    }

    private Place globalPlace(Doc doc, String name) {
        Ast.Decl own = doc.decl(name);
        if (own != null) {
            return new Place(doc.file, range(doc.map, own.nameSpan()));
        }
        return modulePlace(doc.module(name));
    }

    private static Place modulePlace(Modules.Module m) {
        return m == null || m.file() == null ? null : new Place(m.file(), new Range(0, 0, 0, 0));
    }

    private static Place memberPlace(Modules.Module m, String member) {
        Ast.Decl d = m == null ? null : m.decl(member);
        return d == null || m.file() == null ? null : new Place(m.file(), range(m.text(), d.nameSpan()));
    }

    private Place argumentPlace(Doc doc, Locate.NamedArgHit a) {
        Ast.Decl d = null;
        TextMap map = doc.map;
        Path file = doc.file;
        if (a.callee() instanceof Ast.Name n) {
            d = doc.decl(n.name());
        } else if (a.callee() instanceof Ast.Member m && m.target() instanceof Ast.Name t && doc.module(t.name()) != null) {
            Modules.Module module = doc.module(t.name());
            d = module.decl(m.name());
            map = module.text();
            file = module.file();
        }
        if (d == null || !d.isFunction() || file == null) {
            return null;
        }
        for (Ast.Param p : d.params()) {
            if (p.name().equals(a.arg())) {
                return new Place(file, range(map, p.span().start(), p.span().start() + p.name().length()));
            }
        }
        return null;
    }

    public List<Completion> complete(Path file, String text, int line, int character) {
        Doc doc = new Doc(file, text);
        return Completions.at(doc.map, doc.map.offset(line, character), doc.ast, file, modules, builtins).stream()
                .map(i -> new Completion(i.label(), i.kind(), i.detail(), i.doc(), i.insert())).toList();
    }

    /** The document's imports and top-level declarations, in order. */
    public List<Symbol> symbols(String text) {
        TextMap map = new TextMap(text);
        Ast.Module ast = TolerantParse.parse("document.rlx", text);
        List<Symbol> out = new ArrayList<>();
        for (Ast.Import imp : ast.imports()) {
            if (imp.alias() != null) {
                out.add(new Symbol(imp.alias(), "import", imp.path(), range(map, imp.span()), range(map, imp.span())));
            }
        }
        for (Ast.Decl d : ast.decls()) {
            String kind = switch (d.kind()) {
                case FUNCTION -> "function";
                case VALUE -> "value";
                case REWARD -> "reward";
                case EXPERIMENT -> "experiment";
            };
            String detail = d.isFunction() ? Docs.signature(d.name(), d, map) : null;
            out.add(new Symbol(d.name(), kind, detail, range(map, d.span()), range(map, d.nameSpan())));
        }
        out.sort((a, b) -> a.range().line() != b.range().line() ? Integer.compare(a.range().line(), b.range().line())
                : Integer.compare(a.range().character(), b.range().character()));
        return out;
    }

    /** The whole document formatted as `rlx fmt` would (errors as {@link RlxError}: a broken file is not formatted). */
    public String format(Path file, String text) {
        return SourceFormat.format(file == null ? "untitled.rlx" : file.getFileName().toString(), text);
    }

    // ---- helpers

    private static Range range(TextMap map, Span span) {
        return range(map, span.start(), span.end());
    }

    private static Range range(TextMap map, int start, int end) {
        int[] s = map.position(start);
        int[] e = map.position(end);
        return new Range(s[0], s[1], e[0], e[1]);
    }

    /** One document as the editor has it: its text, positions and tolerant syntax tree. */
    private final class Doc {
        final Path file;
        final TextMap map;
        final Ast.Module ast;

        Doc(Path file, String text) {
            this.file = file;
            this.map = new TextMap(text);
            this.ast = TolerantParse.parse(file == null ? "untitled.rlx" : file.getFileName().toString(), text);
        }

        Ast.Decl decl(String name) {
            for (Ast.Decl d : ast.decls()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }

        Modules.Module module(String alias) {
            for (Ast.Import imp : ast.imports()) {
                if (alias.equals(imp.alias())) {
                    return modules.resolve(file, imp);
                }
            }
            return null;
        }
    }
}
