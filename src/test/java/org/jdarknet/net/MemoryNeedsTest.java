package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.cfg.CfgParser;
import org.jdarknet.cfg.CfgSection;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A network's memory needs, computed from its cfg without allocating them, and the errors when they do not fit. */
class MemoryNeedsTest {
    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    /**
     * 8x8x3 input, a 1x1 convolution to a million filters, then global average pooling. By hand:
     * parameters 4 * (10^6 biases + 10^6 x 3 weights) = 16,000,000 bytes; activations
     * 4 * (input 192 + conv output 64 x 10^6 + pooled 10^6) = 260,000,768 bytes; workspace
     * 4 * (3 x 1 x 1) x 64 = 768 bytes.
     */
    @Test
    void needsAreComputedFromTheCfgNotAllocated() throws IOException {
        Path cfg = wide(1_000_000, 8);
        MemoryNeeds needs = measure(cfg, 1, false);
        assertEquals(16_000_000L, needs.parameterBytes());
        assertEquals(260_000_768L, needs.activationBytes());
        assertEquals(768L, needs.workspaceBytes());
        assertEquals(0, needs.largestLayer());
        assertEquals("conv", needs.largestKind());
        assertEquals(16_000_000L + 256_000_000L + 768, needs.largestLayerBytes());
    }

    /** Training adds, by hand: weight and bias gradients (as large as the parameters), deltas, and the truth. */
    @Test
    void trainingExtrasAreCounted() throws IOException {
        Path cfg = wide(1_000, 8);
        MemoryNeeds inference = measure(cfg, 2, false);
        MemoryNeeds training = measure(cfg, 2, true);
        assertEquals(2 * inference.parameterBytes(), training.parameterBytes());
        long deltas = 4L * 2 * (1_000 * 64 + 1_000);
        long truth = 4L * 2 * 1_000;
        assertEquals(inference.activationBytes() + deltas + truth, training.activationBytes());
    }

    /**
     * Training the million-filter network, by hand: parameters and their gradients 2 x 16,000,000
     * bytes (30.5 MiB); activations 4 x (input 192 + conv output and delta 2 x 64 x 10^6 + pooled
     * output and delta 2 x 10^6 + truth 10^6) = 524,000,768 bytes (499.7 MiB); layer 0 holds
     * 32,000,000 + 512,000,000 + 768 bytes (518.8 MiB); 556,001,536 bytes in all (530.2 MiB).
     */
    @Test
    void needsBeyondTheLimitAreAOneLineErrorNamingTheLargestLayer() throws IOException {
        Path cfg = wide(1_000_000, 8);
        MemoryNeeds needs = measure(cfg, 1, true);
        CfgException heap = assertThrows(CfgException.class,
                () -> needs.requireWithin(cfg, new MemoryNeeds.Available(100 * MiB, Long.MAX_VALUE)));
        assertEquals(cfg + ": the network needs 530.2 MiB for a batch of 1 (parameters 30.5 MiB, activations 499.7 MiB,"
                + " workspace 768 bytes; the largest layer is 0 (conv), 518.8 MiB) but the Java heap holds at most"
                + " 100.0 MiB; try a smaller batch or input (width/height in [net]), or a larger heap"
                + " (JDARKNET_JAVA_OPTS=-Xmx...)", heap.getMessage());
        needs.requireWithin(cfg, new MemoryNeeds.Available(600 * MiB, 0));
    }

    @Test
    void nativeActivationsAreCheckedAgainstPhysicalMemory() throws IOException {
        Path cfg = wide(1_000_000, 8);
        List<CfgSection> sections = CfgParser.parseSections(cfg);
        MemoryNeeds needs = MemoryNeeds.measure(sections, NetConfig.parse(sections.get(0)), new Shape(4, 3, 8, 8),
                false, false);
        needs.requireWithin(cfg, new MemoryNeeds.Available(20 * MiB, Long.MAX_VALUE));
        String message = assertThrows(CfgException.class,
                () -> needs.requireWithin(cfg, new MemoryNeeds.Available(20 * MiB, 512 * MiB))).getMessage();
        assertTrue(message.endsWith("but only 512.0 MiB of memory is available; try a smaller batch (now 4) or input"
                + " (width/height in [net])"), message);
        assertThrows(CfgException.class, () -> needs.requireWithin(cfg, new MemoryNeeds.Available(10 * MiB, Long.MAX_VALUE)),
                "parameters are Java arrays on every backend");
    }

