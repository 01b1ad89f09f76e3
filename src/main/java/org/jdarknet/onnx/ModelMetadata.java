package org.jdarknet.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;

/**
 * What a user of the exported model needs besides the graph, as ONNX metadata properties: the
 * input's name, layout and shape, how darknet turns an image into it, and the class names.
 */
final class ModelMetadata {
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private ModelMetadata() {
    }

    static Map<String, String> of(Network network, ExportOptions options, String batchDimension) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("input_name", INPUT);
        properties.put("input_shape", String.join("x", batchDimension, String.valueOf(network.config().channels()),
                String.valueOf(network.config().height()), String.valueOf(network.config().width())));
        properties.put("input_layout", "NCHW float32, planar (all of channel 0, then channel 1, ...)");
        properties.put("input_color", network.config().channels() == 3 ? "RGB" : network.config().channels() + " channels");
        properties.put("input_scale", "pixel / 255, in [0, 1]");
        properties.put("preprocessing", options.preprocessing().cliName());
        properties.put("preprocessing_description", describe(options.preprocessing()));
        properties.put("output_name", OUTPUT);
        properties.put("output_shape", batchDimension + "x" + network.outputLayer().outputShape().itemSize());
        if (!options.classNames().isEmpty()) {
            properties.put("class_names", String.join("\n", options.classNames()));
        }
        properties.put("darknet_cfg", String.valueOf(network.cfgFile().getFileName()));
        properties.put("batchnorm_style", network.config().batchNormStyle().name().toLowerCase(Locale.ROOT));
        properties.put("precision", precision(network, options));
        return properties;
    }

    /** fp32, or how many convolutions the int8 (QDQ) model quantises, and how many of their outputs. */
    private static String precision(Network network, ExportOptions options) {
        List<Layer> convolutions = network.layers().stream().filter(ConvolutionalLayer.class::isInstance).toList();
        List<Layer> quantised = convolutions.stream()
                .filter(layer -> !Float.isNaN(options.inputRanges().apply(layer.index()))).toList();
        long outputs = quantised.stream().filter(layer -> !Float.isNaN(options.outputRanges().apply(layer.index()))).count();
        return quantised.isEmpty() ? "fp32" : "int8 (QDQ): " + quantised.size() + " of " + convolutions.size() + " convolutions with"
                + " int8 inputs (per tensor) and weights (per output channel), " + outputs + " of them with int8 outputs"
                + " before the activation (per tensor), the rest fp32";
    }

    /** The darknet procedure behind each preprocessing name, for readers without jdarknet. */
    private static String describe(Preprocessing preprocessing) {
        return switch (preprocessing) {
            case LETTERBOX -> "darknet's letterbox_image: scale to fit inside the input keeping the aspect ratio"
                    + " (bilinear, darknet's resize_image), centre on a 0.5 grey canvas";
            case RESIZE -> "darknet's resize_image: bilinear stretch to the input size";
            case RESIZE_MIN_CROP -> "darknet's resize_min then crop_image: shorter side to the input width, centred window";
            case CENTER_CROP -> "the largest centred square, stretched (bilinear) to the input size";
        };
    }
}
