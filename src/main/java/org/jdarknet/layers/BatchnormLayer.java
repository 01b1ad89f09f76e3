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
        this.batchNorm = new BatchNormParameters(backend, context.input().c());
        this.epilogue = new Epilogue(batchNorm.withRollingStatistics(context.batchNormStyle()), null, Activation.LINEAR);
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
    public List<Parameter> parameters() {
        return batchNorm.list();
    }

    @Override
    public String summary() {
        return String.format("batchnorm               %s   ->  %s", whc(inputShape()), whc(outputShape()));
    }
}
