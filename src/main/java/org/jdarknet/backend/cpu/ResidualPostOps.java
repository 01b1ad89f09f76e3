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
 * @param position the index of the binary add in the primitive's chain of post-ops
 */
record ResidualPostOps(Epilogue.Residual residual, ActivationTensor from, int position) {

    /**
     * The post-ops for {@code epilogue}'s residual on a primitive writing a tensor of
     * {@code destination}; null when it has none, or when oneDNN cannot fuse it: an activation
     * computed in Java, {@code beta = 0}, or {@code from} in another layout than the output or
     * either one a channel view.
     */
    static ResidualPostOps of(Epilogue epilogue, Layout destination) {
        Epilogue.Residual residual = epilogue.residual();
        if (residual == null) {
            return null;
        }
        List<EltwiseSteps.Step> activation = EltwiseSteps.of(epilogue.activation());
        ActivationTensor from = ActivationTensor.of(residual.from());
        boolean fusable = activation != null && EltwiseSteps.of(residual.activation()) != null && residual.beta() != 0
                && !destination.isView() && from.layout().equals(destination);
        return fusable ? new ResidualPostOps(residual, from, activation.size() + (scalesOutput(residual, from) ? 1 : 0))
                : null;
    }

    /** The factor {@code k} of the sum: {@code beta}, times the step of a quantised {@code from}. */
    private static float sumFactor(Epilogue.Residual residual, ActivationTensor from) {
        return from.quantised() ? residual.beta() * Quantization.activationScale(from.range()) : residual.beta();
    }

    private static boolean scalesOutput(Epilogue.Residual residual, ActivationTensor from) {
        return residual.alpha() != sumFactor(residual, from);
    }

    /** Appends the residual's post-ops to {@code operations}, which holds the activation's. */
    post_ops append(post_ops operations) {
        float factor = sumFactor(residual, from);
        if (scalesOutput(residual, from)) {
            operations.append_eltwise(algorithm.eltwise_linear, residual.alpha() / factor, 0);
        }
        try (memory.desc operand = from.storedDescriptor()) {
            operations.append_binary(algorithm.binary_add, operand);
        }
        if (factor != 1) {
            operations.append_eltwise(algorithm.eltwise_linear, factor, 0);
        }
        return EltwiseSteps.append(operations, EltwiseSteps.of(residual.activation()));
    }

    /** The binary add's second operand, {@code from} as it is stored, as the primitive's argument. */
    Arg argument() {
        return Arg.postOpOperand(position, from.stored());
    }
}
