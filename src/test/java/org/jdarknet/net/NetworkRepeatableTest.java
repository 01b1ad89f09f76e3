package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/**
 * Inference goes through {@link Backend#repeatable} as one pass keyed by the network, with the
 * upload before it and the download after; timing layer by layer runs them outside it.
 */
class NetworkRepeatableTest {
    private static final Path CFG = Path.of("src/test/resources/cfg/small.cfg");

    @Test
    void inferenceIsOneRepeatablePassPerImageKeyedByTheNetwork() {
        List<Object> keys = new ArrayList<>();
        List<String> callsInPasses = new ArrayList<>();
        Backend watched = watching(new ReferenceBackend(), keys, callsInPasses);
        try (Network network = Network.build(CFG, watched, 1); Network direct = Network.build(CFG, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, 7);
            RandomWeights.fill(direct, 7);
            float[] image = RandomWeights.testPattern(6, 6, 3);
            for (int call = 1; call <= 3; call++) {
                assertArrayEquals(direct.output(image), network.output(image), "output of call " + call);
                assertEquals(call, keys.size(), "repeatable passes after " + call + " images");
                assertSame(network, keys.get(call - 1));
            }
            assertTrue(callsInPasses.containsAll(List.of("maxPool", "softmax")), "the layers run inside the pass: " + callsInPasses);
            assertEquals(List.of(), callsInPasses.stream().filter(name -> name.equals("upload") || name.equals("download")).toList(),
                    "transfers inside the pass");
            network.forward((layer, start) -> {
            });
            assertEquals(3, keys.size(), "a pass timed layer by layer is not repeatable");
        }
    }

    /** {@code backend}, noting each {@code repeatable} key and every call made while a pass runs. */
    private static Backend watching(Backend backend, List<Object> keys, List<String> callsInPasses) {
        boolean[] inPass = new boolean[1];
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("repeatable")) {
                        keys.add(args[0]);
                        inPass[0] = true;
                        try {
                            ((Runnable) args[1]).run();
                        } finally {
                            inPass[0] = false;
                        }
                        return null;
                    }
                    if (inPass[0]) {
                        callsInPasses.add(method.getName());
                    }
                    try {
                        return method.invoke(backend, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
