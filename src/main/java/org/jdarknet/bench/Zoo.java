package org.jdarknet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jdarknet.UsageException;

/** The models {@code benchmark} runs when none is named: every {@code .cfg} of the model zoo. */
public final class Zoo {
    /**
     * By name, then by the number the name ends in, so families read in order of size:
     * darknet, darknet19, darknet53; resnet50, resnet101, resnet152.
     */
    static final Comparator<Path> ORDER = Comparator.comparing((Path p) -> family(name(p)))
            .thenComparingLong(p -> size(name(p)));

    private Zoo() {
    }

    /** The cfg files in {@code directory}, in {@link #ORDER}. */
    public static List<Path> cfgs(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new UsageException("no model zoo at " + directory + "; name the cfg files to benchmark");
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> cfgs = files.filter(p -> p.getFileName().toString().endsWith(".cfg")).sorted(ORDER).toList();
            if (cfgs.isEmpty()) {
                throw new UsageException(directory + " holds no .cfg files");
            }
            return cfgs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path cfg) {
        return Benchmark.modelName(cfg);
    }

    private static String family(String name) {
        return name.substring(0, name.length() - trailingDigits(name));
    }

    /** The number the name ends in; -1 for none, so that darknet comes before darknet19. */
    private static long size(String name) {
        int digits = trailingDigits(name);
        return digits == 0 ? -1 : Long.parseLong(name.substring(name.length() - digits));
    }

    private static int trailingDigits(String name) {
        int digits = 0;
        while (digits < Math.min(name.length(), 18) && Character.isDigit(name.charAt(name.length() - 1 - digits))) {
            digits++;
        }
        return digits;
    }
}
