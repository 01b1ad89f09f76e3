package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jdarknet.backend.Shape;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the table: median, minimum, maximum, images/s and GFLOP/s. */
class TableMathTest {

    @Test
    void oddCountTakesTheMiddleRunInMilliseconds() {
        Timings timings = Timings.of(new long[] {30_000_000, 10_000_000, 20_000_000});
        assertEquals(new Timings(20, 10, 30, 3), timings);
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
        assertEquals(new Timings(1.5, 1.5, 1.5, 1), Timings.of(new long[] {1_500_000}));
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
        BenchmarkResult result = result(new Shape(4, 3, 224, 224), 2_500_000_000L, new Timings(50, 40, 70, 5));
        assertEquals(80, result.imagesPerSecond(), 1e-9);
        assertEquals(200, result.gflopsPerSecond(), 1e-9);
        assertEquals(2.5, result.bflops(), 1e-12);
        assertEquals(4, result.batch());
    }

    @Test
    void throughputUsesTheMedianNotTheMinimum() {
        BenchmarkResult result = result(new Shape(1, 3, 256, 256), 1_000_000_000L, new Timings(10, 1, 100, 3));
        assertEquals(100, result.imagesPerSecond(), 1e-9);
        assertEquals(100, result.gflopsPerSecond(), 1e-9);
    }

    static BenchmarkResult result(Shape input, long flops, Timings timings) {
        return new BenchmarkResult("model", "inference", input, flops, 1234, timings, 2, "reference",
                "reference (plain Java)", 2, List.of());
    }
}
