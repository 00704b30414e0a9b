package dev.rlx.engine.tokenizer.chat;

import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.engine.tokenizer.TokenizerException;
import java.util.List;
import java.util.Map;

/** Conversations as the prompt text a policy samples from. */
public final class ChatPrompts {
    private ChatPrompts() {}

    /**
     * The tokenizer's chat template; {@code what} names the tokenizer in the error when it has none.
     */
    public static ChatTemplate require(Tokenizer tokenizer, String what) {
        ChatTemplate t = tokenizer.chatTemplate();
        if (t == null) {
            throw new TokenizerException(what + " has no chat template: load a tokenizer folder whose "
                    + "tokenizer_config.json has a chat_template (rlx's char and word tokenizers have none)");
        }
        return t;
    }

    /**
     * The prompt for {@code messages}: the template rendered with add_generation_prompt. rlx puts the tokenizer's
     * BOS id in front of every prompt it encodes, so when the template writes the BOS token itself (Llama 3's
     * {@code {{ bos_token }}}) that leading text is dropped here: the encoded prompt then holds one BOS, as
     * transformers' {@code apply_chat_template(tokenize=True)} gives.
     */
    public static String promptText(Tokenizer tokenizer, List<? extends Map<String, ?>> messages, String what) {
        ChatTemplate t = require(tokenizer, what);
        String text = t.render(messages, true, null);
        String bos = t.bosToken();
        if (!bos.isEmpty() && text.startsWith(bos) && tokenizer.bosId() >= 0
                && tokenizer.bosId() == tokenizer.tokenToId(bos)) {
            text = text.substring(bos.length());
        }
        return text;
    }
}
