package org.jdarknet.cfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdarknet.Log;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.cli.Processes;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.CostLayer;
import org.jdarknet.layers.DropoutLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Darknet's defaults, key by key, as parser.c sets them, and the errors for what darknet would
 * silently accept. Expected values are worked out by hand from parser.c's formulas.
 */
class CfgDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void convolutionalDefaults() throws IOException {
        try (Network network = build("[net]\nwidth=5\nheight=5\nchannels=2\n[conv]\n")) {
            ConvolutionalLayer conv = (ConvolutionalLayer) network.layers().get(0);
            assertEquals(new ConvolutionSpec(new Shape(1, 2, 5, 5), 1, 1, 1, 0, 1), conv.spec());
            assertEquals(Activation.LOGISTIC, conv.activation());
            assertEquals(List.of("biases", "weights"), names(conv), "batch_normalize=0");
        }
    }

    /** {@code pad=1} means padding = size/2, whatever {@code padding} says. Keys are separated by ';' here. */
    @ParameterizedTest
    @CsvSource({"size=3, 0", "size=3;pad=1, 1", "size=5;pad=1, 2", "size=5;pad=1;padding=7, 2", "size=3;padding=2, 2"})
    void convolutionalPadding(String keys, int padding) throws IOException {
        try (Network network = build("[net]\nwidth=9\nheight=9\nchannels=1\n[conv]\n" + lines(keys))) {
            assertEquals(padding, ((ConvolutionalLayer) network.layers().get(0)).spec().padding());
        }
    }

    /**
     * Darknet: stride 1, size = stride, padding = size-1, out = (in + padding - size)/stride + 1.
     * Keys are separated by ';' here.
     */
    @ParameterizedTest
    @CsvSource({
        "7, '', 7",                        // 1x1 window, stride 1, no padding
        "7, stride=2, 4",                  // size 2, padding 1: (7+1-2)/2+1
        "8, size=3;stride=2, 4",           // padding 2: (8+2-3)/2+1; without it, 3
        "8, size=3;stride=2;padding=0, 3",
        "7, size=2;stride=1, 7"})          // padding 1 keeps the size
    void maxpoolDefaults(int side, String keys, int outputSide) throws IOException {
        try (Network network = build("[net]\nwidth=" + side + "\nheight=" + side + "\nchannels=3\n[max]\n" + lines(keys))) {
            assertEquals(new Shape(1, 3, outputSide, outputSide), network.layers().get(0).outputShape());
        }
    }

    @Test
    void connectedDropoutAndCostDefaults() throws IOException {
        try (Network network = build("[net]\nwidth=2\nheight=2\nchannels=1\n[conn]\n[dropout]\n[cost]\n")) {
            ConnectedLayer connected = (ConnectedLayer) network.layers().get(0);
            assertEquals(Activation.LOGISTIC, connected.activation());
            assertEquals(new Shape(1, 1, 1, 1), connected.outputShape(), "output=1");
            assertEquals(0.5f, ((DropoutLayer) network.layers().get(1)).probability());
            assertEquals(CostFunction.SSE, ((CostLayer) network.layers().get(2)).function());
            assertEquals(1f, ((CostLayer) network.layers().get(2)).scale());
        }
    }

    /** Linear activation, alpha = beta = 1: a shortcut of the previous layer to itself doubles it, sign and all. */
    @Test
    void shortcutDefaults() throws IOException {
        try (Network network = build("[net]\nwidth=1\nheight=1\nchannels=1\n[conv]\nactivation=linear\n[shortcut]\nfrom=-1\n")) {
            Layer conv = network.layers().get(0);
            set(network, conv, "weights", 1);
            set(network, conv, "biases", -3);
            assertArrayEquals(new float[] {-4}, network.output(new float[] {1}));
        }
    }

    /** One group, temperature 1: exp(x - max) / sum over all four inputs; values computed by hand. */
    @Test
    void softmaxDefaults() throws IOException {
        float[] input = {1, 2, 3, 4};
        try (Network network = build("[net]\nwidth=1\nheight=1\nchannels=4\n[soft]\n")) {
            assertArrayEquals(new float[] {0.0320586f, 0.0871443f, 0.2368828f, 0.6439142f}, network.output(input), 1e-6f);
        }
        try (Network network = build("[net]\nwidth=1\nheight=1\nchannels=4\n[soft]\ngroups=2\n")) {
            assertArrayEquals(new float[] {0.2689414f, 0.7310586f, 0.2689414f, 0.7310586f}, network.output(input), 1e-6f);
        }
    }

    /** pjreddie's get_activation turns an unknown name into relu with a message; we stop. */
    @Test
    void unknownActivationsAreErrorsButMishIsKnown() throws IOException {
        String error = buildError("foo.cfg", "[net]\nwidth=1\nheight=1\nchannels=1\n\n[conv]\nactivation=foo\n");
        assertEquals(dir.resolve("foo.cfg") + ":7: 'activation': unknown activation 'foo'; known: logistic, loggy, relu, elu,"
                + " selu, relie, plse, hardtan, lhtan, linear, ramp, leaky, tanh, stair, mish, swish, relu6, hard_mish, gelu", error);
        try (Network network = build("[net]\nwidth=1\nheight=1\nchannels=1\n[conv]\nactivation=mish\n")) {
            assertEquals(Activation.MISH, ((ConvolutionalLayer) network.layers().get(0)).activation());
        }
    }

    /** Darknet dereferences a null pointer (route) or reads layer 0 (shortcut) when these are missing. */
    @Test
    void missingRequiredKeysAreErrors() throws IOException {
        String net = "[net]\nwidth=1\nheight=1\nchannels=1\n[conv]\n";
        assertEquals(dir.resolve("shortcut.cfg") + ":6: 'from': [shortcut] needs from=<layer>",
                buildError("shortcut.cfg", net + "[shortcut]\nactivation=leaky\n"));
        assertEquals(dir.resolve("route.cfg") + ":6: 'layers': [route] needs layers=<layer>[,<layer>...]",
                buildError("route.cfg", net + "[route]\n"));
        assertEquals(dir.resolve("refs.cfg") + ":7: 'layers': refers to layer 3 (from 3), but only layers 0..0 come before layer 1",
                buildError("refs.cfg", net + "[route]\nlayers=3\n"));
    }

    @Test
    void theFirstSectionMustBeNet() throws IOException {
        assertEquals(dir.resolve("first.cfg") + ":1: [convolutional]: the first section must be [net] (or [network])",
                buildError("first.cfg", "[conv]\n[net]\n"));
        assertEquals(dir.resolve("size.cfg") + ":1: 'width': [net] needs positive width, height and channels (found 0x3x3)",
                buildError("size.cfg", "[net]\nheight=3\nchannels=3\n[conv]\n"));
    }

    /** Darknet's own layer table for a cfg of defaults, after dropping its "Using default" lines. */
    @Test
    void theLayerTableOfACfgOfDefaultsIsDarknets() throws IOException {
        Processes.assumeDarknet();
        Path cfg = Path.of("src/test/resources/cfg/defaults.cfg");
        Processes.Result darknet = Processes.darknet("partial", cfg.toString(), "/dev/null", dir.resolve("out.weights").toString(), "0");
        List<String> expected = darknet.stderr().replaceAll("\\w+: Using default '[^']*'\n", "").lines()
                .filter(line -> line.startsWith("layer ") || line.matches(" *\\d+ .*")).toList();
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            assertEquals(expected, network.describe());
        }
    }

    private static String lines(String keys) {
        return keys.replace(';', '\n') + "\n";
    }

    private Network build(String text) throws IOException {
        Log.setQuiet(true);
        try {
            return Network.build(Files.writeString(dir.resolve("test.cfg"), text), new ReferenceBackend(), 1);
        } finally {
            Log.setQuiet(false);
        }
    }

    private String buildError(String name, String text) throws IOException {
        Path cfg = Files.writeString(dir.resolve(name), text);
        return assertThrows(CfgException.class, () -> Network.build(cfg, new ReferenceBackend(), 1)).getMessage();
    }

    private static List<String> names(Layer layer) {
        return layer.parameters().stream().map(Parameter::name).toList();
    }

    private static void set(Network network, Layer layer, String name, float value) {
        Parameter parameter = layer.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        network.backend().fill(parameter.value(), value);
    }
}
