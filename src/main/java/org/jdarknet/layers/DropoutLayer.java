package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [dropout]}: during training zeroes inputs with {@code probability} and scales the rest by
 * {@code 1/(1-probability)}; at inference it is the identity and, as in darknet, shares the
 * previous layer's output instead of copying it. While training it keeps its own output and
 * delta: darknet drops values in place, so the layer below then computes its activation gradient
 * from the dropped values, which is wrong for every activation but the relu family.
 */
public final class DropoutLayer extends AbstractLayer {
    private final float probability;
    private final Tensor mask;

    private DropoutLayer(BuildContext context, float probability, LayerOptions options) {
        super(context, options, context.training() ? null : context.previous());
        this.probability = probability;
        this.mask = own(context.trainingTensor(context.input()));
    }

    public static DropoutLayer parse(CfgSection section, BuildContext context) {
        if (context.previous() == null) {
            throw section.error("[dropout] cannot be the first layer");
        }
        float probability = section.getFloat("probability", .5f);
        if (!(probability >= 0 && probability < 1)) {
            throw section.error("probability", "must be in [0, 1), found " + probability);
        }
        return new DropoutLayer(context, probability, LayerOptions.parse(section));
    }

    public float probability() {
        return probability;
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public void forward(Tensor input) {
        if (output() != input) {
            backend.copy(input, output());
        }
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        backend.copy(input, output());
        backend.dropout(output(), mask, probability, pass.random().nextLong());
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        backend.dropoutBackward(mask, probability, delta());
        if (inputDelta != null) {
            backend.axpy(1, delta(), inputDelta);
        }
    }

    @Override
    public String summary() {
        return String.format("dropout       p = %.2f               %4d  ->  %4d",
                probability, inputShape().itemSize(), inputShape().itemSize());
    }
}
