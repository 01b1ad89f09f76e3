package org.jdarknet.backend.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line saying which native library is missing, from what JavaCPP throws when the CUDA bindings
 * cannot link: its messages name the JNI glue ({@code jnicudart}) and, deeper in the cause chain,
 * the system library that was not found ({@code libcuda.so.1: cannot open shared object file}).
 */
final class NativeProblem {
    private static final Pattern LIBRARY = Pattern.compile("(lib[A-Za-z0-9_+-]+\\.so(\\.[0-9]+)*)");

    private NativeProblem() {
    }

    static String describe(Throwable failure) {
        String library = missingLibrary(failure);
        if (library == null) {
            return "no usable GPU: the CUDA libraries do not load (" + firstMessage(failure) + ")";
        }
        if (library.startsWith("libcuda.so")) {
            return "no GPU: the NVIDIA driver's " + library + " is not installed";
        }
        return "no usable GPU: the CUDA library " + library + " is not found (is it on LD_LIBRARY_PATH?)";
    }

    /** The deepest library a message in the chain names as missing: the root cause. */
    private static String missingLibrary(Throwable failure) {
        String found = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null) {
                continue;
            }
            Matcher matcher = LIBRARY.matcher(message);
            while (matcher.find()) {
                if (!matcher.group(1).startsWith("libjni")) {
                    found = matcher.group(1);
                }
            }
        }
        return found;
    }

    private static String firstMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
        return failure.getClass().getName();
    }
}
