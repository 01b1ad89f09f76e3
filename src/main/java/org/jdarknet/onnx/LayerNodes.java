package org.jdarknet.onnx;

import static org.jdarknet.onnx.GraphBuilder.attribute;
import static org.jdarknet.onnx.GraphBuilder.intList;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jdarknet.UsageException;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.layers.AvgpoolLayer;
import org.jdarknet.layers.BatchnormLayer;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.CostLayer;
import org.jdarknet.layers.CropLayer;
import org.jdarknet.layers.DropoutLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.MaxpoolLayer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutLayer;
import org.jdarknet.layers.SoftmaxLayer;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.AttributeProto;

/**
 * Each darknet layer's inference as ONNX nodes, computing what the reference backend computes.
 * Every layer's output is an NCHW tensor, as in darknet (a connected layer's is N×outputs×1×1).
 */
final class LayerNodes {
    private final Network network;
    private final GraphBuilder g;
    private final ActivationNodes activations;
    private final Int8Nodes int8;
    private final boolean foldBatchNorm;
    private final IntFunction<Float> inputRanges;
    private final IntFunction<Float> outputRanges;
    private final Map<Layer, String> outputs = new HashMap<>();

    LayerNodes(Network network, GraphBuilder graph, ExportOptions options) {
        this.network = network;
        this.g = graph;
        this.activations = new ActivationNodes(graph);
        this.int8 = new Int8Nodes(graph);
        this.foldBatchNorm = options.foldBatchNorm();
        this.inputRanges = options.inputRanges();
        this.outputRanges = options.outputRanges();
    }

    /** Adds the nodes of every layer, the first reading {@code input}; returns the name of the network's output. */
    String addAll(String input) {
        String previous = input;
        for (Layer layer : network.layers()) {
            g.beginLayer(layer.index(), layer.kind());
            previous = add(layer, previous);
            outputs.put(layer, previous);
        }
        return outputs.get(network.outputLayer());
    }

    private String add(Layer layer, String x) {
        if (layer instanceof ConvolutionalLayer conv) {
            return convolutional(conv, x);
        }
        if (layer instanceof ConnectedLayer connected) {
            return connected(connected, x);
        }
        if (layer instanceof MaxpoolLayer maxpool) {
            return maxpool(maxpool.spec(), x);
        }
        if (layer instanceof AvgpoolLayer) {
            return g.node("GlobalAveragePool", List.of(x));
        }
        if (layer instanceof ShortcutLayer shortcut) {
            return activations.apply(shortcut.activation(), new ShortcutNodes(g).sum(shortcut, x, outputs.get(shortcut.from())));
        }
        if (layer instanceof RouteLayer route) {
            List<String> sources = route.sources().stream().map(outputs::get).toList();
            return sources.size() == 1 ? sources.get(0) : g.node("Concat", sources, attribute("axis", 1L));
        }
        if (layer instanceof SoftmaxLayer softmax) {
            return softmax(softmax, x);
        }
        if (layer instanceof DropoutLayer) {
            return x;
        }
        if (layer instanceof CostLayer) {
            // At inference a cost layer's output stays zero; only a layer after it would read that.
            return g.node("ConstantOfShape", List.of(g.node("Shape", List.of(x))));
        }
        if (layer instanceof CropLayer crop) {
            return crop(crop, x);
        }
        if (layer instanceof BatchnormLayer) {
            return batchnorm(layer, x);
        }
        throw new CfgException(network.cfgFile(), "layer " + layer.index() + " (" + layer.kind()
                + ") has no exact ONNX form; the model was not exported");
    }

    /**
     * Conv with darknet's symmetric zero padding, then batch norm (folded or kept) or the bias, then
     * the activation; with the input and the (folded) weights quantised to int8 when the layer has
     * a calibrated input range, and the output before the activation too when it has a calibrated
     * output range (ONNX Runtime fuses {@code DequantizeLinear → Conv → QuantizeLinear} into one
     * integer convolution only when a QuantizeLinear follows).
     */
    private String convolutional(ConvolutionalLayer layer, String x) {
        ConvolutionSpec spec = layer.spec();
        Shape w = spec.weights();
        long[] dims = {w.n(), w.c(), w.h(), w.w()};
        int p = spec.padding();
        AttributeProto[] geometry = {intList("kernel_shape", spec.size(), spec.size()),
            intList("strides", spec.stride(), spec.stride()), intList("pads", p, p, p, p), intList("dilations", 1, 1),
            attribute("group", (long) spec.groups())};
        Linear linear = linearPart(layer);
        float range = inputRanges.apply(layer.index());
        String input = x;
        String weights;
        if (Float.isNaN(range)) {
            weights = g.floats("weights", linear.weights, dims);
        } else {
            requireFolded(layer, linear);
            input = int8.activations(x, range);
            weights = int8.weights(linear.weights, dims);
        }
        String y = linear.batchNorm == null
                ? g.node("Conv", List.of(input, weights, g.floats("biases", linear.biases, w.n())), geometry)
                : linear.batchNorm.node(g, g.node("Conv", List.of(input, weights), geometry), linear.biases);
        float outputRange = outputRanges.apply(layer.index());
        if (!Float.isNaN(range) && !Float.isNaN(outputRange)) {
            y = int8.activations(y, outputRange);
        }
        return activations.apply(layer.activation(), y);
    }

    /** int8 weight scales are those of the folded weights: a kept batch norm would quantise others. */
    private void requireFolded(Layer layer, Linear linear) {
        if (linear.batchNorm != null) {
            throw new UsageException("layer " + layer.index() + ": an int8 model needs batch norm folded into the"
                    + " weights (jdarknet quantises the folded weights); drop --batchnorm keep");
        }
    }

