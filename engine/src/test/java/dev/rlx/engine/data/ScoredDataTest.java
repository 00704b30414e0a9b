package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QRPO's scored completions from JSONL: the canonical fields, one K per file, and errors that name file:line. */
class ScoredDataTest {
    static final JsonlData.ScoredFields SCORED = new JsonlData.ScoredFields("text", "r", "refs");

    private static Path write(Path dir, String text) throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsScoredCompletionsUnderTheirCanonicalNames(@TempDir Path dir) throws Exception {
        Path f = write(dir, "{\"prompt\": \"2+2=\", \"text\": \"4\", \"r\": 1, \"refs\": [0, 1, 0.5], \"src\": \"h\"}\n\n"
                + "{\"prompt\": \"3+3=\", \"text\": \"7\", \"r\": -0.25, \"refs\": [1e-3, 2, -1], \"answer\": 6}\n");
        Dataset d = JsonlData.loadScored(f, "d.jsonl", "prompt", "answer", SCORED);
        assertTrue(d.isScored() && !d.isLabeled() && !d.isPairs());
        assertEquals(Dataset.Kind.SCORED, d.kind());
        assertEquals(new Row("2+2=", null, Map.of("completion", "4", "score", 1.0,
                "reference_scores", List.of(0.0, 1.0, 0.5), "src", "h")), d.get(0));
        assertEquals(List.of("completion", "score", "reference_scores", "src"),
                List.copyOf(d.get(0).fields().keySet()), "the file's names are not copied as other fields");
        assertEquals(-0.25, ScoredCompletions.score(d.get(1)));
        assertArrayEquals(new double[] {1e-3, 2, -1}, ScoredCompletions.referenceScores(d.get(1)));
        assertEquals(6L, d.get(1).answer(), "the answer is read when a scored line has one");
        assertTrue(d.tokenizer().encode("7")[0] >= 4, "the tokenizer covers the completions");
        assertEquals(Dataset.Kind.SCORED, d.slice(1, 2).kind());
    }

    @Test
    void malformedScoredLinesNameTheFileLineAndWhatWasExpected(@TempDir Path dir) throws Exception {
        String ok = "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5, \"refs\": [0, 1]}\n";
        assertEquals("data/d.jsonl:2: missing field \"r\" (the completion's score); the line has [prompt, text, refs]",
                error(dir, ok + "{\"prompt\": \"b\", \"text\": \"1\", \"refs\": [0, 1]}\n"));
        assertEquals("data/d.jsonl:1: field \"r\" (the completion's score) must be a number, not a string",
                error(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"r\": \"0.5\", \"refs\": [0, 1]}\n"));
        assertEquals("data/d.jsonl:1: field \"r\" (the completion's score) must be a finite number, not 1e999",
                error(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 1e999, \"refs\": [0, 1]}\n"));
        // strict JSON has no NaN: the line is malformed, and the error still names it
        String m = error(dir, ok + "{\"prompt\": \"a\", \"text\": \"1\", \"r\": NaN, \"refs\": [0, 1]}\n");
        assertTrue(m.startsWith("data/d.jsonl:2: malformed JSON"), m);
        assertEquals("data/d.jsonl:3: missing field \"refs\" (the scores of the reference samples); the line has "
                + "[prompt, text, r]", error(dir, ok + ok + "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5}\n"));
        assertEquals("data/d.jsonl:1: field \"refs\" (the scores of the reference samples) must be an array of "
                + "numbers, not a number", error(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5, \"refs\": 1}\n"));
        assertEquals("data/d.jsonl:1: field \"refs\" (the scores of the reference samples, item 2) must be a number, "
                + "not null", error(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5, \"refs\": [0, null]}\n"));
        assertEquals("data/d.jsonl:1: field \"refs\" (the scores of the reference samples) is empty: the quantile "
                + "needs at least one reference score",
                error(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5, \"refs\": []}\n"));
        assertEquals("data/d.jsonl:2: missing field \"text\" (the completion); the line has [prompt, r, refs]",
                error(dir, ok + "{\"prompt\": \"b\", \"r\": 0.5, \"refs\": [0, 1]}\n"));
    }

    @Test
    void everyLineNeedsTheSameNumberOfReferenceRewards(@TempDir Path dir) throws Exception {
        String ok = "{\"prompt\": \"a\", \"text\": \"1\", \"r\": 0.5, \"refs\": [0, 1]}\n";
        assertEquals("data/d.jsonl:4: field \"refs\" (the scores of the reference samples) has 3 numbers, line 2 has 2: every line "
                + "needs the same number K of reference scores",
                error(dir, "\n" + ok + ok + "{\"prompt\": \"b\", \"text\": \"2\", \"r\": 1, \"refs\": [0, 1, 2]}\n"));
    }

    @Test
    void aScoredDatasetIsCheckedWhenMadeInJava() {
        VocabTokenizer tok = VocabTokenizer.chars("12");
        Row two = new Row("1", null, Map.of("completion", "2", "score", 1.0, "reference_scores", List.of(0.0, 1.0)));
        Row three = new Row("1", null, Map.of("completion", "2", "score", 1.0,
                "reference_scores", List.of(0.0, 1.0, 2.0)));
        Row nan = new Row("1", null, Map.of("completion", "2", "score", Double.NaN, "reference_scores", List.of(0.0)));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", List.of(two, three), tok,
                Dataset.Kind.SCORED), "two K in one dataset");
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", List.of(nan), tok, Dataset.Kind.SCORED));
        List<PreferenceExample> enc = PairEncoder.encode(new Dataset("x", List.of(two), tok, Dataset.Kind.SCORED), tok,
                8);
        ScoredTokens s = (ScoredTokens) enc.getFirst();
        assertArrayEquals(tok.encodeWithBos("1"), s.prompt());
        assertEquals(tok.eosId(), s.completion()[s.completion().length - 1], "a completion ends with EOS");
        assertEquals(1.0, s.score());
        assertArrayEquals(new double[] {0, 1}, s.referenceScores());
    }

    private static String error(Path dir, String text) throws Exception {
        Path f = write(dir, text);
        return assertThrows(DataException.class, () -> JsonlData.loadScored(f, "data/d.jsonl", "prompt", "answer",
                SCORED)).getMessage();
    }
}
