package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fallback records each operation that ran through it, once. */
class ReferenceFallbackTest {

    @Test
    void recordsWhichOperationsFellBack() {
        try (HostBackend backend = new HostBackend(); Tensor input = backend.allocate(new Shape(1, 4, 1, 1));
             Tensor output = backend.allocate(new Shape(1, 4, 1, 1))) {
            assertEquals(Set.of(), backend.fellBack());
            backend.fill(input, 1);
            backend.softmax(input, 1, 1, output);
            backend.softmax(input, 1, 1, output);
            assertEquals(Set.of("fill", "softmax"), backend.fellBack());
            assertEquals(0.25f, backend.download(output)[3]);
        }
    }
}
