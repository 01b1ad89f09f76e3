package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Epilogue;

/**
 * A forward pass whose epilogue ends with a residual that oneDNN does not fuse
 * ({@link ResidualPostOps#of} said no, or an inner product): the pass without it, then the
 * backend's own shortcut and activation ({@link Epilogue#composeResidual}).
 */
final class ComposedResidual implements ForwardPass {
    private final ForwardPass pass;
    private final Backend backend;

    /** @param pass the forward pass for the epilogue without its residual, owned (and closed) by this */
    ComposedResidual(ForwardPass pass, Backend backend) {
        this.pass = pass;
        this.backend = backend;
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        pass.forward(source, weights, epilogue.withoutResidual(), destination, output);
        epilogue.composeResidual(backend, output);
    }

    @Override
    public void close() {
        pass.close();
    }
}