    /** The flattened input times the weights (outputs × inputs) as a Gemm, then reshaped to N×outputs×1×1. */
    private String connected(ConnectedLayer layer, String x) {
        int outputs = layer.outputShape().c();
        int inputs = layer.inputShape().itemSize();
        Linear linear = linearPart(layer);
        String flat = g.node("Flatten", List.of(x), attribute("axis", 1L));
        String weights = g.floats("weights", linear.weights, outputs, inputs);
        String y = linear.batchNorm == null
                ? g.node("Gemm", List.of(flat, weights, g.floats("biases", linear.biases, outputs)), attribute("transB", 1L))
                : linear.batchNorm.node(g, g.node("Gemm", List.of(flat, weights), attribute("transB", 1L)), linear.biases);
        String activated = activations.apply(layer.activation(), y);
        return g.node("Reshape", List.of(activated, g.ints("shape", 0, outputs, 1, 1)));
    }

    /**
     * The weights and biases of a convolutional or connected layer, with its batch norm folded in
     * when asked (then {@code batchNorm} is null), or kept beside them.
     */
    private record Linear(float[] weights, float[] biases, BatchNormValues batchNorm) {
    }

    private Linear linearPart(Layer layer) {
        float[] weights = values(layer, "weights");
        float[] biases = values(layer, "biases");
        BatchNormValues batchNorm = batchNormOf(layer);
        if (batchNorm == null) {
            return new Linear(weights, biases, null);
        }
        if (foldBatchNorm) {
            return new Linear(batchNorm.foldWeights(weights), batchNorm.foldBiases(biases), null);
        }
        return new Linear(weights, biases, batchNorm);
    }

    /**
     * Darknet's window: {@code size} cells every {@code stride}, starting {@code padding/2} before
     * the image, cells outside ignored, {@code (in + padding - size)/stride + 1} of them. ONNX pads
     * {@code padding/2} before and just enough after for the last window; pads ONNX Runtime does
     * not take (as large as the window) become an explicit pad of -FLT_MAX, darknet's starting maximum.
     */
    private String maxpool(PoolSpec spec, String x) {
        int top = -spec.offset();
        int bottom = Math.max(0, (spec.outputHeight() - 1) * spec.stride() + spec.size() - spec.input().h() - top);
        int right = Math.max(0, (spec.outputWidth() - 1) * spec.stride() + spec.size() - spec.input().w() - top);
        AttributeProto kernel = intList("kernel_shape", spec.size(), spec.size());
        AttributeProto strides = intList("strides", spec.stride(), spec.stride());
        if (Math.max(top, Math.max(bottom, right)) < spec.size()) {
            return g.node("MaxPool", List.of(x), kernel, strides, intList("pads", top, top, bottom, right));
        }
        String padded = g.node("Pad", List.of(x, g.ints("pads", 0, 0, top, top, 0, 0, bottom, right), g.scalar(-Float.MAX_VALUE)));
        return g.node("MaxPool", List.of(padded), kernel, strides);
    }

    /** Softmax over each of the groups of the flattened item, {@code x/temperature} as darknet divides. */
    private String softmax(SoftmaxLayer layer, String x) {
        Shape shape = layer.inputShape();
        int groups = layer.groups();
        String grouped = g.node("Reshape", List.of(x, g.ints("groups", 0, groups, shape.itemSize() / groups)));
        if (layer.temperature() != 1) {
            grouped = g.node("Div", List.of(grouped, g.scalar(layer.temperature())));
        }
        String probabilities = g.node("Softmax", List.of(grouped), attribute("axis", 2L));
        return g.node("Reshape", List.of(probabilities, g.ints("shape", 0, shape.c(), shape.h(), shape.w())));
    }

    /** Inference's centred window, then {@code x*scale + shift}. */
    private String crop(CropLayer layer, String x) {
        int top = layer.inferenceTop();
        int left = layer.inferenceLeft();
        Shape out = layer.outputShape();
        String y = g.node("Slice", List.of(x, g.ints("starts", top, left), g.ints("ends", top + out.h(), left + out.w()),
                g.ints("axes", 2, 3)));
        if (layer.scale() != 1) {
            y = g.node("Mul", List.of(y, g.scalar(layer.scale())));
        }
        if (layer.shift() != 0) {
            y = g.node("Add", List.of(y, g.scalar(layer.shift())));
        }
        return y;
    }

    /** {@code [batchnorm]}: normalisation and scale, no bias. */
    private String batchnorm(Layer layer, String x) {
        BatchNormValues batchNorm = batchNormOf(layer);
        if (!foldBatchNorm) {
            return batchNorm.node(g, x, null);
        }
        long c = batchNorm.channels();
        String scaled = g.node("Mul", List.of(x, g.floats("multipliers", batchNorm.multipliers(), c, 1, 1)));
        return g.node("Add", List.of(scaled, g.floats("offsets", batchNorm.foldBiases(null), c, 1, 1)));
    }

    private BatchNormValues batchNormOf(Layer layer) {
        if (layer.parameters().stream().noneMatch(Parameter::batchNorm)) {
            return null;
        }
        return new BatchNormValues(values(layer, "scales"), values(layer, "rolling_mean"), values(layer, "rolling_variance"),
                network.config().batchNormStyle());
    }

    private float[] values(Layer layer, String name) {
        for (Parameter parameter : layer.parameters()) {
            if (parameter.name().equals(name)) {
                return network.backend().download(parameter.value());
            }
        }
        throw new IllegalStateException("layer " + layer.index() + " has no " + name);
    }
}
