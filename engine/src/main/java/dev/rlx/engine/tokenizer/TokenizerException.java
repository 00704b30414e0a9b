package dev.rlx.engine.tokenizer;

/** A tokenizer file that cannot be used; the message names the file. */
public class TokenizerException extends RuntimeException {
    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }

    public TokenizerException(String message) {
        super(message);
    }
}
