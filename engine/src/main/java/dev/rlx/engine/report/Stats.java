package dev.rlx.engine.report;

/** Mean, min and max of the values that are numbers (NaN marks a run without the value; it is left out). */
public record Stats(int count, double mean, double min, double max) {
    public static Stats of(double[] values) {
        int n = 0;
        double sum = 0;
        double min = Double.NaN;
        double max = Double.NaN;
        for (double v : values) {
            if (Double.isNaN(v)) continue;
            n++;
            sum += v;
            min = Double.isNaN(min) ? v : Math.min(min, v);
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return new Stats(n, n == 0 ? Double.NaN : sum / n, min, max);
    }
}
