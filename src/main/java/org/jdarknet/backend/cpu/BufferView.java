package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;

/**
 * An activation tensor's buffer described another way (a connected layer's {@code n × outputs}
 * output as the 2-D matrix its inner product writes), kept while the same tensor comes back:
 * layers pass the same tensors on every pass.
 */
final class BufferView implements AutoCloseable {
    private final Dnnl dnnl;
    private final memory.desc descriptor;
    private ActivationTensor viewed;
    private memory view;

    BufferView(Dnnl dnnl, memory.desc descriptor) {
        this.dnnl = dnnl;
        this.descriptor = descriptor;
    }

    memory of(ActivationTensor tensor) {
        if (tensor != viewed) {
            close();
            view = dnnl.wrap(descriptor, tensor.memory().get_data_handle());
            viewed = tensor;
        }
        return view;
    }

    @Override
    public void close() {
        if (view != null) {
            view.close();
            view = null;
            viewed = null;
        }
    }
}
