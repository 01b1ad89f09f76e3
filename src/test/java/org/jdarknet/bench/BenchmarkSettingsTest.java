package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jdarknet.UsageException;
import org.junit.jupiter.api.Test;

class BenchmarkSettingsTest {

    @Test
    void acceptsTheSmallestUsefulRun() {
        assertDoesNotThrow(() -> new BenchmarkSettings(1, 1, 0, 0, 0, false, null, false));
    }

    @Test
    void rejectsWhatCannotBeMeasuredNamingTheOption() {
        assertEquals("--batch must be at least 1, found 0", message(() -> new BenchmarkSettings(0, 1, 0, 0, 1, false, null, false)));
        assertEquals("--runs must be at least 1, found 0", message(() -> new BenchmarkSettings(1, 0, 0, 0, 1, false, null, false)));
        assertEquals("--warmup must not be negative, found -1",
                message(() -> new BenchmarkSettings(1, 1, -1, 0, 1, false, null, false)));
        assertEquals("--warmup-time must be a number of seconds, 0 or more, found -0.5",
                message(() -> new BenchmarkSettings(1, 1, 0, -0.5, 1, false, null, false)));
        assertEquals("--warmup-time must be a number of seconds, 0 or more, found NaN",
                message(() -> new BenchmarkSettings(1, 1, 0, Double.NaN, 1, false, null, false)));
    }

    private static String message(Runnable construction) {
        return assertThrows(UsageException.class, construction::run).getMessage();
    }

    @Test
    void perLayerTimingIsForInferenceOnly() {
        assertEquals("--layers times inference only; leave it out with --train",
                message(() -> new BenchmarkSettings(16, 1, 0, 0, 1, true, null, true)));
    }
}
