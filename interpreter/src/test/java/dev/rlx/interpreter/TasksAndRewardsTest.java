package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** std/tasks and std/rewards: datasets as values, JSONL files, and every reward on hand-made samples. */
class TasksAndRewardsTest {
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

    private static final String HEADER = """
            import "std/tasks" as tasks
            import "std/rewards" as rw
            """;

    private Object value(String text, String name) {
        return session.value(session.load(new SourceText("test.rlx", HEADER + text, null), Map.of()), name);
    }

    private double reward(String reward, String sample) {
        Object v = value("r = " + reward + "\ns = " + sample + "\nv = r(s)\n", "v");
        return ((Number) v).doubleValue();
    }

    /** A sample record with the trainer's fields; `extra` adds the data row's other fields. */
    private static String sample(String completion, String answer, int length, String extra) {
        return "{prompt: \"p\", completion: " + completion + ", answer: " + answer + ", tokens: [], length: " + length
                + ", finish: \"stop\"" + extra + "}";
    }

    @Test
    void exactMatchTrimsAndComparesWithTheAnswerAsText() {
        assertEquals(1.0, reward("rw.exact_match", sample("\" 42\\n\"", "42", 3, "")));
        assertEquals(1.0, reward("rw.exact_match", sample("\"abc \"", "\" abc\"", 3, "")));
        assertEquals(0.0, reward("rw.exact_match", sample("\"4 2\"", "42", 3, "")));
        assertEquals(0.0, reward("rw.exact_match", sample("\"042\"", "42", 3, "")));
    }

    @Test
    void digitMatchCountsDigitsInPlaceFromTheRight() {
        // answer 123 read from the right is 3,2,1; each value is hits / max(len(answer), len(completion))
        assertEquals(1.0, reward("rw.digit_match", sample("\"123\"", "123", 4, "")));
        assertEquals(2.0 / 3.0, reward("rw.digit_match", sample("\"133\"", "123", 4, "")), 1e-12);
        assertEquals(2.0 / 3.0, reward("rw.digit_match", sample("\"23\"", "123", 3, "")), 1e-12);
        assertEquals(0.75, reward("rw.digit_match", sample("\"0123\"", "123", 5, "")));
        assertEquals(1.0, reward("rw.digit_match", sample("\" 12 \"", "12", 5, "")));
        assertEquals(0.0, reward("rw.digit_match", sample("\"x\"", "5", 2, "")));
        assertEquals(0.0, reward("rw.digit_match", sample("\"\"", "\"\"", 1, "")));
    }

    @Test
    void numericMatchReadsTheLastNumber() {
        assertEquals(1.0, reward("rw.numeric_match()", sample("\"so 7 then 42.\"", "42", 5, "")));
        assertEquals(0.0, reward("rw.numeric_match()", sample("\"42 then 7\"", "42", 5, "")));
        assertEquals(1.0, reward("rw.numeric_match()", sample("\"x=-3.5\"", "-3.5", 5, "")));
        assertEquals(1.0, reward("rw.numeric_match(tolerance: 0.1)", sample("\"3.14\"", "\"3.2\"", 4, "")));
        assertEquals(0.0, reward("rw.numeric_match(tolerance: 0.1)", sample("\"3.0\"", "3.2", 3, "")));
        assertEquals(0.0, reward("rw.numeric_match()", sample("\"none here\"", "1", 9, "")));
        assertEquals(0.0, reward("rw.numeric_match()", sample("\"1\"", "\"one\"", 1, "")));
    }

    @Test
    void regexMatch() {
        assertEquals(1.0, reward("rw.regex_match(r\"^[0-9]+$\")", sample("\"12\"", "12", 2, "")));
        assertEquals(0.0, reward("rw.regex_match(r\"^[0-9]+$\")", sample("\"12a\"", "12", 3, "")));
        assertEquals(1.0, reward("rw.regex_match(\"b\")", sample("\"abc\"", "0", 3, "")));
    }

