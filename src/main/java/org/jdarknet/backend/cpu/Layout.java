package org.jdarknet.backend.cpu;

import java.util.Objects;
import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Shape;

/**
 * Where each value of an activation tensor lives in its oneDNN buffer. In every format the
 * {@code h*w} values of one channel of one item are evenly spaced ({@link #pointStride}), so the
 * passes done in Java walk channel planes without caring which format they are in.
 *
 * <p>Blocked formats ({@code nChw8c}, {@code nChw16c}) group the channels by the block size; when
 * the channel count is not a multiple of it the last block is padded. Those padding lanes must stay
 * zero, because the next oneDNN primitive reads them as input channels.
 *
 * <p>A channel view ({@code Backend.channelSlice}) lies in its parent's buffer: its
 * {@code shape.c()} channels are channels {@code firstChannel} onwards of a tensor of
 * {@code parentChannels}, so every index here is an index into the parent's buffer. A tensor that
 * is not a view is its own parent: {@code parentChannels == shape.c()}, {@code firstChannel == 0}.
 */
record Layout(Shape shape, Format format, int parentChannels, int firstChannel) {

    /** The layout of a tensor of its own (not a view). */
    Layout(Shape shape, Format format) {
        this(shape, format, shape.c(), 0);
    }

    /** Channels {@code first .. first+channels} of this (not a view) as a view's layout. */
    Layout channels(int first, int channels) {
        return new Layout(new Shape(shape.n(), channels, shape.h(), shape.w()), format, shape.c(), first);
    }

    /** Whether this lies among other channels of a larger buffer. */
    boolean isView() {
        return parentChannels != shape.c();
    }

    /** Whether a tensor of this layout holds the values of a tensor of {@code own}: the same shape and format, maybe as a view. */
    boolean sameValues(Layout own) {
        return shape.equals(own.shape) && format == own.format;
    }

    /**
     * Whether the buffer holds exactly the values, in darknet's NCHW order: then they move to and
     * from Java arrays as they are, with no reorder. Besides {@code nchw} itself, any format
     * whose points are single values (a classifier's {@code 1×1×C} outputs) or whose channels
     * are single values ({@code nhwc} of one channel), with no padding lanes and not a view.
     */
    boolean inPlainOrder() {
        if (isView() || paddedChannels() != shape.c()) {
            return false;
        }
        return format == Format.PLAIN || shape.h() * shape.w() == 1 || format == Format.CHANNELS_LAST && shape.c() == 1;
    }

    /** The formats activations are kept in. */
    enum Format {
        /** Darknet's planar order, used for tensors with fewer channels than a block (the image). */
        PLAIN(1, memory.format_tag.nchw, "nchw"),
        CHANNELS_LAST(1, memory.format_tag.nhwc, "nhwc"),
        BLOCKED_8(8, memory.format_tag.nChw8c, "nChw8c"),
        BLOCKED_16(16, memory.format_tag.nChw16c, "nChw16c");

        private final int block;
        private final memory.format_tag tag;
        private final String label;

        Format(int block, memory.format_tag tag, String label) {
            this.block = block;
            this.tag = tag;
            this.label = label;
        }

        /** oneDNN's usual name for the format. */
        @Override
        public String toString() {
            return label;
        }

        int block() {
            return block;
        }

        memory.format_tag tag() {
            return tag;
        }
    }

    int block() {
        return format.block;
    }

    /** The buffer's channels per item, including the padding of the last block (the parent's, for a view). */
    int paddedChannels() {
        return (parentChannels + block() - 1) / block() * block();
    }

    /** Floats in the buffer, padding included (the parent's whole buffer, for a view). */
    long bufferSize() {
        return (long) shape.n() * paddedChannels() * shape.h() * shape.w();
    }

    /** Buffer index of value (item, channel, y, x). */
    int offset(int item, int channel, int y, int x) {
        return plane(item, channel) + (y * shape.w() + x) * pointStride();
    }

    /** Buffer index of the first value (y = x = 0) of one channel of one item. */
    int plane(int item, int viewChannel) {
        int spatial = shape.h() * shape.w();
        int channel = firstChannel + viewChannel;
        return switch (format) {
            case PLAIN -> (item * parentChannels + channel) * spatial;
            case CHANNELS_LAST -> item * spatial * parentChannels + channel;
            case BLOCKED_8, BLOCKED_16 ->
                    (item * paddedChannels() + channel - channel % block()) * spatial + channel % block();
        };
    }

    /**
     * Whether buffer index {@code index} holds one of this tensor's values, rather than a padding
     * lane of a blocked layout or, for a view, a value of the parent's other channels.
     */
    boolean holdsValue(int index) {
        if (paddedChannels() == shape.c()) {
            return true;
        }
        int spatial = shape.h() * shape.w();
        int channel = switch (format) {
            case PLAIN -> index / spatial % parentChannels;
            case CHANNELS_LAST -> index % parentChannels;
            case BLOCKED_8, BLOCKED_16 -> index / (block() * spatial) % (paddedChannels() / block()) * block()
                    + index % block();
        };
        return channel >= firstChannel && channel < firstChannel + shape.c();
    }

    /**
     * The buffer as segments for Java passes that walk it in memory order: {@code h*w} points of
     * {@link #pointStride} consecutive values each, the values of a point holding channels
     * {@link #segmentChannel} onwards. A segment is one item in {@code nhwc}, one channel block of
     * one item in a blocked format, one channel plane of one item in {@code nchw}.
     */
    int segments() {
        if (isView()) {
            throw new IllegalArgumentException("a channel view cannot be walked in segments (views are for inference): "
                    + this);
        }
        return shape.n() * paddedChannels() / pointStride();
    }

    /** Buffer index of the first value of segment {@code segment}. */
    int segmentStart(int segment) {
        return segment * shape.h() * shape.w() * pointStride();
    }

    /** The channel of the first value of each point in segment {@code segment}. */
    int segmentChannel(int segment) {
        return segment % (paddedChannels() / pointStride()) * pointStride();
    }

    /** How many values of each point in segment {@code segment} are real channels (the rest is padding). */
    int segmentChannels(int segment) {
        return Math.min(pointStride(), shape.c() - segmentChannel(segment));
    }

    /** Distance in the buffer between neighbouring values (in x, then y) of one channel plane. */
    int pointStride() {
        return format == Format.CHANNELS_LAST ? parentChannels : block();
    }

    /** oneDNN's description of floats: for a view, a sub-memory of the parent's (its offset included). */
    memory.desc descriptor() {
        return descriptor(memory.data_type.f32);
    }

    /** The same for values of {@code type} (a tensor stored in bf16 or signed bytes). */
    memory.desc descriptor(memory.data_type type) {
        if (!isView()) {
            return Descriptors.of(type, format.tag(), Descriptors.dimensions(shape));
        }
        try (memory.desc parent = Descriptors.of(type, format.tag(), shape.n(), parentChannels, shape.h(), shape.w())) {
            return parent.submemory_desc(Descriptors.dimensions(shape), new long[] {0, firstChannel, 0, 0});
        }
    }

    // Written out, not generated: see Shape#equals.
    @Override
    public boolean equals(Object other) {
        return other instanceof Layout layout && shape.equals(layout.shape) && format == layout.format
                && parentChannels == layout.parentChannels && firstChannel == layout.firstChannel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, format, parentChannels, firstChannel);
    }
}
