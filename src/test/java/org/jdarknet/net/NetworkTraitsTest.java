package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.NetworkTraits;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The backend hears of a network ({@link Backend#prepare}) once, before the network allocates its
 * first tensor, with the values of dense-blocks.cfg counted by hand from its layers' shapes.
 */
class NetworkTraitsTest {
    private static final Path CFG = Path.of("src/test/resources/cfg/dense-blocks.cfg");
    /**
     * Per image, layers 0..17: 16x16x16, then at 8x8 the channels 16, 16, 8, 24 (route), 16, 8, 32
     * (route), 16, 4, 36 (route), 32, 32 (one-source route), 64 (route), 8, 72 (route), then 72, 72.
     */
    private static final long VALUES = 16 * 256 + 64L * (16 + 16 + 8 + 24 + 16 + 8 + 32 + 16 + 4 + 36 + 32 + 32 + 64
            + 8 + 72) + 72 + 72;
    /** The routes of more than one source: 24, 32, 36, 64 and 72 channels at 8x8. */
    private static final long CONCATENATED = 64L * (24 + 32 + 36 + 64 + 72);

    @Test
    void theBackendHearsOfAnInferenceNetworkBeforeItsFirstTensor() {
        List<Object> calls = new ArrayList<>();
        try (Network network = Network.build(CFG, recording(calls), 2)) {
            assertEquals(new NetworkTraits(VALUES, CONCATENATED, false), calls.get(0));
            assertEquals(1, calls.stream().filter(NetworkTraits.class::isInstance).count(), "prepare calls");
        }
    }

    @Test
    void aNetworkBuiltForTrainingSaysSo() {
        List<Object> calls = new ArrayList<>();
        try (Network network = Network.buildForTraining(CFG, recording(calls), 2)) {
            assertEquals(new NetworkTraits(VALUES, CONCATENATED, true), calls.get(0));
            assertEquals(0.0, ((NetworkTraits) calls.get(0)).viewableConcatenationShare(), "no views in training");
        }
    }

    /** The reference backend, noting the traits it is told and the name of every other call that allocates. */
    private static Backend recording(List<Object> calls) {
        Backend wrapped = new ReferenceBackend();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepare")) {
                        calls.add(args[0]);
                    } else if (method.getName().startsWith("allocate")) {
                        calls.add(method.getName());
                    }
                    try {
                        return method.invoke(wrapped, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
