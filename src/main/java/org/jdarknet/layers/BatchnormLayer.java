package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [batchnorm]}: batch normalisation on its own, per channel. The weights file holds its
 * scales, rolling mean and rolling variance; darknet has no bias here.
 */
public final class BatchnormLayer extends AbstractLayer {
    private final BatchNormParameters batchNorm;
    private final Epilogue epilogue;

    private BatchnormLayer(BuildContext context, LayerOptions options) {
        super(context, context.input(), options);
        this.batchNorm = new BatchNormParameters(context, context.input());
        batchNorm.scratch().forEach(this::own);
        this.epilogue = new Epilogue(batchNorm.inference(), null, Activation.LINEAR);
    }

    public static BatchnormLayer parse(CfgSection section, BuildContext context) {
        return new BatchnormLayer(context, LayerOptions.parse(section));
    }

    @Override
    public String kind() {
        return "batchnorm";
    }

    @Override
    public void forward(Tensor input) {
        backend.copy(input, output());
        backend.apply(epilogue, output());
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        backend.copy(input, output());
        backend.batchNormForward(batchNorm.training(), output());
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        backend.batchNormBackward(batchNorm.training(), delta());
        if (inputDelta != null) {
            backend.axpy(1, delta(), inputDelta);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return batchNorm.list();
    }

    @Override
    public String summary() {
        return String.format("batchnorm               %s   ->  %s", whc(inputShape()), whc(outputShape()));
    }
}