    @Test
    void overlongIsDapoSoftPenaltyWithItsBoundaries() {
        // max 10, buffer 4: free up to 6 tokens, then (6 - L) / 4, -1 at 10 and beyond
        double[] expected = {0.0, 0.0, -0.25, -0.5, -0.75, -1.0, -1.0, -1.0};
        int[] lengths = {0, 6, 7, 8, 9, 10, 11, 40};
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(expected[i], reward("rw.overlong(max: 10, buffer: 4)", sample("\"\"", "0", lengths[i], "")),
                    "L = " + lengths[i]);
        }
        RlxError e = assertThrows(RlxError.class, () -> value("r = rw.overlong(5, 0)", "r"));
        assertTrue(e.getMessage().contains("rewards.overlong: buffer must be positive, got 0"), e.getMessage());
    }

    @Test
    void lengthPenaltyIsLinearAboveTheTarget() {
        assertEquals(0.0, reward("rw.length_penalty(target: 5, coef: 0.1)", sample("\"\"", "0", 2, "")));
        assertEquals(0.0, reward("rw.length_penalty(target: 5, coef: 0.1)", sample("\"\"", "0", 5, "")));
        assertEquals(-0.3, reward("rw.length_penalty(target: 5, coef: 0.1)", sample("\"\"", "0", 8, "")), 1e-12);
        assertEquals(-6.0, reward("rw.length_penalty(target: 0, coef: 2)", sample("\"\"", "0", 3, "")));
    }

    @Test
    void cosineLengthScalesCorrectAndWrongAnswers() {
        String cos = "rw.cosine_length(max_len: 10)";
        // c = (1 + cos(pi L / 10)) / 2: 1 at L = 0, 1/2 at L = 5, 0 at L >= 10 (clamped)
        assertEquals(1.0, reward(cos, sample("\"7\"", "7", 0, "")), 1e-12);
        assertEquals(0.75, reward(cos, sample("\"7\"", "7", 5, "")), 1e-12);
        assertEquals(0.5, reward(cos, sample("\"7\"", "7", 10, "")), 1e-12);
        assertEquals(0.5, reward(cos, sample("\"7\"", "7", 25, "")), 1e-12);
        assertEquals(-1.0, reward(cos, sample("\"8\"", "7", 0, "")), 1e-12);
        assertEquals(-0.75, reward(cos, sample("\"8\"", "7", 5, "")), 1e-12);
        assertEquals(-0.5, reward(cos, sample("\"8\"", "7", 10, "")), 1e-12);
        // L = 2.5 of 10: c = (1 + cos(pi/4)) / 2 = 0.8535533905932737; correct 0.5 + 0.5c, wrong -0.5 - 0.5c
        String q = "rw.cosine_length(max_len: 20, correct: (s) => s.completion == \"yes\")";
        assertEquals(0.5 + 0.5 * 0.8535533905932737, reward(q, sample("\"yes\"", "0", 5, "")), 1e-12);
        assertEquals(-0.5 - 0.5 * 0.8535533905932737, reward(q, sample("\"no\"", "0", 5, "")), 1e-12);
        String custom = "rw.cosine_length(max_len: 4, min_correct: 2, max_correct: 4, min_wrong: -3, max_wrong: -1, "
                + "correct: rw.numeric_match())";
        assertEquals(3.0, reward(custom, sample("\"is 7\"", "7", 2, "")), 1e-12);
        assertEquals(-2.0, reward(custom, sample("\"is 8\"", "7", 2, "")), 1e-12);
    }

    @Test
    void mathMatchReadsBoxedLatexAnswersExactly() {
        // worked by hand: \frac{1}{2} is 0.5; 1,000 is 1000; 3 is not 4; 0.3333 is not 1/3
        assertEquals(1.0, reward("rw.math_match", sample("r\"so \\boxed{\\frac{1}{2}}.\"", "0.5", 9, "")));
        assertEquals(1.0, reward("rw.math_match", sample("\"We need 1,000 bricks.\"", "1000", 9, "")));
        assertEquals(0.0, reward("rw.math_match", sample("r\"\\boxed{3}\"", "4", 9, "")));
        assertEquals(1.0, reward("rw.math_match", sample("r\"\\boxed{\\dfrac{-3}{4}}\"", "r\"-\\frac34\"", 9, "")));
        assertEquals(1.0, reward("rw.math_match", sample("r\"\\boxed{\\frac{\\sqrt{3}}{2}}\"", "r\"\\frac{\\sqrt3}{2}\"", 9, "")));
        assertEquals(0.0, reward("rw.math_match", sample("\"0.3333\"", "r\"\\frac{1}{3}\"", 9, "")));
        assertEquals(true, value("v = math_equal(r\"$x = 2\\frac{1}{2}$\", 2.5)", "v"), "a mixed number, a float answer");
        assertEquals(true, value("v = math_equal(\"0.1\", 0.1)", "v"), "a float answer is its shortest decimal");
        assertEquals("\\frac{7}{8}", value("v = math_answer(r\"\\boxed{1} then $\\boxed{\\frac{7}{8}}$\")", "v"));
        assertEquals("none", RlxSession.display(value("v = math_answer(\"none\")", "v")));
        RlxError e = assertThrows(RlxError.class, () -> value("v = math_equal(\"1\", [1])", "v"));
        assertTrue(e.getMessage().contains("math_equal() does not accept (string, list)"), e.getMessage());
    }

    @Test
    void countdownRewardAndVerifier() {
        String extra = ", numbers: [3, 5, 7], target: 22";
        assertEquals(1.0, reward("rw.countdown", sample("\"3*5+7\"", "22", 5, extra)));
        assertEquals(1.0, reward("rw.countdown", sample("\" (7+5)*3 \"", "36", 7, ", numbers: [3, 5, 7], target: 36")));
        assertEquals(0.0, reward("rw.countdown", sample("\"(3+5)*7\"", "22", 7, extra)));
        assertEquals(0.0, reward("rw.countdown", sample("\"3*3+13\"", "22", 6, extra)));
        assertEquals(0.0, reward("rw.countdown", sample("\"22\"", "22", 2, extra)));
        assertEquals(0.0, reward("rw.countdown", sample("\"\"", "22", 0, extra)));
        assertEquals(22L, value("v = countdown_value(\"3*5+7\", [3, 5, 7])", "v"));
        assertEquals(3.0 / 35, value("v = countdown_value(\"3/5/7\", [3, 5, 7])", "v"));
        assertEquals("none", RlxSession.display(value("v = countdown_value(\"3*3\", [3, 5, 7])", "v")));
    }

    @Test
    void rewardsAreNamedForTheLogs() {
        assertEquals("<reward exact_match + 0.5 * overlong + -0.1 * length_penalty>", RlxSession.display(
                value("r = rw.exact_match + 0.5 * rw.overlong(5, 2) - 0.1 * rw.length_penalty(3, 1.0)", "r")));
        // on the sample {completion: "x", answer: 7, length: 2000}: no number; "x" matches; wrong and long; no expression
        Map<String, Double> expected = Map.of("numeric_match()", 0.0, "regex_match(\"x\")", 1.0, "cosine_length()", -0.5,
                "countdown", 0.0);
        for (String name : expected.keySet()) {
            RlxReward r = (RlxReward) value("r = rw." + name, "r");
            assertEquals(name.replaceAll("\\(.*", ""), r.terms().get(0).name());
            FunctionHandle h = session.handle(r, 1, Duration.ofSeconds(5));
            assertEquals(expected.get(name), ((Number) h.call(value("s = " + sample("\"x\"", "7", 2000, ", numbers: []"), "s")))
                    .doubleValue(), 1e-12, name + " through the engine-facing handle");
        }
    }

    @Test
    void datasetsAreIndexableValuesWithATokenizer() {
        String text = """
                d = tasks.addition(digits: 2, count: 50, seed: 3)
                row = d[7]
                last = d[-1]
                back = d[49]
                n = [len(d), d.size, len(d[10:20]), len(d[45:])]
                vocab = d.tokenizer.vocab_size
                same = tasks.arith_tokenizer().vocab_size
                ok = all(map(rows(d), (r) => let ab = split(replace(r.prompt, "=", ""), "+") in
                                              to_int(ab[0]) + to_int(ab[1]) == r.answer))
                c = tasks.countdown(count: 5, seed: 1)[0]
                cr = rows(tasks.countdown(count: 5, seed: 1), response: true)[0]
                seq = tasks.sorting(length: 4, count: 3, alphabet: "letters")
                """;
        assertEquals("[50, 50, 10, 5]", RlxSession.display(value(text, "n")));
        assertEquals(true, value(text, "ok"));
        assertEquals(4L + 19, value(text, "vocab"), "4 specials + 0-9 + - * / = ( ) , >");
        assertEquals(23L, value(text, "same"));
        assertEquals(RlxSession.display(value(text, "last")), RlxSession.display(value(text, "back")));
        RlxRecord c = (RlxRecord) value(text, "c");
        assertEquals(List.of("prompt", "answer", "numbers", "target", "solution"), c.shape().keys());
        assertEquals(c.get("answer"), c.get("target"));
        RlxRecord cr = (RlxRecord) value(text, "cr");
        assertEquals(cr.get("solution"), cr.get("response"));
        DatasetValue seq = (DatasetValue) value(text, "seq");
        assertEquals("<dataset sorting(length=4, letters, seed=0, train), 3 rows>", RlxSession.display(seq));
        RlxError e = assertThrows(RlxError.class, () -> value("d = tasks.reversal(count: 3)\nx = d[3]", "x"));
        assertTrue(e.getMessage().contains("test.rlx:4:5: index 3 out of range for a dataset of 3 rows"), e.getMessage());
        e = assertThrows(RlxError.class, () -> value("d = tasks.addition(split: \"dev\")", "d"));
        assertTrue(e.getMessage().contains("addition_task: split must be \"train\" or \"test\", not \"dev\""), e.getMessage());
        e = assertThrows(RlxError.class, () -> value("d = tasks.addition(digits: \"2\")", "d"));
        assertTrue(e.getMessage().contains("addition_task: digits must be an int, not a string"), e.getMessage());
    }

    @Test
    void trainAndTestPromptsAreDisjoint() {
        Object v = value("""
                train = map(rows(tasks.multiplication(digits: 1, count: 500, seed: 1)), (r) => r.prompt)
                test = map(rows(tasks.multiplication(digits: 1, count: 20, seed: 9, split: "test")), (r) => r.prompt)
                shared = filter(test, (p) => contains(train, p))
                """, "shared");
        assertEquals(0, ((RlxList) v).size());
    }

    @Test
    void jsonlReadsNextToTheScriptAndLocatesBadLines(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/qa.jsonl"), """
                {"q": "2+2=", "a": 4, "level": 1}
                {"q": "3+3=", "a": 6, "level": 2}
                """);
        Files.writeString(dir.resolve("data/bad.jsonl"), """
                {"q": "2+2=", "a": 4}
                {"q": "3+3=" "a": 6}
                """);
        Path script = dir.resolve("exp.rlx");
        String text = HEADER + """
                d = tasks.jsonl("data/qa.jsonl", prompt: "q", answer: "a")
                row = d[1]
                bad = tasks.jsonl("data/bad.jsonl", prompt: "q", answer: "a")
                missing = tasks.jsonl("data/qa.jsonl", prompt: "question")
                outside = tasks.jsonl("../x.jsonl")
                """;
        Files.writeString(script, text);
        RlxSession.Script s = session.load(new SourceText("exp.rlx", text, script.toString()), Map.of());
        assertEquals("{prompt: \"3+3=\", answer: 6, level: 2}", RlxSession.display(session.value(s, "row")));
        assertEquals("<dataset qa.jsonl, 2 rows>", RlxSession.display(session.value(s, "d")));
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "bad"));
        assertTrue(e.getMessage().contains("exp.rlx:5:7: read_jsonl: data/bad.jsonl:2: malformed JSON"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "missing"));
        assertTrue(e.getMessage().contains("data/qa.jsonl:1: missing field \"question\" (the prompt); the line has [q, a, level]"),
                e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "outside"));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }
}
