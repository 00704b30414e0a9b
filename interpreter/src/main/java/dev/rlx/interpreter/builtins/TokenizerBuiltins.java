package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.Tokenizers;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.runtime.RlxList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizers: the built-in character and word tokenizers of synthetic tasks (ids 0-3 are pad, bos, eos, unk),
 * any tokenizer.json from a file, and text to ids and back. Where a tokenizer is expected, a model that
 * carries one may be given instead.
 */
public final class TokenizerBuiltins {
    private TokenizerBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            TokenizerBuiltinsFactory.CharTokenizerFactory.getInstance(),
            TokenizerBuiltinsFactory.WordTokenizerFactory.getInstance(),
            TokenizerBuiltinsFactory.LoadTokenizerFactory.getInstance(),
            TokenizerBuiltinsFactory.EncodeFactory.getInstance(), TokenizerBuiltinsFactory.DecodeFactory.getInstance());

    @Builtin(value = "char_tokenizer(alphabet)",
            doc = "a tokenizer with one token per distinct character of alphabet (ids from 4; 0-3 are <pad> <bos> <eos> <unk>)")
    public abstract static class CharTokenizer extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object chars(String alphabet) {
            if (alphabet.isEmpty()) {
                throw error("alphabet is empty");
            }
            return new TokenizerValue(VocabTokenizer.chars(alphabet));
        }

        @Fallback
        protected Object error(Object alphabet) {
            throw typeError(alphabet);
        }
    }

    @Builtin(value = "word_tokenizer(words)",
            doc = "a tokenizer with one token per word (a list of strings, or one string split on whitespace); "
                    + "text is split on whitespace, decode joins with spaces")
    public abstract static class WordTokenizer extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object words(String words) {
            String t = words.strip();
            return make(t.isEmpty() ? List.of() : List.of(t.split("\\s+")));
        }

        @Specialization
        @TruffleBoundary
        protected Object words(RlxList words) {
            List<String> ws = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                if (!(words.get(i) instanceof String s)) {
                    throw error("words[" + i + "] is " + EngineArgs.show(words.get(i)) + ", not a string");
                }
                ws.add(s);
            }
            return make(ws);
        }

        private Object make(List<String> words) {
            if (words.isEmpty()) {
                throw error("no words");
            }
            try {
                return new TokenizerValue(VocabTokenizer.words(words));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        @Fallback
        protected Object error(Object words) {
            throw typeError(words);
        }
    }

    @Builtin(value = "load_tokenizer(path)",
            doc = "a tokenizer from a tokenizer.json file, or a folder holding one, relative to the script")
    public abstract static class LoadTokenizer extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object load(Object path) {
            EngineArgs a = EngineArgs.of(this, path);
            Path p = a.input("path");
            return a.engine(() -> new TokenizerValue(Tokenizers.load(p)));
        }
    }

    @Builtin(value = "encode(tokenizer, text, bos = false)",
            doc = "the token ids of text (a list of ints); bos: true puts the BOS id first")
    public abstract static class Encode extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object encode(TokenizerValue tokenizer, String text, boolean bos) {
            return encode(tokenizer.tokenizer(), text, bos);
        }

        @Specialization(guards = "model.tokenizer() != null")
        @TruffleBoundary
        protected Object encode(ModelValue model, String text, boolean bos) {
            return encode(model.tokenizer().tokenizer(), text, bos);
        }

        @Specialization(guards = "model.tokenizer() != null")
        @TruffleBoundary
        protected Object encode(RewardModelValue model, String text, boolean bos) {
            return encode(model.tokenizer().tokenizer(), text, bos);
        }

        private static Object encode(Tokenizer t, String text, boolean bos) {
            return EngineArgs.ints(bos ? t.encodeWithBos(text) : t.encode(text));
        }

        @Fallback
        protected Object error(Object tokenizer, Object text, Object bos) {
            throw typeError(tokenizer, text, bos);
        }
    }

    @Builtin(value = "decode(tokenizer, tokens)",
            doc = "the text of a list of token ids; special tokens (pad, bos, eos) are dropped")
    public abstract static class Decode extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object decode(TokenizerValue tokenizer, RlxList tokens) {
            return tokenizer.tokenizer().decode(EngineArgs.tokens(this, "tokens", tokens));
        }

        @Specialization(guards = "model.tokenizer() != null")
        @TruffleBoundary
        protected Object decode(ModelValue model, RlxList tokens) {
            return model.tokenizer().tokenizer().decode(EngineArgs.tokens(this, "tokens", tokens));
        }

        @Specialization(guards = "model.tokenizer() != null")
        @TruffleBoundary
        protected Object decode(RewardModelValue model, RlxList tokens) {
            return model.tokenizer().tokenizer().decode(EngineArgs.tokens(this, "tokens", tokens));
        }

        @Fallback
        protected Object error(Object tokenizer, Object tokens) {
            throw typeError(tokenizer, tokens);
        }
    }
}
