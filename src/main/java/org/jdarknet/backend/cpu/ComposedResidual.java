package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * A forward pass whose epilogue ends with a residual that oneDNN does not fuse
 * ({@link ResidualPostOps#of} said no, or an inner product): the pass without it, then the
 * backend's own shortcut and activation ({@link Epilogue#composeResidual}). A {@code from} stored
 * narrower (a residual stream in bytes or bf16) is first copied to floats, as the backend's
 * shortcut adds floats.
 */
final class ComposedResidual implements ForwardPass {
    private final ForwardPass pass;
    private final Backend backend;
    /** The floats of a narrower {@code from}, made on the first pass that has one. */
    private Tensor floats;

    /** @param pass the forward pass for the epilogue without its residual, owned (and closed) by this */
    ComposedResidual(ForwardPass pass, Backend backend) {
        this.pass = pass;
        this.backend = backend;
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        pass.forward(source, weights, epilogue.withoutResidual(), destination, output);
        withFloatResidual(epilogue).composeResidual(backend, output);
    }

    /** {@code epilogue}, its residual's {@code from} in floats. */
    private Epilogue withFloatResidual(Epilogue epilogue) {
        Epilogue.Residual residual = epilogue.residual();
        if (ActivationTensor.of(residual.from()).storedType() == memory.data_type.f32) {
            return epilogue;
        }
        if (floats == null) {
            floats = backend.allocate(residual.from().shape());
        }
        backend.copyChannels(residual.from(), floats, 0);
        return epilogue.withResidual(new Epilogue.Residual(floats, residual.alpha(), residual.beta(),
                residual.activation()));
    }

    @Override
    public void close() {
        pass.close();
        if (floats != null) {
            floats.close();
        }
    }
}
