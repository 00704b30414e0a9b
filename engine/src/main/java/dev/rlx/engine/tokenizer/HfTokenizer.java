package dev.rlx.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.tokenizer.chat.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Any Hugging Face {@code tokenizer.json}, through DJL's binding of the Rust tokenizers library, always from a
 * local file (loading by hub name would reach for the network). BOS/EOS/PAD come from
 * {@code tokenizer_config.json} next to it when present, else from common token names.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
    private final Path file;
    private final HuggingFaceTokenizer tok;
    private final Map<String, Integer> vocab = new HashMap<>();
    private final int bos;
    private final int eos;
    private final int pad;
    private final ChatTemplate chatTemplate;

    private HfTokenizer(Path file, HuggingFaceTokenizer tok, JsonObject json, JsonObject config, ChatTemplate chat) {
        this.file = file;
        this.tok = tok;
        JsonObject model = json.getAsJsonObject("model");
        if (model != null && model.get("vocab") != null && model.get("vocab").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : model.getAsJsonObject("vocab").entrySet()) {
                vocab.put(e.getKey(), e.getValue().getAsInt());
            }
        }
        if (json.has("added_tokens")) {
            for (JsonElement e : json.getAsJsonArray("added_tokens")) {
                vocab.put(e.getAsJsonObject().get("content").getAsString(), e.getAsJsonObject().get("id").getAsInt());
            }
        }
        bos = special(config, "bos_token", "<|endoftext|>", "<s>", "<bos>", "<|begin_of_text|>");
        eos = special(config, "eos_token", "<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>", "<|im_end|>");
        int p = special(config, "pad_token", "<pad>", "<|pad|>", "[PAD]");
        pad = p >= 0 ? p : eos;
        chatTemplate = chat;
    }

    public static HfTokenizer load(Path fileOrDir) {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + ": no such tokenizer file");
        }
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            Path cfgFile = file.resolveSibling("tokenizer_config.json");
            JsonObject cfg = Files.isRegularFile(cfgFile)
                    ? JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject() : new JsonObject();
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            ChatTemplate chat = ChatTemplate.fromConfig(cfg, cfgFile.toString());
            return new HfTokenizer(file, t, json, cfg, chat);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(file + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
    }

    private int special(JsonObject cfg, String key, String... fallbacks) {
        JsonElement e = cfg.get(key);
        if (e != null && !e.isJsonNull()) {
            String s = e.isJsonObject() ? e.getAsJsonObject().get("content").getAsString() : e.getAsString();
            return tokenToId(s);
        }
        for (String f : fallbacks) {
            if (vocab.containsKey(f)) {
                return vocab.get(f);
            }
        }
        return -1;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tok.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tok.decode(l, true);
    }

    @Override
    public int vocabSize() {
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    @Override
    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    @Override public int bosId() { return bos; }
    @Override public int eosId() { return eos; }
    @Override public int padId() { return pad; }

    @Override
    public int tokenToId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    @Override
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path dst = dir.resolve("tokenizer.json");
            if (!Files.exists(dst) || !Files.isSameFile(dst, file)) {
                Files.copy(file, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            Path cfg = file.resolveSibling("tokenizer_config.json");
            if (Files.isRegularFile(cfg) && !Files.exists(dir.resolve("tokenizer_config.json"))) {
                Files.copy(cfg, dir.resolve("tokenizer_config.json"));
            }
        } catch (IOException e) {
            throw new TokenizerException(dir + ": cannot save tokenizer (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        tok.close();
    }
}
