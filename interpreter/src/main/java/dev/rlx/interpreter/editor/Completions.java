package dev.rlx.interpreter.editor;

import dev.rlx.engine.rl.Batch;
import dev.rlx.grammar.RlxLexer;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.experiment.TrainSchema;
import dev.rlx.interpreter.experiment.TrainSchemaHelp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * What may be typed at a position of a document, read from the tokens before it, so it works in the half-typed
 * text where completion is asked for: module members after `alias.`, experiment keys in key position of a
 * `train { ... }` record (and of its nested records), named arguments inside a call, else the names in scope.
 */
public final class Completions {
    /** {@code kind}: function, variable, module, keyword, key, argument. {@code insert}: the text to put in. */
    public record Item(String label, String kind, String detail, String doc, String insert) {}

    /** The builtins, from the interpreter: name to `:help` text, and name to parameter names. */
    public record Builtins(Map<String, String> help, Map<String, List<String>> params) {}

    private static final List<String> KEYWORDS = List.of("if", "then", "else", "let", "in", "and", "or", "not",
            "true", "false", "none", "import", "as", "reward", "experiment");

    private final TextMap text;
    private final int offset;
    private final Ast.Module ast;
    private final Path document;
    private final Modules modules;
    private final Builtins builtins;
    private final List<Token> tokens = new ArrayList<>();
    /** Top-level names of the whole document, read from its tokens (declarations being typed included). */
    private final Map<String, Boolean> declared = new LinkedHashMap<>();
    private final Map<String, Item> out = new LinkedHashMap<>();
    private String prefix = "";

    private Completions(TextMap text, int offset, Ast.Module ast, Path document, Modules modules, Builtins builtins) {
        this.text = text;
        this.offset = offset;
        this.ast = ast;
        this.document = document;
        this.modules = modules;
        this.builtins = builtins;
    }

    public static List<Item> at(TextMap text, int offset, Ast.Module ast, Path document, Modules modules,
                                Builtins builtins) {
        Completions c = new Completions(text, offset, ast, document, modules, builtins);
        c.collect();
        return List.copyOf(c.out.values());
    }

