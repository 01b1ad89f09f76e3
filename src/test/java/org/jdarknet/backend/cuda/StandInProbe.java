package org.jdarknet.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.jdarknet.UsageException;

/**
 * Run in a child JVM whose {@code LD_LIBRARY_PATH} holds the CUDA runtime and a driver (a stand-in
 * one on machines without a GPU, see {@link StandInDriverTest}; the real one in
 * {@code scripts/gpu-check.sh}). Prints one line per question, for the parent to read:
 * {@code reason:} what detection answers, {@code backend:} what starting the backend says,
 * {@code nccl:} why NCCL cannot reduce, or {@code loads}, {@code nvrtc:} whether NVRTC compiles the
 * kernels' sources, and how its PTX compares with the shipped one.
 */
public final class StandInProbe {
    private static final String ARCHITECTURE = "--gpu-architecture=compute_75";

    private StandInProbe() {
    }

    public static void main(String[] args) throws IOException {
        Optional<String> reason = CudaAvailability.unavailableReason();
        System.out.println("reason: " + reason.orElse("none, " + CudaAvailability.deviceCount() + " GPU(s)"));
        try (CudaBackend backend = new CudaBackend(0)) {
            System.out.println("backend: started: " + backend.description());
        } catch (UsageException | CudaException e) {
            System.out.println("backend: " + e.getMessage());
        }
        System.out.println("nccl: " + NcclAllReduce.unavailableReason().orElse("loads"));
        System.out.println("nvrtc: " + compileWithNvrtc());
    }

    private static String compileWithNvrtc() throws IOException {
        try {
            Loader.load(nvrtc.class);
        } catch (Throwable missing) { // UnsatisfiedLinkError without libnvrtc
            return "absent: " + NativeProblem.describe(missing);
        }
        String source = resource("kernels/kernels.cu");
        String header = resource("kernels/ops.cuh");
        _nvrtcProgram program = new _nvrtcProgram();
        try (PointerPointer<BytePointer> headers = new PointerPointer<>(header);
             PointerPointer<BytePointer> names = new PointerPointer<>("ops.cuh");
             PointerPointer<BytePointer> options = new PointerPointer<>(ARCHITECTURE, "--fmad=false")) {
            Check.nvrtc(nvrtc.nvrtcCreateProgram(program, new BytePointer(source), new BytePointer("kernels.cu"), 1, headers, names),
                    "nvrtcCreateProgram", "kernels.cu");
            long started = System.nanoTime();
            int status = nvrtc.nvrtcCompileProgram(program, 2, options);
            long milliseconds = (System.nanoTime() - started) / 1_000_000;
            if (status != nvrtc.NVRTC_SUCCESS) {
                return "failed to compile kernels.cu (" + nvrtc.nvrtcGetErrorString(status).getString() + "): "
                        + log(program).strip().lines().findFirst().orElse("");
            }
            byte[] ptx = ptx(program);
            boolean same = Arrays.equals(ptx, Kernels.ptx());
            return "compiled kernels.cu in " + milliseconds + " ms; its PTX " + (same ? "is identical to" : "differs from")
                    + " the shipped kernels.ptx";
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    private static byte[] ptx(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            Check.nvrtc(nvrtc.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize", "kernels.cu");
            try (BytePointer text = new BytePointer(size.get())) {
                Check.nvrtc(nvrtc.nvrtcGetPTX(program, text), "nvrtcGetPTX", "kernels.cu");
                byte[] bytes = new byte[(int) size.get() - 1]; // without the terminating NUL
                text.get(bytes);
                return bytes;
            }
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            Check.nvrtc(nvrtc.nvrtcGetProgramLogSize(program, size), "nvrtcGetProgramLogSize", "kernels.cu");
            try (BytePointer text = new BytePointer(size.get())) {
                Check.nvrtc(nvrtc.nvrtcGetProgramLog(program, text), "nvrtcGetProgramLog", "kernels.cu");
                return text.getString();
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Kernels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
