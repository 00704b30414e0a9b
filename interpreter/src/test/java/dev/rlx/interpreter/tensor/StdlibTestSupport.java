package dev.rlx.interpreter.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxSession;
import java.io.ByteArrayOutputStream;

/** One session per test class, with the shared inputs of interpreter/src/test/python/reference.py bound. */
abstract class StdlibTestSupport {
    static RlxSession session;

    static final String[] INPUTS = {
        "scores6 = tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])",
        "scores4 = tensor([0.5, 2.0, -1.0, 3.0])",
        "m = tensor([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])",
        "mgap = tensor([[1, 0, 1, 1], [1, 1, 1, 0], [1, 1, 1, 1]])",
        "r3 = tensor([1.0, -0.5, 2.0])",
        "values = tensor([[0.1, 0.2, 0.3, 0.4], [0.5, 0.1, 0.2, 0.3], [-0.2, 0.0, 0.4, 0.1]])",
        "logp = tensor([[-1.0, -2.0, -0.5, -0.7], [-1.5, -0.2, -3.0, -1.0], [-0.3, -0.9, -1.1, -2.2]])",
        "old = tensor([[-1.2, -1.8, -0.5, -0.1], [-1.0, -0.9, -2.0, -1.0], [-0.35, -0.6, -1.5, -2.0]])",
        "ref = tensor([[-1.1, -2.5, -0.4, -0.9], [-1.3, -0.1, -2.9, -1.2], [-0.5, -0.8, -1.0, -2.6]])",
        "adv_b = tensor([1.0, -1.0, 0.5])",
        "R = credit.terminal(r3, m)",
        "Rdense = R + tensor([[0.1, 0.0, -0.2, 0.0], [0.0, 0.3, 0.0, 0.0], [0.0, 0.0, 0.1, 0.0]])",
    };

    static void open() {
        session = new RlxSession(new ByteArrayOutputStream());
        for (String s : INPUTS) {
            session.repl(s);
        }
    }

    static void close() {
        session.close();
    }

    /** The value of an expression that gives a tensor or a number, flattened. */
    static double[] eval(String expr) {
        Object v = session.eval(expr);
        if (v instanceof TensorValue t) {
            return t.tensor().toDoubleArray();
        }
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        throw new AssertionError(expr + " gave " + RlxSession.json(v));
    }

    /** Element-wise to 1e-5 (relative above magnitude 1). */
    /** Element-wise |got - expected| <= relTol * |expected| + absFloor. */
    static void relClose(String expr, double relTol, double absFloor, double... expected) {
        double[] got = eval(expr);
        assertEquals(expected.length, got.length, expr + ": number of elements");
        for (int i = 0; i < got.length; i++) {
            double tol = relTol * Math.abs(expected[i]) + absFloor;
            assertTrue(Math.abs(got[i] - expected[i]) <= tol,
                    expr + ": element " + i + " is " + got[i] + ", expected " + expected[i]);
        }
    }

    static void near(String expr, double... expected) {
        double[] got = eval(expr);
        assertEquals(expected.length, got.length, expr + ": number of elements");
        for (int i = 0; i < got.length; i++) {
            double tol = 1e-5 * Math.max(1.0, Math.abs(expected[i]));
            assertTrue(Math.abs(got[i] - expected[i]) <= tol,
                    expr + ": element " + i + " is " + got[i] + ", expected " + expected[i]);
        }
    }
}
