package org.jdarknet.backend.cpu;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.jdarknet.Log;
import org.jdarknet.backend.Precision;

/**
 * oneDNN's native libraries, loaded once per process and only when a {@link CpuBackend} is
 * created: loading is a noticeable part of a one-image classify, and the first run on a machine also unpacks
 * about 100 MB into JavaCPP's cache.
 */
final class Natives {
    private static final String LOAD_LIBRARIES = "org.bytedeco.javacpp.loadLibraries";
    private static Status status;

    private Natives() {
    }

    /** @param problem why the natives cannot be used here; null when they loaded */
    record Status(String problem) {
        boolean loaded() {
            return problem == null;
        }
    }

    /**
     * Starts {@link #load} on a daemon thread, so that a process that ends first does not wait for
     * it, and then has that thread work out the fp32 {@link ActivationFormat}: the first thing a
     * backend asks oneDNN, which sets oneDNN up, so the backend that follows is created sooner.
     */
    static void loadInBackground(boolean onlyOneDnnInProcess) {
        Thread loader = new Thread(() -> loadAndPrepare(onlyOneDnnInProcess), "native library loader");
        loader.setDaemon(true);
        loader.start();
    }

    private static void loadAndPrepare(boolean onlyOneDnnInProcess) {
        if ((onlyOneDnnInProcess ? loadAlone() : load()).loaded()) {
            if (onlyOneDnnInProcess) {
                stopLibraryRechecks();
            }
            try {
                ActivationFormat.preferred(Precision.FP32);
            } catch (RuntimeException e) { // the backend asks again, and reports what goes wrong then
                Log.detail("could not ask oneDNN for its preferred layout ahead: " + e);
            }
        }
    }

    static synchronized Status load() {
        if (status == null) {
            status = tryLoad();
        }
        return status;
    }

    /**
     * As {@link #load}, for a process that will bind no other preset: the libraries JavaCPP
     * loaded last time ({@link CachedLibraries}) are loaded with {@code System.load}, JavaCPP
     * told to load nothing itself; where none are remembered, or they fail to load, JavaCPP
     * loads them and they are remembered for the next process.
     */
    private static synchronized Status loadAlone() {
        if (status == null) {
            Optional<CachedLibraries> cached = cachedLibraries();
            Optional<List<Path>> remembered = cached.flatMap(CachedLibraries::read);
            if (remembered.isPresent()) {
                status = loadRemembered(remembered.get()).orElseGet(() -> {
                    cached.get().forget(); // the next process loads through JavaCPP and remembers anew
                    return tryLoad();
                });
            } else {
                status = loadAndRemember(cached);
            }
        }
        return status;
    }

    private static Status loadAndRemember(Optional<CachedLibraries> cached) {
        Status loaded = tryLoad();
        if (loaded.loaded() && cached.isPresent() && cached.get().remember(Loader.getLoadedLibraries())) {
            Log.detail("remembered oneDNN's native libraries for the next start");
        }
        return loaded;
    }

    /** The list of remembered libraries for these bindings; none when JavaCPP has no cache directory here. */
    private static Optional<CachedLibraries> cachedLibraries() {
        try {
            return Optional.of(CachedLibraries.in(Loader.getCacheDir().toPath(), bindings()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Loaded, or empty when one of them would not load (JavaCPP is then allowed to load again). */
    private static Optional<Status> loadRemembered(List<Path> libraries) {
        long start = System.nanoTime();
        stopLibraryRechecks();
        try {
            System.load(libraries.get(0).toString()); // JavaCPP's own, which limitSpinning's pointer needs
            limitSpinning();
            libraries.subList(1, libraries.size()).forEach(library -> System.load(library.toString()));
            Loader.loadGlobal(CachedLibraries.openMp(libraries).toString());
            Log.detail("loaded oneDNN's native libraries as remembered in " + millisSince(start) + " ms");
            return Optional.of(new Status(null));
        } catch (LinkageError | RuntimeException e) {
            System.setProperty(LOAD_LIBRARIES, "true");
            Log.detail("the remembered native libraries did not load (" + e + "); JavaCPP loads them");
            return Optional.empty();
        }
    }

    /** The jars oneDNN's bindings and JavaCPP come from: what a remembered list of libraries is for. */
    private static String bindings() {
        return dnnl.class.getProtectionDomain().getCodeSource().getLocation() + " "
                + Loader.class.getProtectionDomain().getCodeSource().getLocation();
    }

    private static Status tryLoad() {
        long start = System.nanoTime();
        limitSpinning();
        try {
            Loader.load(dnnl.class);
            makeOpenMpGlobal();
            Log.detail("loaded oneDNN's native libraries in " + millisSince(start) + " ms");
            return new Status(null);
        } catch (LinkageError | RuntimeException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Status("oneDNN's native libraries could not be loaded (" + reason + ")");
        }
    }

    /**
     * Re-opens libgomp with {@code RTLD_GLOBAL}, so that {@link OpenMp} finds its functions with
     * a plain {@code dlsym}. Otherwise JavaCPP's {@code addressof} searches the loaded libraries
     * by opening and closing each inside {@code dl_iterate_phdr}, which deadlocks against a
     * {@code dlopen} on another thread: the JDK loading its JPEG decoder for the image being read
     * meanwhile hung a one-image {@code classify} that way.
     */
    private static void makeOpenMpGlobal() {
        Loader.getLoadedLibraries().entrySet().stream()
                .filter(library -> library.getKey().startsWith("gomp@"))
                .forEach(library -> Loader.loadGlobal(library.getValue()));
    }

    /**
     * Every binding class's static initialiser asks JavaCPP to load its preset's libraries, and
     * JavaCPP then checks each of them against its cached copy again, loaded or not: a few
     * milliseconds a class, about 70 ms of a one-image {@code classify} (docs/benchmarks.md).
     * Once oneDNN's libraries are loaded, a process that will bind no other preset can switch
     * that off. The switch is JavaCPP's own and process-wide: a CUDA binding touched later would
     * not load its libraries, so only a caller that knows no GPU will be used asks for it.
     */
    private static void stopLibraryRechecks() {
        System.setProperty(LOAD_LIBRARIES, "false");
    }

    private static void limitSpinning() {
        try {
            OpenMp.limitSpinning();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.detail("OpenMP threads will spin for milliseconds while idle (cannot set GOMP_SPINCOUNT: " + e + ")");
        }
    }

    /** oneDNN's version, e.g. {@code 3.11.0}; only after a successful {@link #load}. */
    static String version() {
        dnnl_version_t version = dnnl.version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
