package org.jdarknet.bench;

import java.util.Arrays;

/** Median, minimum and maximum of {@code runs} timed runs, in milliseconds. */
public record Timings(double medianMs, double minMs, double maxMs, int runs) {

    /** The summary of run times given in nanoseconds (at least one). */
    public static Timings of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no timed runs");
        }
        long[] sorted = sorted(nanos);
        return new Timings(medianOfSorted(sorted) / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, nanos.length);
    }

    /** The median of {@code values}: the middle one, or the mean of the two middle ones. */
    static double median(long[] values) {
        return medianOfSorted(sorted(values));
    }

    private static long[] sorted(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double medianOfSorted(long[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + (double) sorted[middle]) / 2;
    }
}