    /** darknet's filters=100000000 on a 224x224 input: refused at once, nothing allocated. */
    @Test
    void aTensorNoBackendCanHoldIsRefusedBeforeBuilding() throws IOException {
        Path cfg = wide(100_000_000, 224);
        CfgException e = assertThrows(CfgException.class, () -> Network.build(cfg, new ReferenceBackend(), 1));
        assertEquals(cfg + ":6: layer 0 [convolutional] needs a tensor of 1x100000000x224x224 = 5017600000000 values"
                + " (18.3 TiB), more than one tensor can hold (2147483647); try a smaller batch or input (width/height)",
                e.getMessage());
    }

    /** benchmark --batch 100000 on a 224x224 network: the input alone is more than a tensor holds. */
    @Test
    void aBatchNoTensorCanHoldIsNamedAtTheNetSection() throws IOException {
        Path cfg = wide(16, 224);
        List<CfgSection> sections = CfgParser.parseSections(cfg);
        CfgException e = assertThrows(CfgException.class, () -> MemoryNeeds.measure(sections,
                NetConfig.parse(sections.get(0)), new Shape(100_000, 3, 224, 224), false, false));
        assertEquals(cfg + ":1: a batch of 100000 images needs a tensor of 100000x3x224x224 = 15052800000 values"
                + " (56.1 GiB), more than one tensor can hold (2147483647); try a smaller batch or input (width/height)",
                e.getMessage());
    }

    @Test
    void allocationFailuresBecomeTheSameKindOfError() throws IOException {
        Path cfg = wide(1_000, 8);
        MemoryNeeds needs = measure(cfg, 1, false);
        assertTrue(MemoryNeeds.isAllocationFailure(new OutOfMemoryError("Java heap space")));
        assertTrue(MemoryNeeds.isAllocationFailure(new RuntimeException("could not create a memory object")));
        assertEquals(false, MemoryNeeds.isAllocationFailure(new IllegalArgumentException("groups must divide")));
        String message = needs.allocationFailed(cfg, 0, new RuntimeException("could not create a memory object")).getMessage();
        assertTrue(message.startsWith(cfg + ": ran out of memory while allocating layer 0 (could not create a memory"
                + " object); the network needs "), message);
    }

    /** Every cfg of the zoo measures, and its parameters are what the built network holds. */
    @ParameterizedTest
    @MethodSource("zoo")
    void theZooMeasuresAsItIsBuilt(Path cfg) {
        List<CfgSection> sections = CfgParser.parseSections(cfg);
        NetConfig config = NetConfig.parse(sections.get(0));
        MemoryNeeds needs = MemoryNeeds.measure(sections, config, new Shape(1, config.channels(), config.height(),
                config.width()), false, true);
        if (cfg.getFileName().toString().equals("fashion-mnist.cfg") || cfg.getFileName().toString().startsWith("tiny")) {
            try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
                assertEquals(4 * network.parameterCount(), needs.parameterBytes());
                long outputs = network.layers().stream().map(Layer::output).distinct()
                        .mapToLong(t -> 4L * t.shape().size()).sum() + 4L * network.inputShape().size();
                assertEquals(outputs, needs.activationBytes());
            }
        }
        assertTrue(needs.parameterBytes() > 0 && needs.activationBytes() > 0, cfg.toString());
    }

    static Stream<Path> zoo() throws IOException {
        return Files.list(Path.of("cfg")).filter(p -> p.toString().endsWith(".cfg")).sorted();
    }

    private static MemoryNeeds measure(Path cfg, int batch, boolean training) {
        List<CfgSection> sections = CfgParser.parseSections(cfg);
        NetConfig config = NetConfig.parse(sections.get(0));
        return MemoryNeeds.measure(sections, config, new Shape(batch, config.channels(), config.height(), config.width()),
                training, true);
    }

    private Path wide(int filters, int side) throws IOException {
        return Files.writeString(dir.resolve("wide-" + filters + ".cfg"), "[net]\nwidth=" + side + "\nheight=" + side
                + "\nchannels=3\n\n[convolutional]\nfilters=" + filters + "\nsize=1\nstride=1\nactivation=linear\n\n[avgpool]\n");
    }
}
