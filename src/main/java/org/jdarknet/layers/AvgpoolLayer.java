package org.jdarknet.layers;

import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/** {@code [avgpool]}: global average pooling, every channel to its mean (w×h×c → 1×1×c). */
public final class AvgpoolLayer extends AbstractLayer {

    private AvgpoolLayer(BuildContext context, LayerOptions options) {
        super(context, new Shape(context.input().n(), context.input().c(), 1, 1), options);
    }

    public static AvgpoolLayer parse(CfgSection section, BuildContext context) {
        return new AvgpoolLayer(context, LayerOptions.parse(section));
    }

    @Override
    public String kind() {
        return "avg";
    }

    @Override
    public void forward(Tensor input) {
        backend.averagePool(input, output());
    }

    @Override
    public long flops() {
        return inputShape().itemSize();
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        if (inputDelta != null) {
            backend.averagePoolBackward(delta(), inputDelta);
        }
    }

    @Override
    public String summary() {
        return String.format("avg                     %s   ->  %4d", whc(inputShape()), outputShape().c());
    }
}
