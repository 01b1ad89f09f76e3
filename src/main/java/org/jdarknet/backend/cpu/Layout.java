package org.jdarknet.backend.cpu;

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
 */
record Layout(Shape shape, Format format) {

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

    /** Channels including the padding of the last block. */
    int paddedChannels() {
        return (shape.c() + block() - 1) / block() * block();
    }

    /** Floats in the buffer, padding included. */
    long bufferSize() {
        return (long) shape.n() * paddedChannels() * shape.h() * shape.w();
    }

    /** Buffer index of value (item, channel, y, x). */
    int offset(int item, int channel, int y, int x) {
        return plane(item, channel) + (y * shape.w() + x) * pointStride();
    }

    /** Buffer index of the first value (y = x = 0) of one channel of one item. */
    int plane(int item, int channel) {
        int spatial = shape.h() * shape.w();
        return switch (format) {
            case PLAIN -> (item * shape.c() + channel) * spatial;
            case CHANNELS_LAST -> item * spatial * shape.c() + channel;
            case BLOCKED_8, BLOCKED_16 ->
                    (item * paddedChannels() + channel - channel % block()) * spatial + channel % block();
        };
    }

    /** Whether buffer index {@code index} holds a value, rather than a padding lane of a blocked layout. */
    boolean holdsValue(int index) {
        if (paddedChannels() == shape.c()) {
            return true;
        }
        int spatial = shape.h() * shape.w();
        int channelBlock = index / (block() * spatial) % (paddedChannels() / block());
        return channelBlock * block() + index % block() < shape.c();
    }

    /**
     * The buffer as segments for Java passes that walk it in memory order: {@code h*w} points of
     * {@link #pointStride} consecutive values each, the values of a point holding channels
     * {@link #segmentChannel} onwards. A segment is one item in {@code nhwc}, one channel block of
     * one item in a blocked format, one channel plane of one item in {@code nchw}.
     */
    int segments() {
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
        return format == Format.CHANNELS_LAST ? shape.c() : block();
    }

    memory.desc descriptor() {
        return Descriptors.of(shape, format.tag());
    }
}
