package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every kernel this backend launches exists in the shipped PTX with the parameters
 * {@link Kernel} packs: the same count, the same sizes (from the PTX, what the driver will read),
 * and the same C types (from the {@code extern "C"} wrappers in {@code kernels.cu}, which tell a
 * pointer from a {@code long long}). A kernel whose ABI changed fails here instead of reading
 * garbage on a GPU.
 */
class PtxEntryPointsTest {
    private static final Pattern PTX_ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PTX_PARAMETER = Pattern.compile("\\.param\\s+\\.(\\w+)\\s+\\w+");
    private static final Pattern CUDA_WRAPPER = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    @Test
    void everyLaunchedKernelIsInThePtxWithParametersOfTheSameSizes() throws IOException {
        Map<String, List<String>> entries = ptxEntries(text(Kernels.PTX_RESOURCE));
        for (Kernel kernel : Kernel.values()) {
            List<String> parameters = entries.get(kernel.entryPoint());
            assertNotNull(parameters, kernel.entryPoint() + " is not in " + Kernels.PTX_RESOURCE);
            assertEquals(kernel.parameters().size(), parameters.size(), kernel.entryPoint() + "'s parameter count");
            for (int i = 0; i < parameters.size(); i++) {
                assertEquals(ptxType(kernel.parameters().get(i)), parameters.get(i), kernel.entryPoint() + " parameter " + i);
            }
        }
    }

    @Test
    void everyLaunchedKernelHasTheSourcesCTypes() throws IOException {
        Map<String, List<Kernel.Type>> wrappers = cudaWrappers(text("kernels/kernels.cu"));
        for (Kernel kernel : Kernel.values()) {
            assertEquals(kernel.parameters(), wrappers.get(kernel.entryPoint()), kernel.entryPoint() + " in kernels.cu");
        }
    }

    @Test
    void theParsersSeeEveryEntryPoint() throws IOException {
        Map<String, List<String>> entries = ptxEntries(text(Kernels.PTX_RESOURCE));
        Map<String, List<Kernel.Type>> wrappers = cudaWrappers(text("kernels/kernels.cu"));
        assertEquals(wrappers.keySet(), entries.keySet(), "kernels.cu and kernels.ptx hold the same entry points");
        assertTrue(entries.size() >= Kernel.values().length);
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = Kernels.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, List<String>> ptxEntries(String ptx) {
        Map<String, List<String>> entries = new HashMap<>();
        Matcher entry = PTX_ENTRY.matcher(ptx);
        while (entry.find()) {
            List<String> types = new ArrayList<>();
            Matcher parameter = PTX_PARAMETER.matcher(entry.group(2));
            while (parameter.find()) {
                types.add(parameter.group(1));
            }
            entries.put(entry.group(1), types);
        }
        return entries;
    }

    /** How nvcc declares a parameter of this type in PTX: pointers and long longs as .u64, ints as .u32. */
    private static String ptxType(Kernel.Type type) {
        return switch (type) {
            case POINTER, WIDE -> "u64";
            case INTEGER -> "u32";
            case REAL -> "f32";
        };
    }

    private static Map<String, List<Kernel.Type>> cudaWrappers(String source) {
        Map<String, List<Kernel.Type>> wrappers = new HashMap<>();
        Matcher wrapper = CUDA_WRAPPER.matcher(source);
        while (wrapper.find()) {
            List<Kernel.Type> types = new ArrayList<>();
            for (String parameter : wrapper.group(2).split(",")) {
                types.add(cType(parameter.strip()));
            }
            wrappers.put(wrapper.group(1), types);
        }
        return wrappers;
    }

    private static Kernel.Type cType(String declaration) {
        if (declaration.contains("*")) {
            return Kernel.Type.POINTER;
        }
        String type = declaration.substring(0, declaration.lastIndexOf(' ')).replace("const", "").strip();
        return switch (type) {
            case "long long" -> Kernel.Type.WIDE;
            case "int" -> Kernel.Type.INTEGER;
            case "float" -> Kernel.Type.REAL;
            default -> throw new AssertionError("a kernel parameter of a type the launcher cannot pack: " + declaration);
        };
    }
}
