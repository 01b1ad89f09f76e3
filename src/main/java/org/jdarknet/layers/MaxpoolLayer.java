package org.jdarknet.layers;

import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [maxpool]}: the largest value of each window. Darknet's defaults: {@code stride=1},
 * {@code size=stride}, {@code padding=size-1}, so {@code size=2 stride=1} keeps the image size.
 */
public final class MaxpoolLayer extends AbstractLayer {
    private final PoolSpec spec;

    private MaxpoolLayer(BuildContext context, PoolSpec spec, LayerOptions options) {
        super(context, spec.output(), options);
        this.spec = spec;
    }

    public static MaxpoolLayer parse(CfgSection section, BuildContext context) {
        int stride = section.getInt("stride", 1);
        int size = section.getInt("size", stride);
        int padding = section.getInt("padding", size - 1);
        ConvolutionalLayer.requirePositive(section, "stride", stride);
        ConvolutionalLayer.requirePositive(section, "size", size);
        if (padding < 0) {
            throw section.error("padding", "must not be negative");
        }
        PoolSpec spec = new PoolSpec(context.input(), size, stride, padding);
        if (spec.outputHeight() < 1 || spec.outputWidth() < 1) {
            throw section.error("size", "a " + size + "x" + size + " window does not fit the "
                    + context.input().w() + "x" + context.input().h() + " input");
        }
        return new MaxpoolLayer(context, spec, LayerOptions.parse(section));
    }

    public PoolSpec spec() {
        return spec;
    }

    @Override
    public String kind() {
        return "max";
    }

    @Override
    public void forward(Tensor input) {
        backend.maxPool(spec, input, output());
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        if (inputDelta != null) {
            backend.maxPoolBackward(spec, input, delta(), inputDelta);
        }
    }

    @Override
    public String summary() {
        return String.format("max          %d x %d / %d  %s   ->  %s",
                spec.size(), spec.size(), spec.stride(), whc(inputShape()), whc(outputShape()));
    }
}
