package org.jdarknet.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Every timed run, in milliseconds and in the order they ran, and what the reports say about
 * them: median, minimum, maximum and the 25th and 75th percentiles, whose ratio tells how steady
 * the runs were.
 */
public record Timings(List<Double> runsMs) {

    public Timings {
        if (runsMs.isEmpty()) {
            throw new IllegalArgumentException("no timed runs");
        }
        runsMs = List.copyOf(runsMs);
    }

    /** The runs given in nanoseconds (at least one). */
    public static Timings of(long[] nanos) {
        return new Timings(Arrays.stream(nanos).mapToObj(n -> n / 1e6).toList());
    }

    public int runs() {
        return runsMs.size();
    }

    /** The middle run, or the mean of the two middle ones. */
    public double medianMs() {
        return percentileMs(50);
    }

    public double minMs() {
        return percentileMs(0);
    }

    public double maxMs() {
        return percentileMs(100);
    }

    public double p25Ms() {
        return percentileMs(25);
    }

    public double p75Ms() {
        return percentileMs(75);
    }

    /**
     * The 75th percentile over the 25th: 1 when the middle half of the runs took the same time.
     * Infinite when a quarter of the runs were too short for the clock to see.
     */
    public double spread() {
        return p75Ms() / p25Ms();
    }

    /**
     * Linear interpolation between the closest ranks (numpy's default, Excel's PERCENTILE.INC):
     * the sorted runs sit at 0, 1/(n-1), ... 1, and a percentile between two of them is on the
     * straight line joining them. The 50th is the usual median.
     */
    double percentileMs(double percent) {
        double[] sorted = runsMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double rank = percent / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
