package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [convolutional]}: a grouped 2-D convolution, then batch normalisation or a bias, then the
 * activation (darknet's default activation here is logistic).
 */
public final class ConvolutionalLayer extends WeightedLayer {
    private final ConvolutionSpec spec;

    private ConvolutionalLayer(BuildContext context, ConvolutionSpec spec, Activation activation,
                               boolean batchNormalize, boolean flipped, LayerOptions options) {
        super(context, spec.output(), context.backend().convolution(spec), spec.weights(), transpose(spec, flipped),
                activation, batchNormalize, options);
        this.spec = spec;
    }

    /** {@code flipped=1}: the file holds each filter's weights as a column instead of a row. */
    private static Parameter.Transpose transpose(ConvolutionSpec spec, boolean flipped) {
        Shape weightShape = spec.weights();
        return flipped
                ? new Parameter.Transpose(Parameter.Transpose.Rule.ALWAYS, weightShape.itemSize(), weightShape.n())
                : Parameter.Transpose.NEVER;
    }

    public static ConvolutionalLayer parse(CfgSection section, BuildContext context) {
        int filters = section.getInt("filters", 1);
        int size = section.getInt("size", 1);
        int stride = section.getInt("stride", 1);
        boolean pad = section.getFlag("pad", false);
        int padding = section.getInt("padding", 0);
        int groups = section.getInt("groups", 1);
        if (pad) {
            padding = size / 2;
        }
        requirePositive(section, "filters", filters);
        requirePositive(section, "size", size);
        requirePositive(section, "stride", stride);
        requirePositive(section, "groups", groups);
        if (padding < 0) {
            throw section.error("padding", "must not be negative");
        }
        Shape input = context.input();
        if (input.c() % groups != 0 || filters % groups != 0) {
            throw section.error("groups", "groups=" + groups + " must divide both the " + input.c()
                    + " input channels and filters=" + filters);
        }
        if (section.getFlag("binary", false) || section.getFlag("xnor", false)) {
            throw section.error(section.has("xnor") ? "xnor" : "binary", "binary (XNOR) convolutions are not supported");
        }
        Activation activation = context.activation(section, Activation.LOGISTIC);
        boolean batchNormalize = section.getFlag("batch_normalize", false);
        boolean flipped = section.getFlag("flipped", false);
        if (input.h() + 2 * padding < size || input.w() + 2 * padding < size) {
            throw section.error("size", "a " + size + "x" + size + " kernel does not fit the "
                    + input.w() + "x" + input.h() + " input padded by " + padding);
        }
        ConvolutionSpec spec = new ConvolutionSpec(input, filters, size, stride, padding, groups, context.inputRange());
        return new ConvolutionalLayer(context, spec, activation, batchNormalize, flipped, LayerOptions.parse(section));
    }

    static void requirePositive(CfgSection section, String key, int value) {
        if (value < 1) {
            throw section.error(key, "must be at least 1, found " + value);
        }
    }

    @Override
    public String kind() {
        return "conv";
    }

    /** Darknet's file order: biases, [scales, rolling mean, rolling variance], weights. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        list.add(stage().biases());
        list.addAll(stage().batchNormParameters());
        list.add(weights);
        return list;
    }

    @Override
    public long flops() {
        return spec.flops();
    }

    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public String summary() {
        String groups = spec.groups() > 1 ? String.format(" g%d", spec.groups()) : "";
        return String.format("conv  %5d %2d x%2d /%2d  %s   ->  %s  %5.3f BFLOPs%s",
                spec.filters(), spec.size(), spec.size(), spec.stride(), whc(inputShape()), whc(outputShape()),
                flops() / 1e9, groups);
    }
}
