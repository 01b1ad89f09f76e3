package org.jdarknet.backend.cuda;

import java.nio.FloatBuffer;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Copies between Java and the GPU through one page-locked host buffer, so that each copy is a
 * single DMA transfer queued on the stream. An upload returns as soon as its values are in the
 * buffer and the copy is queued (the GPU works on while the caller prepares the next batch); the
 * next use of the buffer first waits for that copy. The buffer grows to the largest tensor
 * transferred and is then reused: a training loop allocates nothing per batch.
 */
final class Transfers implements AutoCloseable {
    private final Gpu gpu;
    private final CUevent_st copied = new CUevent_st();
    private FloatPointer staging;
    private long capacity;

    Transfers(Gpu gpu) {
        this.gpu = gpu;
        Check.cuda(cudart.cudaEventCreateWithFlags(copied, cudart.cudaEventDisableTiming), "cudaEventCreateWithFlags", null);
    }

    void upload(FloatBuffer values, DeviceTensor tensor) {
        int count = tensor.shape().size();
        if (values.remaining() != count) {
            throw new IllegalArgumentException("upload of " + values.remaining() + " values into a tensor of " + tensor.shape());
        }
        FloatPointer buffer = stagingFor(count);
        buffer.asBuffer().put(values);
        Check.cuda(cudart.cudaMemcpyAsync(tensor.memory(), buffer, tensor.bytes(), cudart.cudaMemcpyHostToDevice, gpu.stream()),
                "cudaMemcpyAsync(host to device)", "uploading " + tensor.shape());
        Check.cuda(cudart.cudaEventRecord(copied, gpu.stream()), "cudaEventRecord", "uploading " + tensor.shape());
    }

    float[] download(DeviceTensor tensor) {
        int count = tensor.shape().size();
        FloatPointer buffer = stagingFor(count);
        Check.cuda(cudart.cudaMemcpyAsync(buffer, tensor.memory(), tensor.bytes(), cudart.cudaMemcpyDeviceToHost, gpu.stream()),
                "cudaMemcpyAsync(device to host)", "downloading " + tensor.shape());
        gpu.synchronize("downloading " + tensor.shape());
        float[] values = new float[count];
        buffer.get(values);
        return values;
    }

    /** The buffer, at least {@code count} floats, once the previous copy from it has finished. */
    private FloatPointer stagingFor(int count) {
        gpu.bind();
        Check.cuda(cudart.cudaEventSynchronize(copied), "cudaEventSynchronize", "waiting for the previous upload");
        if (count > capacity) {
            release();
            try (PointerPointer<Pointer> address = new PointerPointer<>(1)) {
                long bytes = (long) count * Float.BYTES;
                Check.cuda(cudart.cudaMallocHost(address, bytes), "cudaMallocHost(" + bytes + ")", "the pinned transfer buffer");
                staging = new FloatPointer(address.get(0));
            }
            capacity = count;
        }
        staging.position(0).limit(count).capacity(count);
        return staging;
    }

    private void release() {
        if (staging != null) {
            Check.cuda(cudart.cudaFreeHost(staging.position(0)), "cudaFreeHost", null);
            staging = null;
            capacity = 0;
        }
    }

    @Override
    public void close() {
        Check.cuda(cudart.cudaEventSynchronize(copied), "cudaEventSynchronize", "closing the backend");
        release();
        Check.cuda(cudart.cudaEventDestroy(copied), "cudaEventDestroy", null);
    }
}
