package dev.rlx.interpreter.parser;

import dev.rlx.grammar.RlxLexer;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;

/**
 * After a syntax error, skips to the next line that starts (in column 1) with a name or a
 * declaration keyword, and resumes there. Top-level declarations start in column 1 by convention,
 * so one broken declaration yields one error and the rest of the file is still checked, instead of
 * a cascade of errors from ANTLR's token-level guesses.
 */
final class DeclarationRecovery extends DefaultErrorStrategy {
    private int lastRecoveryIndex = -1;

    @Override
    public void recover(Parser recognizer, RecognitionException e) {
        var in = recognizer.getInputStream();
        if (in.index() == lastRecoveryIndex && in.LA(1) != Token.EOF) {
            recognizer.consume(); // no progress since the last error: make some, never loop
        }
        lastRecoveryIndex = in.index();
        while (in.LA(1) != Token.EOF && !startsDeclaration(in.LT(1))) {
            recognizer.consume();
        }
    }

    private static boolean startsDeclaration(Token t) {
        if (t.getCharPositionInLine() != 0) {
            return false;
        }
        int type = t.getType();
        return type == RlxLexer.NAME || type == RlxLexer.IMPORT || type == RlxLexer.REWARD
                || type == RlxLexer.EXPERIMENT;
    }
}
