package dev.rlx.engine.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Worked examples: each expected verdict is what a grader reading the answer by hand would give. */
class MathAnswerTest {
    private static MathAnswer.Rational q(long num, long den) {
        return new MathAnswer.Rational(BigInteger.valueOf(num), BigInteger.valueOf(den));
    }

    @Test
    void extractsTheLastCompleteBoxWithNestedBraces() {
        assertEquals("\\frac{\\sqrt{3}}{2}", MathAnswer.extract("so \\boxed{1} no, \\boxed{\\frac{\\sqrt{3}}{2}} done"));
        assertEquals("7", MathAnswer.extract("first \\boxed{7} then \\boxed{8"), "an unclosed box is a truncated answer");
        assertEquals("5", MathAnswer.extract("$\\boxed 5$"));
        assertEquals("a\\}b", MathAnswer.extract("\\boxed{a\\}b}"), "escaped braces do not group");
    }

    @Test
    void extractsTheLastNumberOrFractionWithoutABox() {
        assertEquals("42", MathAnswer.extract("6 times 7 is 42."));
        assertEquals("\\frac{1}{2}", MathAnswer.extract("half of 1 is $\\frac{1}{2}$"));
        assertEquals("-3/4", MathAnswer.extract("the slope is -3/4 here"));
        assertEquals("1,000", MathAnswer.extract("it costs 1,000 dollars"));
        assertEquals("5", MathAnswer.extract("3-5 is not 5"), "a minus after a digit is an operator");
        assertEquals("5", MathAnswer.extract("the sum is 3 - 5"), "a minus and a space is an operator");
        assertEquals("-5", MathAnswer.extract("3 - 5 = -5"));
        assertEquals("2\\frac{1}{2}", MathAnswer.extract("about 2\\frac{1}{2} cups"));
        assertEquals("3", MathAnswer.extract("1, 2, 3"), "a list is not a thousands-separated number");
        assertNull(MathAnswer.extract("no idea"));
    }

    @Test
    void readsNumbersExactly() {
        assertEquals(q(1, 2), MathAnswer.toRational("\\frac{1}{2}"));
        assertEquals(q(1, 2), MathAnswer.toRational("0.50"));
        assertEquals(q(-3, 4), MathAnswer.toRational("\\frac{-3}{4}"));
        assertEquals(q(-3, 4), MathAnswer.toRational("-\\frac{3}{4}"));
        assertEquals(q(7, 2), MathAnswer.toRational("3\\frac{1}{2}"));
        assertEquals(q(-7, 2), MathAnswer.toRational("-3\\frac{1}{2}"));
        assertEquals(q(5, 1), MathAnswer.toRational("\\frac{\\frac{5}{2}}{\\frac{1}{2}}"));
        assertEquals(q(1, 3), MathAnswer.toRational("2.5/7.5"));
        assertEquals(q(1, 8), MathAnswer.toRational(".125"));
        assertNull(MathAnswer.toRational("\\frac{1}{0}"));
        assertNull(MathAnswer.toRational("\\sqrt{2}"));
        assertNull(MathAnswer.toRational("1/2/3"));
    }

    @Test
    void normalizesLatex() {
        assertEquals("\\frac{1}{2}", MathAnswer.normalize("$\\dfrac12$"));
        assertEquals("\\frac{1}{2}", MathAnswer.normalize("\\tfrac{1}2"));
        assertEquals("1000000", MathAnswer.normalize("1{,}000{,}000"));
        assertEquals("1000", MathAnswer.normalize("1,\\!000"));
        assertEquals("5", MathAnswer.normalize("x = 5"));
        assertEquals("12", MathAnswer.normalize("12 \\text{ cm}"));
        assertEquals("50", MathAnswer.normalize("50\\%"));
        assertEquals("90", MathAnswer.normalize("90^\\circ"));
        assertEquals("(1,2)", MathAnswer.normalize("\\left( 1, 2 \\right)"));
        assertEquals("\\frac{\\sqrt{3}}{2}", MathAnswer.normalize("\\dfrac{\\sqrt3}{2}"));
        assertEquals("2+3=5", MathAnswer.normalize("2 + 3 = 5"), "only a single variable before = is dropped");
    }

    @Test
    void workedVerdicts() {
        assertTrue(MathAnswer.equal("The answer is \\boxed{\\frac{1}{2}}.", "0.5"));
        assertTrue(MathAnswer.equal("1,000", "1000"));
        assertTrue(MathAnswer.equal("So we need 1,000 bricks.", "1000"));
        assertFalse(MathAnswer.equal("\\boxed{3}", "4"));
        assertTrue(MathAnswer.equal("\\boxed{2.50}", "2.5"));
        assertTrue(MathAnswer.equal("\\boxed{-\\frac{3}{4}}", "-0.75"));
        assertTrue(MathAnswer.equal("\\boxed{\\left(\\frac{3}{4}\\right)}", "\\frac34"));
        assertTrue(MathAnswer.equal("\\boxed{x = 5}", "5"));
        assertTrue(MathAnswer.equal("\\boxed{12\\text{ cm}}", "12"));
        assertTrue(MathAnswer.equal("\\boxed{50\\%}", "50"));
        assertTrue(MathAnswer.equal("\\boxed{3\\frac{1}{2}}", "7/2"));
        assertTrue(MathAnswer.equal("$\\boxed{\\frac{\\sqrt{3}}{2}}$", "\\dfrac{\\sqrt3}{2}"), "non-numbers compare as strings");
        assertFalse(MathAnswer.equal("\\boxed{\\sqrt{2}}", "2"));
        assertTrue(MathAnswer.equal("\\boxed{1}", "\\boxed{1.0}"), "a boxed reference is unboxed");
        assertFalse(MathAnswer.equal("0.3333", "\\frac{1}{3}"), "exact, never rounded");
        assertTrue(MathAnswer.equal("12345678901234567890.5", "24691357802469135781/2"), "beyond long and double");
        assertFalse(MathAnswer.equal("no answer", "0"));
        assertFalse(MathAnswer.equal("\\boxed{}", ""));
    }
}
