package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.ModelProto;
import org.jdarknet.onnx.proto.Onnx.NodeProto;
import org.jdarknet.onnx.proto.Onnx.TensorProto;

/**
 * Calibration as the int8 export tests make it themselves: each layer's range is the largest |x|
 * it reads on one image (for layer i the previous layer's output, the network's input for layer
 * 0), measured on the reference backend; the classifier head stays fp32 as jdarknet keeps it.
 */
final class Int8Fixture {
    private Int8Fixture() {
    }

    /**
     * The input range of every layer on {@code image}, by index; NaN for the layers kept in fp32.
     * The network is left having run on {@code image}.
     */
    static float[] ranges(Network network, float[] image) {
        List<Layer> layers = network.layers();
        float[] ranges = new float[layers.size()];
        network.forward(image);
        float previous = largestMagnitude(image);
        for (int i = 0; i < layers.size(); i++) {
            ranges[i] = previous;
            previous = largestMagnitude(network.layerOutput(i));
        }
        for (int i : keptInFp32(layers)) {
            ranges[i] = Float.NaN;
        }
        return ranges;
    }

    /**
     * The layers jdarknet's int8 path keeps in fp32: every connected layer, and the classifier head,
     * the last convolutional layer when no connected layer follows it.
     */
    static int[] keptInFp32(List<Layer> layers) {
        int lastConvolution = -1;
        boolean connectedAfter = false;
        for (Layer layer : layers) {
            if (layer instanceof ConvolutionalLayer) {
                lastConvolution = layer.index();
                connectedAfter = false;
            } else if (layer instanceof ConnectedLayer) {
                connectedAfter = true;
            }
        }
        int head = connectedAfter ? -1 : lastConvolution;
        return layers.stream().filter(layer -> layer instanceof ConnectedLayer || layer.index() == head)
                .mapToInt(Layer::index).toArray();
    }

    static float largestMagnitude(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }

    /** The nodes of type {@code op} the exporter wrote for darknet layer {@code layer}, in graph order. */
    static List<NodeProto> nodes(ModelProto model, int layer, String op) {
        String doc = "darknet layer " + layer + " (";
        return model.getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals(op) && node.getDocString().startsWith(doc)).toList();
    }

    static TensorProto initializer(ModelProto model, String name) {
        return model.getGraph().getInitializerList().stream().filter(tensor -> tensor.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the model has no initializer " + name));
    }

    /** A float initializer's values. */
    static float[] floats(ModelProto model, String name) {
        TensorProto tensor = initializer(model, name);
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), tensor.getDataType(), name + ": element type");
        FloatBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** An int8 initializer's values. */
    static byte[] int8s(ModelProto model, String name) {
        TensorProto tensor = initializer(model, name);
        assertEquals(TensorProto.DataType.INT8.getNumber(), tensor.getDataType(), name + ": element type");
        return tensor.getRawData().toByteArray();
    }

    /** The op types (domain:type outside the default domain) ONNX Runtime turned the model into, with all optimisations. */
    static Map<String, Integer> optimisedOps(ModelProto model, String name) throws Exception {
        Path saved = ExportFixture.directory().resolve(name + "-int8-optimised.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(2);
            options.setOptimizedModelFilePath(saved.toString());
            OrtEnvironment.getEnvironment().createSession(model.toByteArray(), options).close();
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (NodeProto node : ModelProto.parseFrom(Files.readAllBytes(saved)).getGraph().getNodeList()) {
            ops.merge(node.getDomain().isEmpty() ? node.getOpType() : node.getDomain() + ":" + node.getOpType(), 1, Integer::sum);
        }
        Files.delete(saved);
        return ops;
    }
}
