package org.jdarknet.layers;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [shortcut]}: the residual connection {@code act(alpha*previous + beta*from)}. When
 * {@code from} has another shape darknet neither refuses nor projects: it adds the common channels
 * at every k-th cell, where k is the ratio of the widths. pjreddie's resnet cfgs rely on this.
 * A network built for inference may fuse a shortcut into the convolution before it
 * ({@link ShortcutFusion}): then the two share one output tensor and this layer does nothing.
 */
public final class ShortcutLayer extends AbstractLayer {
    private final Layer from;
    private final float alpha;
    private final float beta;
    private final Epilogue activation;
    private final ActivationStage training;
    private final boolean fused;

    private ShortcutLayer(BuildContext context, Layer from, Activation activation, float alpha, float beta,
                          LayerOptions options) {
        super(context, options, context.fusedIntoPrevious() ? context.previous() : null);
        this.fused = context.fusedIntoPrevious();
        this.from = from;
        this.alpha = alpha;
        this.beta = beta;
        this.activation = Epilogue.activation(activation);
        this.training = new ActivationStage(context, activation, context.input());
        own(training.kept());
    }

    public static ShortcutLayer parse(CfgSection section, BuildContext context) {
        int[] reference = section.getIntList("from");
        if (reference.length != 1) {
            throw reference.length == 0 ? section.error("from", "[shortcut] needs from=<layer>")
                    : section.error("from", "[shortcut] takes exactly one layer");
        }
        Layer from = context.reference(section, "from", reference[0]);
        requireSampleable(section, from.outputShape(), context.input());
        Activation activation = context.activation(section, Activation.LINEAR);
        return new ShortcutLayer(context, from, activation,
                section.getFloat("alpha", 1), section.getFloat("beta", 1), LayerOptions.parse(section));
    }

    /**
     * Darknet steps through the larger output every {@code w_larger/w_smaller} cells and asserts
     * that the heights give the same ratio; we check that assertion while parsing.
     */
    private static void requireSampleable(CfgSection section, Shape from, Shape to) {
        boolean sameStride = Math.max(1, from.w() / to.w()) == Math.max(1, from.h() / to.h());
        boolean sameSample = Math.max(1, to.w() / from.w()) == Math.max(1, to.h() / from.h());
        if (!sameStride || !sameSample) {
            throw section.error("from", "cannot add a " + from.w() + "x" + from.h() + "x" + from.c() + " output to a "
                    + to.w() + "x" + to.h() + "x" + to.c() + " one: width and height scale differently");
        }
    }

    /** The earlier layer whose output is added. */
    public Layer from() {
        return from;
    }

    /** The factor of the previous layer's output. */
    public float alpha() {
        return alpha;
    }

    /** The factor of {@link #from}'s output. */
    public float beta() {
        return beta;
    }

    public Activation activation() {
        return training.activation();
    }

    @Override
    public String kind() {
        return "res";
    }

    /** Nothing when fused: the convolution before this layer has already written its output. */
    @Override
    public void forward(Tensor input) {
        if (fused) {
            return;
        }
        backend.copy(input, output());
        backend.shortcut(from.output(), alpha, beta, output());
        if (!activation.isIdentity()) {
            backend.apply(activation, output());
        }
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        backend.copy(input, output());
        backend.shortcut(from.output(), alpha, beta, output());
        training.forward(backend, output());
    }

    /** The delta goes to both summands: {@code alpha} times to the previous layer, {@code beta} times to {@code from}. */
    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        training.backward(backend, output(), delta());
        if (inputDelta != null) {
            backend.axpy(alpha, delta(), inputDelta);
        }
        backend.shortcut(delta(), 1, beta, from.delta());
    }

    @Override
    public long flops() {
        return outputShape().itemSize();
    }

    @Override
    public String summary() {
        return String.format("res  %3d                %s   ->  %s", from.index(), whc(from.outputShape()), whc(outputShape()));
    }
}
