package dev.rlx.engine.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * One metric against step as an inline SVG line chart: axes with round ticks, a line per run (or per seed group,
 * its mean, over a min-max band), markers where a series has few points (eval accuracy). Written as text so that
 * the report needs no script library and the drawing can be checked without a browser; {@link #hoverData} gives
 * the page's small script what it needs to show values under the pointer.
 */
public final class SvgChart {
    static final int WIDTH = 420;
    static final int HEIGHT = 230;
    private static final int LEFT = 52;
    private static final int RIGHT = 10;
    private static final int TOP = 24;
    private static final int BOTTOM = 28;

    /** One drawn series: points (x = step), and a band {@code lo..hi} at the same steps (null: none). */
    public record Line(String label, String color, double[] x, double[] y, double[] lo, double[] hi) {
        public Line(String label, String color, double[] x, double[] y) {
            this(label, color, x, y, null, null);
        }
    }

    private final String id;
    private final String title;
    private final List<Line> lines;
    private double xmin = Double.POSITIVE_INFINITY;
    private double xmax = Double.NEGATIVE_INFINITY;
    private double ymin = Double.POSITIVE_INFINITY;
    private double ymax = Double.NEGATIVE_INFINITY;

    public SvgChart(String id, String title, List<Line> lines) {
        this.id = id;
        this.title = title;
        this.lines = lines;
        for (Line l : lines) {
            for (int i = 0; i < l.x().length; i++) {
                xmin = Math.min(xmin, l.x()[i]);
                xmax = Math.max(xmax, l.x()[i]);
                ymin = Math.min(ymin, l.lo() != null ? l.lo()[i] : l.y()[i]);
                ymax = Math.max(ymax, l.hi() != null ? l.hi()[i] : l.y()[i]);
            }
        }
        if (!(xmin <= xmax)) {
            xmin = 0;
            xmax = 1;
        }
        if (xmin == xmax) {
            xmin -= 1;
            xmax += 1;
        }
        if (!(ymin <= ymax)) {
            ymin = 0;
            ymax = 1;
        }
        if (ymin == ymax) {
            double pad = ymin == 0 ? 1 : Math.abs(ymin) * 0.1;
            ymin -= pad;
            ymax += pad;
        } else {
            double pad = (ymax - ymin) * 0.05;
            ymin -= pad;
            ymax += pad;
        }
    }

    private double px(double x) {
        return LEFT + (x - xmin) / (xmax - xmin) * (WIDTH - LEFT - RIGHT);
    }

    private double py(double y) {
        return HEIGHT - BOTTOM - (y - ymin) / (ymax - ymin) * (HEIGHT - TOP - BOTTOM);
    }

    public String svg() {
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" id=\"").append(Html.escape(id)).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">");
        s.append("<text class=\"title\" x=\"").append(LEFT).append("\" y=\"15\">").append(Html.escape(title)).append("</text>");
        axes(s);
        for (Line l : lines) {
            if (l.lo() != null && l.x().length > 1) {
                s.append("<path class=\"band\" fill=\"").append(l.color()).append("\" d=\"").append(bandPath(l)).append("\"/>");
            }
        }
        for (Line l : lines) {
            if (l.x().length > 1) {
                s.append("<path class=\"line\" stroke=\"").append(l.color()).append("\" d=\"").append(linePath(l))
                        .append("\"><title>").append(Html.escape(l.label())).append("</title></path>");
            }
            if (l.x().length <= 40) {
                for (int i = 0; i < l.x().length; i++) {
                    s.append("<circle class=\"dot\" fill=\"").append(l.color()).append("\" cx=\"").append(f(px(l.x()[i])))
                            .append("\" cy=\"").append(f(py(l.y()[i]))).append("\" r=\"2.5\"/>");
                }
            }
        }
        s.append("<line class=\"cursor\" x1=\"0\" x2=\"0\" y1=\"").append(TOP).append("\" y2=\"").append(HEIGHT - BOTTOM)
                .append("\" visibility=\"hidden\"/>");
        s.append("</svg>");
        return s.toString();
    }

    /** What the page's hover script reads: the plot area, the ranges and every series' points. */
    public JsonObject hoverData() {
        JsonObject o = new JsonObject();
        o.addProperty("left", LEFT);
        o.addProperty("right", WIDTH - RIGHT);
        o.addProperty("xmin", xmin);
        o.addProperty("xmax", xmax);
        JsonArray series = new JsonArray();
        for (Line l : lines) {
            JsonObject j = new JsonObject();
            j.addProperty("label", l.label());
            j.addProperty("color", l.color());
            JsonArray x = new JsonArray();
            JsonArray y = new JsonArray();
            for (int i = 0; i < l.x().length; i++) {
                x.add(l.x()[i]);
                y.add(Double.parseDouble(String.format(Locale.ROOT, "%.6g", l.y()[i])));
            }
            j.add("x", x);
            j.add("y", y);
            series.add(j);
        }
        o.add("series", series);
        return o;
    }

    private void axes(StringBuilder s) {
        double bottom = HEIGHT - BOTTOM;
        s.append("<rect class=\"frame\" x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(HEIGHT - TOP - BOTTOM).append("\"/>");
        for (double t : Ticks.of(ymin, ymax, 5)) {
            double y = py(t);
            s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(f(y)).append("\" y2=\"").append(f(y)).append("\"/>");
            s.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(LEFT - 4).append("\" y=\"").append(f(y + 3.5))
                    .append("\">").append(Ticks.label(t)).append("</text>");
        }
        for (double t : Ticks.of(xmin, xmax, 6, true)) {
            double x = px(t);
            s.append("<line class=\"grid\" x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"")
                    .append(TOP).append("\" y2=\"").append(f(bottom)).append("\"/>");
            s.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(f(x)).append("\" y=\"").append(f(bottom + 13))
                    .append("\">").append(Ticks.label(t)).append("</text>");
        }
        s.append("<text class=\"axis\" text-anchor=\"end\" x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 2)
                .append("\">step</text>");
    }

    private String linePath(Line l) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < l.x().length; i++) {
            d.append(i == 0 ? 'M' : 'L').append(f(px(l.x()[i]))).append(',').append(f(py(l.y()[i])));
        }
        return d.toString();
    }

    /** The band's outline: along hi forwards, back along lo. */
    private String bandPath(Line l) {
        StringBuilder d = new StringBuilder();
        int n = l.x().length;
        for (int i = 0; i < n; i++) {
            d.append(i == 0 ? 'M' : 'L').append(f(px(l.x()[i]))).append(',').append(f(py(l.hi()[i])));
        }
        for (int i = n - 1; i >= 0; i--) {
            d.append('L').append(f(px(l.x()[i]))).append(',').append(f(py(l.lo()[i])));
        }
        return d.append('Z').toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
