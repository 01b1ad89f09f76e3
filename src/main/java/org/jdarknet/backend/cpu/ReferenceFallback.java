package org.jdarknet.backend.cpu;

import java.util.function.Consumer;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.reference.ArrayTensor;
import org.jdarknet.backend.reference.ReferenceBackend;

/**
 * Runs the operations that have no oneDNN counterpart on the reference backend: the tensors are
 * converted to plain arrays and back. They are cheap ones on small tensors (a softmax over the
 * class scores and its loss, a crop of the image, an unusual pooling window), and running them
 * here gives darknet's exact arithmetic without a second implementation of it.
 */
final class ReferenceFallback {
    private final ReferenceBackend reference = new ReferenceBackend();
    private final Transfers transfers;

    ReferenceFallback(Transfers transfers) {
        this.transfers = transfers;
    }

    void softmax(ActivationTensor input, int groups, float temperature, ActivationTensor output) {
        into(output, result -> reference.softmax(toReference(input), groups, temperature, result));
    }

    void crop(ActivationTensor input, int top, int left, boolean flip, float scale, float shift, ActivationTensor output) {
        into(output, result -> reference.crop(toReference(input), top, left, flip, scale, shift, result));
    }

    void maxPool(PoolSpec spec, ActivationTensor input, ActivationTensor output) {
        into(output, result -> reference.maxPool(spec, toReference(input), result));
    }

    float softmaxCrossEntropy(ActivationTensor probabilities, ActivationTensor truth, ActivationTensor delta) {
        float[] loss = new float[1];
        into(delta, result -> loss[0] = reference.softmaxCrossEntropy(toReference(probabilities), toReference(truth),
                result));
        return loss[0];
    }

    float cost(CostFunction function, ActivationTensor prediction, ActivationTensor truth, ActivationTensor delta) {
        float[] loss = new float[1];
        into(delta, result -> loss[0] = reference.cost(function, toReference(prediction), toReference(truth), result));
        return loss[0];
    }

    /** Lets {@code operation} fill a reference tensor of {@code output}'s shape, then copies it into {@code output}. */
    private void into(ActivationTensor output, Consumer<ArrayTensor> operation) {
        ArrayTensor result = new ArrayTensor(output.shape());
        operation.accept(result);
        transfers.upload(result.data(), output);
    }

    private ArrayTensor toReference(ActivationTensor tensor) {
        ArrayTensor array = new ArrayTensor(tensor.shape());
        reference.upload(transfers.download(tensor), array);
        return array;
    }
}
