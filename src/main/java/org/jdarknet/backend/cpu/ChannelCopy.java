package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.jdarknet.backend.Shape;

/**
 * A route's concatenation step: all channels of one tensor into a channel range of another. When
 * the range covers whole blocks of the destination, oneDNN reorders the source straight into a
 * sub-memory of it; otherwise (channel counts that are not multiples of the block) a Java loop
 * copies channel plane by channel plane, writing only real channels.
 */
final class ChannelCopy {
    private final Dnnl dnnl;

    ChannelCopy(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record Key(Layout source, Layout destination, int offset) {
    }

    void copy(ActivationTensor source, ActivationTensor destination, int offset) {
        Shape from = source.shape();
        Shape to = destination.shape();
        if (from.n() != to.n() || from.h() != to.h() || from.w() != to.w() || offset + from.c() > to.c()) {
            throw new IllegalArgumentException("cannot copy the channels of " + from + " into " + to
                    + " from channel " + offset);
        }
        if (!wholeBlocks(from.c(), to.c(), offset, destination.layout().block())) {
            copyPlanes(source, destination, offset);
            return;
        }
        try (memory.desc range = range(source.layout(), destination.layout(), offset);
             memory target = dnnl.wrap(range, destination.memory().get_data_handle())) {
            primitive reorder = dnnl.cached(new Key(source.layout(), destination.layout(), offset),
                    () -> dnnl.reorder(source.layout().descriptor(), range));
            dnnl.execute(reorder, Arg.src(source.memory()), Arg.dst(target));
        }
    }

    /**
     * Whether channels {@code offset..offset+channels} of the destination are whole blocks, as a
     * oneDNN sub-memory must be, except that the last one may end with the tensor's padding.
     */
    private static boolean wholeBlocks(int channels, int destinationChannels, int offset, int block) {
        return offset % block == 0 && (channels % block == 0 || offset + channels == destinationChannels);
    }

    /** The part of {@code destination} that receives {@code source}. */
    private static memory.desc range(Layout source, Layout destination, int offset) {
        Shape shape = source.shape();
        try (memory.desc whole = destination.descriptor()) {
            return whole.submemory_desc(new long[] {shape.n(), shape.c(), shape.h(), shape.w()}, new long[] {0, offset, 0, 0});
        }
    }

    private static void copyPlanes(ActivationTensor source, ActivationTensor destination, int offset) {
        Shape shape = source.shape();
        Layout from = source.layout();
        Layout to = destination.layout();
        FloatBuffer in = source.values();
        FloatBuffer out = destination.values();
        int points = shape.h() * shape.w();
        for (int n = 0; n < shape.n(); n++) {
            for (int c = 0; c < shape.c(); c++) {
                int read = from.plane(n, c);
                int write = to.plane(n, c + offset);
                for (int i = 0; i < points; i++, read += from.pointStride(), write += to.pointStride()) {
                    out.put(write, in.get(read));
                }
            }
        }
    }
}
