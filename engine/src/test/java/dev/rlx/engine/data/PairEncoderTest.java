package dev.rlx.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Preference rows as token ids: BOS before the prompt, EOS after each completion, refusals naming the row. */
class PairEncoderTest {
    static final VocabTokenizer TOK = VocabTokenizer.chars("0123456789+=");

    static Dataset pairs(String chosen, String rejected) {
        return new Dataset("p", List.of(new Row("1+1=", 2L, Map.of("chosen", chosen, "rejected", rejected))), TOK,
                Dataset.Kind.PAIRS);
    }

    @Test
    void anEmptyCompletionIsJustTheEndToken() {
        // a sampled answer that stopped at once: sample_pairs can pair it, and it is scored as [EOS]
        TokenPair p = (TokenPair) PairEncoder.encode(pairs("2", ""), TOK, 16).getFirst();
        assertArrayEquals(new int[] {TOK.eosId()}, p.rejected());
        assertArrayEquals(new int[] {TOK.encode("2")[0], TOK.eosId()}, p.chosen());
        assertEquals(TOK.encodeWithBos("1+1=").length, p.prompt().length);
    }

    @Test
    void labeledRowsEncodeTheirFlag() {
        Dataset d = new Dataset("k", List.of(new Row("1+1=", 2L, Map.of("completion", "3", "desirable", false))), TOK,
                Dataset.Kind.LABELED);
        LabeledTokens t = (LabeledTokens) PairEncoder.encode(d, TOK, 16).getFirst();
        assertEquals(false, t.desirable());
        assertArrayEquals(new int[] {TOK.encode("3")[0], TOK.eosId()}, t.completion());
    }

    @Test
    void tooLongAndNotPreferenceDataAreNamedErrors() {
        assertEquals("p row 1: prompt + rejected completion (9 tokens) exceeds the model's context of 8",
                assertThrows(DataException.class, () -> PairEncoder.encode(pairs("2", "222"), TOK, 8)).getMessage());
        Dataset plain = new Dataset("plain", List.of(new Row("1+1=", 2L)), TOK);
        assertEquals(true, assertThrows(DataException.class, () -> PairEncoder.encode(plain, TOK, 8)).getMessage()
                .startsWith("plain holds neither preference pairs"));
    }

    @Test
    void partialCompletionsGetNoEndToken() {
        // one step of a longer response (Step-DPO's pairs): the response goes on after it
        Row step = new Row("1+1=", 2L, Map.of("chosen", "2", "rejected", "3", "partial", true));
        Dataset d = new Dataset("s", List.of(step), TOK, Dataset.Kind.PAIRS);
        TokenPair p = (TokenPair) PairEncoder.encode(d, TOK, 16).getFirst();
        assertArrayEquals(TOK.encode("2"), p.chosen());
        assertArrayEquals(TOK.encode("3"), p.rejected());
        Dataset labeled = LabeledCompletions.fromPairs(d);
        assertArrayEquals(TOK.encode("3"), ((LabeledTokens) PairEncoder.encode(labeled, TOK, 16).get(1)).completion());
    }

    @Test
    void instructedPromptsPutTheInstructionBeforeThePromptText() {
        Dataset d = pairs("2", "22");
        List<PreferenceExample> encoded = PairEncoder.encode(d, TOK, 16);
        List<int[]> better = PairEncoder.instructed(d, encoded, TOK, 16, "9=", "better");
        assertArrayEquals(TOK.encodeWithBos("9=1+1="), better.getFirst());
        assertArrayEquals(TOK.encodeWithBos("1+1="), PairEncoder.instructed(d, encoded, TOK, 16, "", "worse").getFirst());
    }

    @Test
    void anUnwritableOrTooLongInstructionIsRefused() {
        Dataset d = pairs("2", "22");
        List<PreferenceExample> encoded = PairEncoder.encode(d, TOK, 16);
        assertEquals("the better instruction \"Be right: \" has characters the tokenizer cannot write",
                assertThrows(DataException.class, () -> PairEncoder.instructed(d, encoded, TOK, 16, "Be right: ",
                        "better")).getMessage());
        // BOS + "1111" + "1+1=" is 9 tokens, with "22" + EOS 12
        assertEquals("p row 1: the worse instruction + prompt + completion (12 tokens) exceeds the model's context of 11",
                assertThrows(DataException.class, () -> PairEncoder.instructed(d, encoded, TOK, 11, "1111", "worse"))
                        .getMessage());
    }
}
