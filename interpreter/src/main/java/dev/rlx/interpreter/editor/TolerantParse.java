package dev.rlx.interpreter.editor;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.diag.CompileErrors;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.parser.RlxParsing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/**
 * A syntax tree of a text being typed. A whole file that parses is parsed as is; otherwise each top-level
 * declaration (one that starts in column 1, as the parser's own recovery assumes) is parsed on its own, with the
 * rest of the text blanked out so that every position stays where it was, and the broken ones are left out.
 */
public final class TolerantParse {
    private TolerantParse() {}

    public static Ast.Module parse(String name, String text) {
        try {
            return RlxParsing.parseModule(new SourceText(name, text, null));
        } catch (CompileErrors e) {
            return byDeclaration(name, text);
        }
    }

    private static Ast.Module byDeclaration(String name, String text) {
        int[] cps = text.codePoints().toArray();
        List<Integer> starts = declarationStarts(text);
        List<Ast.Import> imports = new ArrayList<>();
        List<Ast.Decl> decls = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int from = starts.get(i);
            int to = i + 1 < starts.size() ? starts.get(i + 1) : cps.length;
            try {
                Ast.Module one = RlxParsing.parseModule(new SourceText(name, blankOutside(cps, from, to), null));
                imports.addAll(one.imports());
                decls.addAll(one.decls());
            } catch (CompileErrors e) {
                // a declaration being typed: it has no tree yet
            }
        }
        imports.sort(Comparator.comparingInt(im -> im.span().start()));
        return new Ast.Module(name, imports, decls);
    }

    /** Offsets where top-level items start: a declaration start in column 1, with the `///` lines just above it. */
    static List<Integer> declarationStarts(String text) {
        RlxLexer lexer = new RlxLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Integer> starts = new ArrayList<>();
        int docStart = -1;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            int type = t.getType();
            if (type == RlxLexer.DOC_COMMENT) {
                if (docStart < 0 && t.getCharPositionInLine() == 0) {
                    docStart = t.getStartIndex();
                }
                continue;
            }
            if (t.getCharPositionInLine() == 0 && (type == RlxLexer.NAME || type == RlxLexer.IMPORT
                    || type == RlxLexer.REWARD || type == RlxLexer.EXPERIMENT)) {
                starts.add(docStart >= 0 ? docStart : t.getStartIndex());
            }
            docStart = -1;
        }
        return starts;
    }

    /** The text with every code point outside [from, to) a space (line breaks kept): positions do not move. */
    static String blankOutside(int[] cps, int from, int to) {
        StringBuilder sb = new StringBuilder(cps.length);
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            sb.appendCodePoint(i >= from && i < to || c == '\n' || c == '\r' ? c : ' ');
        }
        return sb.toString();
    }
}
