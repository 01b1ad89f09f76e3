package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.jdarknet.backend.Shape;

/**
 * A route's concatenation step: all channels of one tensor into a channel range of another. When
 * the range covers whole blocks of the destination, oneDNN reorders the source straight into a
 * sub-memory of it; otherwise (channel counts that are not multiples of the block) a Java loop
 * copies channel plane by channel plane, writing only real channels. Backward, the range is added
 * back by that loop (routes are rare, their tensors small).
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
        requireRange(from, to, offset);
        if (!wholeBlocks(from.c(), to.c(), offset, destination.layout().block())) {
            planes(source, 0, destination, offset, from.c(), false);
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
        try (memory.desc whole = destination.descriptor()) {
            return whole.submemory_desc(Descriptors.dimensions(source.shape()), new long[] {0, offset, 0, 0});
        }
    }

    /** Back through {@link #copy} (a route's backward): adds channels {@code offset} onwards of {@code source} to {@code destination}. */
    void add(ActivationTensor source, int offset, ActivationTensor destination) {
        requireRange(destination.shape(), source.shape(), offset);
        planes(source, offset, destination, 0, destination.shape().c(), true);
    }

    /** Checks that {@code part}'s channels fit into {@code whole}'s from channel {@code offset} on, at the same size. */
    private static void requireRange(Shape part, Shape whole, int offset) {
        if (part.n() != whole.n() || part.h() != whole.h() || part.w() != whole.w() || offset + part.c() > whole.c()) {
            throw new IllegalArgumentException("the channels of " + part + " do not fit into " + whole
                    + " from channel " + offset);
        }
    }

    /**
     * Copies (or adds) {@code channels} channel planes, from channel {@code sourceOffset} of
     * {@code source} to channel {@code destinationOffset} of {@code destination}; only real channels are written.
     */
    private static void planes(ActivationTensor source, int sourceOffset, ActivationTensor destination,
                               int destinationOffset, int channels, boolean add) {
        Shape shape = destination.shape();
        Layout from = source.layout();
        Layout to = destination.layout();
        FloatBuffer in = source.values();
        FloatBuffer out = destination.values();
        int points = shape.h() * shape.w();
        for (int n = 0; n < shape.n(); n++) {
            for (int c = 0; c < channels; c++) {
                int read = from.plane(n, c + sourceOffset);
                int write = to.plane(n, c + destinationOffset);
                for (int i = 0; i < points; i++, read += from.pointStride(), write += to.pointStride()) {
                    out.put(write, add ? out.get(write) + in.get(read) : in.get(read));
                }
            }
        }
    }
}
