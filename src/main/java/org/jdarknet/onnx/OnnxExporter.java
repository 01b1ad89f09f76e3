package org.jdarknet.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.AtomicFile;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.GraphProto;
import org.jdarknet.onnx.proto.Onnx.ModelProto;
import org.jdarknet.onnx.proto.Onnx.OperatorSetIdProto;
import org.jdarknet.onnx.proto.Onnx.StringStringEntryProto;
import org.jdarknet.onnx.proto.Onnx.TensorProto;
import org.jdarknet.onnx.proto.Onnx.TensorShapeProto;
import org.jdarknet.onnx.proto.Onnx.TypeProto;
import org.jdarknet.onnx.proto.Onnx.ValueInfoProto;

/**
 * A loaded darknet network as one ONNX model that computes what the reference backend computes:
 * input {@code input} (N×C×H×W, the preprocessed image), output {@code output} (N×outputs, the
 * last non-cost layer's values flattened, as {@link Network#output()} gives them).
 */
public final class OnnxExporter {
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 21;
    public static final int DEFAULT_OPSET = 17;
    /** The name of the batch dimension when it is dynamic. */
    public static final String BATCH_DIMENSION = "batch";

    private OnnxExporter() {
    }

    /** The model for {@code network}, whose parameters must be loaded. */
    public static ModelProto export(Network network, ExportOptions options) {
        GraphBuilder graph = new GraphBuilder();
        String last = new LayerNodes(network, graph, options).addAll(ModelMetadata.INPUT);
        graph.begin("output", "the network's output (darknet layer " + network.outputLayer().index() + ") flattened per image");
        graph.node("Flatten", List.of(last), ModelMetadata.OUTPUT, GraphBuilder.attribute("axis", 1L));
        NetConfig config = network.config();
        String batch = options.batch().isPresent() ? String.valueOf(options.batch().getAsInt()) : BATCH_DIMENSION;
        GraphProto.Builder proto = graph.proto().setName(String.valueOf(network.cfgFile().getFileName()))
                .addInput(tensor(ModelMetadata.INPUT, batch, config.channels(), config.height(), config.width()))
                .addOutput(tensor(ModelMetadata.OUTPUT, batch, network.outputLayer().outputShape().itemSize()));
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(irVersion(options.opset()))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()))
                .setProducerName("jdarknet")
                .setProducerVersion(producerVersion())
                .setDocString("darknet network " + network.cfgFile().getFileName() + ", exported by jdarknet")
                .setGraph(proto);
        for (Map.Entry<String, String> property : ModelMetadata.of(network, options, batch).entrySet()) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(property.getKey()).setValue(property.getValue()));
        }
        return model.build();
    }

    /**
     * The input ranges {@code network}'s convolutions were built with ({@link ConvolutionSpec#inputRange}, a
     * calibration's, NaN for the classifier head), for {@link ExportOptions#withInputRanges}: the model then
     * quantises what jdarknet's int8 path quantises.
     */
    public static IntFunction<Float> calibratedRanges(Network network) {
        List<Layer> layers = network.layers();
        return index -> layers.get(index) instanceof ConvolutionalLayer conv ? conv.spec().inputRange() : Float.NaN;
    }

    /** Exports to {@code file}, written under a temporary name and renamed. */
    public static void write(Network network, ExportOptions options, Path file) {
        ModelProto model = export(network, options);
        try {
            AtomicFile.write(file, model::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the model (" + e.getMessage() + ")", e);
        }
    }

    /** The jar's version when it records one (a packaged build), else the project's. */
    private static String producerVersion() {
        String version = OnnxExporter.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0" : version;
    }

    /** The oldest IR version that carries the opset (ONNX's release table), for the widest reach. */
    private static long irVersion(int opset) {
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    /** A float tensor's declaration; the first dimension is the batch, a number or a name. */
    private static ValueInfoProto tensor(String name, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(batch.chars().allMatch(Character::isDigit)
                ? TensorShapeProto.Dimension.newBuilder().setDimValue(Long.parseLong(batch))
                : TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
