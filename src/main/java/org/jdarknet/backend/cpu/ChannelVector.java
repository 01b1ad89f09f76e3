package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;

/**
 * One value per channel in a oneDNN buffer, described two ways over the same memory: as the
 * vector batch normalisation reads and writes ({@code x}), and as the {@code 1×C×1×1} operand a
 * binary primitive broadcasts over a tensor. Java reads and writes it through a float view.
 */
final class ChannelVector implements AutoCloseable {
    private final memory vector;
    private final memory broadcast;
    private final FloatBuffer values;

    ChannelVector(Dnnl dnnl, int channels) {
        this.vector = dnnl.allocate(Descriptors.of(memory.format_tag.x, channels));
        this.broadcast = dnnl.wrap(Descriptors.perChannel(channels), vector.get_data_handle());
        this.values = new FloatPointer(vector.get_data_handle()).capacity(channels).asBuffer();
    }

    memory vector() {
        return vector;
    }

    memory broadcast() {
        return broadcast;
    }

    float get(int channel) {
        return values.get(channel);
    }

    void set(int channel, double value) {
        values.put(channel, (float) value);
    }

    @Override
    public void close() {
        broadcast.close();
        vector.close();
    }
}
