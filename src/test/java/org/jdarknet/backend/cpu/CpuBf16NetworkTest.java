package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendProxy;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.ShortcutLayer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole zoo networks in bf16 against fp32, on seeded random weights (the head calibrated so that
 * the probabilities are not flat) and the sample images: tiny (plain convolutions and pools) and
 * densenet121 (convolutions reading and writing channel views of route concatenations). Bounds:
 * the same top-1, at least 4 of the top-5 shared, every probability within 0.01 of fp32's, and
 * not fp32's bit for bit. Each convolution's error is bounded by {@link CpuBf16Test}; this checks
 * that the errors stay that small through a whole network. And the bf16 hand-offs (outputs stored
 * in bf16 that only bf16 convolutions and max-pools read, {@code Backend.allocateRounded}) change
 * nothing: they store what their readers would have rounded their inputs to, so the network gives
 * bit for bit what it gives with every output in floats. But for a residual stream (resnet50's):
 * there each block's fused shortcut adds the previous block's rounded output where it added the
 * floats, and the network stays within a tenth of the bf16 bound of it. It needs bf16
 * instructions: without them bf16 computes fp32, which CpuBf16Test checks.
 */
class CpuBf16NetworkTest {
    private static final long SEED = 2025;
    private static final double PROBABILITY_ERROR = 0.01;

    @BeforeAll
    static void available() {
        CpuBackendUnderTest.assumeAvailable();
        assumeTrue(CpuIsa.hasBf16(), "this CPU (" + CpuIsa.name() + ") has no bf16 instructions: bf16 computes fp32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "densenet121", "resnet50"})
    void bf16AgreesWithFp32(String model) throws IOException {
        Path cfg = Path.of("cfg", model + ".cfg");
        Path weights = Files.createTempFile(Files.createDirectories(Path.of("target")), "bf16-" + model, ".weights");
        List<float[]> expected = new ArrayList<>();
        try (CpuBackend fp32 = new CpuBackend(0, Precision.FP32); Network network = Network.build(cfg, fp32, 1)) {
            CpuInt8NetworkTest.seedAndSave(network, SEED, weights);
            for (String image : CpuInt8NetworkTest.IMAGES) {
                expected.add(network.output(CpuInt8NetworkTest.input(network.config(), image)).clone());
            }
        }
        try (CpuBackend bf16 = new CpuBackend(0, Precision.BF16); Network network = Network.build(cfg, bf16, 1)) {
            WeightsReader.load(network, weights);
            for (int i = 0; i < expected.size(); i++) {
                String image = CpuInt8NetworkTest.IMAGES.get(i);
                CpuInt8NetworkTest.assertAgree(model + " bf16 on " + image, expected.get(i),
                        network.output(CpuInt8NetworkTest.input(network.config(), image)), PROBABILITY_ERROR);
            }
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "densenet121", "resnet50"})
    void handOffsInBf16ChangeNothingButAResidualStream(String model) throws IOException {
        Path cfg = Path.of("cfg", model + ".cfg");
        Path weights = Files.createTempFile(Files.createDirectories(Path.of("target")), "bf16-" + model, ".weights");
        try (CpuBackend bf16 = new CpuBackend(0, Precision.BF16);
             Network handing = Network.build(cfg, bf16, 1);
             Network floats = Network.build(cfg, withoutHandOffs(bf16), 1)) {
            CpuInt8NetworkTest.seedAndSave(handing, SEED, weights);
            WeightsReader.load(floats, weights);
            // resnet50: every output but the head's and the last block's.
            assertTrue(roundedOutputs(handing) > handing.layers().size() / 3,
                    model + ": over a third of the outputs are hand-offs, " + roundedOutputs(handing) + " are");
            assertEquals(0, roundedOutputs(floats), model + " without hand-offs");
            boolean stream = handing.layers().stream().anyMatch(ShortcutLayer.class::isInstance);
            for (String image : CpuInt8NetworkTest.IMAGES) {
                float[] input = CpuInt8NetworkTest.input(handing.config(), image);
                if (stream) {
                    CpuInt8NetworkTest.assertAgree(model + " on " + image + ", residual stream in bf16",
                            floats.output(input), handing.output(input), PROBABILITY_ERROR / 10);
                } else {
                    assertArrayEquals(floats.output(input), handing.output(input), model + " on " + image);
                }
            }
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    private static long roundedOutputs(Network network) {
        return network.layers().stream().map(Layer::output).map(ActivationTensor::of).filter(ActivationTensor::rounded)
                .count();
    }

    /** {@code backend} giving floats for every hand-off it is asked for. */
    private static Backend withoutHandOffs(Backend backend) {
        return BackendProxy.around(backend, (method, args, proceed) -> method.equals("allocateRounded")
                ? backend.allocate((Shape) args[0]) : proceed.call());
    }
}
