package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which residuals the cpu backend fuses into a convolution as oneDNN post-ops and which it
 * composes after it ({@link ComposedResidual}); {@code ConvolutionConformance#residual} checks
 * the values of both ways.
 */
class ResidualPostOpsTest {
    private static final Shape OUTPUT = new Shape(1, 16, 4, 4);
    private static CpuBackend backend;
    private static Tensor from;
    private static Layout output;

    @BeforeAll
    static void open() {
        CpuBackendUnderTest.assumeAvailable();
        backend = new CpuBackend(0, Layout.Format.BLOCKED_8);
        from = backend.allocate(OUTPUT);
        output = ActivationTensor.of(from).layout();
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            from.close();
            backend.close();
        }
    }

    private static Epilogue epilogue(Activation activation, float alpha, float beta, Activation residual) {
        return Epilogue.activation(activation).withResidual(new Epilogue.Residual(from, alpha, beta, residual));
    }

    @Test
    void theBinaryAddFollowsTheActivationAndTheFactorBeforeIt() {
        assertEquals(1, ResidualPostOps.of(epilogue(Activation.LEAKY, 1, 1, Activation.LINEAR), output).position());
        assertEquals(0, ResidualPostOps.of(epilogue(Activation.LINEAR, 1, 1, Activation.LEAKY), output).position());
        assertEquals(3, ResidualPostOps.of(epilogue(Activation.LOGGY, 0.5f, 2, Activation.LINEAR), output).position());
        assertNotNull(ResidualPostOps.of(epilogue(Activation.LINEAR, 2, 2, Activation.MISH), output));
    }

    @Test
    void whatOneDnnCannotFuseIsComposed() {
        assertNull(ResidualPostOps.of(Epilogue.activation(Activation.LEAKY), output), "no residual");
        assertNull(ResidualPostOps.of(epilogue(Activation.RAMP, 1, 1, Activation.LINEAR), output), "Java activation");
        assertNull(ResidualPostOps.of(epilogue(Activation.LEAKY, 1, 1, Activation.STAIR), output), "Java activation");
        assertNull(ResidualPostOps.of(epilogue(Activation.LEAKY, 1, 0, Activation.LINEAR), output), "beta = 0");
        try (Tensor parent = backend.allocate(new Shape(1, 32, 4, 4));
             Tensor view = backend.channelSlice(parent, 8, 16).orElseThrow()) {
            assertNull(ResidualPostOps.of(epilogue(Activation.LEAKY, 1, 1, Activation.LINEAR),
                    ActivationTensor.of(view).layout()), "the output a channel view");
            Epilogue fromView = Epilogue.activation(Activation.LEAKY)
                    .withResidual(new Epilogue.Residual(view, 1, 1, Activation.LINEAR));
            assertNull(ResidualPostOps.of(fromView, output), "from a channel view");
        }
    }

    /**
     * A {@code from} of another shape (darknet's sampled sum) fuses where strided descriptions
     * reach both tensors ({@code nhwc}) and {@code alpha} is 1: darknet scales only the cells it
     * adds to, and a binary add scales all.
     */
    @Test
    void aSampledSumFusesInChannelsLastWithAlphaOne() {
        try (CpuBackend channelsLast = new CpuBackend(0, Layout.Format.CHANNELS_LAST);
             Tensor out = channelsLast.allocate(OUTPUT);
             Tensor larger = channelsLast.allocate(new Shape(1, 8, 8, 8));
             Tensor blockedLarger = backend.allocate(new Shape(1, 8, 8, 8))) {
            Layout nhwc = ActivationTensor.of(out).layout();
            Epilogue sampled = Epilogue.activation(Activation.LINEAR)
                    .withResidual(new Epilogue.Residual(larger, 1, 1, Activation.LEAKY));
            assertNotNull(ResidualPostOps.of(sampled, nhwc));
            Epilogue scaled = Epilogue.activation(Activation.LINEAR)
                    .withResidual(new Epilogue.Residual(larger, 0.5f, 1, Activation.LEAKY));
            assertNull(ResidualPostOps.of(scaled, nhwc), "alpha != 1");
            Epilogue blocked = Epilogue.activation(Activation.LINEAR)
                    .withResidual(new Epilogue.Residual(blockedLarger, 1, 1, Activation.LEAKY));
            assertNull(ResidualPostOps.of(blocked, output), "a blocked layout");
        }
    }
}
