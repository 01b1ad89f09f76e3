package org.jdarknet.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * What the raw arguments say before picocli has parsed them. Building picocli's model of a
 * command is a large part of a one-image {@code classify} (docs/benchmarks.md); knowing the
 * command and the backend early lets {@link Main} build only the model it needs and start
 * loading native libraries meanwhile. A wrong reading costs time, never correctness: picocli
 * still parses and checks every argument.
 */
record CommandLinePeek(String[] args) {

    /**
     * The subcommand's name: the first argument that is not an option, since the options before
     * a subcommand take no values. Empty when there is none (top-level help or version).
     */
    Optional<String> subcommand() {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
        }
        return Optional.empty();
    }

    /** The backend {@code --backend NAME}, {@code --backend=NAME} or darknet's {@code -gpu N} asks for; auto when none. */
    String backend() {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--backend") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--backend=")) {
                return args[i].substring("--backend=".length());
            }
            if (args[i].equals("-gpu")) {
                return "cuda";
            }
        }
        return "auto";
    }

    /**
     * Whether any argument mentions a GPU or CUDA ({@code -gpu}, {@code -gpus}, {@code --backend
     * cuda}, a file name with "gpu" in it...): read broadly, since a command that may use a GPU
     * must not have CUDA's libraries left unloaded.
     */
    boolean mentionsGpu() {
        for (String arg : args) {
            String lower = arg.toLowerCase(Locale.ROOT);
            if (lower.contains("gpu") || lower.contains("cuda")) {
                return true;
            }
        }
        return false;
    }
}
