package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Preference pairs made from the synthetic tasks: seeded, disjoint across splits, always wrong, every slip. */
class PreferencePairsTest {
    private static Dataset additionPairs(int count, long taskSeed, Split split, long pairSeed) {
        return PreferencePairs.fromTask(SyntheticTasks.addition(2, count, taskSeed, split), pairSeed);
    }

    private static Map<String, Integer> mistakeCounts(Dataset pairs) {
        Map<String, Integer> out = new TreeMap<>();
        pairs.rows().forEach(r -> out.merge((String) r.fields().get(PreferencePairs.MISTAKE), 1, Integer::sum));
        return out;
    }

    @Test
    void onePairPerRowWithTheRightAnswerChosen() {
        Dataset source = SyntheticTasks.addition(2, 1000, 1, Split.TRAIN);
        Dataset pairs = PreferencePairs.fromTask(source, 0);
        assertEquals(1000, pairs.size());
        assertTrue(pairs.isPairs());
        assertFalse(source.isPairs());
        assertEquals("preferences(addition(digits=2, seed=1, train), seed=0)", pairs.name());
        assertEquals(source.tokenizer(), pairs.tokenizer());
        for (int i = 0; i < pairs.size(); i++) {
            Row p = pairs.get(i);
            assertEquals(source.get(i).prompt(), p.prompt());
            assertEquals(source.get(i).answer(), p.answer());
            assertEquals(Long.toString((Long) p.answer()), PreferencePairs.chosen(p));
            assertEquals(PreferencePairs.chosen(p), p.reference(), "a warm start teaches the chosen answer");
            assertEquals(null, PreferencePairs.margin(p));
            assertEquals(List.of("chosen", "rejected", "mistake"), List.copyOf(p.fields().keySet()));
        }
        assertTrue(pairs.slice(10, 20).isPairs());
        assertEquals(10, pairs.slice(10, 20).size());
    }

