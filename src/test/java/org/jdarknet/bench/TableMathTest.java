package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jdarknet.backend.Shape;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the table: median, minimum, maximum, percentiles, images/s and GFLOP/s. */
class TableMathTest {

    @Test
    void oddCountTakesTheMiddleRunInMilliseconds() {
        Timings timings = Timings.of(new long[] {30_000_000, 10_000_000, 20_000_000});
        assertEquals(20, timings.medianMs(), 1e-12);
        assertEquals(10, timings.minMs(), 1e-12);
        assertEquals(30, timings.maxMs(), 1e-12);
        assertEquals(3, timings.runs());
    }

    /** Numbers checked with numpy: {@code np.percentile([1, 2, 3, 4, 5], [25, 75])} is 2 and 4. */
    @Test
    void quartilesOfFiveRunsAreTheSecondAndFourth() {
        Timings timings = Timings.of(new long[] {5_000_000, 1_000_000, 4_000_000, 2_000_000, 3_000_000});
        assertEquals(2, timings.p25Ms(), 1e-12);
        assertEquals(4, timings.p75Ms(), 1e-12);
        assertEquals(2, timings.spread(), 1e-12);
    }

    /** {@code np.percentile([10, 20, 30, 40], [25, 75])}: 17.5 and 32.5, between the closest ranks. */
    @Test
    void quartilesBetweenRunsAreInterpolated() {
        Timings timings = Timings.of(new long[] {40_000_000, 10_000_000, 30_000_000, 20_000_000});
        assertEquals(17.5, timings.p25Ms(), 1e-12);
        assertEquals(32.5, timings.p75Ms(), 1e-12);
        assertEquals(32.5 / 17.5, timings.spread(), 1e-12);
        assertEquals(25, timings.medianMs(), 1e-12);
    }

    @Test
    void identicalRunsAreSteady() {
        assertEquals(1, Timings.of(new long[] {7, 7, 7, 7, 7}).spread(), 1e-12);
    }

    @Test
    void runsAreKeptInTheOrderTheyRan() {
        assertEquals(List.of(3.0, 1.0, 2.0), Timings.of(new long[] {3_000_000, 1_000_000, 2_000_000}).runsMs());
    }

    @Test
    void evenCountAveragesTheTwoMiddleRuns() {
        Timings timings = Timings.of(new long[] {4_000_000, 1_000_000, 2_000_000, 100_000_000});
        assertEquals(3, timings.medianMs(), 1e-12);
        assertEquals(1, timings.minMs(), 1e-12);
        assertEquals(100, timings.maxMs(), 1e-12);
        assertEquals(4, timings.runs());
    }

    @Test
    void oneRunIsItsOwnMedianMinimumAndMaximum() {
        Timings timings = Timings.of(new long[] {1_500_000});
        for (double ms : new double[] {timings.medianMs(), timings.minMs(), timings.maxMs(), timings.p25Ms(),
                timings.p75Ms()}) {
            assertEquals(1.5, ms, 1e-12);
        }
    }

    @Test
    void summarisingLeavesTheSamplesUntouched() {
        long[] samples = {3, 1, 2};
        Timings.of(samples);
        assertEquals(List.of(3L, 1L, 2L), List.of(samples[0], samples[1], samples[2]));
    }

    @Test
    void noRunsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Timings.of(new long[0]));
    }

    @Test
    void throughputCountsEveryImageOfTheBatch() {
        // 4 images of 2.5 GFLOPs each in a median of 50 ms: 80 images/s, 200 GFLOP/s.
        BenchmarkResult result = result(new Shape(4, 3, 224, 224), 2_500_000_000L, new Timings(List.of(40.0, 45.0, 50.0, 60.0, 70.0)));
        assertEquals(80, result.imagesPerSecond(), 1e-9);
        assertEquals(200, result.gflopsPerSecond(), 1e-9);
        assertEquals(2.5, result.bflops(), 1e-12);
        assertEquals(4, result.batch());
    }

    @Test
    void throughputUsesTheMedianNotTheMinimum() {
        BenchmarkResult result = result(new Shape(1, 3, 256, 256), 1_000_000_000L, new Timings(List.of(1.0, 10.0, 100.0)));
        assertEquals(100, result.imagesPerSecond(), 1e-9);
        assertEquals(100, result.gflopsPerSecond(), 1e-9);
    }

    static BenchmarkResult result(Shape input, long flops, Timings timings) {
        return new BenchmarkResult("model", "inference", input, flops, 1234, timings, 2, "reference",
                "reference (plain Java)", 2, List.of());
    }
}
