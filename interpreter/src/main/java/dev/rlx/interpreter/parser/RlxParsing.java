package dev.rlx.interpreter.parser;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.grammar.RlxParser;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.diag.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ConsoleErrorListener;

/** Entry points from source text to AST; every syntax error of the text is reported in one {@link CompileErrors}. */
public final class RlxParsing {
    private RlxParsing() {}

    /** What a REPL line turned out to be. Exactly one field is set. */
    public record ReplItem(Ast.Import importDecl, Ast.Decl decl, Ast.Expr expr) {}

    public static Ast.Module parseModule(SourceText source) {
        Session s = new Session(source);
        RlxParser.ModuleContext tree = s.parser.module();
        s.finish();
        Ast.Module module = s.builder.module(tree);
        s.finish();
        return module;
    }

    public static Ast.Expr parseExpression(SourceText source) {
        Session s = new Session(source);
        RlxParser.ExprInputContext tree = s.parser.exprInput();
        s.finish();
        Ast.Expr expr = s.builder.expr(tree.expr());
        s.finish();
        return expr;
    }

    public static ReplItem parseReplInput(SourceText source) {
        Session s = new Session(source);
        RlxParser.ReplInputContext ctx = s.parser.replInput();
        s.finish();
        ReplItem item;
        if (ctx.importDecl() != null) {
            item = new ReplItem(s.builder.importDecl(ctx.importDecl()), null, null);
        } else if (ctx.declaration() != null) {
            item = new ReplItem(null, (Ast.Decl) s.builder.visit(ctx.declaration()), null);
        } else {
            item = new ReplItem(null, null, ctx.expr() == null ? null : s.builder.expr(ctx.expr()));
        }
        s.finish();
        return item;
    }

    /**
     * True when the text could become valid by adding more: an open bracket or a syntax error at
     * end of input. The REPL then asks for a continuation line instead of reporting the error.
     */
    public static boolean isIncomplete(String text) {
        try {
            parseReplInput(new SourceText("<repl>", text, null));
            return false;
        } catch (CompileErrors e) {
            int lastLine = (int) text.lines().count();
            String trimmed = text.stripTrailing();
            for (Diagnostic d : e.diagnostics()) {
                if (d.message().contains("unexpected end of input")) {
                    return true;
                }
                if (d.message().startsWith("unterminated string")) {
                    return false;
                }
            }
            return trimmed.endsWith(",") && e.diagnostics().get(0).line() >= lastLine;
        }
    }

    private static final class Session {
        final SourceText source;
        final List<Diagnostic> diagnostics = new ArrayList<>();
        final RlxParser parser;
        final AstBuilder builder;

        Session(SourceText source) {
            this.source = source;
            RlxLexer lexer = new RlxLexer(CharStreams.fromString(source.text(), source.name()));
            lexer.removeErrorListener(ConsoleErrorListener.INSTANCE);
            CommonTokenStream tokens = new CommonTokenStream(lexer);
            parser = new RlxParser(tokens);
            parser.removeErrorListeners();
            parser.setErrorHandler(new DeclarationRecovery());
            parser.addErrorListener(new SyntaxErrorListener(source.name(), diagnostics));
            builder = new AstBuilder(source.name(), tokens, diagnostics);
        }

        void finish() {
            if (!diagnostics.isEmpty()) {
                diagnostics.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                        : Integer.compare(a.column(), b.column()));
                throw new CompileErrors(diagnostics, Map.of(source.name(), source));
            }
        }
    }
}
