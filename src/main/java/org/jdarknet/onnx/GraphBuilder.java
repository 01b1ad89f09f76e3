package org.jdarknet.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.onnx.proto.Onnx.AttributeProto;
import org.jdarknet.onnx.proto.Onnx.GraphProto;
import org.jdarknet.onnx.proto.Onnx.NodeProto;
import org.jdarknet.onnx.proto.Onnx.TensorProto;

/**
 * The ONNX graph being written: nodes in execution order and the constant tensors they read.
 * Every node and constant gets a unique name derived from the darknet layer it belongs to, and a
 * doc string naming that layer, so a model viewer shows where each node came from.
 */
final class GraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private String layerName = "graph";
    private String layerDoc = "";
    private int counter;

    /** The darknet layer the following nodes and constants belong to. */
    void beginLayer(int index, String kind) {
        begin("layer" + index + "_" + kind, "darknet layer " + index + " (" + kind + ")");
    }

    /** A part of the graph that is no darknet layer (the final reshape to the output). */
    void begin(String name, String doc) {
        layerName = name;
        layerDoc = doc;
        counter = 0;
    }

    GraphProto.Builder proto() {
        return graph;
    }

    /** Adds {@code op(inputs)} with a fresh output name and returns that name. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        return node(op, inputs, nextName(op), attributes);
    }

    /** Adds {@code op(inputs)} writing {@code output}; returns {@code output}. */
    String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(nextName(op + "_node"))
                .addAllInput(inputs).addOutput(output).addAllAttribute(List.of(attributes))
                .setDocString(layerDoc).build());
        return output;
    }

    /** A float constant of the given dimensions. */
    String floats(String what, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return constant(what, TensorProto.DataType.FLOAT, bytes, dims);
    }

    /** A signed-byte constant of the given dimensions (a scalar without them). */
    String int8s(String what, byte[] values, long... dims) {
        return constant(what, TensorProto.DataType.INT8, ByteBuffer.wrap(values), dims);
    }

    /** A float scalar constant (broadcasts against any tensor). */
    String scalar(float value) {
        return floats("const", new float[] {value});
    }

    /** A one-dimensional int64 constant, for shapes, pads and slice bounds. */
    String ints(String what, long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return constant(what, TensorProto.DataType.INT64, bytes, values.length);
    }

    private String constant(String what, TensorProto.DataType type, ByteBuffer littleEndian, long... dims) {
        String name = nextName(what);
        List<Long> shape = new ArrayList<>();
        for (long dim : dims) {
            shape.add(dim);
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).addAllDims(shape)
                .setRawData(ByteString.copyFrom(littleEndian.array())).setDocString(layerDoc).build());
        return name;
    }

    private String nextName(String what) {
        return layerName + "." + what + counter++;
    }

    static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto intList(String name, long... values) {
        AttributeProto.Builder builder = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long value : values) {
            builder.addInts(value);
        }
        return builder.build();
    }
}
