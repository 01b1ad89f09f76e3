package org.jdarknet.conformance;

import java.nio.file.Path;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.SoftmaxLayer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live, layer by layer, against the installed C darknet: the reference backend must reproduce
 * darknet's input tensor and every layer's output bit for bit. The one exception is softmax, where
 * darknet's build uses a vectorised {@code expf} that differs from a correctly rounded one by a few
 * units in the last place: there (and after) we allow 1e-6.
 */
class DarknetLayersTest {
    private static final double SOFTMAX_TOLERANCE = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "darknet19", "resnet50", "densenet201"})
    void everyLayerMatchesDarknet(String model) throws Exception {
        Darknet.assumeInstalled();
        Path weights = TestModels.randomWeights(model);
        Path image = TestModels.image("dog.jpg");
        Path dump = TestModels.workDirectory().resolve(model + "-layers");
        Darknet.dumpLayers(TestModels.cfg(model), weights, image, dump);

        try (Network network = Network.build(TestModels.cfg(model), new ReferenceBackend(), 1)) {
            WeightsReader.load(network, weights);
            float[] input = Preprocessing.LETTERBOX.apply(ImageLoader.load(image),
                    network.config().width(), network.config().height()).data();
            Agreement.assertIdentical(input, RawFloats.read(dump.resolve("input.f32")), model + " input tensor");
            network.forward(input);
            boolean exact = true;
            for (Layer layer : network.layers()) {
                exact &= !(layer instanceof SoftmaxLayer);
                if (layer.outputIsNextLayers()) {
                    continue; // it holds the next layer's output, which is compared
                }
                float[] theirs = RawFloats.read(dump.resolve(String.format("layer_%03d.f32", layer.index())));
                String what = model + " layer " + layer.index() + " (" + layer.kind() + ")";
                if (exact) {
                    Agreement.assertIdentical(network.layerOutput(layer.index()), theirs, what);
                } else {
                    Agreement.assertClose(network.layerOutput(layer.index()), theirs, SOFTMAX_TOLERANCE, what);
                }
            }
        }
    }
}
