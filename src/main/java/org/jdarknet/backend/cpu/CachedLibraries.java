package org.jdarknet.backend.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdarknet.AtomicFile;
import org.jdarknet.Log;

/**
 * The native libraries JavaCPP loaded for oneDNN, remembered in a small file in JavaCPP's cache so
 * that a later process can {@code System.load} them itself. JavaCPP's {@code Loader.load} works
 * the same paths out again on every start (its presets' annotations and properties, each library
 * looked up among the jars' resources, its cached copy checked) and also loads the OpenCL preset's
 * JNI library, which nothing here calls: 38 ms of a one-image {@code classify} (docs/benchmarks.md).
 *
 * <p>The file names the jars the bindings came from: other jars (another jdarknet, another
 * JavaCPP) use a file of their own, and a remembered library that is gone makes the whole list
 * unusable, so that JavaCPP loads, and the list is written again.
 */
final class CachedLibraries {
    /** JavaCPP's names of what oneDNN's bindings need, in the order they must load. */
    static final List<String> NEEDED = List.of("jnijavacpp", "OpenCL@.1", "gomp@.1", "dnnl@.3", "jnidnnl");
    static final String OPENMP = "gomp@.1";
    private static final String HEADER = "jdarknet: the native libraries of oneDNN's Java bindings, in load order";

    private final Path file;
    private final String bindings;

    /**
     * @param file     where the list is kept
     * @param bindings which bindings it is for: the jars their classes came from
     */
    CachedLibraries(Path file, String bindings) {
        this.file = file;
        this.bindings = bindings;
    }

    /** The list for these bindings in JavaCPP's cache directory {@code cache}. */
    static CachedLibraries in(Path cache, String bindings) {
        return new CachedLibraries(cache.resolve("jdarknet-onednn-" + Integer.toHexString(bindings.hashCode()) + ".txt"),
                bindings);
    }

    /** The remembered libraries, {@link #NEEDED}'s in order, when they were remembered for these bindings and all exist. */
    Optional<List<Path>> read() {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() != NEEDED.size() + 2 || !lines.get(0).equals(HEADER) || !lines.get(1).equals(bindings)) {
                return Optional.empty();
            }
            List<Path> libraries = new ArrayList<>();
            for (String line : lines.subList(2, lines.size())) {
                libraries.add(Path.of(line));
            }
            return libraries.stream().allMatch(Files::isRegularFile) ? Optional.of(libraries) : Optional.empty();
        } catch (IOException | RuntimeException e) { // unreadable or garbled: JavaCPP loads, as without it
            return Optional.empty();
        }
    }

    /**
     * Remembers the libraries in {@code loaded} (JavaCPP's names and paths, as
     * {@code Loader.getLoadedLibraries} gives them); nothing when one it needs is not among them.
     *
     * @return whether the list was written
     */
    boolean remember(Map<String, String> loaded) {
        if (!loaded.keySet().containsAll(NEEDED)) {
            return false;
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n').append(bindings).append('\n');
        NEEDED.forEach(name -> text.append(loaded.get(name)).append('\n'));
        try {
            AtomicFile.writeString(file, text.toString());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Drops the list (when its libraries would not load). */
    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.detail("could not remove " + file + " (" + e.getMessage() + "); its libraries will be tried again");
        }
    }

    /** The OpenMP runtime among {@code libraries} ({@link #read}'s). */
    static Path openMp(List<Path> libraries) {
        return libraries.get(NEEDED.indexOf(OPENMP));
    }
}
