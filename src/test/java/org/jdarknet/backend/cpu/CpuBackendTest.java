package org.jdarknet.backend.cpu;

import static org.jdarknet.backend.BackendPair.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The backend as a whole: how it is chosen, its threads, and its handling of tensors. */
class CpuBackendTest {

    @BeforeAll
    static void requireNatives() {
        CpuBackendUnderTest.assumeAvailable();
    }

    @Test
    void autoChoosesIt() {
        try (Backend backend = Backends.create("auto", 0)) {
            assertEquals("cpu", backend.name());
        }
    }

    @Test
    void everyThreadCountComputesTheSame() {
        ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, 32, 20, 20), 64, 3, 1, 1, 1);
        float[] input = random(1, spec.input().size(), 1);
        float[] weights = random(2, spec.weights().size(), 0.05);
        try (CpuBackend one = new CpuBackend(1); CpuBackend two = new CpuBackend(2)) {
            assertTrue(one.description().contains("1 thread)"), one.description());
            assertArrayEquals(convolve(one, spec, input, weights), convolve(two, spec, input, weights));
        }
    }

    private static float[] convolve(Backend backend, ConvolutionSpec spec, float[] input, float[] weights) {
        try (Tensor x = backend.allocate(spec.input()); Tensor w = backend.allocateParameter(spec.weights());
             Tensor y = backend.allocate(spec.output()); Convolution convolution = backend.convolution(spec)) {
            backend.upload(input, x);
            backend.upload(weights, w);
            convolution.forward(x, w, Epilogue.activation(Activation.LEAKY), y);
            return backend.download(y);
        }
    }

    @Test
    void tensorsRefuseUseAfterClose() {
        try (CpuBackend backend = new CpuBackend(0)) {
            Tensor activation = backend.allocate(new Shape(1, 3, 2, 2));
            Tensor parameter = backend.allocateParameter(Shape.vector(4));
            activation.close();
            parameter.close();
            assertThrows(IllegalStateException.class, () -> backend.download(activation));
            assertThrows(IllegalStateException.class, () -> backend.download(parameter));
        }
    }

    @Test
    void uploadChecksTheSize() {
        try (CpuBackend backend = new CpuBackend(0); Tensor tensor = backend.allocate(new Shape(1, 3, 2, 2))) {
            assertThrows(IllegalArgumentException.class, () -> backend.upload(new float[5], tensor));
        }
    }
}
