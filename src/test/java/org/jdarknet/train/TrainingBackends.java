package org.jdarknet.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.cpu.CpuBackend;

/** The backends training tests run on: the reference one, and the cpu one where its natives load. */
public final class TrainingBackends {

    private TrainingBackends() {
    }

    public static Stream<String> names() {
        return Stream.of("reference", "cpu");
    }

    /** The backend called {@code name}; skips the calling test, saying why, where it cannot run here. */
    public static Backend create(String name) {
        if (name.equals("cpu")) {
            Optional<String> problem = CpuBackend.unavailableReason();
            problem.ifPresent(reason -> System.err.println("training test on the cpu backend skipped: " + reason));
            assumeTrue(problem.isEmpty(), () -> "cpu backend unavailable: " + problem.orElseThrow());
        }
        return Backends.create(name, 0);
    }
}
