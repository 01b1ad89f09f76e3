package org.jdarknet.backend.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Whether this machine can run the CUDA backend, asked once per process. JavaCPP's bindings link
 * the driver ({@code libcuda.so.1}) and the runtime ({@code libcudart.so.13}) when the binding class
 * is first touched: without them that touch throws {@link UnsatisfiedLinkError} and every later
 * one {@link NoClassDefFoundError}, so the first answer is kept and nothing else touches the
 * bindings before asking here.
 */
public final class CudaAvailability {
    /**
     * The probe's answer, in a class of its own so that it runs on first use only: {@link
     * #driverAbsence} must not bind CUDA, since {@code auto} asks it first to skip the probe.
     */
    private static final class Probed {
        static final Answer ANSWER = probe();
    }

    /** @param problem why the backend cannot run, null when it can; @param devices GPUs found */
    private record Answer(String problem, int devices) {
    }

    private CudaAvailability() {
    }

    /** Why the CUDA backend cannot run here (no driver, no runtime, no GPU), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Probed.ANSWER.problem());
    }

    /** How many GPUs the driver reports (0 when the backend cannot run). */
    public static int deviceCount() {
        return Probed.ANSWER.devices();
    }

    /**
     * Why GPU {@code ordinal} cannot be used, or empty when it can: the backend's own problem, or
     * a number beyond the GPUs found.
     */
    public static Optional<String> unavailableReason(int ordinal) {
        if (Probed.ANSWER.problem() != null) {
            return Optional.of(Probed.ANSWER.problem());
        }
        if (ordinal < 0 || ordinal >= Probed.ANSWER.devices()) {
            return Optional.of("there is no GPU " + ordinal + ": " + found(Probed.ANSWER.devices()));
        }
        return Optional.empty();
    }

    /**
     * A quick look, without loading any library, for the NVIDIA kernel driver's device files:
     * where they are absent no GPU can be used, and {@code auto} need not pay for binding CUDA.
     * Empty when they exist (or on a system that keeps them elsewhere: the full check decides).
     */
    public static Optional<String> driverAbsence() {
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        if (linux && !Files.exists(Path.of("/dev/nvidiactl")) && !Files.exists(Path.of("/proc/driver/nvidia"))) {
            return Optional.of("no GPU: the NVIDIA driver is not loaded (no /dev/nvidiactl)");
        }
        return Optional.empty();
    }

    /** The GPUs found, in words. */
    static String found(int devices) {
        return switch (devices) {
            case 0 -> "no GPU is found";
            case 1 -> "only GPU 0 is found";
            default -> devices + " GPUs are found, 0 to " + (devices - 1);
        };
    }

    private static Answer probe() {
        try {
            Loader.load(cudart.class);
        } catch (Throwable missing) { // UnsatisfiedLinkError, NoClassDefFoundError, JavaCPP's own wrappers
            return new Answer(NativeProblem.describe(missing), 0);
        }
        int[] count = new int[1];
        int status = cudart.cudaGetDeviceCount(count);
        if (status != cudart.cudaSuccess) {
            String name = cudart.cudaGetErrorName(status).getString();
            return new Answer("no usable GPU: cudaGetDeviceCount failed with " + name + " (" + status + "): "
                    + cudart.cudaGetErrorString(status).getString(), 0);
        }
        if (count[0] == 0) {
            return new Answer("no GPU: the CUDA driver reports none", 0);
        }
        return new Answer(null, count[0]);
    }
}
