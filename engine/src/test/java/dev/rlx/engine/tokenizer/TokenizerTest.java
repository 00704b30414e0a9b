package dev.rlx.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
    @Test
    void charTokenizerRoundTripsAndSavesAsHfTokenizerJson(@TempDir Path tmp) {
        VocabTokenizer t = VocabTokenizer.chars("0123456789+-= ");
        assertEquals(4 + 14, t.vocabSize());
        int[] ids = t.encode("12 + 7 = 19");
        assertEquals(11, ids.length);
        assertEquals("12 + 7 = 19", t.decode(ids));
        assertEquals(3, t.encode("x")[0], "unknown char -> <unk>");
        assertEquals("3", t.decode(new int[] {1, t.tokenToId("3"), 2, 0, 0}), "specials dropped on decode");
        t.save(tmp);
        Tokenizer back = Tokenizers.load(tmp);
        assertInstanceOf(VocabTokenizer.class, back);
        assertArrayEquals(ids, back.encode("12 + 7 = 19"));
        // the same file through the Rust tokenizers library gives the same ids and text
        try (HfTokenizer hf = HfTokenizer.load(tmp.resolve("tokenizer.json"))) {
            assertArrayEquals(ids, hf.encode("12 + 7 = 19"));
            assertEquals("12 + 7 = 19", hf.decode(ids));
            assertEquals(2, hf.eosId());
            assertEquals(0, hf.padId());
        }
    }

    @Test
    void wordTokenizer(@TempDir Path tmp) {
        VocabTokenizer t = VocabTokenizer.words(List.of("the", "cat", "sat", "on", "mat"));
        int[] ids = t.encode("the cat  sat on the mat");
        assertEquals(6, ids.length);
        assertEquals("the cat sat on the mat", t.decode(ids));
        t.save(tmp);
        assertArrayEquals(ids, Tokenizers.load(tmp).encode("the cat  sat on the mat"));
        try (HfTokenizer hf = HfTokenizer.load(tmp)) {
            assertArrayEquals(ids, hf.encode("the cat  sat on the mat"));
            assertEquals("the cat sat on the mat", hf.decode(ids));
        }
        assertThrows(IllegalArgumentException.class, () -> VocabTokenizer.words(List.of("a b")));
    }

    @Test
    void bpeTokenizerJsonMatchesPythonTokenizers() throws Exception {
        Path dir = Path.of("src/test/resources/fixtures/bpe");
        JsonObject e = JsonParser.parseString(Files.readString(dir.resolve("expected.json"))).getAsJsonObject();
        Tokenizer t = Tokenizers.load(dir);
        assertInstanceOf(HfTokenizer.class, t);
        JsonArray texts = e.getAsJsonArray("texts");
        List<String> all = texts.asList().stream().map(x -> x.getAsString()).toList();
        int[][] batch = t.encodeBatch(all);
        for (int i = 0; i < texts.size(); i++) {
            JsonArray want = e.getAsJsonArray("ids").get(i).getAsJsonArray();
            int[] exp = want.asList().stream().mapToInt(x -> x.getAsInt()).toArray();
            assertArrayEquals(exp, batch[i], texts.get(i).getAsString());
            assertEquals(texts.get(i).getAsString(), t.decode(batch[i]));
        }
        assertEquals(t.tokenToId("<|endoftext|>"), t.eosId());
        assertTrue(t.vocabSize() > 256);
    }

    @Test
    void missingFileIsNamed(@TempDir Path tmp) {
        var ex = assertThrows(TokenizerException.class, () -> Tokenizers.load(tmp));
        assertTrue(ex.getMessage().contains("tokenizer.json"), ex.getMessage());
    }
}