    private void collect() {
        RlxLexer lexer = new RlxLexer(CharStreams.fromString(text.text()));
        lexer.removeErrorListeners();
        List<Token> all = new ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                all.add(t);
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Token t = all.get(i);
            if (t.getStopIndex() + 1 <= offset) {
                tokens.add(t);
            }
            boolean keyword = t.getType() == RlxLexer.REWARD || t.getType() == RlxLexer.EXPERIMENT;
            int name = keyword ? i + 1 : i;
            if (t.getCharPositionInLine() == 0 && (keyword || t.getType() == RlxLexer.NAME) && name < all.size()
                    && all.get(name).getType() == RlxLexer.NAME && all.get(name).getStopIndex() + 1 != offset) {
                boolean function = name + 1 < all.size() && all.get(name + 1).getType() == RlxLexer.LPAREN;
                declared.putIfAbsent(all.get(name).getText(), function);
            }
        }
        int last = tokens.size() - 1;
        if (last >= 0 && tokens.get(last).getStopIndex() + 1 == offset && isWord(tokens.get(last))) {
            prefix = tokens.get(last).getText();
            last--;
        }
        Token prev = last >= 0 ? tokens.get(last) : null;
        if (prev != null && prev.getType() == RlxLexer.DOT) {
            if (last >= 1 && tokens.get(last - 1).getType() == RlxLexer.NAME) {
                String target = tokens.get(last - 1).getText();
                if (module(target) != null) {
                    members(target);
                } else if (isBatchParameter(target, last - 1)) {
                    Batch.FIELDS.forEach(f -> add(new Item(f, "variable", "train batch field", null, f)));
                }
            }
            return;
        }
        List<Integer> open = openBrackets(last);
        if (!open.isEmpty() && prev != null) {
            int inner = open.get(open.size() - 1);
            Token opener = tokens.get(inner);
            boolean listStart = prev.getType() == opener.getType() || prev.getType() == RlxLexer.COMMA;
            if (opener.getType() == RlxLexer.LBRACE && listStart) {
                List<String> path = recordPath(open, open.size() - 1);
                if (path != null) {
                    keys(path, keysGiven(inner, last));
                    return;
                }
            }
            if (opener.getType() == RlxLexer.LPAREN && listStart) {
                arguments(inner);
            }
        }
        names(last);
    }

    private static boolean isWord(Token t) {
        String s = t.getText();
        return !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_');
    }

    /** Indexes of the brackets still open after token {@code last}, within the current top-level item. */
    private List<Integer> openBrackets(int last) {
        List<Integer> open = new ArrayList<>();
        for (int i = itemStart(last); i <= last; i++) {
            int type = tokens.get(i).getType();
            if (type == RlxLexer.LPAREN || type == RlxLexer.LBRACK || type == RlxLexer.LBRACE) {
                open.add(i);
            } else if ((type == RlxLexer.RPAREN || type == RlxLexer.RBRACK || type == RlxLexer.RBRACE) && !open.isEmpty()) {
                open.remove(open.size() - 1);
            }
        }
        return open;
    }

    private int itemStart(int last) {
        for (int i = last; i > 0; i--) {
            Token t = tokens.get(i);
            if (t.getCharPositionInLine() == 0 && (t.getType() == RlxLexer.NAME || t.getType() == RlxLexer.REWARD
                    || t.getType() == RlxLexer.EXPERIMENT || t.getType() == RlxLexer.IMPORT)) {
                return i;
            }
        }
        return 0;
    }

    /** [train] for `train {`, [train, rollout] for `rollout: {` inside it; null for other records. */
    private List<String> recordPath(List<Integer> open, int level) {
        int brace = open.get(level);
        if (brace >= 1 && tokens.get(brace - 1).getType() == RlxLexer.NAME) {
            String tag = tokens.get(brace - 1).getText();
            return TrainSchema.experimentKeys(tag) != null ? List.of(tag) : null;
        }
        if (brace >= 2 && level >= 1 && tokens.get(brace - 1).getType() == RlxLexer.COLON
                && tokens.get(brace - 2).getType() == RlxLexer.NAME
                && tokens.get(open.get(level - 1)).getType() == RlxLexer.LBRACE) {
            List<String> outer = recordPath(open, level - 1);
            if (outer != null) {
                List<String> path = new ArrayList<>(outer);
                path.add(tokens.get(brace - 2).getText());
                return TrainSchemaHelp.keysAt(path) != null ? path : null;
            }
        }
        return null;
    }

    /** The keys already written in the record whose `{` is token {@code brace}, up to token {@code last}. */
    private java.util.Set<String> keysGiven(int brace, int last) {
        java.util.Set<String> given = new java.util.HashSet<>();
        int depth = 0;
        for (int i = brace + 1; i < last; i++) {
            int type = tokens.get(i).getType();
            if (type == RlxLexer.LPAREN || type == RlxLexer.LBRACK || type == RlxLexer.LBRACE) {
                depth++;
            } else if (type == RlxLexer.RPAREN || type == RlxLexer.RBRACK || type == RlxLexer.RBRACE) {
                depth--;
            } else if (depth == 0 && type == RlxLexer.NAME && tokens.get(i + 1).getType() == RlxLexer.COLON) {
                given.add(tokens.get(i).getText());
            }
        }
        return given;
    }

    private void keys(List<String> path, java.util.Set<String> given) {
        Map<String, TrainSchema.Key> keys = TrainSchemaHelp.keysAt(path);
        for (TrainSchema.Key k : keys.values()) {
            if (given.contains(k.name())) {
                continue; // a key twice is an error
            }
            List<String> keyPath = new ArrayList<>(path);
            keyPath.add(k.name());
            add(new Item(k.name(), "key", k.type().shortName() + (k.required() ? ", required" : ""),
                    TrainSchemaHelp.describeKey(keyPath), k.name() + ": "));
        }
    }

    /** Named arguments of the call whose `(` is token {@code paren}, then every name (an argument may be positional). */
    private void arguments(int paren) {
        List<String> params = null;
        String shown = null;
        if (paren >= 1 && tokens.get(paren - 1).getType() == RlxLexer.NAME) {
            String name = tokens.get(paren - 1).getText();
            if (paren >= 3 && tokens.get(paren - 2).getType() == RlxLexer.DOT
                    && tokens.get(paren - 3).getType() == RlxLexer.NAME) {
                Modules.Module m = module(tokens.get(paren - 3).getText());
                Ast.Decl d = m == null ? null : m.decl(name);
                if (d != null && d.isFunction()) {
                    params = d.params().stream().map(Ast.Param::name).toList();
                    shown = Docs.signature(tokens.get(paren - 3).getText() + "." + name, d, m.text());
                }
            } else {
                Ast.Decl d = ownDecl(name);
                if (d != null && d.isFunction()) {
                    params = d.params().stream().map(Ast.Param::name).toList();
                    shown = Docs.signature(name, d, text);
                } else if (builtins.params().containsKey(name)) {
                    params = builtins.params().get(name);
                    shown = builtins.help().get(name).lines().findFirst().orElse(name);
                }
            }
        }
        if (params != null) {
            for (String p : params) {
                add(new Item(p, "argument", shown, null, p + ": "));
            }
        }
    }

    private void members(String alias) {
        Modules.Module m = module(alias);
        if (m == null) {
            return;
        }
        for (Ast.Decl d : m.ast().decls()) {
            add(new Item(d.name(), d.isFunction() ? "function" : "variable",
                    d.isFunction() ? Docs.signature(alias + "." + d.name(), d, m.text()) : m.importPath(),
                    Docs.decl(d, alias + "." + d.name(), m.text()), d.name()));
        }
    }

    /**
     * Whether {@code name} is the parameter of a `credit:` or `loss:` lambda (`loss: (b) => ...`, in a train
     * record or as a recipe's argument) that encloses token {@code before}: its fields are the batch's.
     */
    private boolean isBatchParameter(String name, int before) {
        for (int arrow = before - 1; arrow >= 2; arrow--) {
            if (tokens.get(arrow).getType() != RlxLexer.ARROW) {
                continue;
            }
            // `(b) =>` or `b =>`: the parameter, then the `:` and the key before it
            boolean paren = tokens.get(arrow - 1).getType() == RlxLexer.RPAREN;
            int param = paren ? arrow - 2 : arrow - 1;
            int colon = paren ? param - 2 : param - 1;
            if (colon < 1 || !tokens.get(param).getText().equals(name)
                    || paren && tokens.get(param - 1).getType() != RlxLexer.LPAREN) {
                continue;
            }
            String key = tokens.get(colon - 1).getText();
            return tokens.get(colon).getType() == RlxLexer.COLON && (key.equals("credit") || key.equals("loss"));
        }
        return false;
    }

    private Modules.Module module(String alias) {
        for (Ast.Import imp : ast.imports()) {
            if (alias.equals(imp.alias())) {
                return modules.resolve(document, imp);
            }
        }
        return null;
    }

    private Ast.Decl ownDecl(String name) {
        for (Ast.Decl d : ast.decls()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Locals in scope, the document's declarations and imports, builtins and keywords. */
    private void names(int last) {
        Locate.Result here = Locate.at(ast, offset);
        if (here.decl() != null) {
            for (Locate.Local l : here.scope().reversed()) {
                add(new Item(l.name(), "variable", l.kind(), Docs.local(l, text), l.name()));
            }
        } else {
            guessedLocals(last).forEach(n -> add(new Item(n, "variable", "local", null, n)));
        }
        for (Ast.Import imp : ast.imports()) {
            if (imp.alias() != null) {
                add(new Item(imp.alias(), "module", imp.path(), null, imp.alias()));
            }
        }
        for (Ast.Decl d : ast.decls()) {
            add(new Item(d.name(), d.isFunction() ? "function" : "variable",
                    d.isFunction() ? Docs.signature(d.name(), d, text) : d.kind().name().toLowerCase(),
                    Docs.decl(d, d.name(), text), d.name()));
        }
        declared.forEach((name, function) -> add(new Item(name, function ? "function" : "variable", null, null, name)));
        builtins.help().forEach((name, help) -> add(new Item(name, "function",
                help.lines().findFirst().orElse(name), help, name)));
        KEYWORDS.forEach(k -> add(new Item(k, "keyword", null, null, k)));
    }

    /**
     * In a declaration that does not parse yet, the names it binds before the cursor: those followed by `=` or
     * `=>`, and those in a parameter list (a parenthesis followed by `=` or `=>`).
     */
    private List<String> guessedLocals(int last) {
        List<String> names = new ArrayList<>();
        int start = itemStart(last);
        for (int i = start + 1; i <= last; i++) {
            Token t = tokens.get(i);
            if (t.getType() != RlxLexer.NAME || i + 1 >= tokens.size()) {
                continue;
            }
            int next = tokens.get(i + 1).getType();
            if (next == RlxLexer.ASSIGN || next == RlxLexer.ARROW || inParams(i)) {
                names.add(t.getText());
            }
        }
        return names;
    }

    /** Whether the parenthesis around token {@code nameIndex} closes into `=` or `=>`: a parameter list. */
    private boolean inParams(int nameIndex) {
        int depth = 0;
        for (int j = nameIndex + 1; j < tokens.size(); j++) {
            int type = tokens.get(j).getType();
            if (type == RlxLexer.LPAREN) {
                depth++;
            } else if (type == RlxLexer.RPAREN && depth-- == 0) {
                int after = j + 1 < tokens.size() ? tokens.get(j + 1).getType() : -1;
                return after == RlxLexer.ASSIGN || after == RlxLexer.ARROW;
            }
        }
        return false;
    }

    private void add(Item item) {
        if (item.label().startsWith(prefix) && !out.containsKey(item.label())) {
            out.put(item.label(), item);
        }
    }
}
