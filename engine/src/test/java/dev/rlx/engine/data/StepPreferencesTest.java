package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Step-DPO's step pairs from additions: worked solutions and slips written out by hand, every hand-written pair of a
 * problem occurring over seeds and nothing else, the same pairs for the same seed, EOS only after the answer step,
 * and named errors for data that has no worked steps.
 */
class StepPreferencesTest {
    private static Dataset additions(Row... rows) {
        return new Dataset("hand", List.of(rows), SyntheticTasks.arithTokenizer());
    }

    private static AdditionSteps.Problem problem(long a, long b) {
        return new AdditionSteps.Problem(a, b);
    }

    @Test
    void workedSolutionsAddTheColumnsFromTheUnitsUpThenWriteTheAnswer() {
        assertEquals(List.of("7+8+0=15,", "4+3+1=8,", "85"), AdditionSteps.steps(problem(47, 38)));
        assertEquals(List.of("5+7+0=12,", "12"), AdditionSteps.steps(problem(5, 7)));
        assertEquals(List.of("0+0+0=0,", "0"), AdditionSteps.steps(problem(0, 0)));
        // a shorter operand reads 0 in its missing columns; the last carry shows up in the answer only
        assertEquals(List.of("0+5+0=5,", "5+7+0=12,", "9+0+1=10,", "1025"), AdditionSteps.steps(problem(950, 75)));
        assertEquals(List.of("9+1+0=10,", "9+0+1=10,", "100"), AdditionSteps.steps(problem(99, 1)));
        Dataset worked = StepPreferences.solutions(additions(new Row("47+38=", 85L)));
        assertEquals("7+8+0=15,4+3+1=8,85", worked.get(0).reference(), "a warm start teaches the worked solution");
        assertEquals(85L, worked.get(0).answer());
        assertEquals("47+38=", worked.get(0).prompt());
    }

    @Test
    void theSlipsOfEachStep() {
        AdditionSteps.Problem p = problem(47, 38);
        assertEquals(Map.of("carry", List.of("7+8+1=16,"), "off_by_one", List.of("7+8+0=14,", "7+8+0=16,")),
                AdditionSteps.wrongSteps(p, 0));
        assertEquals(Map.of("carry", List.of("4+3+0=7,"), "off_by_one", List.of("4+3+1=7,", "4+3+1=9,")),
                AdditionSteps.wrongSteps(p, 1));
        assertEquals(Map.of("off_by_one", List.of("75", "95", "84", "86"), "dropped", List.of("5", "8"),
                "swapped", List.of("58")), AdditionSteps.wrongSteps(p, 2));
        // a column sum of 0 has no sum one below
        assertEquals(Map.of("carry", List.of("0+0+1=1,"), "off_by_one", List.of("0+0+0=1,")),
                AdditionSteps.wrongSteps(problem(0, 0), 0));
        // the carry into the tens of 99+1 is 1, so the slip forgets it
        assertEquals(List.of("9+0+0=9,"), AdditionSteps.wrongSteps(problem(99, 1), 1).get("carry"));
    }

