package dev.rlx.engine.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Round axis ticks (1, 2 or 5 times a power of ten apart) and their short labels. */
final class Ticks {
    private Ticks() {}

    /** About {@code count} round values inside [lo, hi]. */
    static List<Double> of(double lo, double hi, int count) {
        return of(lo, hi, count, false);
    }

    /** The same; {@code integers}: no ticks between whole numbers (steps). */
    static List<Double> of(double lo, double hi, int count, boolean integers) {
        List<Double> out = new ArrayList<>();
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) return out;
        double raw = (hi - lo) / count;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        if (integers) step = Math.max(1, step);
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t); // no "-0"
        }
        return out;
    }

    /** A short label: plain decimals without trailing zeros, or the exponent form for very large or small values. */
    static String label(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return String.format(Locale.ROOT, "%.1e", v).replace(".0e", "e");
        String s = new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
        return s;
    }
}