    @Test
    void theSameSeedGivesTheSamePairsAndAnotherSeedOtherSlips() {
        assertEquals(additionPairs(2000, 1, Split.TRAIN, 5).rows(), additionPairs(2000, 1, Split.TRAIN, 5).rows());
        Dataset a = additionPairs(2000, 1, Split.TRAIN, 5);
        Dataset b = additionPairs(2000, 1, Split.TRAIN, 6);
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).prompt(), b.get(i).prompt(), "the pair seed does not change the problems");
            differ += PreferencePairs.rejected(a.get(i)).equals(PreferencePairs.rejected(b.get(i))) ? 0 : 1;
        }
        assertTrue(differ > 1000, "another pair seed picks other wrong answers: " + differ + " of 2000 differ");
    }

    @Test
    void rejectedIsAlwaysAWrongAnswerAndEverySlipOccurs() {
        for (Dataset pairs : List.of(additionPairs(3000, 1, Split.TRAIN, 0),
                PreferencePairs.fromTask(SyntheticTasks.multiplication(2, 3000, 2, Split.TRAIN), 1),
                PreferencePairs.fromTask(SyntheticTasks.addition(1, 300, 3, Split.TRAIN), 2))) {
            for (Row p : pairs.rows()) {
                String rejected = PreferencePairs.rejected(p);
                assertNotEquals(PreferencePairs.chosen(p), rejected);
                assertTrue(rejected.matches("-?(0|[1-9][0-9]*)"), "written as an int: " + rejected);
                assertNotEquals(p.answer(), Long.parseLong(rejected), p.prompt() + " " + rejected);
                assertOneSlipAway(PreferencePairs.chosen(p), rejected, (String) p.fields().get(PreferencePairs.MISTAKE));
            }
        }
        Map<String, Integer> kinds = mistakeCounts(additionPairs(3000, 1, Split.TRAIN, 0));
        assertEquals(Set.of("off_by_one", "dropped", "swapped", "sign_slip"), kinds.keySet());
        // a kind is drawn uniformly among those that apply: off_by_one and sign_slip nearly always apply
        kinds.values().forEach(n -> assertTrue(n > 450, "each kind is common: " + kinds));
    }

    /** The rejected text is the chosen one with exactly the named slip. */
    private static void assertOneSlipAway(String chosen, String rejected, String mistake) {
        String what = chosen + " -> " + rejected + " (" + mistake + ")";
        switch (mistake) {
            case "off_by_one" -> {
                assertEquals(chosen.length(), rejected.length(), what);
                int diffs = 0;
                for (int i = 0; i < chosen.length(); i++) {
                    int d = Math.abs(chosen.charAt(i) - rejected.charAt(i));
                    assertTrue(d <= 1, what);
                    diffs += d;
                }
                assertEquals(1, diffs, what);
            }
            case "dropped" -> {
                assertEquals(chosen.length() - 1, rejected.length(), what);
                boolean found = false;
                for (int i = 0; i < chosen.length(); i++) {
                    found |= (chosen.substring(0, i) + chosen.substring(i + 1)).equals(rejected);
                }
                assertTrue(found, what);
            }
            case "swapped" -> {
                boolean found = false;
                for (int i = 0; i + 1 < chosen.length(); i++) {
                    found |= (chosen.substring(0, i) + chosen.charAt(i + 1) + chosen.charAt(i) + chosen.substring(i + 2))
                            .equals(rejected);
                }
                assertTrue(found, what);
            }
            case "sign_slip" -> assertEquals(chosen.startsWith("-") ? chosen.substring(1) : "-" + chosen, rejected, what);
            default -> throw new AssertionError("unknown mistake " + what);
        }
    }

    @Test
    void testPairsShareNoProblemWithTrainPairs() {
        // commuted operands are one problem, so a test pair's prompt must not occur in train in either order
        Set<String> train = new HashSet<>();
        for (Row r : additionPairs(5000, 1, Split.TRAIN, 0).rows()) {
            String[] ab = r.prompt().replace("=", "").split("\\+");
            train.add(ab[0] + "+" + ab[1] + "=");
            train.add(ab[1] + "+" + ab[0] + "=");
        }
        Dataset test = additionPairs(800, 2, Split.TEST, 0);
        assertEquals(800, test.size());
        for (Row r : test.rows()) {
            assertFalse(train.contains(r.prompt()), "a test pair's problem is in train: " + r.prompt());
        }
        Set<String> sortedTrain = new HashSet<>();
        PreferencePairs.fromTask(SyntheticTasks.sorting(4, "digits", 3000, 1, Split.TRAIN), 0).rows()
                .forEach(r -> sortedTrain.add(PreferencePairs.chosen(r)));
        for (Row r : PreferencePairs.fromTask(SyntheticTasks.sorting(4, "digits", 200, 2, Split.TEST), 0).rows()) {
            assertFalse(sortedTrain.contains(PreferencePairs.chosen(r)), "a test multiset is in train: " + r.prompt());
        }
    }

    @Test
    void sequencePairsSlipACharacter() {
        for (Dataset source : List.of(SyntheticTasks.sorting(5, "letters", 1500, 1, Split.TRAIN),
                SyntheticTasks.reversal(5, "digits", 1500, 1, Split.TRAIN))) {
            Dataset pairs = PreferencePairs.fromTask(source, 3);
            for (Row p : pairs.rows()) {
                assertEquals(p.answer(), PreferencePairs.chosen(p));
                assertNotEquals(p.answer(), PreferencePairs.rejected(p));
                assertOneSlipAway(PreferencePairs.chosen(p), PreferencePairs.rejected(p),
                        (String) p.fields().get(PreferencePairs.MISTAKE));
            }
            assertEquals(Set.of("off_by_one", "dropped", "swapped"), mistakeCounts(pairs).keySet(), source.name());
        }
        // with the alphabet "xz" the letter between them is not in the tokenizer: an x is never slipped to a y
        Dataset xz = PreferencePairs.fromTask(SyntheticTasks.reversal(3, "xz", 300, 0, Split.TRAIN), 0);
        for (Row p : xz.rows()) {
            assertTrue(PreferencePairs.rejected(p).matches("[xz]+"), PreferencePairs.rejected(p));
        }
        assertFalse(mistakeCounts(xz).containsKey("off_by_one"));
    }

    @Test
    void countdownPairsRejectAnExpressionThatMissesTheTarget() {
        Dataset pairs = PreferencePairs.fromTask(SyntheticTasks.countdown(3, 20, 100, 1500, 1, Split.TRAIN), 0);
        for (Row p : pairs.rows()) {
            @SuppressWarnings("unchecked")
            List<Long> numbers = (List<Long>) p.fields().get("numbers");
            long target = (Long) p.answer();
            assertEquals(p.fields().get("solution"), PreferencePairs.chosen(p));
            assertTrue(Countdown.solves(PreferencePairs.chosen(p), numbers, target));
            assertFalse(Countdown.solves(PreferencePairs.rejected(p), numbers, target),
                    p.prompt() + " " + PreferencePairs.rejected(p));
            assertEquals(target, p.fields().get("target"), "the row's own fields are kept");
        }
        assertEquals(Set.of("off_by_one", "dropped", "swapped", "sign_slip"), mistakeCounts(pairs).keySet());
    }

    @Test
    void wrongNumbersAreWrittenAsAModelWritesInts() {
        assertEquals(Map.of(WrongAnswers.Mistake.OFF_BY_ONE, List.of("205", "115", "104", "106"),
                WrongAnswers.Mistake.DROPPED, List.of("15", "10"),
                WrongAnswers.Mistake.SWAPPED, List.of("150"),
                WrongAnswers.Mistake.SIGN_SLIP, List.of("-105")), WrongAnswers.forNumber(105));
        assertEquals(Map.of(WrongAnswers.Mistake.OFF_BY_ONE, List.of("1")), WrongAnswers.forNumber(0));
        assertEquals(Map.of(WrongAnswers.Mistake.OFF_BY_ONE, List.of("-6", "-8"),
                WrongAnswers.Mistake.SIGN_SLIP, List.of("7")), WrongAnswers.forNumber(-7));
        Map<WrongAnswers.Mistake, List<String>> expr = WrongAnswers.forExpression("3*5+7", List.of(3L, 5L, 7L), 22);
        assertEquals(List.of("3*5"), expr.get(WrongAnswers.Mistake.DROPPED));
        assertEquals(List.of("3/5+7", "3*5-7"), expr.get(WrongAnswers.Mistake.SIGN_SLIP));
        // 5*3+7 still makes 22: swapping the operands of * is no mistake, so it is not offered
        assertEquals(List.of("7*5+3", "3*7+5"), expr.get(WrongAnswers.Mistake.SWAPPED));
        assertEquals(List.of("2*5+7", "4*5+7", "3*4+7", "3*6+7", "3*5+6", "3*5+8"), expr.get(WrongAnswers.Mistake.OFF_BY_ONE));
        // 2*3*1 -> 2*3 still makes 6 with the numbers given: not a wrong answer, so there is no dropped slip
        assertFalse(WrongAnswers.forExpression("2*3*1", List.of(1L, 2L, 3L), 6).containsKey(WrongAnswers.Mistake.DROPPED));
    }

    @Test
    void anyDatasetWithIntOrStringAnswersMakesPairs() {
        // JSON gives 4.0 for "4.0": a whole float is written as the int a model would write
        Dataset user = new Dataset("u.jsonl", List.of(new Row("a", 4.0), new Row("b", "xy")),
                dev.rlx.engine.tokenizer.VocabTokenizer.chars("0123456789-xyz"));
        Dataset pairs = PreferencePairs.fromTask(user, 0);
        assertEquals("4", PreferencePairs.chosen(pairs.get(0)));
        assertTrue(PreferencePairs.rejected(pairs.get(0)).matches("-?[0-9]+"));
        assertEquals("xy", PreferencePairs.chosen(pairs.get(1)));
        assertTrue(List.of("yy", "xx", "xz", "x", "y", "yx").contains(PreferencePairs.rejected(pairs.get(1))));
        Dataset half = new Dataset("h", List.of(new Row("a", 3.5)), SyntheticTasks.arithTokenizer());
        assertEquals("row 0 (prompt \"a\") has the answer 3.5; preference pairs are made from int or non-empty string "
                + "answers", assertThrows(DataException.class, () -> PreferencePairs.fromTask(half, 0)).getMessage());
    }

    @Test
    void badSourcesAreNamedErrors() {
        Dataset pairs = additionPairs(5, 1, Split.TRAIN, 0);
        assertEquals("the dataset already holds preference pairs; pairs are made from problems",
                assertThrows(DataException.class, () -> PreferencePairs.fromTask(pairs, 0)).getMessage());
        Dataset noAnswers = new Dataset("q.jsonl", List.of(new Row("hi", null)), SyntheticTasks.arithTokenizer());
        assertEquals("row 0 (prompt \"hi\") has the answer none; preference pairs are made from int or non-empty "
                + "string answers", assertThrows(DataException.class, () -> PreferencePairs.fromTask(noAnswers, 0))
                .getMessage());
        Dataset lone = new Dataset("one", List.of(new Row("S=", "x")), SyntheticTasks.sequenceTokenizer("xq"));
        assertEquals("row 0 (prompt \"S=\"): no plausible wrong answer to \"x\" that the dataset's tokenizer can write",
                assertThrows(DataException.class, () -> PreferencePairs.fromTask(lone, 0)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("p", List.of(new Row("a", 1L)), SyntheticTasks.arithTokenizer(),
                        Dataset.Kind.PAIRS));
    }
}
