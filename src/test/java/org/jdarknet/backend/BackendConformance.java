package org.jdarknet.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit's common ground: a backend passes {@link Backend}'s contract when its
 * subclasses of every kit class ({@link OperationsConformance}, {@link ConvolutionConformance},
 * {@link TrainingOperationsConformance}, {@link ZooConformance}, {@link TrainingStepConformance},
 * {@link TrainingMemoryConformance}) pass. A subclass only names the backend, by returning it from
 * {@link #subject}. Every variant it offers is opened once per test class, next to the reference
 * backend; where the backend cannot run, the whole class is skipped with the backend's reason,
 * printed on stderr (surefire shows no reason for a class skipped before its tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {
    /** The reference backend and each variant of the backend under test. */
    protected List<BackendPair> pairs;

    /** The backend under test. */
    protected abstract BackendUnderTest subject();

    protected Tolerances tolerances() {
        return subject().tolerances();
    }

    @BeforeAll
    void openPairs() {
        Optional<String> problem = subject().unavailableReason();
        String skipped = getClass().getSimpleName() + " skipped: ";
        problem.ifPresent(reason -> System.err.println(skipped + reason));
        assumeTrue(problem.isEmpty(), () -> skipped + problem.orElseThrow());
        pairs = subject().variants().stream().map(variant -> new BackendPair(subject(), variant)).toList();
    }

    @AfterAll
    void closePairs() {
        if (pairs != null) {
            pairs.forEach(BackendPair::close);
        }
    }

    /** Copies every parameter of one network into another built from the same cfg, on any backends. */
    public static void copyParameters(Network from, Network to) {
        for (int i = 0; i < from.layers().size(); i++) {
            List<Parameter> source = from.layers().get(i).parameters();
            List<Parameter> target = to.layers().get(i).parameters();
            for (int p = 0; p < source.size(); p++) {
                to.backend().upload(from.backend().download(source.get(p).value()), target.get(p).value());
            }
        }
    }
}