    /** Every pair 47+38= can give, written out by hand: {prompt, chosen, rejected, mistake, step, partial}. */
    private static final Set<List<Object>> PAIRS_OF_47_38 = Set.of(
            List.of("47+38=", "7+8+0=15,", "7+8+1=16,", "carry", 0L, true),
            List.of("47+38=", "7+8+0=15,", "7+8+0=14,", "off_by_one", 0L, true),
            List.of("47+38=", "7+8+0=15,", "7+8+0=16,", "off_by_one", 0L, true),
            List.of("47+38=7+8+0=15,", "4+3+1=8,", "4+3+0=7,", "carry", 1L, true),
            List.of("47+38=7+8+0=15,", "4+3+1=8,", "4+3+1=7,", "off_by_one", 1L, true),
            List.of("47+38=7+8+0=15,", "4+3+1=8,", "4+3+1=9,", "off_by_one", 1L, true),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "75", "off_by_one", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "95", "off_by_one", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "84", "off_by_one", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "86", "off_by_one", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "5", "dropped", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "8", "dropped", 2L, false),
            List.of("47+38=7+8+0=15,4+3+1=8,", "85", "58", "swapped", 2L, false));

    @Test
    void everyHandWrittenPairOccursOverSeedsAndNothingElse() {
        Dataset source = additions(new Row("47+38=", 85L, Map.of("source", "hand")));
        Set<List<Object>> seen = new HashSet<>();
        for (long seed = 0; seed < 400; seed++) {
            Dataset pairs = StepPreferences.fromTask(source, seed);
            assertTrue(pairs.isPairs());
            Row r = pairs.get(0);
            List<Object> pair = List.of(r.prompt(), PreferencePairs.chosen(r), PreferencePairs.rejected(r),
                    r.fields().get(PreferencePairs.MISTAKE), r.fields().get(StepPreferences.STEP),
                    r.fields().get(PreferencePairs.PARTIAL));
            assertTrue(PAIRS_OF_47_38.contains(pair), "not a pair of 47+38=: " + pair);
            assertEquals(3L, r.fields().get(StepPreferences.STEPS));
            assertEquals(85L, r.answer());
            assertEquals("hand", r.fields().get("source"), "the problem's fields carry over");
            seen.add(pair);
        }
        assertEquals(PAIRS_OF_47_38, seen);
    }

    @Test
    void theSameSeedGivesTheSamePairsAndAnotherSeedOthers() {
        Dataset source = SyntheticTasks.addition(2, 300, 1, Split.TRAIN);
        Dataset a = StepPreferences.fromTask(source, 5);
        assertEquals(a.rows(), StepPreferences.fromTask(source, 5).rows());
        assertEquals("step_preferences(addition(digits=2, seed=1, train), seed=5)", a.name());
        assertEquals(source.tokenizer(), a.tokenizer());
        Dataset b = StepPreferences.fromTask(source, 6);
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).prompt().startsWith(source.get(i).prompt()), "the row's own problem");
            differ += a.get(i).equals(b.get(i)) ? 0 : 1;
        }
        assertTrue(differ > 150, "another seed picks other steps and slips: " + differ + " of 300 differ");
    }

    @Test
    void onlyTheAnswerStepEndsTheResponse() {
        Dataset pairs = StepPreferences.fromTask(SyntheticTasks.addition(2, 200, 2, Split.TRAIN), 0);
        VocabTokenizer tok = SyntheticTasks.arithTokenizer();
        List<PreferenceExample> encoded = PairEncoder.encode(pairs, tok, 32);
        Set<Boolean> kinds = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            Row r = pairs.get(i);
            TokenPair t = (TokenPair) encoded.get(i);
            boolean partial = PreferencePairs.partial(r);
            kinds.add(partial);
            int[] chosen = tok.encode(PreferencePairs.chosen(r));
            assertEquals(partial ? chosen.length : chosen.length + 1, t.chosen().length);
            assertEquals(!partial, t.chosen()[t.chosen().length - 1] == tok.eosId());
            assertNotEquals(PreferencePairs.chosen(r), PreferencePairs.rejected(r));
            assertArrayEquals(tok.encodeWithBos(r.prompt()), t.prompt());
        }
        assertEquals(Set.of(true, false), kinds);
    }

    @Test
    void dataWithoutWorkedStepsIsANamedError() {
        Dataset pairs = PreferencePairs.fromTask(SyntheticTasks.addition(1, 5, 1, Split.TRAIN), 0);
        assertEquals("the dataset already holds preference pairs; step pairs are made from addition problems "
                + "(tasks.addition(...))", assertThrows(DataException.class,
                () -> StepPreferences.fromTask(pairs, 0)).getMessage());
        assertEquals("row 1 (prompt \"3*4=\", answer 12) is not an addition \"a+b=\" with the int answer a + b; "
                + "worked steps are made for tasks.addition(...) problems", assertThrows(DataException.class,
                () -> StepPreferences.fromTask(additions(new Row("1+2=", 3L), new Row("3*4=", 12L)), 0)).getMessage());
        assertTrue(assertThrows(DataException.class, () -> StepPreferences.solutions(additions(new Row("2+2=", 5L))))
                .getMessage().startsWith("row 0 (prompt \"2+2=\", answer 5) is not an addition"));
        Dataset noComma = new Dataset("nc", List.of(new Row("1+2=", 3L)), VocabTokenizer.chars("0123456789+="));
        assertEquals("row 0: the dataset's tokenizer cannot write the worked solution \"1+2+0=3,3\" (it needs the "
                + "digits, + = and ,)", assertThrows(DataException.class,
                () -> StepPreferences.fromTask(noComma, 0)).getMessage());
    }
}
