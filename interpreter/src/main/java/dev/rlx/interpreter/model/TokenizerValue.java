package dev.rlx.interpreter.model;

import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A tokenizer as an .rlx value: `t.vocab_size`, `t.bos`, `t.eos`, `t.pad`, `t.kind`, `t.chat_template` (the
 * template's source, or none).
 */
public final class TokenizerValue implements EngineValue, MemberValue {
    private static final List<String> MEMBERS = List.of("kind", "vocab_size", "bos", "eos", "pad", "chat_template");

    private final Tokenizer tokenizer;

    public TokenizerValue(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** "char", "word" (the built-in ones) or "hf" (any other tokenizer.json). */
    public String kind() {
        return tokenizer instanceof VocabTokenizer v ? v.kind().name().toLowerCase(Locale.ROOT) : "hf";
    }

    @Override
    public String typeName() {
        return "tokenizer";
    }

    @Override
    public String display() {
        return "<tokenizer " + kind() + ", vocab " + tokenizer.vocabSize() + ">";
    }

    @Override
    public String toJson() {
        return "{\"tokenizer\": \"" + kind() + "\", \"vocab_size\": " + tokenizer.vocabSize() + "}";
    }

    @Override
    public Object member(String name) {
        return switch (name) {
            case "kind" -> kind();
            case "vocab_size" -> (long) tokenizer.vocabSize();
            case "bos" -> (long) tokenizer.bosId();
            case "eos" -> (long) tokenizer.eosId();
            case "pad" -> (long) tokenizer.padId();
            case "chat_template" -> tokenizer.chatTemplate() == null ? dev.rlx.interpreter.runtime.RlxNone.INSTANCE
                    : tokenizer.chatTemplate().source();
            default -> null;
        };
    }

    @Override
    public Collection<String> memberNames() {
        return MEMBERS;
    }
}
