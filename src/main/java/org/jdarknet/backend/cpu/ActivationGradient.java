package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.Activation;

/**
 * {@code Backend.activationGradient}: {@code delta *= activation'}, in place. Darknet writes most
 * gradients in terms of the activation's output, and for those oneDNN has the same formula as an
 * eltwise backward primitive that reads the output ({@code *_use_dst_for_bwd}); the others run as
 * a Java pass with darknet's own formula ({@link Activation#gradient}) over the real channels.
 */
record ActivationGradient(Dnnl dnnl, JavaThreads threads) {

    private record Key(Layout layout, EltwiseSteps.Step step) {
    }

    /** @param x the activation's input, null unless {@link Activation#gradientNeedsInput} */
    void apply(Activation activation, ActivationTensor x, ActivationTensor y, ActivationTensor delta) {
        if (activation == Activation.LINEAR) {
            return;
        }
        EltwiseSteps.Step step = fromOutput(activation);
        if (step == null) {
            javaPass(activation, x, y, delta);
            return;
        }
        primitive backward = dnnl.cached(new Key(delta.layout(), step), () -> create(step, delta.layout()));
        dnnl.execute(backward, Arg.dst(y.memory()), new Arg(DNNL_ARG_DIFF_DST, delta.memory()),
                new Arg(DNNL_ARG_DIFF_SRC, delta.memory()));
    }

    /** The oneDNN algorithm whose gradient, computed from the output, is darknet's; null when there is none. */
    private static EltwiseSteps.Step fromOutput(Activation activation) {
        return switch (activation) {
            case LOGISTIC -> EltwiseSteps.Step.of(algorithm.eltwise_logistic_use_dst_for_bwd);
            case TANH -> EltwiseSteps.Step.of(algorithm.eltwise_tanh_use_dst_for_bwd);
            case RELU -> EltwiseSteps.Step.of(algorithm.eltwise_relu_use_dst_for_bwd);
            case LEAKY -> new EltwiseSteps.Step(algorithm.eltwise_relu_use_dst_for_bwd, 0.1f, 0);
            case RELIE -> new EltwiseSteps.Step(algorithm.eltwise_relu_use_dst_for_bwd, 0.01f, 0);
            // darknet's y >= 0 ? 1 : y + 1 equals oneDNN's y > 0 ? 1 : y + 1, also at y = 0.
            case ELU -> new EltwiseSteps.Step(algorithm.eltwise_elu_use_dst_for_bwd, 1, 0);
            default -> null;
        };
    }

    private primitive create(EltwiseSteps.Step step, Layout layout) {
        memory.desc descriptor = layout.descriptor();
        try (eltwise_forward.primitive_desc hint = new eltwise_forward.primitive_desc(dnnl.engine(),
                prop_kind.forward_training, step.algorithm(), descriptor, descriptor, step.alpha(), step.beta());
             primitive_attr attributes = new primitive_attr();
             eltwise_backward.primitive_desc backward = new eltwise_backward.primitive_desc(dnnl.engine(),
                     step.algorithm(), descriptor, descriptor, descriptor, step.alpha(), step.beta(), hint, attributes,
                     false)) {
            return new eltwise_backward(backward);
        }
    }

    private void javaPass(Activation activation, ActivationTensor x, ActivationTensor y, ActivationTensor delta) {
        Layout layout = delta.layout();
        FloatBuffer input = x == null ? null : x.values();
        FloatBuffer output = y.values();
        FloatBuffer d = delta.values();
        int points = layout.shape().h() * layout.shape().w();
        int stride = layout.pointStride();
        threads.split(layout.segments(), (part, from, to) -> {
            for (int segment = from; segment < to; segment++) {
                int channels = layout.segmentChannels(segment);
                for (int point = 0, base = layout.segmentStart(segment); point < points; point++, base += stride) {
                    for (int i = base; i < base + channels; i++) {
                        d.put(i, d.get(i) * activation.gradient(input == null ? 0 : input.get(i), output.get(i)));
                    }
                }
            }
        });
    }
}
