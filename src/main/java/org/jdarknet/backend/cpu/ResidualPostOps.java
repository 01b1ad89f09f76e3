package org.jdarknet.backend.cpu;

import java.util.List;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.jdarknet.backend.Epilogue;

/**
 * An epilogue's residual ({@link Epilogue.Residual}) as oneDNN post-ops after the activation's, so
 * that a convolution writes {@code activation(alpha*y + beta*from)} while {@code y} is still in
 * registers: a binary add reading {@code from}, between eltwise steps for the factors, then the
 * residual's activation. oneDNN's binary post-op has no factor of its own, so
 * {@code alpha*y + beta*from} is computed as {@code beta*((alpha/beta)*y + from)}, each factor
 * only when it is not 1.
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
        return fusable ? new ResidualPostOps(residual, from, activation.size() + (scalesOutput(residual) ? 1 : 0)) : null;
    }

    private static boolean scalesOutput(Epilogue.Residual residual) {
        return residual.alpha() != residual.beta();
    }

    /** Appends the residual's post-ops to {@code operations}, which holds the activation's. */
    post_ops append(post_ops operations) {
        if (scalesOutput(residual)) {
            operations.append_eltwise(algorithm.eltwise_linear, residual.alpha() / residual.beta(), 0);
        }
        try (memory.desc operand = from.layout().descriptor()) {
            operations.append_binary(algorithm.binary_add, operand);
        }
        if (residual.beta() != 1) {
            operations.append_eltwise(algorithm.eltwise_linear, residual.beta(), 0);
        }
        return EltwiseSteps.append(operations, EltwiseSteps.of(residual.activation()));
    }

    /** The binary add's second operand, {@code from}, as the primitive's argument. */
    Arg argument() {
        return Arg.postOpOperand(position, from.memory());
    }
}
