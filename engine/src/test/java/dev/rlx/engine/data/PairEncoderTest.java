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
}
