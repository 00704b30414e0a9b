package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticTasksTest {
    private static Set<String> prompts(Dataset d) {
        Set<String> out = new HashSet<>();
        d.rows().forEach(r -> out.add(r.prompt()));
        return out;
    }

    @Test
    void additionRowsAreCorrectAndSeeded() {
        Dataset d = SyntheticTasks.addition(2, 300, 1, Split.TRAIN);
        assertEquals(300, d.size());
        for (Row r : d.rows()) {
            assertTrue(r.prompt().matches("[0-9]{1,2}\\+[0-9]{1,2}="), r.prompt());
            String[] ab = r.prompt().replace("=", "").split("\\+");
            assertEquals(Long.parseLong(ab[0]) + Long.parseLong(ab[1]), r.answer());
        }
        assertEquals(d.rows(), SyntheticTasks.addition(2, 300, 1, Split.TRAIN).rows(), "same seed, same rows");
        assertNotEquals(d.rows(), SyntheticTasks.addition(2, 300, 2, Split.TRAIN).rows(), "another seed differs");
        assertEquals(300, prompts(d).size(), "distinct while the split has enough problems");
    }

    @Test
    void trainAndTestAreDisjointForAnySeedsAndCommutedOperands() {
        // 1-digit addition has 100 problems: train takes all of its ~90 and repeats; test the other ~10
        for (String task : List.of("addition", "multiplication")) {
            Dataset train = task.equals("addition") ? SyntheticTasks.addition(1, 2000, 3, Split.TRAIN)
                    : SyntheticTasks.multiplication(1, 2000, 3, Split.TRAIN);
            Dataset test = task.equals("addition") ? SyntheticTasks.addition(1, 200, 4, Split.TEST)
                    : SyntheticTasks.multiplication(1, 200, 4, Split.TEST);
            Set<String> trainKeys = new HashSet<>();
            for (Row r : train.rows()) {
                String[] ab = r.prompt().replace("=", "").split("[+*]");
                trainKeys.add(ab[0] + "," + ab[1]);
                trainKeys.add(ab[1] + "," + ab[0]);
            }
            for (Row r : test.rows()) {
                String[] ab = r.prompt().replace("=", "").split("[+*]");
                assertFalse(trainKeys.contains(ab[0] + "," + ab[1]), task + " test problem in train: " + r.prompt());
            }
            Set<String> all = new HashSet<>(prompts(train));
            all.addAll(prompts(test));
            assertEquals(100, all.size(), task + ": together the splits cover all 100 problems");
        }
        Set<String> train = prompts(SyntheticTasks.addition(2, 20000, 1, Split.TRAIN));
        Set<String> test = prompts(SyntheticTasks.addition(2, 500, 2, Split.TEST));
        assertEquals(500, test.size());
        test.retainAll(train);
        assertTrue(test.isEmpty(), "2-digit test problems in train: " + test);
    }

    @Test
    void sequenceTasksAndTheirDisjointSplits() {
        Dataset s = SyntheticTasks.sorting(4, "letters", 50, 0, Split.TRAIN);
        for (Row r : s.rows()) {
            assertTrue(r.prompt().matches("S[a-z]{4}="), r.prompt());
            char[] c = r.prompt().substring(1, 5).toCharArray();
            java.util.Arrays.sort(c);
            assertEquals(new String(c), r.answer());
        }
        Row rev = SyntheticTasks.reversal(3, "digits", 1, 0, Split.TEST).get(0);
        assertEquals(new StringBuilder(rev.prompt().substring(1, 4)).reverse().toString(), rev.answer());
        Set<String> trainSorted = new HashSet<>();
        SyntheticTasks.sorting(3, "digits", 3000, 5, Split.TRAIN).rows().forEach(r -> trainSorted.add((String) r.answer()));
        for (Row r : SyntheticTasks.sorting(3, "digits", 100, 6, Split.TEST).rows()) {
            assertFalse(trainSorted.contains((String) r.answer()), "a test multiset appears in train: " + r.prompt());
        }
        assertThrows(DataException.class, () -> SyntheticTasks.sorting(3, "aS", 1, 0, Split.TRAIN));
    }

    @Test
    void tokenizersCoverEveryPromptAnswerAndSolution() {
        List<Dataset> all = List.of(SyntheticTasks.addition(3, 100, 0, Split.TRAIN),
                SyntheticTasks.multiplication(2, 100, 0, Split.TEST), SyntheticTasks.countdown(4, 20, 100, 100, 0, Split.TRAIN),
                SyntheticTasks.sorting(5, "letters", 100, 0, Split.TRAIN), SyntheticTasks.reversal(5, "digits", 100, 0, Split.TEST));
        for (Dataset d : all) {
            Tokenizer t = d.tokenizer();
            for (Row r : d.rows()) {
                String text = r.prompt() + Row.answerText(r.answer()) + r.reference();
                for (int id : t.encode(text)) {
                    assertNotEquals(3, id, d.name() + ": unknown char in " + text);
                }
            }
        }
    }

    @Test
    void countdownProblemsAreSolvedByTheirSolution() {
        Dataset d = SyntheticTasks.countdown(3, 20, 100, 200, 9, Split.TRAIN);
        for (Row r : d.rows()) {
            @SuppressWarnings("unchecked")
            List<Long> nums = (List<Long>) r.fields().get("numbers");
            long target = (Long) r.answer();
            assertTrue(target >= 1 && target <= 100);
            assertEquals(r.prompt(), nums.get(0) + "," + nums.get(1) + "," + nums.get(2) + ">" + target + "=");
            assertTrue(Countdown.solves((String) r.fields().get("solution"), nums, target), r.toString());
        }
        Set<String> trainKeys = new HashSet<>();
        SyntheticTasks.countdown(2, 5, 30, 3000, 1, Split.TRAIN).rows().forEach(r -> trainKeys.add(key(r)));
        for (Row r : SyntheticTasks.countdown(2, 5, 30, 30, 2, Split.TEST).rows()) {
            assertFalse(trainKeys.contains(key(r)), "countdown test problem in train: " + r.prompt());
        }
    }

    @SuppressWarnings("unchecked")
    private static String key(Row r) {
        List<Long> n = new java.util.ArrayList<>((List<Long>) r.fields().get("numbers"));
        java.util.Collections.sort(n);
        return n + ">" + r.answer();
    }

    @Test
    void countdownVerifier() {
        List<Long> nums = List.of(3L, 5L, 7L);
        assertEquals(new Countdown.Fraction(22, 1), Countdown.evaluate("3*5+7", nums));
        assertEquals(new Countdown.Fraction(56, 1), Countdown.evaluate(" (3 + 5) * 7 ", nums));
        assertEquals(new Countdown.Fraction(3, 35), Countdown.evaluate("3/5/7", nums), "exact fractions");
        assertEquals(new Countdown.Fraction(-9, 1), Countdown.evaluate("3-5-7", nums), "left associative");
        assertEquals(new Countdown.Fraction(5, 1), Countdown.evaluate("5", nums), "numbers may go unused");
        assertNull(Countdown.evaluate("3*3", nums), "3 given once, used twice");
        assertEquals(new Countdown.Fraction(9, 1), Countdown.evaluate("3*3", List.of(3L, 3L)), "given twice");
        assertNull(Countdown.evaluate("4+3", nums), "4 not given");
        assertNull(Countdown.evaluate("-3+5", nums), "no unary minus");
        assertNull(Countdown.evaluate("3/(5-5)", List.of(3L, 5L, 5L)), "division by zero");
        assertNull(Countdown.evaluate("(3+5", nums));
        assertNull(Countdown.evaluate("3+5)", nums));
        assertNull(Countdown.evaluate("3+", nums));
        assertNull(Countdown.evaluate("", nums));
        assertNull(Countdown.evaluate("3.0+5", nums));
        assertNull(Countdown.evaluate("3 5", nums));
        assertTrue(Countdown.solves("7*(5-3)", nums, 14));
        assertFalse(Countdown.solves("7*(5-3)", nums, 15));
        assertFalse(Countdown.solves("7/5*3", nums, 4), "21/5 is not 4");
        assertNull(Countdown.evaluate("(".repeat(100) + "3" + ")".repeat(100), nums), "nesting limit");
    }
}
