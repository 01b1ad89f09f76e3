package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The reference and cpu backends keep {@link Backend#repeatable}'s default: the pass runs once per call, then and there. */
class RepeatableDefaultTest {

    @Test
    void theReferenceBackendRunsThePassOncePerCall() {
        try (Backend backend = new ReferenceBackend()) {
            runsOncePerCall(backend);
        }
    }

    @Test
    void theCpuBackendRunsThePassOncePerCall() {
        Optional<String> problem = CpuBackend.unavailableReason();
        problem.ifPresent(reason -> System.err.println("cpu backend part of RepeatableDefaultTest skipped: " + reason));
        assumeTrue(problem.isEmpty(), () -> "cpu backend unavailable: " + problem.orElseThrow());
        try (Backend backend = new CpuBackend(0)) {
            runsOncePerCall(backend);
        }
    }

    private static void runsOncePerCall(Backend backend) {
        Object key = new Object();
        AtomicInteger runs = new AtomicInteger();
        try (Tensor tensor = backend.allocate(new Shape(1, 3, 2, 2))) {
            for (int call = 1; call <= 4; call++) {
                float value = call;
                backend.repeatable(key, () -> {
                    runs.incrementAndGet();
                    backend.fill(tensor, value);
                });
                assertEquals(call, runs.get(), "runs of the pass after call " + call);
                float[] expected = new float[12];
                Arrays.fill(expected, value);
                assertArrayEquals(expected, backend.download(tensor), "the pass's fill took effect in call " + call);
            }
        }
    }
}
