package org.jdarknet.backend.cpu;

import java.util.List;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests that compare the cpu backend, in each activation layout, with the reference backend: the
 * pairs are opened once per test class (skipped, saying why, where the natives cannot load).
 */
abstract class EveryLayout {
    static List<BackendPair> pairs;

    @BeforeAll
    static void openPairs() {
        pairs = BackendPair.everyLayout();
    }

    @AfterAll
    static void closePairs() {
        BackendPair.closeAll(pairs);
    }

    /** Copies every parameter of one network into another built from the same cfg, on any backends. */
    static void copyParameters(Network from, Network to) {
        for (int i = 0; i < from.layers().size(); i++) {
            List<Parameter> source = from.layers().get(i).parameters();
            List<Parameter> target = to.layers().get(i).parameters();
            for (int p = 0; p < source.size(); p++) {
                to.backend().upload(from.backend().download(source.get(p).value()), target.get(p).value());
            }
        }
    }
}
