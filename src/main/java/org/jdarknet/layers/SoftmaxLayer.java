package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [softmax]}: probabilities over each of {@code groups} equal slices of the input,
 * sharpened or flattened by {@code temperature}. While training (unless {@code noloss=1}) it also
 * computes darknet's cross-entropy loss against the truth, and its gradient.
 */
public final class SoftmaxLayer extends AbstractLayer {
    private final int groups;
    private final float temperature;
    private final boolean noLoss;

    private SoftmaxLayer(BuildContext context, int groups, float temperature, boolean noLoss, LayerOptions options) {
        super(context, context.input(), options);
        this.groups = groups;
        this.temperature = temperature;
        this.noLoss = noLoss;
    }

    public static SoftmaxLayer parse(CfgSection section, BuildContext context) {
        int groups = section.getInt("groups", 1);
        ConvolutionalLayer.requirePositive(section, "groups", groups);
        if (context.input().itemSize() % groups != 0) {
            throw section.error("groups", groups + " groups do not divide the " + context.input().itemSize() + " inputs");
        }
        float temperature = section.getFloat("temperature", 1);
        if (!(temperature > 0)) {
            throw section.error("temperature", "must be positive");
        }
        if (section.has("tree")) {
            throw section.error("tree", "hierarchical softmax (tree=) is not supported");
        }
        boolean noLoss = section.getFlag("noloss", false);
        return new SoftmaxLayer(context, groups, temperature, noLoss, LayerOptions.parse(section));
    }

    public int groups() {
        return groups;
    }

    public float temperature() {
        return temperature;
    }

    @Override
    public String kind() {
        return "softmax";
    }

    @Override
    public void forward(Tensor input) {
        backend.softmax(input, groups, temperature, output());
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        forward(input);
        if (!noLoss && pass.truth().shape().equals(outputShape())) {
            pass.addCost(backend.softmaxCrossEntropy(output(), pass.truth(), delta()));
        }
    }

    /**
     * The cross-entropy delta {@code truth - p} is the combined gradient of softmax and loss with
     * respect to {@code input/temperature}; darknet passes it down unscaled, which is wrong by the
     * factor {@code 1/temperature} whenever the temperature is not 1. We scale it.
     */
    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        if (inputDelta != null) {
            backend.axpy(1 / temperature, delta(), inputDelta);
        }
    }

    @Override
    public String summary() {
        return String.format("softmax                                        %4d", inputShape().itemSize());
    }
}
