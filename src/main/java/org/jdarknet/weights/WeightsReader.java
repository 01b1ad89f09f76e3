package org.jdarknet.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import org.jdarknet.Log;
import org.jdarknet.layers.BatchnormLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/**
 * Loads a darknet weights file into a network, checking what darknet never checks: a file that
 * ends inside a layer, values that cannot be batch-norm variances, bytes left over at the end.
 *
 * <p>A file that ends exactly where a layer's values end is a <em>partial</em> file, as
 * {@code darknet partial} writes to start training from pretrained layers: it loads when the
 * caller allows partial files and is an error otherwise. Bytes after the last layer are an error
 * for a complete load too (the file was made for another cfg), and only a warning when partial
 * files are allowed (the file may be for a longer cfg that starts with this one).
 */
public final class WeightsReader {

    /**
     * What a load found: {@code layersLoaded} of the network's {@code layersWithWeights} layers that
     * store values got them from the file, which covers layers {@code 0..coveredLayers-1} (all
     * layers unless the file is partial).
     */
    public record Report(WeightsHeader header, int layersLoaded, int layersWithWeights, int coveredLayers,
                         long trailingBytes) {
        public boolean partial() {
            return layersLoaded < layersWithWeights;
        }
    }

    /** What one mapped buffer (and one Java array) can hold. */
    private static final long MAX_BYTES = Integer.MAX_VALUE;
    /**
     * Magnitudes no trained value comes near: the product of two of them overflows a float, so a
     * network with one would print infinities or NaN instead of failing here.
     */
    static final float LARGEST_PLAUSIBLE = (float) Math.sqrt(Float.MAX_VALUE);
    /**
     * {@link #LARGEST_PLAUSIBLE}'s bits: for floats without their sign, the order of the bits as
     * integers is the order of the magnitudes, and NaN's are above infinity's.
     */
    private static final int LARGEST_PLAUSIBLE_BITS = Float.floatToRawIntBits(LARGEST_PLAUSIBLE);
    private static final int MAGNITUDE = 0x7fffffff;
    /** Two values' magnitudes at once: each half of a long holds one value's bits. */
    private static final long MAGNITUDES = 0x7fffffff7fffffffL;
    private static final long SIGNS = 0x8000000080000000L;
    /**
     * Added to two magnitudes at once, this sets a half's top bit exactly when its magnitude is
     * above {@link #LARGEST_PLAUSIBLE_BITS}; neither sum reaches 2^32, so no carry crosses into
     * the other half.
     */
    private static final long ABOVE_PLAUSIBLE = (MAGNITUDE - LARGEST_PLAUSIBLE_BITS) * 0x100000001L;
    /** Values {@link Loading#checkValues} checks at a time: large enough for few copies, small enough to stay in cache. */
    private static final int CHECK_CHUNK = 1 << 14;

    private WeightsReader() {
    }

    /** Loads a file that fits the cfg exactly, as inference needs: a partial file or trailing bytes are errors. */
    public static Report load(Network network, Path file) {
        return load(network, file, false);
    }

