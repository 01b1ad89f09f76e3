package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Quantization;
import org.jdarknet.backend.Shape;
import java.util.Objects;

/**
 * A route's concatenation step: all channels of one tensor into a channel range of another. When
 * the range covers whole blocks of the destination, oneDNN reorders the source straight into a
 * sub-memory of it; otherwise (channel counts that are not multiples of the block) a Java loop
 * copies channel plane by channel plane, writing only real channels. Backward, the range is added
 * back by that loop (routes are rare, their tensors small).
 *
 * <p>Either side may be an int8 hand-off ({@link ActivationTensor#quantised}), always in a layout
 * of one channel per block ({@link CpuBackend#allocateQuantised}), so that the reorder does it:
 * {@code dst = round(src * srcScale / dstScale)}, to nearest, ties to even, saturated to a signed
 * byte as {@link Quantization#quantize} does, with the scale 1 for a side of floats. It quantises
 * floats into a hand-off, steps a hand-off's bytes again to another range, and copies them byte
 * for byte into one of the same range. (It also gives a hand-off's values to floats, though no
 * network plans such a copy: a route of floats keeps its sources in floats.)
 */
final class ChannelCopy {
    private final Dnnl dnnl;

    ChannelCopy(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record Key(Layout source, memory.data_type from, Layout destination, memory.data_type to, int offset,
                       boolean stepped) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && source.equals(key.source) && from == key.from
                    && destination.equals(key.destination) && to == key.to && offset == key.offset
                    && stepped == key.stepped;
        }

        @Override
        public int hashCode() {
            return Objects.hash(source, from, destination, to, offset, stepped);
        }
    }

    /** Where a copy of {@code key} writes: the address of the destination's buffer. */
    private record Target(Key key, long address) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Target target && key.equals(target.key) && address == target.address;
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, address);
        }
    }

    void copy(ActivationTensor source, ActivationTensor destination, int offset) {
        Shape from = source.shape();
        Shape to = destination.shape();
        requireRange(from, to, offset);
        if (!wholeBlocks(from.c(), to.c(), offset, destination.layout().block())) {
            planes(source, 0, destination, offset, from.c(), false);
            return;
        }
        boolean stepped = stepped(source, destination);
        Key key = new Key(source.layout(), source.storedType(), destination.layout(), destination.storedType(), offset,
                stepped);
        memory target = dnnl.cached(new Target(key, destination.stored().get_data_handle().address()),
                () -> target(source.layout(), destination, offset));
        primitive reorder = dnnl.cached(key, () -> reorder(source, target, stepped));
        if (!stepped) {
            dnnl.execute(reorder, Arg.src(source.stored()), Arg.dst(target));
            return;
        }
        dnnl.execute(reorder, Arg.src(source.stored()), Arg.dst(target),
                Arg.scales(DNNL_ARG_SRC, source.scale(dnnl)), Arg.scales(DNNL_ARG_DST, destination.scale(dnnl)));
    }

    /**
     * The part of {@code destination} that receives {@code source}: a memory describing its
     * channels there. Kept per buffer address, as a route copies into the same tensor on every
     * pass (a later tensor at that address, of that layout, is described by it just as well).
     */
    private memory target(Layout source, ActivationTensor destination, int offset) {
        try (memory.desc range = range(source, destination, offset)) {
            return dnnl.wrap(range, destination.stored().get_data_handle());
        }
    }

    /** Whether the copy changes steps: either side quantised, and not both with one range. */
    private static boolean stepped(ActivationTensor source, ActivationTensor destination) {
        boolean sameSteps = source.quantised() && destination.quantised() && source.range() == destination.range();
        return (source.quantised() || destination.quantised()) && !sameSteps;
    }

    /**
     * The reorder from {@code source} to {@code target}; {@code stepped}: multiplying by a source
     * scale and dividing by a destination scale, both given on each copy (1 for a side of floats).
     */
    private reorder reorder(ActivationTensor source, memory target, boolean stepped) {
        try (memory.desc from = source.storedDescriptor(); memory.desc to = target.get_desc()) {
            return stepped ? dnnl.scalingReorder(from, to, DNNL_ARG_SRC, DNNL_ARG_DST) : dnnl.reorder(from, to);
        }
    }

    /**
     * Whether channels {@code offset..offset+channels} of the destination are whole blocks, as a
     * oneDNN sub-memory must be, except that the last one may end with the tensor's padding.
     */
    private static boolean wholeBlocks(int channels, int destinationChannels, int offset, int block) {
        return offset % block == 0 && (channels % block == 0 || offset + channels == destinationChannels);
    }

    /** The part of {@code destination} that receives {@code source}, in the number type it holds. */
    private static memory.desc range(Layout source, ActivationTensor destination, int offset) {
        try (memory.desc whole = destination.storedDescriptor()) {
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
