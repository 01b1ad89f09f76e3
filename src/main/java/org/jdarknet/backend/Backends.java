package org.jdarknet.backend;

import java.util.List;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.cuda.CudaAvailability;
import org.jdarknet.backend.cuda.CudaBackend;
import org.jdarknet.backend.cuda.CudaException;
import org.jdarknet.backend.reference.ReferenceBackend;

/** Creates backends by the names {@code --backend} accepts. */
public final class Backends {
    private static final String CUDA_DEVICE_PREFIX = "cuda:";

    private Backends() {
    }

    public static List<String> names() {
        return List.of("auto", "reference", "cpu", "cuda");
    }

    /**
     * The backend called {@code name}; {@code auto} picks the fastest one available here: a GPU
     * when one is usable, else the cpu backend, else the reference. {@code cuda} runs on GPU 0,
     * {@code cuda:N} on GPU N (darknet's {@code -gpu N}).
     *
     * @param threads worker threads for CPU backends, 0 for one per core
     */
    public static Backend create(String name, int threads) {
        return create(name, threads, Precision.FP32);
    }

    /**
     * The backend called {@code name} computing in {@code precision}. Only the cpu backend has
     * more than fp32; {@code auto} then means the cpu backend.
     */
    public static Backend create(String name, int threads, Precision precision) {
        if (precision != Precision.FP32) {
            return lowPrecision(name, threads, precision);
        }
        if (name.startsWith(CUDA_DEVICE_PREFIX)) {
            return new CudaBackend(gpuOrdinal(name.substring(CUDA_DEVICE_PREFIX.length())));
        }
        return switch (name) {
            case "auto" -> fastestAvailable(threads);
            case "reference" -> new ReferenceBackend();
            case "cpu" -> new CpuBackend(threads);
            case "cuda" -> new CudaBackend(0);
            default -> throw new UsageException("unknown backend '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }

    private static Backend lowPrecision(String name, int threads, Precision precision) {
        if (name.equals("auto") || name.equals("cpu")) {
            return new CpuBackend(threads, precision);
        }
        if (!names().contains(name) && !name.startsWith(CUDA_DEVICE_PREFIX)) {
            return create(name, threads, Precision.FP32); // the unknown-backend error
        }
        throw new UsageException("--precision " + precision.label() + " needs the cpu backend; the " + name
                + " backend computes in fp32 only");
    }

    /** The name {@link #create} takes for GPU {@code ordinal}. */
    public static String cuda(int ordinal) {
        return CUDA_DEVICE_PREFIX + ordinal;
    }

    private static int gpuOrdinal(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("a GPU is named by its number (cuda:0, -gpu 0), not '" + text + "'");
        }
    }

    /**
     * Starts loading, on a background thread, what creating backend {@code name} would wait for:
     * the cpu backend's native libraries (for {@code auto} too), a large part of a one-image
     * {@code classify}. The caller reads its other inputs meanwhile; {@link #create} then waits
     * only for what is left. Nothing happens for other names, unknown ones included.
     * {@code noGpuAsked}: the process is a command that names no GPU and will create no backend
     * but {@code name}'s, so where that is the cpu backend for certain ({@code cpu}, or
     * {@code auto} without an NVIDIA driver) no other native bindings will be needed.
     */
    public static void preload(String name, boolean noGpuAsked) {
        if (name.equals("auto") || name.equals("cpu")) {
            CpuBackend.preload(bindsOnlyOneDnn(name, noGpuAsked));
        }
    }

    /** Whether a process that asks for backend {@code name}, and names no GPU, will bind oneDNN's libraries and no others. */
    static boolean bindsOnlyOneDnn(String name, boolean noGpuAsked) {
        return noGpuAsked && (name.equals("cpu") || name.equals("auto") && CudaAvailability.driverAbsence().isPresent());
    }

    private static Backend fastestAvailable(int threads) {
        Optional<Backend> gpu = usableGpu();
        if (gpu.isPresent()) {
            return gpu.get();
        }
        Optional<String> problem = CpuBackend.unavailableReason();
        if (problem.isPresent()) {
            Log.warn(problem.get() + "; using the reference backend (slow)");
            return new ReferenceBackend();
        }
        return new CpuBackend(threads);
    }

    /** GPU 0 when this machine can run the cuda backend; why not only with --verbose (CPU users need not hear it). */
    private static Optional<Backend> usableGpu() {
        Optional<String> problem = CudaAvailability.driverAbsence().or(CudaAvailability::unavailableReason);
        if (problem.isEmpty()) {
            try {
                Backend backend = new CudaBackend(0);
                Log.detail("backend auto: a usable GPU is found, so the cuda backend runs");
                return Optional.of(backend);
            } catch (UsageException | CudaException e) {
                problem = Optional.of(e.getMessage());
            }
        }
        Log.detail("backend auto: " + problem.get() + "; computing on the CPU");
        return Optional.empty();
    }
}
