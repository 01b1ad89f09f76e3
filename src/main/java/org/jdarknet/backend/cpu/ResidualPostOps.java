package org.jdarknet.backend.cpu;

import java.util.List;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Quantization;

/**
 * An epilogue's residual ({@link Epilogue.Residual}) as oneDNN post-ops after the activation's, so
 * that a convolution writes {@code activation(alpha*y + beta*from)} while {@code y} is still in
 * registers: a binary add reading {@code from}, between eltwise steps for the factors, then the
 * residual's activation. oneDNN's binary post-op has no factor of its own, so
 * {@code alpha*y + beta*from} is computed as {@code k*((alpha/k)*y + from')}, each factor only
 * when it is not 1, where {@code from'} is what {@code from} holds: its floats ({@code k = beta}),
 * or, for a quantised tensor (a residual stream handed on in int8), its integer steps, each worth
 * {@code s} ({@code k = beta*s}).
 *
 * <p>A {@code from} of another shape (darknet's sampled sum, with {@code alpha = 1}: darknet leaves
 * the cells it does not add to unscaled) is added as {@link SampledFrom} lays it out, gathered
 * before each pass; the primitive made with these post-ops owns it.
 */
final class ResidualPostOps implements AutoCloseable {
    private final Epilogue.Residual residual;
    private final ActivationTensor from;
    private final Layout destination;
    private final int position;
    /** The operand of a sampled sum, made with the primitive's arguments; null for equal shapes. */
    private SampledFrom sampled;

    private ResidualPostOps(Epilogue.Residual residual, ActivationTensor from, Layout destination, int position) {
        this.residual = residual;
        this.from = from;
        this.destination = destination;
        this.position = position;
    }

    /**
     * The post-ops for {@code epilogue}'s residual on a primitive writing a tensor of
     * {@code destination}; null when it has none, or when oneDNN cannot fuse it: an activation
     * computed in Java, {@code beta = 0}, either one a channel view, or {@code from} in another
     * layout than the output; of another shape, {@code alpha != 1} or a layout without strided
     * descriptions.
     */
    static ResidualPostOps of(Epilogue epilogue, Layout destination) {
        Epilogue.Residual residual = epilogue.residual();
        if (residual == null) {
            return null;
        }
        List<EltwiseSteps.Step> activation = EltwiseSteps.of(epilogue.activation());
        ActivationTensor from = ActivationTensor.of(residual.from());
        boolean sameShape = from.shape().equals(destination.shape());
        boolean operand = sameShape ? from.layout().equals(destination)
                : residual.alpha() == 1 && SampledFrom.supports(from, destination);
        boolean fusable = activation != null && EltwiseSteps.of(residual.activation()) != null && residual.beta() != 0
                && !destination.isView() && operand;
        return fusable ? new ResidualPostOps(residual, from, destination,
                activation.size() + (scalesOutput(residual, from) ? 1 : 0)) : null;
    }

    /** The factor {@code k} of the sum: {@code beta}, times the step of a quantised {@code from}. */
    private static float sumFactor(Epilogue.Residual residual, ActivationTensor from) {
        return from.quantised() ? residual.beta() * Quantization.activationScale(from.range()) : residual.beta();
    }

    private static boolean scalesOutput(Epilogue.Residual residual, ActivationTensor from) {
        return residual.alpha() != sumFactor(residual, from);
    }

    /** The index of the binary add in the primitive's chain of post-ops. */
    int position() {
        return position;
    }

    /** Appends the residual's post-ops to {@code operations}, which holds the activation's. */
    post_ops append(post_ops operations) {
        float factor = sumFactor(residual, from);
        if (scalesOutput(residual, from)) {
            operations.append_eltwise(algorithm.eltwise_linear, residual.alpha() / factor, 0);
        }
        try (memory.desc operand = destination.descriptor(from.storedType())) {
            operations.append_binary(algorithm.binary_add, operand);
        }
        if (factor != 1) {
            operations.append_eltwise(algorithm.eltwise_linear, factor, 0);
        }
        return EltwiseSteps.append(operations, EltwiseSteps.of(residual.activation()));
    }

    /**
     * The binary add's second operand as the primitive's argument: {@code from} as it is stored,
     * or, of another shape, its sampled values in a tensor made now.
     */
    Arg argument(Dnnl dnnl) {
        if (from.shape().equals(destination.shape())) {
            return Arg.postOpOperand(position, from.stored());
        }
        if (sampled == null) {
            sampled = new SampledFrom(dnnl, from, destination);
        }
        return Arg.postOpOperand(position, sampled.tensor().stored());
    }

    /** Before each pass: a sampled sum's values copied into its operand. */
    void gather() {
        if (sampled != null) {
            sampled.gather();
        }
    }

    @Override
    public void close() {
        if (sampled != null) {
            sampled.close();
            sampled = null;
        }
    }
}
