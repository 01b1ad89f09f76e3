package org.jdarknet.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * JPEG decoding by libjpeg-turbo, the library OpenCV's imread decodes with, through the Java
 * bindings Debian ships ({@code libturbojpeg-java}, {@code libturbojpeg0}). They are not on Maven
 * Central, so the jar is loaded at run time from its Debian path and used by reflection; where it
 * is absent or does not load, {@link #find} says why and ImageIO decodes instead.
 *
 * <p>The pixels are OpenCV's: the accurate integer IDCT and fancy (smooth) upsampling are what
 * both imread and TurboJPEG use by default, named explicitly here; libjpeg-turbo itself converts
 * YCbCr and grey to RGB, as it does for imread. CMYK and YCCK files come out as libjpeg's CMYK,
 * which {@link JpegColor#cmykToRgb} turns into RGB as OpenCV does.
 */
final class TurboJpeg implements JpegDecoder {

    static final Path JAR = Path.of("/usr/share/java/turbojpeg.jar");
    /**
     * The bindings ask for {@code libturbojpeg.so}, which only the -dev package provides; the
     * runtime package has the versioned name.
     */
    static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0");
    private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
    private static final int EOI = 0xD9;

    private final MethodHandle open;
    private final MethodHandle width;
    private final MethodHandle height;
    private final MethodHandle colorspace;
    private final MethodHandle decompress;
    private final MethodHandle close;
    private final MethodHandle errorCode;
    private final Class<?> exceptionClass;
    private final int rgb;
    private final int cmyk;
    private final int cmykSpace;
    private final int ycckSpace;
    private final int warning;
    private final int flags;

    private TurboJpeg(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> decompressor = Class.forName(PACKAGE + "TJDecompressor", true, loader);
        Class<?> constants = Class.forName(PACKAGE + "TJ", true, loader);
        exceptionClass = Class.forName(PACKAGE + "TJException", true, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        open = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class));
        width = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
        height = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
        colorspace = lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
        decompress = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class, byte[].class,
                int.class, int.class, int.class, int.class, int.class, int.class, int.class));
        close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
        errorCode = lookup.findVirtual(exceptionClass, "getErrorCode", MethodType.methodType(int.class));
        rgb = constants.getField("PF_RGB").getInt(null);
        cmyk = constants.getField("PF_CMYK").getInt(null);
        cmykSpace = constants.getField("CS_CMYK").getInt(null);
        ycckSpace = constants.getField("CS_YCCK").getInt(null);
        warning = constants.getField("ERR_WARNING").getInt(null);
        flags = constants.getField("FLAG_ACCURATEDCT").getInt(null);
    }

    /**
     * The installed decoder, loaded once for the whole JVM (a native library can be bound to one
     * class loader only), or empty with the reason appended to {@code whyNot}.
     */
    static Optional<TurboJpeg> find(StringBuilder whyNot) {
        whyNot.append(Installed.WHY_NOT);
        return Installed.DECODER;
    }

    /** The bindings in {@code jar} over the native {@code library}, or empty with the reason. */
    static Optional<TurboJpeg> load(Path jar, Path library, StringBuilder whyNot) {
        if (!Files.isReadable(jar) || !Files.isReadable(library)) {
            whyNot.append(jar).append(" or ").append(library).append(" is not installed");
            return Optional.empty();
        }
        try {
            return Optional.of(new TurboJpeg(new BindingsLoader(jar, library)));
        } catch (ReflectiveOperationException | LinkageError | MalformedURLException e) {
            whyNot.append("libjpeg-turbo's Java bindings did not load (").append(e).append(')');
            return Optional.empty();
        }
    }

    private static final class Installed {
        static final StringBuilder WHY_NOT = new StringBuilder();
        static final Optional<TurboJpeg> DECODER = load(JAR, LIBRARY, WHY_NOT);
    }

    @Override
    public String name() {
        return "libjpeg-turbo (" + JAR + ")";
    }

    @Override
    public FloatImage decode(Path path, byte[] file, long maxPixels) {
        return decodeRgb(path, file, maxPixels).toFloat();
    }

    @Override
    public Optional<Rgb8Image> decodeBytes(Path path, byte[] file, long maxPixels) {
        return Optional.of(decodeRgb(path, file, maxPixels));
    }

    private Rgb8Image decodeRgb(Path path, byte[] file, long maxPixels) {
        try {
            return decodeOrThrow(path, withEndMarker(file), maxPixels);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            if (exceptionClass.isInstance(e)) {
                throw new ImageException(path, "cannot be decoded as JPEG (" + e.getMessage() + ")", e);
            }
            throw new IllegalStateException("libjpeg-turbo's bindings failed", e);
        }
    }

    private Rgb8Image decodeOrThrow(Path path, byte[] file, long maxPixels) throws Throwable {
        Object decompressor = open.invoke(file);
        try {
            int w = (int) width.invoke(decompressor);
            int h = (int) height.invoke(decompressor);
            ImageLoader.requireAtMost(path, maxPixels, w, h);
            int space = (int) colorspace.invoke(decompressor);
            boolean inked = space == cmykSpace || space == ycckSpace;
            int channels = inked ? 4 : 3;
            if ((long) w * h * channels > Integer.MAX_VALUE - 8) {
                throw new ImageException(path, "is too large to decode (" + w + "x" + h + ")");
            }
            byte[] pixels = new byte[w * h * channels];
            try {
                decompress.invoke(decompressor, pixels, 0, 0, w, w * channels, h, inked ? cmyk : rgb, flags);
            } catch (Throwable e) {
                keepIfHarmless(path, e);
            }
            return inked ? fromCmyk(pixels, w, h) : new Rgb8Image(w, h, pixels);
        } finally {
            close.invoke(decompressor);
        }
    }

    /**
     * TurboJPEG reports every libjpeg warning as an exception after decoding all it could; those
     * that lose no pixels (extraneous bytes between markers) leave a complete image.
     */
    private void keepIfHarmless(Path path, Throwable e) throws Throwable {
        if (!exceptionClass.isInstance(e) || (int) errorCode.invoke(e) != warning) {
            throw e;
        }
        if (ImageLoader.losesPixels(e.getMessage())) {
            throw new ImageException(path, "is truncated or corrupt (" + e.getMessage() + ")");
        }
    }

    /**
     * libjpeg's memory source warns "Premature end of JPEG file" on a missing end marker even
     * when all the data is there, where ImageIO's stream source stays silent. With the marker
     * appended, a complete file decodes without warning and a cut-off one still warns that its
     * data segment ended early, as it does through ImageIO.
     */
    private static byte[] withEndMarker(byte[] file) {
        int n = file.length;
        if (n >= 2 && (file[n - 2] & 0xff) == 0xFF && (file[n - 1] & 0xff) == EOI) {
            return file;
        }
        byte[] ended = Arrays.copyOf(file, n + 2);
        ended[n] = (byte) 0xFF;
        ended[n + 1] = (byte) EOI;
        return ended;
    }

    private static Rgb8Image fromCmyk(byte[] pixels, int width, int height) {
        byte[] samples = new byte[3 * width * height];
        int[] rgb = new int[3];
        for (int i = 0; i < width * height; i++) {
            JpegColor.cmykToRgb(pixels[4 * i] & 0xff, pixels[4 * i + 1] & 0xff, pixels[4 * i + 2] & 0xff,
                    pixels[4 * i + 3] & 0xff, rgb);
            for (int c = 0; c < 3; c++) {
                samples[3 * i + c] = (byte) rgb[c];
            }
        }
        return new Rgb8Image(width, height, samples);
    }

    /** Loads the bindings' jar and hands them the runtime package's library under its versioned name. */
    private static final class BindingsLoader extends URLClassLoader {
        private final Path library;

        BindingsLoader(Path jar, Path library) throws MalformedURLException {
            super(new URL[] {jar.toUri().toURL()}, TurboJpeg.class.getClassLoader());
            this.library = library;
        }

        @Override
        protected String findLibrary(String name) {
            return name.equals("turbojpeg") ? library.toString() : super.findLibrary(name);
        }
    }
}
