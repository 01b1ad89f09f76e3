package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bf16 hand-off ({@code Backend.allocateRounded}) of the cpu backend: a convolution writing one
 * stores its float output rounded to bf16 (to nearest, ties to even: {@link CpuBf16Test#toBf16}),
 * exactly what the next bf16 convolution would round its input to, so the next one computes from
 * it exactly what it computes from the floats; a max-pool of one holds the rounded maxima; a view
 * of one (in {@code nChw16c}, where oneDNN's bf16 kernels take views) is one too. Activations oneDNN lacks (ramp) run in Java on floats first. Anything else
 * refuses it. On a CPU without bf16 instructions the backend gives floats.
 */
class CpuBf16HandOffTest {
    private static CpuBackend bf16;

    @BeforeAll
    static void open() {
        CpuBackendUnderTest.assumeAvailable();
        bf16 = new CpuBackend(0, Precision.BF16);
    }

    @AfterAll
    static void close() {
        if (bf16 != null) {
            bf16.close();
        }
    }

    private static void assumeBf16() {
        assumeTrue(CpuIsa.hasBf16(), "this CPU (" + CpuIsa.name() + ") has no bf16 instructions: no bf16 hand-offs");
    }

    @ParameterizedTest
    @CsvSource({"16, 3, 32, LEAKY, 1, 16", "8, 1, 16, RAMP, 3, 8", "32, 3, 32, LINEAR, 3, 32"})
    void theNextConvolutionComputesWhatItComputesFromTheFloats(int channels, int size, int filters,
            Activation activation, int nextSize, int nextFilters) {
        assumeBf16();
        ConvolutionCase first = ConvolutionCase.random(new ConvolutionSpec(new Shape(1, channels, 12, 11), filters, size,
                1, size / 2, 1), true, activation, 7);
        ConvolutionCase second = ConvolutionCase.random(new ConvolutionSpec(first.spec().output(), nextFilters, nextSize,
                1, nextSize / 2, 1), true, Activation.LEAKY, 11);
        try (Tensor in = bf16.allocate(first.spec().input());
             Tensor floats = bf16.allocate(first.spec().output());
             Tensor handOff = bf16.allocateRounded(first.spec().output());
             Tensor fromFloats = bf16.allocate(second.spec().output());
             Tensor fromHandOff = bf16.allocate(second.spec().output())) {
            assertTrue(ActivationTensor.of(handOff).rounded(), "a bf16 backend stores the hand-off in bf16");
            bf16.upload(first.input(), in);
            first.forward(bf16, in, floats, null);
            first.forward(bf16, in, handOff, null);
            assertArrayEquals(CpuBf16Test.toBf16(bf16.download(floats)), bf16.download(handOff),
                    "the hand-off holds the float output rounded to bf16");
            second.forward(bf16, floats, fromFloats, null);
            second.forward(bf16, handOff, fromHandOff, null);
            assertArrayEquals(bf16.download(fromFloats), bf16.download(fromHandOff), "the next convolution's output");
        }
    }

    /**
     * A residual stream in bf16 (a fused shortcut reading the previous block's hand-off and writing
     * one): adding a hand-off gives bit for bit what adding floats of the same (rounded) values
     * gives, and a hand-off written with the residual holds that output rounded. Also for darknet's
     * sampled sum (a {@code from} of twice the size and half the channels) and an activation
     * oneDNN lacks (composed after the convolution, from the hand-off's floats).
     */
    @ParameterizedTest
    @CsvSource({"LINEAR, 32, 1", "RAMP, 32, 1", "LINEAR, 16, 2"})
    void aResidualStreamAddsTheRoundedValuesAndRoundsItsSum(Activation activation, int fromChannels, int fromScale) {
        assumeBf16();
        ConvolutionCase layer = ConvolutionCase.random(new ConvolutionSpec(new Shape(1, 16, 8, 10), 32, 1, 1, 0, 1),
                true, activation, 13);
        Shape output = layer.spec().output();
        Shape added = new Shape(1, fromChannels, output.h() * fromScale, output.w() * fromScale);
        float[] values = CpuBf16Test.toBf16(BackendPair.random(17, added.size(), 2));
        try (Tensor in = bf16.allocate(layer.spec().input());
             Tensor fromFloats = bf16.allocate(added);
             Tensor fromHandOff = bf16.allocateRounded(added);
             Tensor withFloats = bf16.allocate(output);
             Tensor withHandOff = bf16.allocate(output);
             Tensor handOff = bf16.allocateRounded(output)) {
            bf16.upload(layer.input(), in);
            bf16.upload(values, fromFloats);
            bf16.copyChannels(fromFloats, fromHandOff, 0);
            assertArrayEquals(values, bf16.download(fromHandOff), "bf16 values round to themselves");
            layer.forwardAdding(bf16, in, withFloats, new Epilogue.Residual(fromFloats, 1, 1, Activation.LEAKY));
            layer.forwardAdding(bf16, in, withHandOff, new Epilogue.Residual(fromHandOff, 1, 1, Activation.LEAKY));
            layer.forwardAdding(bf16, in, handOff, new Epilogue.Residual(fromHandOff, 1, 1, Activation.LEAKY));
            float[] sum = bf16.download(withFloats);
            assertArrayEquals(sum, bf16.download(withHandOff), "the same values added");
            assertArrayEquals(CpuBf16Test.toBf16(sum), bf16.download(handOff), "the sum rounded");
        }
    }

    @Test
    void aMaxPoolOfAHandOffHoldsTheRoundedMaxima() {
        assumeBf16();
        ConvolutionCase first = ConvolutionCase.random(new ConvolutionSpec(new Shape(1, 16, 12, 12), 32, 3, 1, 1, 1),
                true, Activation.LEAKY, 5);
        PoolSpec pool = new PoolSpec(first.spec().output(), 2, 2, 1);
        try (Tensor in = bf16.allocate(first.spec().input());
             Tensor floats = bf16.allocate(first.spec().output());
             Tensor floatsPooled = bf16.allocate(pool.output());
             Tensor handOff = bf16.allocateRounded(first.spec().output());
             Tensor pooled = bf16.allocateRounded(pool.output())) {
            bf16.upload(first.input(), in);
            first.forward(bf16, in, floats, null);
            first.forward(bf16, in, handOff, null);
            bf16.maxPool(pool, floats, floatsPooled);
            bf16.maxPool(pool, handOff, pooled);
            assertArrayEquals(CpuBf16Test.toBf16(bf16.download(floatsPooled)), bf16.download(pooled),
                    "the largest of each window, rounded");
            assertThrows(IllegalArgumentException.class, () -> bf16.maxPool(pool, floats, pooled),
                    "a max-pool from floats into a hand-off");
        }
    }

    /** RAMP runs in Java: its floats go to a dense scratch tensor first, then into the view's channels. */
    @ParameterizedTest
    @CsvSource({"LEAKY", "RAMP"})
    void aViewOfAHandOffIsOneAndTheConvolutionWritingItRoundsItsChannels(Activation activation) {
        assumeBf16();
        Shape route = new Shape(1, 48, 10, 10);
        ConvolutionCase writer = ConvolutionCase.random(new ConvolutionSpec(new Shape(1, 16, 10, 10), 16, 3, 1, 1, 1),
                true, activation, 3);
        try (CpuBackend blocked = new CpuBackend(0, Layout.Format.BLOCKED_16, Precision.BF16);
             Tensor in = blocked.allocate(writer.spec().input());
             Tensor floats = blocked.allocate(writer.spec().output());
             Tensor buffer = blocked.allocateRounded(route)) {
            Tensor view = blocked.channelSlice(buffer, 16, 16).orElseThrow();
            try (view) {
                assertTrue(ActivationTensor.of(view).rounded(), "a view of a hand-off");
                blocked.upload(writer.input(), in);
                writer.forward(blocked, in, floats, null);
                writer.forward(blocked, in, view, null);
                float[] rounded = CpuBf16Test.toBf16(blocked.download(floats));
                float[] whole = blocked.download(buffer);
                int plane = route.h() * route.w();
                for (int channel = 0; channel < route.c(); channel++) {
                    for (int i = 0; i < plane; i++) {
                        float expected = channel >= 16 && channel < 32 ? rounded[(channel - 16) * plane + i] : 0;
                        assertTrue(whole[channel * plane + i] == expected, "channel " + channel + ", point " + i);
                    }
                }
            }
        }
    }

    @Test
    void onlyConvolutionsAndMaxPoolsMayUseAHandOff() {
        assumeBf16();
        ConvolutionCase layer = ConvolutionCase.random(new ConvolutionSpec(new Shape(1, 8, 6, 6), 8, 3, 1, 1, 1), true,
                Activation.LEAKY, 3);
        try (CpuBackend fp32 = new CpuBackend(0, bf16.activationFormat(), Precision.FP32);
             Tensor handOff = bf16.allocateRounded(layer.spec().input());
             Tensor out = bf16.allocate(layer.spec().output())) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> layer.forward(fp32, handOff, out, null));
            assertTrue(refused.getMessage().endsWith("cannot take a hand-off tensor: it does not multiply bf16"),
                    refused.getMessage());
            assertThrows(IllegalStateException.class, () -> bf16.fill(handOff, 0), "only convolutions use its values");
            try (Tensor averages = bf16.allocate(new Shape(1, 8, 1, 1))) {
                assertThrows(IllegalStateException.class, () -> bf16.averagePool(handOff, averages));
            }
            try (Tensor floats = fp32.allocateRounded(layer.spec().input())) {
                assertFalse(ActivationTensor.of(floats).rounded(), "an fp32 backend gives floats");
            }
        }
    }
}
