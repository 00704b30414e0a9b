package dev.rlx.engine.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Loads a tokenizer.json: rlx's own char/word files come back as {@link VocabTokenizer}, others via DJL. */
public final class Tokenizers {
    private Tokenizers() {}

    public static Tokenizer load(Path fileOrDir) {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new TokenizerException(file + ": not a valid tokenizer.json", e);
        }
        VocabTokenizer own = asBuiltIn(json);
        return own != null ? own : HfTokenizer.load(file);
    }

    /** Recognizes the exact shape {@link VocabTokenizer#save} writes. */
    static VocabTokenizer asBuiltIn(JsonObject json) {
        JsonElement model = json.get("model");
        JsonElement pre = json.get("pre_tokenizer");
        if (model == null || !model.isJsonObject() || pre == null || !pre.isJsonObject()) {
            return null;
        }
        JsonObject m = model.getAsJsonObject();
        if (!"WordLevel".equals(m.get("type").getAsString())) {
            return null;
        }
        String preType = pre.getAsJsonObject().get("type").getAsString();
        VocabTokenizer.Kind kind;
        if (preType.equals("WhitespaceSplit")) {
            kind = VocabTokenizer.Kind.WORD;
        } else if (preType.equals("Split") && pre.getAsJsonObject().toString().contains("\"Regex\":\"" + "[\\\\s\\\\S]" + "\"")) {
            kind = VocabTokenizer.Kind.CHAR;
        } else {
            return null;
        }
        TreeMap<Integer, String> byId = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : m.getAsJsonObject("vocab").entrySet()) {
            byId.put(e.getValue().getAsInt(), e.getKey());
        }
        List<String> vocab = new ArrayList<>(byId.values());
        if (byId.firstKey() != 0 || byId.lastKey() != vocab.size() - 1
                || !vocab.subList(0, VocabTokenizer.SPECIALS.size()).equals(VocabTokenizer.SPECIALS)) {
            return null;
        }
        return new VocabTokenizer(kind, vocab);
    }
}
