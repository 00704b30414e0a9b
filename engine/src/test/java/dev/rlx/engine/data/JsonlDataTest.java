package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDataTest {
    private static Path write(Path dir, String text) throws Exception {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsRowsWithOtherFieldsAndSkipsBlankLines(@TempDir Path dir) throws Exception {
        Path f = write(dir, "{\"q\": \"1+1=\", \"a\": 2, \"level\": \"easy\", \"tags\": [1, 2.5], \"x\": null}\n\n"
                + "{\"q\": \"hi\", \"a\": \"yo\", \"meta\": {\"k\": true}}\n");
        Dataset d = JsonlData.load(f, "data/d.jsonl", "q", "a");
        assertEquals(2, d.size());
        assertEquals(new Row("1+1=", 2L, Map.of("level", "easy", "tags", List.of(1L, 2.5), "x", JsonlData.NULL)), d.get(0));
        assertEquals(Map.of("meta", Map.of("k", true)), d.get(1).fields());
        assertEquals("yo", d.get(1).answer());
        // the tokenizer covers every character of prompts and answers
        for (Row r : d.rows()) {
            for (int id : d.tokenizer().encode(r.prompt() + Row.answerText(r.answer()))) {
                assertEquals(true, id >= 4);
            }
        }
        assertEquals(null, JsonlData.load(f, "d.jsonl", "q", null).get(0).answer());
    }

    private static String error(Path dir, String text, String prompt, String answer) throws Exception {
        Path f = write(dir, text);
        return assertThrows(DataException.class, () -> JsonlData.load(f, "data/d.jsonl", prompt, answer)).getMessage();
    }

    @Test
    void errorsNameTheFileAndLine(@TempDir Path dir) throws Exception {
        String ok = "{\"prompt\": \"a\", \"answer\": 1}\n";
        String m = error(dir, ok + "\n{\"prompt\": \"b\", \"answer\": }\n", "prompt", "answer");
        assertEquals(true, m.startsWith("data/d.jsonl:3: malformed JSON (expected one JSON object per line)"), m);
        m = error(dir, ok + "{\"prompt\": \"b\"} trailing\n", "prompt", "answer");
        assertEquals(true, m.startsWith("data/d.jsonl:2: malformed JSON"), m);
        assertEquals("data/d.jsonl:2: expected a JSON object, found an array", error(dir, ok + "[1, 2]\n", "prompt", "answer"));
        assertEquals("data/d.jsonl:1: missing field \"answer\" (the answer); the line has [prompt, ans]",
                error(dir, "{\"prompt\": \"a\", \"ans\": 1}\n", "prompt", "answer"));
        assertEquals("data/d.jsonl:2: missing field \"question\" (the prompt); the line has [prompt, answer]",
                error(dir, "{\"question\": \"a\", \"answer\": 1}\n" + ok, "question", "answer"));
        assertEquals("data/d.jsonl:1: field \"prompt\" (the prompt) must be a string, not a number",
                error(dir, "{\"prompt\": 5, \"answer\": 1}", "prompt", "answer"));
        assertEquals("data/d.jsonl: no rows (expected one JSON object per line)", error(dir, "\n \n", "prompt", "answer"));
        m = error(dir, "{'prompt': 'a', 'answer': 1}\n", "prompt", "answer");
        assertEquals(true, m.startsWith("data/d.jsonl:1: malformed JSON"), "strict JSON: " + m);
    }

    private static final JsonlData.PairFields PAIRS = new JsonlData.PairFields("good", "bad", "margin");

    @Test
    void readsPreferencePairsUnderTheirCanonicalNames(@TempDir Path dir) throws Exception {
        Path f = write(dir, "{\"prompt\": \"2+2=\", \"good\": \"4\", \"bad\": \"5\", \"margin\": 2, \"src\": \"h\"}\n\n"
                + "{\"prompt\": \"hi\", \"good\": \"yo\", \"bad\": \"zz\", \"answer\": \"yo\"}\n");
        Dataset d = JsonlData.loadPairs(f, "data/d.jsonl", "prompt", "answer", PAIRS);
        assertEquals(true, d.isPairs());
        assertEquals(new Row("2+2=", null, Map.of("chosen", "4", "rejected", "5", "margin", 2.0, "src", "h")), d.get(0));
        assertEquals(List.of("chosen", "rejected", "margin", "src"), List.copyOf(d.get(0).fields().keySet()));
        assertEquals(2.0, PreferencePairs.margin(d.get(0)));
        assertEquals("yo", d.get(1).answer(), "the answer is read when a pair line has one");
        assertEquals(null, PreferencePairs.margin(d.get(1)));
        assertEquals("4", d.get(0).reference(), "a warm start on pairs teaches the chosen completion");
        for (Row r : d.rows()) {
            for (int id : d.tokenizer().encode(PreferencePairs.chosen(r) + PreferencePairs.rejected(r))) {
                assertEquals(true, id >= 4, "the tokenizer covers the completions");
            }
        }
        // margin: none reads no margins, and a field called "margin" is not kept as some other value
        Dataset noMargin = JsonlData.loadPairs(f, "d.jsonl", "prompt", null, new JsonlData.PairFields("good", "bad", null));
        assertEquals(Map.of("chosen", "4", "rejected", "5", "src", "h"), noMargin.get(0).fields());
        assertEquals(false, JsonlData.load(f, "d.jsonl", "prompt", null).isPairs());
    }

    @Test
    void malformedPairLinesNameTheFileLineAndField(@TempDir Path dir) throws Exception {
        String ok = "{\"prompt\": \"a\", \"good\": \"1\", \"bad\": \"2\"}\n";
        assertEquals("data/d.jsonl:2: missing field \"bad\" (the rejected completion); the line has [prompt, good]",
                pairError(dir, ok + "{\"prompt\": \"b\", \"good\": \"1\"}\n"));
        assertEquals("data/d.jsonl:3: missing field \"good\" (the chosen completion); the line has [prompt, chosen, bad]",
                pairError(dir, ok + "\n{\"prompt\": \"b\", \"chosen\": \"1\", \"bad\": \"2\"}\n"));
        assertEquals("data/d.jsonl:1: field \"good\" (the chosen completion) must be a string, not a number",
                pairError(dir, "{\"prompt\": \"a\", \"good\": 1, \"bad\": \"2\"}\n"));
        assertEquals("data/d.jsonl:2: field \"bad\" (the rejected completion) must be a string, not null",
                pairError(dir, ok + "{\"prompt\": \"a\", \"good\": \"1\", \"bad\": null}\n"));
        assertEquals("data/d.jsonl:1: field \"margin\" (the margin) must be a number, not a string",
                pairError(dir, "{\"prompt\": \"a\", \"good\": \"1\", \"bad\": \"2\", \"margin\": \"big\"}\n"));
        assertEquals("data/d.jsonl:1: missing field \"prompt\" (the prompt); the line has [good, bad]",
                pairError(dir, "{\"good\": \"1\", \"bad\": \"2\"}\n"));
        String m = pairError(dir, ok + "{\"prompt\": \"a\", \"good\": \"1\", \"bad\": }\n");
        assertEquals(true, m.startsWith("data/d.jsonl:2: malformed JSON"), m);
    }

    private static String pairError(Path dir, String text) throws Exception {
        Path f = write(dir, text);
        return assertThrows(DataException.class, () -> JsonlData.loadPairs(f, "data/d.jsonl", "prompt", "answer", PAIRS))
                .getMessage();
    }

    static final JsonlData.LabeledFields LABELED = new JsonlData.LabeledFields("text", "label");

    @Test
    void readsLabeledCompletionsUnderTheirCanonicalNames(@TempDir Path dir) throws Exception {
        Path f = write(dir, "{\"prompt\": \"2+2=\", \"text\": \"4\", \"label\": true, \"src\": \"h\"}\n\n"
                + "{\"prompt\": \"2+2=\", \"text\": \"5\", \"label\": false, \"answer\": 4}\n");
        Dataset d = JsonlData.loadLabeled(f, "d.jsonl", "prompt", "answer", LABELED);
        assertEquals(true, d.isLabeled());
        assertEquals(false, d.isPairs());
        assertEquals(new Row("2+2=", null, Map.of("completion", "4", "desirable", true, "src", "h")), d.get(0));
        assertEquals(List.of("completion", "desirable", "src"), List.copyOf(d.get(0).fields().keySet()));
        assertEquals(false, LabeledCompletions.desirable(d.get(1)));
        assertEquals(4L, d.get(1).answer(), "the answer is read when a labeled line has one");
        assertEquals(true, d.tokenizer().encode("5")[0] >= 4, "the tokenizer covers the completions");
    }

    @Test
    void malformedLabeledLinesNameTheFileLineAndField(@TempDir Path dir) throws Exception {
        String ok = "{\"prompt\": \"a\", \"text\": \"1\", \"label\": true}\n";
        assertEquals("data/d.jsonl:2: missing field \"label\" (whether the completion is desirable); the line has "
                + "[prompt, text]", labeledError(dir, ok + "{\"prompt\": \"b\", \"text\": \"1\"}\n"));
        assertEquals("data/d.jsonl:1: field \"label\" (whether the completion is desirable) must be true or false, "
                + "not a number", labeledError(dir, "{\"prompt\": \"a\", \"text\": \"1\", \"label\": 1}\n"));
        assertEquals("data/d.jsonl:2: missing field \"text\" (the completion); the line has [prompt, label]",
                labeledError(dir, ok + "{\"prompt\": \"b\", \"label\": false}\n"));
    }

    @Test
    void pairsUnpairIntoTwoLabeledRowsEach() {
        Dataset pairs = PreferencePairs.fromTask(SyntheticTasks.addition(1, 3, 1, Split.TRAIN), 2);
        Dataset d = LabeledCompletions.fromPairs(pairs);
        assertEquals(true, d.isLabeled());
        assertEquals(6, d.size());
        for (int i = 0; i < 3; i++) {
            Row p = pairs.get(i);
            assertEquals(p.prompt(), d.get(2 * i).prompt());
            assertEquals(PreferencePairs.chosen(p), LabeledCompletions.completion(d.get(2 * i)));
            assertEquals(true, LabeledCompletions.desirable(d.get(2 * i)));
            assertEquals(PreferencePairs.rejected(p), LabeledCompletions.completion(d.get(2 * i + 1)));
            assertEquals(false, LabeledCompletions.desirable(d.get(2 * i + 1)));
            assertEquals(p.answer(), d.get(2 * i + 1).answer());
            assertEquals(false, d.get(2 * i).fields().containsKey("chosen"));
        }
        assertThrows(DataException.class, () -> LabeledCompletions.fromPairs(d), "labeled rows are not pairs");
    }

    private static String labeledError(Path dir, String text) throws Exception {
        Path f = write(dir, text);
        return assertThrows(DataException.class, () -> JsonlData.loadLabeled(f, "data/d.jsonl", "prompt", "answer",
                LABELED)).getMessage();
    }
}
