package org.jdarknet.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdarknet.Log;
import org.jdarknet.backend.Shape;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.cfg.CfgSection;
import org.jdarknet.layers.Layer;

/**
 * The memory a network needs, known from its cfg before anything is allocated: parameters
 * (with their gradients when training), activations (outputs, input, and when training deltas
 * and the values backward keeps) and convolution workspace, and the layer that needs most. A
 * network that needs more than there is gets a one-line error saying so instead of an
 * {@link OutOfMemoryError}, a native allocation failure, or the kernel's OOM killer.
 *
 * @param activationsInJavaHeap whether activations and workspace count against the Java heap
 *                              (the reference backend) or native memory (oneDNN); parameters
 *                              are Java arrays on every backend
 */
public record MemoryNeeds(int batch, long parameterBytes, long activationBytes, long workspaceBytes,
                          int largestLayer, String largestKind, long largestLayerBytes, boolean activationsInJavaHeap) {
    private static final Pattern MEM_AVAILABLE = Pattern.compile("MemAvailable:\\s+(\\d+) kB");

    /** The memory there is: the Java heap's limit, and the physical memory the kernel says is available. */
    public record Available(long javaHeap, long nativeMemory) {

        public static Available now() {
            return new Available(Runtime.getRuntime().maxMemory(), physicalMemoryAvailable());
        }

        /** {@code MemAvailable} of /proc/meminfo; where there is none, no limit is known and none is checked. */
        private static long physicalMemoryAvailable() {
            try {
                Matcher line = MEM_AVAILABLE.matcher(Files.readString(Path.of("/proc/meminfo")));
                return line.find() ? Long.parseLong(line.group(1)) * 1024 : Long.MAX_VALUE;
            } catch (IOException | RuntimeException unknown) {
                return Long.MAX_VALUE;
            }
        }
    }

    public long totalBytes() {
        return parameterBytes + activationBytes + workspaceBytes;
    }

    /**
     * Builds the layers of {@code sections} (the whole cfg, {@code [net]} first) on a backend that
     * only counts, for {@code input} (batch included).
     */
    static MemoryNeeds measure(List<CfgSection> sections, NetConfig config, Shape input, boolean training,
                               boolean activationsInJavaHeap) {
        return measure(sections, config, input, training, activationsInJavaHeap, new ArrayList<>());
    }

    /**
     * The same, leaving in {@code layers} the layers it built on the counting backend: a sketch of
     * the network (shapes and which layer feeds which) that the caller may plan with.
     */
    static MemoryNeeds measure(List<CfgSection> sections, NetConfig config, Shape input, boolean training,
                               boolean activationsInJavaHeap, List<Layer> layers) {
        MeasuringBackend measuring = new MeasuringBackend();
        try {
            measuring.allocate(input);
        } catch (MeasuringBackend.TensorTooLarge e) {
            throw tooLarge(sections.get(0), "a batch of " + input.n() + " images", e);
        }
        Largest largest = new Largest(measuring);
        try {
            Log.withoutWarnings(() -> Network.buildLayers(sections, measuring, input, config, training, layers,
                    largest));
            if (training) { // the truth, shaped like the output (cost layers keep their input's shape)
                measuring.allocate(layers.get(layers.size() - 1).outputShape());
            }
        } catch (MeasuringBackend.TensorTooLarge e) {
            CfgSection section = sections.get(Math.min(layers.size() + 1, sections.size() - 1));
            throw tooLarge(section, "layer " + layers.size() + " [" + section.type() + "]", e);
        }
        return new MemoryNeeds(input.n(), measuring.parameterBytes(), measuring.activationBytes(),
                measuring.workspaceBytes(), largest.index, largest.kind, largest.bytes, activationsInJavaHeap);
    }

    private static CfgException tooLarge(CfgSection section, String what, MeasuringBackend.TensorTooLarge e) {
        return new CfgException(section.file(), section.line(), null, what + " needs a tensor of " + e.shape + " = "
                + e.values + " values (" + inWords(4 * e.values) + "), more than one tensor can hold ("
                + Integer.MAX_VALUE + "); try a smaller batch or input (width/height)");
    }

    /** The layer that needed most while the layers were measured. */
    private static final class Largest implements Network.BuildListener {
        private final MeasuringBackend measuring;
        private long before;
        private int index = -1;
        private String kind = "";
        private long bytes;

        Largest(MeasuringBackend measuring) {
            this.measuring = measuring;
            this.before = measuring.totalBytes();
        }

        @Override
        public void built(CfgSection section, Layer layer) {
            long needed = measuring.totalBytes() - before;
            before = measuring.totalBytes();
            if (needed > bytes) {
                index = layer.index();
                kind = layer.kind();
                bytes = needed;
            }
        }
    }

    /** Throws a one-line {@link CfgException} when the network needs more than {@code available}. */
    public void requireWithin(Path cfg, Available available) {
        long heapNeed = activationsInJavaHeap ? totalBytes() : parameterBytes;
        if (heapNeed > available.javaHeap()) {
            throw new CfgException(cfg, needs() + " but the Java heap holds at most " + inWords(available.javaHeap())
                    + "; " + suggestion() + ", or a larger heap (JDARKNET_JAVA_OPTS=-Xmx...)");
        }
        if (!activationsInJavaHeap && totalBytes() > available.nativeMemory()) {
            throw new CfgException(cfg, needs() + " but only " + inWords(available.nativeMemory())
                    + " of memory is available; " + suggestion());
        }
    }

    /** The one-line error for an allocation that failed although the estimate fitted (other processes, fragmentation). */
    CfgException allocationFailed(Path cfg, int layer, Throwable failure) {
        return new CfgException(cfg, "ran out of memory while allocating layer " + layer + " (" + failure.getMessage()
                + "); " + needs() + "; " + suggestion());
    }

    /** Whether {@code failure} is an allocation that failed: the Java heap's, or oneDNN's for native memory. */
    static boolean isAllocationFailure(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure instanceof OutOfMemoryError || message.contains("could not create a memory object")
                || message.contains("out of memory");
    }

    private String needs() {
        return String.format(Locale.ROOT, "the network needs %s for a batch of %d (parameters %s, activations %s,"
                        + " workspace %s; the largest layer is %d (%s), %s)", inWords(totalBytes()), batch,
                inWords(parameterBytes), inWords(activationBytes), inWords(workspaceBytes), largestLayer, largestKind,
                inWords(largestLayerBytes));
    }

    private String suggestion() {
        return "try a smaller batch" + (batch > 1 ? " (now " + batch + ")" : "") + " or input (width/height in [net])";
    }

    /** Bytes as people read them: 1.5 GiB, 12.0 MiB. */
    static String inWords(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
