package dev.rlx.interpreter.editor;

import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.ast.Span;

/**
 * Hover texts in the form `:help` prints them (`credit.grpo(scores, group, scale = "group", eps = 1e-6)` and the
 * doc comment indented below), made from syntax trees alone: a value binding shows its expression, never its
 * value, since computing it could build and train models.
 */
public final class Docs {
    private Docs() {}

    /** A top-level declaration, shown under {@code shownName} (`credit.grpo` for a module member). */
    public static String decl(Ast.Decl d, String shownName, TextMap source) {
        StringBuilder sb = new StringBuilder();
        if (d.isFunction()) {
            sb.append(signature(shownName, d, source)); // as :help shows a reward function: its signature
        } else {
            switch (d.kind()) {
                case REWARD -> sb.append("reward ");
                case EXPERIMENT -> sb.append("experiment ");
                default -> { }
            }
            sb.append(shownName).append(" = ").append(excerpt(d.body().span(), source));
        }
        if (d.doc() != null) {
            d.doc().lines().forEach(l -> sb.append("\n  ").append(l));
        }
        return sb.toString();
    }

    /** `name(a, b = default)` with each default as written. */
    public static String signature(String shownName, Ast.Decl d, TextMap source) {
        StringBuilder sb = new StringBuilder(shownName).append('(');
        for (int i = 0; i < d.params().size(); i++) {
            Ast.Param p = d.params().get(i);
            sb.append(i > 0 ? ", " : "").append(p.name());
            if (p.defaultValue() != null) {
                Span s = p.defaultValue().span();
                sb.append(" = ").append(source.slice(s.start(), s.end()));
            }
        }
        return sb.append(')').toString();
    }

    /** `module std/credit:` and its members, as `:help credit` lists them. */
    public static String module(Modules.Module m) {
        StringBuilder sb = new StringBuilder("module " + m.importPath() + ":");
        for (Ast.Decl d : m.ast().decls()) {
            sb.append("\n  ").append(d.name());
            if (d.isFunction()) {
                sb.append('(').append(String.join(", ", d.params().stream().map(Ast.Param::name).toList())).append(')');
            }
        }
        return sb.toString();
    }

    public static String local(Locate.Local l, TextMap source) {
        if (l.kind().equals("let") && l.value() != null) {
            return "let " + l.name() + " = " + excerpt(l.value().span(), source);
        }
        String s = l.name() + ": " + l.kind();
        return l.value() == null ? s : s + " (default " + excerpt(l.value().span(), source) + ")";
    }

    /** The source of an expression, on one line and cut at 200 characters. */
    static String excerpt(Span span, TextMap source) {
        String text = source.slice(span.start(), span.end()).replaceAll("\\s*\\n\\s*", " ");
        return text.length() > 200 ? text.substring(0, 197) + "..." : text;
    }
}
