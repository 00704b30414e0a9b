package dev.rlx.engine.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** CPPO's choice of completions, worked by hand. */
class CompletionPruningTest {
    @Test
    void sequenceAdvantagesKeepTheLargestMagnitudesPerGroup() {
        // group 1: |A| = 0.1, 0.9, 0.5, 0.0 -> rows 1, 2; group 2: 0.3, 0.3, 1.2, 0.2 -> rows 6 and 4 (the tie keeps
        // the earlier of 4 and 5)
        double[] a = {0.1, -0.9, 0.5, 0.0, 0.3, -0.3, -1.2, 0.2};
        assertArrayEquals(new int[] {1, 2, 4, 6}, CompletionPruning.keep(a, new long[] {8}, null, 4, 2));
        assertArrayEquals(new int[] {1, 6}, CompletionPruning.keep(a, new long[] {8}, null, 4, 1));
    }

    @Test
    void tokenAdvantagesWeighByTheMeanMagnitudeOverTheResponse() {
        // rows of T=3: row 0 |A| over its 2 tokens (1.0 + 0.0)/2 = 0.5 (the padded 9 ignored); row 1 (0.4+0.4+0.4)/3
        // = 0.4; row 2 one token 0.45; row 3 (0.2 + 1.0)/2 = 0.6 -> per group of 2 keep 1: rows 0 and 3
        double[] a = {1.0, 0.0, 9.0, -0.4, 0.4, -0.4, 0.45, 9.0, 9.0, -0.2, 1.0, 9.0};
        double[] m = {1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0};
        assertArrayEquals(new int[] {0, 3}, CompletionPruning.keep(a, new long[] {4, 3}, m, 2, 1));
    }

    @Test
    void rowsMustBeWholeGroups() {
        assertThrows(IllegalArgumentException.class,
                () -> CompletionPruning.keep(new double[5], new long[] {5}, null, 2, 1));
    }
}
