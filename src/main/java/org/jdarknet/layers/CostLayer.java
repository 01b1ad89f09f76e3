package org.jdarknet.layers;

import org.jdarknet.Text;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [cost]}: a training loss of the previous layer's output against the truth (default
 * {@code sse}), its gradient passed down times {@code scale}. At inference it computes nothing and
 * its output stays zero, which is why a network's result is the last layer that is not a cost layer.
 */
public final class CostLayer extends AbstractLayer {
    private final CostFunction function;
    private final float scale;

    private CostLayer(BuildContext context, CostFunction function, float scale, LayerOptions options) {
        super(context, context.input(), options);
        this.function = function;
        this.scale = scale;
    }

    public static CostLayer parse(CfgSection section, BuildContext context) {
        String name = section.getString("type", "sse");
        CostFunction function = CostFunction.byName(name);
        if (function == null) {
            throw section.error("type", "unsupported cost type '" + Text.excerpt(name) + "'; supported: sse, L1, smooth");
        }
        return new CostLayer(context, function, section.getFloat("scale", 1), LayerOptions.parse(section));
    }

    public CostFunction function() {
        return function;
    }

    public float scale() {
        return scale;
    }

    @Override
    public String kind() {
        return "cost";
    }

    @Override
    public void forward(Tensor input) {
        // Inference has no truth to compare with: darknet leaves the output untouched (zero).
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        if (pass.truth().shape().equals(inputShape())) {
            pass.addCost(backend.cost(function, input, pass.truth(), delta()));
        }
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        if (inputDelta != null) {
            backend.axpy(scale, delta(), inputDelta);
        }
    }

    @Override
    public String summary() {
        return String.format("cost                                           %4d", inputShape().itemSize());
    }
}
