package dev.rlx.engine.tokenizer;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in tokenizers for synthetic tasks: one token per character, or one per whitespace-separated
 * word. Ids 0-3 are {@code <pad> <bos> <eos> <unk>}. Saved as a Hugging Face WordLevel tokenizer.json, so
 * the same file also loads in {@code tokenizers}/transformers and gives the same ids.
 */
public final class VocabTokenizer implements Tokenizer {
    public enum Kind { CHAR, WORD }

    public static final List<String> SPECIALS = List.of("<pad>", "<bos>", "<eos>", "<unk>");
    static final String CHAR_PATTERN = "[\\s\\S]";

    private final Kind kind;
    private final List<String> vocab;
    private final Map<String, Integer> ids = new LinkedHashMap<>();

    VocabTokenizer(Kind kind, List<String> vocab) {
        this.kind = kind;
        this.vocab = List.copyOf(vocab);
        for (int i = 0; i < vocab.size(); i++) {
            if (ids.putIfAbsent(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate token '" + vocab.get(i) + "'");
            }
        }
    }

    /** Character-level over the distinct characters of {@code alphabet} (in order of first appearance). */
    public static VocabTokenizer chars(String alphabet) {
        List<String> v = new ArrayList<>(SPECIALS);
        alphabet.codePoints().mapToObj(Character::toString).distinct().filter(s -> !v.contains(s)).forEach(v::add);
        return new VocabTokenizer(Kind.CHAR, v);
    }

    /** Word-level over {@code words} (whitespace-free strings). */
    public static VocabTokenizer words(List<String> words) {
        List<String> v = new ArrayList<>(SPECIALS);
        for (String w : words) {
            if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("word tokens must be non-empty and contain no whitespace: '" + w + "'");
            }
            if (!v.contains(w)) {
                v.add(w);
            }
        }
        return new VocabTokenizer(Kind.WORD, v);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> vocab() {
        return vocab;
    }

    @Override
    public int[] encode(String text) {
        String[] pieces = kind == Kind.CHAR
                ? text.codePoints().mapToObj(Character::toString).toArray(String[]::new)
                : text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+");
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = ids.getOrDefault(pieces[i], 3);
        }
        return out;
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : tokens) {
            if (id >= 0 && id <= 2) {
                continue;
            }
            if (kind == Kind.WORD && !sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(id >= 0 && id < vocab.size() ? vocab.get(id) : "<unk>");
        }
        return sb.toString();
    }

    @Override public int vocabSize() { return vocab.size(); }
    @Override public int bosId() { return 1; }
    @Override public int eosId() { return 2; }
    @Override public int padId() { return 0; }

    @Override
    public int tokenToId(String token) {
        return ids.getOrDefault(token, -1);
    }

    @Override
    public void save(Path dir) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        List<Map<String, Object>> added = new ArrayList<>();
        for (int i = 0; i < SPECIALS.size(); i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", i);
            t.put("content", SPECIALS.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        json.put("added_tokens", added);
        json.put("normalizer", null);
        if (kind == Kind.CHAR) {
            json.put("pre_tokenizer", Map.of("type", "Split", "pattern", Map.of("Regex", CHAR_PATTERN),
                    "behavior", "Isolated", "invert", false));
            json.put("post_processor", null);
            json.put("decoder", Map.of("type", "Fuse"));
        } else {
            json.put("pre_tokenizer", Map.of("type", "WhitespaceSplit"));
            json.put("post_processor", null);
            json.put("decoder", null);
        }
        Map<String, Integer> v = new LinkedHashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        json.put("model", Map.of("type", "WordLevel", "vocab", v, "unk_token", "<unk>"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("tokenizer.json"),
                    new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n");
        } catch (IOException e) {
            throw new TokenizerException(dir + ": cannot write tokenizer.json (" + e.getMessage() + ")", e);
        }
    }
}
