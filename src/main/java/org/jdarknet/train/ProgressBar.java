package org.jdarknet.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal (stderr, redrawn in place): how far, how fast in
 * images per second, and the time left. Prints nothing when stderr is not a terminal, so logs and
 * pipes stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private final long startBatch;
    private final long startImages;
    private long lastDraw;

    /** A bar for a run that resumes at {@code startBatch} with {@code startImages} already seen. */
    ProgressBar(PrintStream out, boolean enabled, long startBatch, long startImages) {
        this.out = out;
        this.enabled = enabled;
        this.startBatch = startBatch;
        this.startImages = startImages;
    }

    /** Shows progress at {@code batch} of {@code total} (0: open-ended) with {@code images} seen in all. */
    void update(long batch, long total, long images) {
        long now = System.nanoTime();
        if (!enabled || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max((now - startNanos) / 1e9, 1e-9);
        StringBuilder line = new StringBuilder("\r");
        if (total > 0) {
            double done = Math.min(1, (double) batch / total);
            int filled = (int) (done * WIDTH);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% %d/%d", 100 * done, batch, total));
            double batchesPerSecond = (batch - startBatch) / seconds;
            if (batchesPerSecond > 0) {
                line.append(", ETA ").append(duration((total - batch) / batchesPerSecond));
            }
        } else {
            line.append("batch ").append(batch);
        }
        line.append(String.format(Locale.ROOT, ", %.0f img/s  ", (images - startImages) / seconds));
        out.print(line);
        out.flush();
    }

    /** Ends the line so that the next output starts on its own. */
    void finish() {
        if (enabled && lastDraw != 0) {
            out.println();
        }
    }

    static String duration(double seconds) {
        long total = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
    }
}
