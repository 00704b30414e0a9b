package dev.rlx.engine.tokenizer;

import java.nio.file.Path;
import java.util.List;

/** Text to token ids and back. Special ids are -1 when the tokenizer has none. */
public interface Tokenizer {
    /** Ids of {@code text}, without BOS/EOS (callers add them explicitly). */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens (pad, bos, eos) are dropped. */
    String decode(int[] ids);

    int vocabSize();

    int bosId();

    int eosId();

    int padId();

    /** The id of a token string, or -1. */
    int tokenToId(String token);

    /**
     * The Hugging Face chat template of this tokenizer (tokenizer_config.json's {@code chat_template} next to
     * its tokenizer.json), or null when it has none. rlx's own char and word tokenizers have none.
     */
    default dev.rlx.engine.tokenizer.chat.ChatTemplate chatTemplate() {
        return null;
    }

    /** Writes {@code tokenizer.json} (Hugging Face format) into {@code dir}. */
    void save(Path dir);

    default int[][] encodeBatch(List<String> texts) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(texts.get(i));
        }
        return out;
    }

    default List<String> decodeBatch(int[][] ids) {
        String[] out = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = decode(ids[i]);
        }
        return List.of(out);
    }

    /** {@code encode} with BOS prepended when the tokenizer has one. */
    default int[] encodeWithBos(String text) {
        int[] ids = encode(text);
        if (bosId() < 0) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = bosId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
