package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.data.PreferencePairs;
import dev.rlx.engine.data.Row;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preference data in .rlx: tasks.preferences from a task dataset, tasks.jsonl pair files, and their errors. */
class PreferenceDataTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;

    @BeforeEach
    void open() {
        session = new RlxSession(out);
    }

    @AfterEach
    void close() {
        session.close();
    }

    private static final String HEADER = "import \"std/tasks\" as tasks\n";

    private Object value(String text, String name) {
        return session.value(session.load(new SourceText("test.rlx", HEADER + text, null), Map.of()), name);
    }

    @Test
    void preferencesAreAPairDatasetOverTheTasksProblems() {
        String text = """
                train = tasks.addition(digits: 2, count: 300, seed: 1)
                pairs = tasks.preferences(train, seed: 4)
                first = pairs[0]
                n = [len(pairs), pairs.size, len(pairs[10:20])]
                same_prompts = map(rows(pairs), (r) => r.prompt) == map(rows(train), (r) => r.prompt)
                chosen_right = all(map(rows(pairs), (r) => r.chosen == str(r.answer) and r.rejected != r.chosen))
                again = rows(tasks.preferences(train, seed: 4)) == rows(pairs)
                other = rows(tasks.preferences(train, seed: 5)) == rows(pairs)
                response = rows(pairs, response: true)[0].response
                sliced = pairs[0:5]
                """;
        DatasetValue pairs = (DatasetValue) value(text, "pairs");
        assertEquals("<dataset preferences(addition(digits=2, seed=1, train), seed=4), 300 pairs>",
                RlxSession.display(pairs));
        assertTrue(pairs.dataset().isPairs());
        assertEquals("{\"dataset\": \"preferences(addition(digits=2, seed=1, train), seed=4)\", \"size\": 300, "
                + "\"pairs\": true}", pairs.toJson());
        RlxRecord first = (RlxRecord) value(text, "first");
        assertEquals(List.of("prompt", "chosen", "rejected", "answer", "mistake"), first.shape().keys());
        assertEquals("[300, 300, 10]", RlxSession.display(value(text, "n")));
        assertEquals(true, value(text, "same_prompts"));
        assertEquals(true, value(text, "chosen_right"));
        assertEquals(true, value(text, "again"));
        assertEquals(false, value(text, "other"));
        assertEquals(first.get("chosen"), value(text, "response"));
        assertEquals("<dataset preferences(addition(digits=2, seed=1, train), seed=4), 5 pairs>",
                RlxSession.display(value(text, "sliced")));
        // the contract with reward-model training: engine rows hold the completions under chosen / rejected
        Row row = pairs.dataset().get(0);
        assertEquals(first.get("chosen"), PreferencePairs.chosen(row));
        assertEquals(first.get("rejected"), row.fields().get("rejected"));
        assertEquals(first.get("answer"), row.answer());
    }

    @Test
    void everyTaskMakesPairsAndTestPairsStayOutOfTrain() {
        for (String task : List.of("multiplication(count: 50)", "countdown(count: 50)", "sorting(count: 50)",
                "reversal(alphabet: \"letters\", count: 50)")) {
            RlxList rows = (RlxList) value("p = rows(tasks.preferences(tasks." + task + "))", "p");
            assertEquals(50, rows.size(), task);
            RlxRecord r = (RlxRecord) rows.get(0);
            assertTrue(!r.get("chosen").equals(r.get("rejected")), task);
        }
        Object shared = value("""
                train = map(rows(tasks.preferences(tasks.addition(digits: 2, count: 3000, seed: 1))), (r) => r.prompt)
                test = rows(tasks.preferences(tasks.addition(digits: 2, count: 300, seed: 2, split: "test"), seed: 1))
                shared = filter(test, (r) => contains(train, r.prompt))
                """, "shared");
        assertEquals(0, ((RlxList) shared).size());
    }

    @Test
    void preferencesNeedATaskDataset() {
        RlxError e = assertThrows(RlxError.class, () -> value("p = tasks.preferences([1, 2])", "p"));
        assertTrue(e.getMessage().contains("preference_pairs: data must be a dataset, not a list"), e.getMessage());
        e = assertThrows(RlxError.class, () -> value("p = tasks.preferences(tasks.preferences(tasks.addition()))", "p"));
        assertTrue(e.getMessage().contains("preference_pairs: the dataset already holds preference pairs"), e.getMessage());
        e = assertThrows(RlxError.class, () -> value("p = tasks.preferences(tasks.addition(), seed: 1.5)", "p"));
        assertTrue(e.getMessage().contains("preference_pairs: seed must be an int, not a float"), e.getMessage());
    }

    @Test
    void jsonlPairFilesAndTheirErrors(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/prefs.jsonl"), """
                {"question": "2+2=", "good": "4", "bad": "5", "margin": 1.5}
                {"question": "3+3=", "good": "6", "bad": "-6", "source": "hand"}
                """);
        Files.writeString(dir.resolve("data/half.jsonl"), """
                {"question": "2+2=", "good": "4", "bad": "5"}

                {"question": "3+3=", "good": "6"}
                """);
        Path script = dir.resolve("exp.rlx");
        String text = HEADER + """
                p = tasks.jsonl("data/prefs.jsonl", prompt: "question", chosen: "good", rejected: "bad")
                second = p[1]
                first = p[0]
                half = tasks.jsonl("data/half.jsonl", prompt: "question", chosen: "good", rejected: "bad")
                one_sided = tasks.jsonl("data/prefs.jsonl", prompt: "question", chosen: "good")
                plain = tasks.jsonl("data/prefs.jsonl", prompt: "question", answer: "good")
                """;
        Files.writeString(script, text);
        RlxSession.Script s = session.load(new SourceText("exp.rlx", text, script.toString()), Map.of());
        assertEquals("<dataset prefs.jsonl, 2 pairs>", RlxSession.display(session.value(s, "p")));
        assertEquals("{prompt: \"3+3=\", chosen: \"6\", rejected: \"-6\", answer: none, source: \"hand\"}",
                RlxSession.display(session.value(s, "second")));
        assertEquals("{prompt: \"2+2=\", chosen: \"4\", rejected: \"5\", answer: none, margin: 1.5}",
                RlxSession.display(session.value(s, "first")));
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "half"));
        assertTrue(e.getMessage().contains("exp.rlx:5:8: read_jsonl: data/half.jsonl:3: missing field \"bad\" (the "
                + "rejected completion); the line has [question, good]"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "one_sided"));
        assertTrue(e.getMessage().contains("read_jsonl: chosen and rejected go together: name both fields (pair rows) "
                + "or neither"), e.getMessage());
        assertEquals("<dataset prefs.jsonl, 2 rows>", RlxSession.display(session.value(s, "plain")));
    }

    @Test
    void labeledJsonlFilesAndUnpairedPairs(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/kto.jsonl"), """
                {"question": "2+2=", "text": "4", "ok": true}
                {"question": "2+2=", "text": "5", "ok": false, "source": "hand"}

                {"question": "3+3=", "text": "7", "ok": "no"}
                """);
        Path script = dir.resolve("exp.rlx");
        String text = HEADER + """
                k = tasks.jsonl("data/kto.jsonl", prompt: "question", completion: "text", desirable: "ok")
                both = tasks.jsonl("data/kto.jsonl", prompt: "question", chosen: "a", rejected: "b", completion: "text", desirable: "ok")
                half = tasks.jsonl("data/kto.jsonl", prompt: "question", completion: "text")
                u = tasks.unpaired(tasks.preferences(tasks.addition(digits: 1, count: 3, seed: 1), seed: 2))
                u1 = u[1]
                twice = tasks.unpaired(u)
                """;
        Files.writeString(script, text);
        RlxSession.Script s = session.load(new SourceText("exp.rlx", text, script.toString()), Map.of());
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "k"));
        assertTrue(e.getMessage().contains("exp.rlx:2:5: read_jsonl: data/kto.jsonl:4: field \"ok\" (whether the "
                + "completion is desirable) must be true or false, not a string"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "both"));
        assertTrue(e.getMessage().contains("pairs (chosen, rejected) or single completions (completion with "
                + "desirable, or with score and reference_scores), not both"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "half"));
        assertTrue(e.getMessage().contains("completion and desirable go together"), e.getMessage());
        assertEquals("<dataset unpaired(preferences(addition(digits=1, seed=1, train), seed=2)), 6 labeled completions>",
                RlxSession.display(session.value(s, "u")));
        String u1 = RlxSession.display(session.value(s, "u1"));
        assertTrue(u1.contains("desirable: false") && u1.contains("completion: ") && !u1.contains("chosen"), u1);
        e = assertThrows(RlxError.class, () -> session.value(s, "twice"));
        assertTrue(e.getMessage().contains("does not hold preference pairs"), e.getMessage());

        Files.writeString(dir.resolve("data/kto.jsonl"), """
                {"question": "2+2=", "text": "4", "ok": true}
                {"question": "2+2=", "text": "5", "ok": false, "source": "hand"}
                """);
        RlxSession.Script s2 = session.load(new SourceText("exp.rlx", text, script.toString()), Map.of());
        assertEquals("<dataset kto.jsonl, 2 labeled completions>", RlxSession.display(session.value(s2, "k")));
    }
}