    /** With {@code allowPartial}, the file may end at a layer boundary and trailing bytes are a warning. */
    public static Report load(Network network, Path file, boolean allowPartial) {
        if (Files.isDirectory(file)) {
            throw new WeightsException(file, "is a directory, not a weights file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Contents contents = Files.isRegularFile(file) ? mapped(file, channel) : readSequentially(file, network, channel);
            ByteBuffer buffer = contents.bytes().order(ByteOrder.LITTLE_ENDIAN);
            return new Loading(network, file, buffer, contents.unreadBytes(), allowPartial).run();
        } catch (NoSuchFileException e) {
            throw new WeightsException(file, "file not found");
        } catch (AccessDeniedException e) {
            throw new WeightsException(file, "permission denied");
        } catch (IOException e) {
            throw new WeightsException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes a load reads and, for a pipe, how many more followed them (counted, not kept):
     * a pipe is read only as far as the cfg needs, and the rest is only counted.
     */
    private record Contents(ByteBuffer bytes, long unreadBytes) {
    }

    private static Contents mapped(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size > MAX_BYTES) {
            throw new WeightsException(file, "larger than 2 GiB; no darknet classifier has that many weights");
        }
        return new Contents(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), 0);
    }

    /**
     * A pipe, {@code /dev/stdin} or another file without a size: read in order, as far as a
     * complete file for this cfg (with the widest header) reaches; what follows is counted, up to
     * the size no weights file reaches, so that a stream that never ends is an error too.
     */
    private static Contents readSequentially(Path file, Network network, FileChannel channel) throws IOException {
        InputStream in = Channels.newInputStream(channel);
        byte[] bytes = in.readNBytes((int) Math.min(bytesFor(network, WeightsHeader.current(0)), MAX_BYTES));
        long unread = 0;
        byte[] discarded = new byte[1 << 16];
        for (int read; (read = in.read(discarded)) > 0; ) {
            unread += read;
            if (bytes.length + unread > MAX_BYTES) {
                throw new WeightsException(file, "more than 2 GiB and not ended; no darknet classifier has that many weights");
            }
        }
        return new Contents(ByteBuffer.wrap(bytes), unread);
    }

    /** One load in progress: the buffer's position is the byte offset being read. */
    private static final class Loading {
        private final Network network;
        private final Path file;
        private final ByteBuffer buffer;
        private final long unreadBytes;
        private final boolean allowPartial;
        /** Where {@link #checkValues} copies the values it checks. */
        private final int[] chunk = new int[CHECK_CHUNK];
        private final long[] pairChunk = new long[CHECK_CHUNK / 2];

        Loading(Network network, Path file, ByteBuffer buffer, long unreadBytes, boolean allowPartial) {
            this.network = network;
            this.file = file;
            this.buffer = buffer;
            this.unreadBytes = unreadBytes;
            this.allowPartial = allowPartial;
        }

        Report run() {
            WeightsHeader header = readHeader();
            int withWeights = 0;
            int loaded = 0;
            int covered = network.layers().size();
            for (Layer layer : network.layers()) {
                List<Parameter> parameters = storedParameters(layer);
                if (parameters.isEmpty()) {
                    continue;
                }
                withWeights++;
                if (!buffer.hasRemaining()) {
                    covered = Math.min(covered, layer.index());
                    continue;
                }
                for (Parameter parameter : parameters) {
                    readParameter(layer, parameter, header);
                }
                loaded++;
            }
            if (loaded < withWeights && !allowPartial) {
                throw new WeightsException(file, "a partial file: it ends at byte " + buffer.position()
                        + ", after the values of " + loaded + " of the " + withWeights + " layers with weights"
                        + " (a complete file for this cfg has " + bytesFor(network, header) + " bytes)."
                        + " Partial files, as 'partial' writes them, can start training but not classify");
            }
            long trailing = buffer.remaining() + unreadBytes;
            if (trailing > 0) {
                String problem = trailing + " bytes after the last layer: the cfg uses " + buffer.position()
                        + " of the file's " + (buffer.limit() + unreadBytes) + " bytes. Weights for another cfg?";
                if (!allowPartial) {
                    throw new WeightsException(file, problem);
                }
                Log.warn(file + ": " + problem);
            }
            network.setSeen(header.seen());
            return new Report(header, loaded, withWeights, covered, trailing);
        }

        private WeightsHeader readHeader() {
            if (buffer.remaining() < 12) {
                throw new WeightsException(file, "only " + buffer.remaining()
                        + " bytes; a darknet weights file starts with a header of at least 16");
            }
            int major = buffer.getInt(0);
            int minor = buffer.getInt(4);
            int revision = buffer.getInt(8);
            if (!plausibleVersion(major) || !plausibleVersion(minor) || !plausibleVersion(revision)) {
                throw new WeightsException(file, "not a darknet weights file: its header would be version "
                        + major + "." + minor + "." + revision);
            }
            int needed = new WeightsHeader(major, minor, 0, 0).size();
            if (buffer.remaining() < needed) {
                throw new WeightsException(file, "only " + buffer.remaining() + " bytes; the header of a version "
                        + major + "." + minor + " file takes " + needed);
            }
            return WeightsHeader.read(buffer);
        }

        private void readParameter(Layer layer, Parameter parameter, WeightsHeader header) {
            int count = parameter.length();
            long bytes = 4L * count;
            if (buffer.remaining() < bytes) {
                throw new WeightsException(file, "ends inside layer " + layer.index() + " (" + layer.kind() + "): its "
                        + parameter.name() + " need " + bytes + " bytes from byte " + buffer.position()
                        + ", but only " + buffer.remaining() + " remain (the cfg needs " + bytesFor(network, header)
                        + " bytes in all). Truncated download, or weights for another cfg?");
            }
            int offset = buffer.position();
            FloatBuffer values = buffer.asFloatBuffer().limit(count);
            checkValues(layer, parameter, buffer.asIntBuffer().limit(count), buffer.asLongBuffer().limit(count / 2),
                    offset);
            buffer.position(offset + (int) bytes);
            if (parameter.transpose().applies(header.transposed())) {
                float[] array = new float[count];
                values.get(array);
                network.backend().upload(transpose(array, parameter.transpose().rows(), parameter.transpose().columns()),
                        parameter.value());
            } else {
                network.backend().upload(values, parameter.value());
            }
        }

        /**
         * Values that would make every answer NaN or infinite: not finite, or too large for a
         * product to stay finite; for a variance, also negative. The first such value is named by
         * layer, tensor and byte offset. The values' bits are copied a chunk at a time into an
         * array and compared there as integers: a process checks its first file before the JIT
         * has compiled much, and the quick compiler's code for this loop was most of a one-image
         * classify of darknet53 when it read floats (docs/benchmarks.md).
         */
        private void checkValues(Layer layer, Parameter parameter, IntBuffer bits, LongBuffer pairs, int offset) {
            boolean variance = parameter.name().equals("rolling_variance");
            for (int start = variance ? 0 : plausiblePairs(pairs); start < bits.limit(); start += chunk.length) {
                int length = Math.min(chunk.length, bits.limit() - start);
                bits.get(start, chunk, 0, length);
                int first = firstImplausible(chunk, length, variance);
                if (first >= 0) {
                    throw implausible(layer, parameter, start + first, Float.intBitsToFloat(chunk[first]), variance,
                            offset);
                }
            }
        }

        /**
         * How many values lie before the first pair (values 2i and 2i+1) holding one above
         * {@link #LARGEST_PLAUSIBLE}: two checked per step, which halves this loop's work, a
         * noticeable part of a one-image classify (tiny: about 4 ms interpreted; darknet53: its
         * 41.6 million values). Variances, which must not be negative either, are left to the
         * single loop, and so is the last value of an odd count.
         */
        private int plausiblePairs(LongBuffer pairs) {
            for (int start = 0; start < pairs.limit(); start += pairChunk.length) {
                int length = Math.min(pairChunk.length, pairs.limit() - start);
                pairs.get(start, pairChunk, 0, length);
                for (int i = 0; i < length; i++) {
                    if ((((pairChunk[i] & MAGNITUDES) + ABOVE_PLAUSIBLE) & SIGNS) != 0) {
                        return 2 * (start + i);
                    }
                }
            }
            return 2 * pairs.limit();
        }

        /** The index of the first implausible value among the first {@code length} bits, or -1. */
        private static int firstImplausible(int[] bits, int length, boolean variance) {
            for (int i = 0; i < length; i++) {
                int magnitude = bits[i] & MAGNITUDE;
                if (magnitude > LARGEST_PLAUSIBLE_BITS || (variance && bits[i] < 0 && magnitude != 0)) {
                    return i;
                }
            }
            return -1;
        }

        private WeightsException implausible(Layer layer, Parameter parameter, int index, float value, boolean variance,
                                             int offset) {
            String problem = variance && !(value >= 0 && value < Float.POSITIVE_INFINITY)
                    ? "which no variance can be; these weights do not fit this cfg"
                    : !Float.isFinite(value) ? "which no network can compute with; a corrupt file?"
                    : "so large that products with it overflow (trained values stay far below "
                            + String.format(Locale.ROOT, "%.1e", LARGEST_PLAUSIBLE) + "); a corrupt file?";
            return new WeightsException(file, "layer " + layer.index() + " (" + layer.kind() + "): "
                    + parameter.name() + "[" + index + "] at byte " + (offset + 4L * index) + " is " + value + ", "
                    + problem);
        }
    }

    /**
     * Darknet writes 0.1.0, 0.2.0 (AlexeyAB 0.2.5) and, for transposed files, numbers above 1000.
     * Anything negative or huge means the file starts with something else: an image, text, HTML.
     */
    private static boolean plausibleVersion(int number) {
        return number >= 0 && number < 1 << 16;
    }

    /** The parameters a layer stores in a file, honouring {@code dontload} and {@code dontloadscales}. */
    static List<Parameter> storedParameters(Layer layer) {
        if (layer.options().dontLoad()) {
            return List.of();
        }
        // Darknet's dontloadscales only skips the batch-norm values of convolutional and connected
        // layers: a [batchnorm] layer has nothing else and always reads its three vectors.
        if (layer.options().dontLoadScales() && !(layer instanceof BatchnormLayer)) {
            return layer.parameters().stream().filter(p -> !p.batchNorm()).toList();
        }
        return layer.parameters();
    }

    /** Size in bytes of a complete weights file for {@code network} with this header. */
    public static long bytesFor(Network network, WeightsHeader header) {
        long bytes = header.size();
        for (Layer layer : network.layers()) {
            for (Parameter parameter : storedParameters(layer)) {
                bytes += 4L * parameter.length();
            }
        }
        return bytes;
    }

    /** {@code rows × columns} in the file to {@code columns × rows} in memory. */
    static float[] transpose(float[] values, int rows, int columns) {
        float[] result = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                result[c * rows + r] = values[r * columns + c];
            }
        }
        return result;
    }
}
