package org.parley.gateway.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain SVG line chart (no library): named series of (x, y) points, optional log scales, axis
 * ticks, a legend. Colours are the Okabe-Ito palette, and each series also has its own dash so the
 * chart reads without colour.
 */
final class SvgChart {

    record Point(double x, double y) {
    }

    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
    private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4"};
    private static final int W = 760;
    private static final int H = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final Map<String, List<Point>> series = new LinkedHashMap<>();

    SvgChart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    SvgChart series(String name, List<Point> points) {
        List<Point> usable = points.stream().filter(p -> (!logX || p.x() > 0) && (!logY || p.y() > 0)).toList();
        if (!usable.isEmpty()) {
            series.put(name, usable);
        }
        return this;
    }

    void write(Path file) throws IOException {
        Files.writeString(file, render());
    }

    String render() {
        double[] xr = range(true);
        double[] yr = range(false);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H, W, H));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
        for (double t : ticks(xr, logX)) {
            double px = LEFT + scale(t, xr, logX) * plotW;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, TOP + plotH, px, TOP + plotH + 16, label(t)));
        }
        for (double t : ticks(yr, logY)) {
            double py = TOP + plotH - scale(t, yr, logY) * plotH;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, LEFT + plotW, py, LEFT - 6, py + 4, label(t)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, H - 14, esc(xLabel)));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2, esc(yLabel)));
        int i = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            String dash = DASHES[i % DASHES.length];
            StringBuilder path = new StringBuilder();
            for (Point p : e.getValue()) {
                double px = LEFT + scale(p.x(), xr, logX) * plotW;
                double py = TOP + plotH - scale(p.y(), yr, logY) * plotH;
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, colour));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, colour,
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
            int ly = TOP + 10 + i * 20;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", W - RIGHT + 12, ly, W - RIGHT + 40, ly, colour,
                    dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", W - RIGHT + 46, ly + 4, esc(e.getKey())));
            i++;
        }
        return s.append("</svg>\n").toString();
    }

    private double[] range(boolean x) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (List<Point> ps : series.values()) {
            for (Point p : ps) {
                double v = x ? p.x() : p.y();
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        boolean log = x ? logX : logY;
        if (lo == Double.MAX_VALUE) {
            return new double[] {log ? 1 : 0, log ? 10 : 1};
        }
        if (log) {
            return new double[] {Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi)) + (hi == lo ? 1 : 0))};
        }
        double low = x ? lo : Math.min(0, lo);
        return new double[] {low, hi == low ? low + 1 : hi * 1.05};
    }

    private static double scale(double v, double[] r, boolean log) {
        return log ? (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0])) : (v - r[0]) / (r[1] - r[0]);
    }

    private static List<Double> ticks(double[] r, boolean log) {
        java.util.ArrayList<Double> t = new java.util.ArrayList<>();
        if (log) {
            for (double v = r[0]; v <= r[1] * 1.0001; v *= 10) {
                t.add(v);
            }
            return t;
        }
        double step = Math.pow(10, Math.floor(Math.log10((r[1] - r[0]) / 5)));
        if ((r[1] - r[0]) / step > 10) {
            step *= 2;
        }
        for (double v = Math.ceil(r[0] / step) * step; v <= r[1]; v += step) {
            t.add(v);
        }
        return t;
    }

    private static String label(double v) {
        if (v >= 1000 && v % 1000 == 0) {
            return (long) (v / 1000) + "k";
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
