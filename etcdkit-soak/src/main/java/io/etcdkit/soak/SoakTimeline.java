package io.etcdkit.soak;

import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The PNG timeline of a soak run, drawn headless with Java 2D: time on x; a lane naming each fault at the top;
 * fault windows shaded (one colour per kind) across one panel per workload, stacked; in each panel every operation
 * as a point at its start time and latency (log scale, 1 ms to 10 s; grey OK, orange failed, red unknown) and the
 * p99 of the successful operations per second as a line. (XChart, used by the benchmarks, cannot shade arbitrary
 * time windows, hence Java 2D.)
 */
final class SoakTimeline {
    private static final int WIDTH = 1800;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int LANE = 90;
    private static final int PANEL = 170;
    private static final int GAP = 26;
    private static final int BOTTOM = 40;
    private static final double MIN_MS = 1;
    private static final double MAX_MS = 10_000;
    private static final Color[] KIND_COLORS = {
        new Color(230, 25, 75), new Color(245, 130, 48), new Color(60, 180, 75), new Color(0, 130, 200),
        new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230), new Color(128, 128, 0),
        new Color(170, 110, 40), new Color(0, 0, 128), new Color(128, 0, 0), new Color(0, 128, 128)};

    private SoakTimeline() {
    }

    static void write(SoakResult result, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int panels = result.workloads().size();
        int height = LANE + panels * (PANEL + GAP) + BOTTOM;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            double seconds = Math.max(1, lastSecond(result));
            Scale x = new Scale(result.startNanos(), seconds);
            drawFaultLane(g, result, x);
            for (int i = 0; i < panels; i++) {
                int top = LANE + i * (PANEL + GAP) + GAP;
                drawPanel(g, result, result.workloads().get(i), x, top);
            }
            drawTimeAxis(g, x, LANE + panels * (PANEL + GAP) + 4, seconds);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** Maps nanoTime to pixels. */
    private record Scale(long startNanos, double seconds) {
        int px(long nanos) {
            double s = (nanos - startNanos) / 1e9;
            return LEFT + (int) Math.round(s / seconds * (WIDTH - LEFT - RIGHT));
        }
    }

    private static double lastSecond(SoakResult result) {
        long last = result.faultsEndNanos();
        for (WorkloadResult w : result.workloads()) {
            OperationLog.Snapshot ops = w.operations();
            for (int i = 0; i < ops.size(); i++) {
                last = Math.max(last, ops.starts()[i] + ops.latencies()[i]);
            }
        }
        return (last - result.startNanos()) / 1e9;
    }

    private static Color color(FaultKind kind, int alpha) {
        Color c = KIND_COLORS[kind.ordinal() % KIND_COLORS.length];
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    private static void drawFaultLane(Graphics2D g, SoakResult result, Scale x) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "soak seed %d, %d members: %d faults, %d violations", result.seed(),
                result.members(), result.faults().size(), result.violations()), LEFT, 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int lx = LEFT;
        for (FaultKind kind : FaultKind.values()) {
            if (!result.plannedKinds().contains(kind)) {
                continue;
            }
            g.setColor(color(kind, 160));
            g.fillRect(lx, 24, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(kind.name(), lx + 15, 34);
            lx += 20 + g.getFontMetrics().stringWidth(kind.name()) + 10;
        }
        // labels only while they fit; a long run's lane shows the windows in their kind's colour
        boolean labels = result.faults().size() <= 60;
        int row = 0;
        for (FaultWindow w : result.faults()) {
            int x0 = x.px(w.startNanos());
            int x1 = Math.max(x0 + 2, x.px(w.endNanos()));
            int y = 44 + (row++ % 3) * 13;
            g.setColor(color(w.kind(), 200));
            g.fillRect(x0, y, x1 - x0, 11);
            if (labels) {
                g.setColor(Color.BLACK);
                g.drawString(w.kind().name().toLowerCase(Locale.ROOT) + " " + w.target(), x1 + 2, y + 10);
            }
        }
    }

    private static int py(double ms, int top) {
        double clamped = Math.max(MIN_MS, Math.min(MAX_MS, ms));
        double f = Math.log10(clamped / MIN_MS) / Math.log10(MAX_MS / MIN_MS);
        return top + PANEL - (int) Math.round(f * PANEL);
    }

    private static void drawPanel(Graphics2D g, SoakResult result, WorkloadResult w, Scale x, int top) {
        for (FaultWindow f : result.faults()) {
            int x0 = x.px(f.startNanos());
            int x1 = Math.max(x0 + 2, x.px(f.endNanos()));
            g.setColor(color(f.kind(), 45));
            g.fillRect(x0, top, x1 - x0, PANEL);
        }
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (double ms = MIN_MS; ms <= MAX_MS; ms *= 10) {
            int y = py(ms, top);
            g.setColor(new Color(220, 220, 220));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(ms >= 1000 ? (int) (ms / 1000) + " s" : (int) ms + " ms", 8, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, top, WIDTH - LEFT - RIGHT, PANEL);
        OperationLog.Snapshot ops = w.operations();
        Color ok = new Color(60, 60, 60, 90);
        Color failed = new Color(255, 140, 0, 200);
        Color unknown = new Color(220, 0, 0, 230);
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < ops.size(); i++) {
                Outcome o = ops.outcome(i);
                if (o.ordinal() != pass) {
                    continue;
                }
                int px = x.px(ops.starts()[i]);
                int py = py(ops.latencies()[i] / 1e6, top);
                if (o == Outcome.OK) {
                    g.setColor(ok);
                    g.fillRect(px, py - 1, 2, 2);
                } else {
                    g.setColor(o == Outcome.FAILED ? failed : unknown);
                    g.drawLine(px - 3, py - 3, px + 3, py + 3);
                    g.drawLine(px - 3, py + 3, px + 3, py - 3);
                }
            }
        }
        g.setClip(LEFT, top, WIDTH - LEFT - RIGHT, PANEL);
        drawP99(g, ops, x, top);
        g.setClip(null);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(String.format(Locale.ROOT, "%s — %d ops: %d ok, %d failed (orange), %d unknown (red); "
                        + "p99 per second (blue); %s: %d violations", w.name(), ops.size(), w.count(Outcome.OK),
                w.count(Outcome.FAILED), w.count(Outcome.UNKNOWN), w.verdict().checker(),
                w.verdict().violations()), LEFT, top - 6);
    }

    private static void drawP99(Graphics2D g, OperationLog.Snapshot ops, Scale x, int top) {
        int seconds = (int) Math.ceil(x.seconds()) + 1;
        long[][] buckets = new long[seconds][];
        int[] fill = new int[seconds];
        for (int i = 0; i < ops.size(); i++) {
            if (ops.outcome(i) != Outcome.OK) {
                continue;
            }
            int s = (int) ((ops.starts()[i] - x.startNanos()) / 1_000_000_000L);
            if (s < 0 || s >= seconds) {
                continue;
            }
            if (buckets[s] == null) {
                buckets[s] = new long[16];
            } else if (fill[s] == buckets[s].length) {
                buckets[s] = Arrays.copyOf(buckets[s], fill[s] * 2);
            }
            buckets[s][fill[s]++] = ops.latencies()[i];
        }
        Path2D line = new Path2D.Double();
        boolean started = false;
        for (int s = 0; s < seconds; s++) {
            if (fill[s] == 0) {
                started = false;
                continue;
            }
            long[] b = Arrays.copyOf(buckets[s], fill[s]);
            Arrays.sort(b);
            double p99 = b[Math.min(b.length - 1, (int) Math.ceil(0.99 * b.length) - 1)] / 1e6;
            double px = x.px(x.startNanos() + s * 1_000_000_000L + 500_000_000L);
            double py = py(p99, top);
            if (started) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                started = true;
            }
        }
        g.setColor(new Color(0, 70, 200));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(line);
        g.setStroke(new BasicStroke(1));
    }

    private static void drawTimeAxis(Graphics2D g, Scale x, int y, double seconds) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int step = seconds <= 180 ? 10 : seconds <= 900 ? 60 : 120;
        for (int s = 0; s <= seconds; s += step) {
            int px = x.px(x.startNanos() + s * 1_000_000_000L);
            g.drawLine(px, y, px, y + 5);
            g.drawString(s + " s", px - 8, y + 18);
        }
        g.drawString("time since the workloads started", WIDTH / 2 - 80, y + 32);
    }
}
