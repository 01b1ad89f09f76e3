package org.jdarknet.backend;

import java.nio.FloatBuffer;
import org.jdarknet.backend.reference.ArrayTensor;

/**
 * A backend with tensors of its own and no kernels at all: every operation is
 * {@link ReferenceFallback}'s. It is where a new backend starts, and the conformance kit's check
 * that the fallback covers every operation with the contract's read/write rules (a wrong rule
 * loses or invents values, which the kit sees bit for bit).
 */
final class HostBackend extends ReferenceFallback {

    /** This backend's own handle, so that a tensor passed on without going through the host is refused. */
    private record HostTensor(ArrayTensor values) implements Tensor {
        static ArrayTensor of(Tensor tensor) {
            if (tensor instanceof HostTensor host) {
                return host.values;
            }
            throw new IllegalArgumentException("expected a tensor of the host backend, got " + tensor);
        }

        @Override
        public Shape shape() {
            return values.shape();
        }

        @Override
        public void close() {
            values.close();
        }
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public String description() {
        return "host (every operation on the reference backend)";
    }

    @Override
    public Tensor allocate(Shape shape) {
        return new HostTensor(new ArrayTensor(shape));
    }

    @Override
    public Tensor allocateParameter(Shape shape) {
        return allocate(shape);
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
        float[] to = HostTensor.of(tensor).data();
        if (values.remaining() != to.length) {
            throw new IllegalArgumentException("upload of " + values.remaining() + " values into a tensor of "
                    + tensor.shape());
        }
        values.get(to);
    }

    @Override
    public float[] download(Tensor tensor) {
        return HostTensor.of(tensor).data().clone();
    }
}
