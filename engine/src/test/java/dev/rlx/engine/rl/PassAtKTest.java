package dev.rlx.engine.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** pass@k against counts worked by hand: 1 - C(n-c, k) / C(n, k), the binomials written out below. */
class PassAtKTest {
    @Test
    void smallCountsWorkedByHand() {
        // n = 5 samples, c = 2 correct: C(5,1) = 5, C(3,1) = 3 -> 1 - 3/5
        assertEquals(0.4, PassAtK.estimate(5, 2, 1), 1e-12);
        // C(5,2) = 10, C(3,2) = 3 -> 1 - 3/10
        assertEquals(0.7, PassAtK.estimate(5, 2, 2), 1e-12);
        // C(5,3) = 10, C(3,3) = 1 -> 1 - 1/10
        assertEquals(0.9, PassAtK.estimate(5, 2, 3), 1e-12);
        // n - c = 3 < k = 4: every 4 of the 5 hold a correct one
        assertEquals(1.0, PassAtK.estimate(5, 2, 4), 0);
        assertEquals(0.0, PassAtK.estimate(10, 0, 3), 0);
        assertEquals(1.0, PassAtK.estimate(10, 10, 1), 0);
        // n = 10, c = 1, k = 5: C(9,5) = 126, C(10,5) = 252 -> 1 - 1/2
        assertEquals(0.5, PassAtK.estimate(10, 1, 5), 1e-12);
        // n = 8, c = 3, k = 2: C(5,2) = 10, C(8,2) = 28 -> 18/28
        assertEquals(18.0 / 28.0, PassAtK.estimate(8, 3, 2), 1e-12);
    }

    /** Where the binomials themselves would overflow a double (C(1000, 500) ~ 2.7e299; C(2000, 1000) overflows). */
    @Test
    void largeCountsStayExact() {
        // n = 200, c = 1, k = 100: C(199,100) / C(200,100) = 100/200
        assertEquals(0.5, PassAtK.estimate(200, 1, 100), 1e-12);
        // n = 2000, c = 2, k = 1000: C(1998,1000)/C(2000,1000) = (1000 * 999) / (2000 * 1999)
        assertEquals(1 - (1000.0 * 999.0) / (2000.0 * 1999.0), PassAtK.estimate(2000, 2, 1000), 1e-12);
        // pass@1 is the share correct
        assertEquals(0.01, PassAtK.estimate(1000, 10, 1), 1e-12);
    }

    @Test
    void meanOverProblemsAndBadArguments() {
        // problems with 2 and 0 of 5 correct, k = 2: (0.7 + 0) / 2
        assertEquals(0.35, PassAtK.mean(5, new int[] {2, 0}, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(4, 1, 0));
    }
}
