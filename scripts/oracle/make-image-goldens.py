#!/usr/bin/python3
"""Test images and darknet's own answers for them, for org.jdarknet.image's tests.

usage:
  /usr/bin/python3 scripts/oracle/make-image-goldens.py [--images]

--images  (re)creates the small test images in src/test/resources/images first. Needs
          ImageMagick (convert), exiftool, cwebp and Debian's python3-opencv + numpy.
          Their bytes depend on those tools' versions, so only do this to add images.
always    records, from the committed images, what libdarknet.so (Debian package darknet,
          OpenCV 4.6 imread) makes of them:
          NAME.expected.ppm   load_image_color(NAME, 0, 0) as binary 8-bit PPM; every
                              darknet value is k/255. and this checks that before storing k.
                              A file OpenCV cannot read is an error here: darknet would go on
                              with a black 10x10 image, which is no answer to test against.
          resize-*.f32        resize_image, letterbox_image, resize_min, crop_image and
                              center_crop_image of random float images, raw little-endian
                              float32, CHW; the sources are resize-src-WxH.f32
"""
import ctypes as C
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np

LIB = "/usr/lib/darknet/libdarknet.so"
ICC = "/usr/share/color/icc/ghostscript/"
A98 = ICC + "a98.icc"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "src/test/resources/images")
IMAGE_SUFFIXES = (".jpg", ".png", ".bmp", ".tif", ".ppm", ".pgm", ".webp")

# (operation, source width, source height, arguments): kept in step with ResizeTest.cases()
RESIZE_CASES = [
    ("resize", 7, 5, (13, 11)), ("resize", 7, 5, (4, 3)), ("resize", 7, 5, (7, 5)),
    ("resize", 7, 5, (2, 2)), ("resize", 5, 7, (1, 4)), ("resize", 1, 6, (5, 4)),
    ("resize", 6, 1, (4, 5)), ("resize", 1, 1, (3, 2)), ("resize", 19, 13, (11, 37)),
    ("letterbox", 7, 5, (8, 8)), ("letterbox", 5, 7, (8, 8)), ("letterbox", 7, 5, (16, 4)),
    ("letterbox", 19, 13, (16, 16)), ("letterbox", 5, 7, (5, 7)), ("letterbox", 40, 1, (8, 8)),
    ("letterbox", 1, 40, (8, 8)),
    ("resizemin", 7, 5, (3,)), ("resizemin", 7, 5, (5,)), ("resizemin", 5, 7, (10,)), ("resizemin", 19, 13, (9,)),
    ("crop", 7, 5, (2, 1, 3, 3)), ("crop", 7, 5, (-2, -1, 10, 8)), ("crop", 7, 5, (5, 3, 4, 4)),
    ("centercrop", 7, 5, (4, 4)), ("centercrop", 5, 7, (9, 6)), ("centercrop", 1, 6, (3, 3)),
    ("centercrop", 19, 13, (9, 9)),
]


class IMAGE(C.Structure):
    _fields_ = [("w", C.c_int), ("h", C.c_int), ("c", C.c_int), ("data", C.POINTER(C.c_float))]


def load_lib():
    lib = C.CDLL(LIB)
    signatures = {
        "load_image_color": [C.c_char_p, C.c_int, C.c_int],
        "resize_image": [IMAGE, C.c_int, C.c_int],
        "letterbox_image": [IMAGE, C.c_int, C.c_int],
        "resize_min": [IMAGE, C.c_int],
        "crop_image": [IMAGE, C.c_int, C.c_int, C.c_int, C.c_int],
        "center_crop_image": [IMAGE, C.c_int, C.c_int],
    }
    for name, args in signatures.items():
        getattr(lib, name).restype = IMAGE
        getattr(lib, name).argtypes = args
    return lib


def to_numpy(im):
    return np.ctypeslib.as_array(im.data, shape=(im.c, im.h, im.w)).copy()


# ---------------------------------------------------------------------------- test images

def content(w, h, seed):
    """Gradients, a sharp saturated block and noise: every code path of the codecs gets work."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    rgb = np.stack([x * 255 / max(w - 1, 1), y * 255 / max(h - 1, 1),
                    128 + 127 * np.sin((x + 2 * y) / 3)], axis=-1)
    rgb[h // 3:2 * h // 3, w // 4:w // 2] = (250, 10, 30)
    rgb += rng.normal(0, 25, rgb.shape)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def png(path, rows, color_type, bit_depth, extra=b"", width=None):
    with open(path, "wb") as f:
        f.write(png_bytes(rows, color_type, bit_depth, extra, width))


def png_bytes(rows, color_type, bit_depth, extra=b"", width=None, trailer=b""):
    """A PNG written by hand, so that colour type, depth and ancillary chunks are exactly ours.
    rows: (height, bytes per row[, samples]) already packed; width only where that differs."""
    h, w = rows.shape[:2]
    raw = b"".join(b"\0" + row.tobytes() for row in rows)
    ihdr = struct.pack(">IIBBBBB", width or w, h, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + trailer + png_chunk(b"IEND", b""))


def tiff_orientation(orientation):
    """A big-endian TIFF header whose only IFD0 entry is Orientation (0x0112, SHORT)."""
    return b"MM\0*" + struct.pack(">IHHHIHHI", 8, 1, 0x0112, 3, 1, orientation, 0, 0)


def jpeg_segments(data):
    """(marker, bytes) of each segment before the scan data, then (None, the rest)."""
    out, i = [], 2
    while data[i + 1] != 0xDA:
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        out.append((data[i + 1], data[i:i + 2 + length]))
        i += 2 + length
    return out + [(None, data[i:])]


def rewrite_jpeg(path, edit):
    with open(path, "rb") as f:
        segments = edit(jpeg_segments(f.read()))
    with open(path, "wb") as f:
        f.write(b"\xff\xd8" + b"".join(segment for _, segment in segments))


def pack_bits(values, bits):
    """Rows of small integers packed most significant first, as PNG stores depths below 8."""
    h, w = values.shape
    per_byte = 8 // bits
    padded = np.zeros((h, -(-w // per_byte) * per_byte), np.uint8)
    padded[:, :w] = values
    groups = padded.reshape(h, -1, per_byte)
    shifts = np.array([8 - bits * (i + 1) for i in range(per_byte)], np.uint8)
    return np.bitwise_or.reduce(groups << shifts, axis=2).astype(np.uint8)


def run(*command):
    subprocess.run(command, check=True)


def make_pngs(tmp):
    rgb = content(31, 17, 1)
    rng = np.random.default_rng(2)
    alpha = rng.integers(0, 256, (17, 31, 1), dtype=np.uint8)
    alpha[0, :4] = 0  # fully transparent pixels still carry colour that OpenCV keeps
    grey = rgb[:, :, 1:2]
    png(f"{OUT}/png-rgb.png", rgb, 2, 8)
    png(f"{OUT}/png-rgba.png", np.concatenate([rgb, alpha], axis=2), 6, 8)
    png(f"{OUT}/png-grey.png", grey, 0, 8)
    png(f"{OUT}/png-grey-alpha.png", np.concatenate([grey, alpha], axis=2), 4, 8)
    palette = content(16, 16, 3).reshape(-1, 3)[:200]
    indices = rng.integers(0, 200, (17, 31), dtype=np.uint8)
    trns = png_chunk(b"tRNS", bytes(rng.integers(0, 256, 100, dtype=np.uint8)))
    png(f"{OUT}/png-palette.png", indices[:, :, None],
        3, 8, png_chunk(b"PLTE", palette.tobytes()) + trns)
    png(f"{OUT}/png-palette-4bit.png", pack_bits(indices % 16, 4),
        3, 4, png_chunk(b"PLTE", palette[:16].tobytes()), width=31)
    png(f"{OUT}/png-grey-1bit.png", pack_bits(indices % 2, 1), 0, 1, width=31)
    png(f"{OUT}/png-grey-2bit.png", pack_bits(indices % 4, 2), 0, 2, width=31)
    wide = rng.integers(0, 65536, (17, 31, 4), dtype=np.uint16).astype(">u2")
    png(f"{OUT}/png-rgb16.png", wide[:, :, :3].view(np.uint8), 2, 16)
    png(f"{OUT}/png-rgba16.png", wide.view(np.uint8), 6, 16)
    png(f"{OUT}/png-grey16.png", wide[:, :, :1].view(np.uint8), 0, 16)
    png(f"{OUT}/png-grey16-alpha.png", wide[:, :, :2].view(np.uint8), 4, 16)
    key = rgb[5, 7]
    png(f"{OUT}/png-rgb-trns.png", rgb, 2, 8, png_chunk(b"tRNS", struct.pack(">HHH", *key)))
    png(f"{OUT}/png-grey-trns.png", grey, 0, 8, png_chunk(b"tRNS", struct.pack(">H", grey[5, 7, 0])))
    with open(A98, "rb") as f:
        iccp = png_chunk(b"iCCP", b"AdobeRGB\0\0" + zlib.compress(f.read()))
    gama = png_chunk(b"gAMA", struct.pack(">I", 100000))  # gamma 1.0: nobody applies it
    png(f"{OUT}/png-icc-gamma.png", rgb, 2, 8, gama + iccp)
    run("convert", f"{OUT}/png-rgb.png", "-strip", "-interlace", "PNG", f"PNG24:{OUT}/png-interlaced.png")
    small = content(13, 9, 7)
    exif = png_chunk(b"eXIf", tiff_orientation(6))
    png(f"{OUT}/png-exif-orientation6.png", small, 2, 8, exif)
    with open(f"{OUT}/png-exif-after-idat.png", "wb") as f:  # OpenCV looks there too
        f.write(png_bytes(small, 2, 8, trailer=exif))


def make_jpegs(tmp):
    base = f"{tmp}/base.png"
    png(base, content(31, 17, 4), 2, 8)
    jpeg = ["convert", base, "-strip", "-quality", "85"]
    run(*jpeg, "-sampling-factor", "2x2,1x1,1x1", f"{OUT}/jpeg-420.jpg")
    run(*jpeg, "-sampling-factor", "2x1,1x1,1x1", f"{OUT}/jpeg-422.jpg")
    run(*jpeg, "-sampling-factor", "1x1,1x1,1x1", f"{OUT}/jpeg-444.jpg")
    run(*jpeg, "-sampling-factor", "2x2,1x1,1x1", "-interlace", "JPEG", f"{OUT}/jpeg-progressive.jpg")
    run(*jpeg, "-colorspace", "Gray", f"{OUT}/jpeg-grey.jpg")
    run(*jpeg, "-sampling-factor", "1x1,1x1,1x1", f"{OUT}/jpeg-adobergb.jpg")
    run("exiftool", "-q", "-overwrite_original", f"-icc_profile<={A98}", f"{OUT}/jpeg-adobergb.jpg")
    run("cp", f"{OUT}/jpeg-444.jpg", f"{OUT}/jpeg-444-nojfif.jpg")  # libjpeg then goes by component ids
    rewrite_jpeg(f"{OUT}/jpeg-444-nojfif.jpg", lambda s: [x for x in s if x[0] != 0xE0])
    run("cp", f"{OUT}/jpeg-grey.jpg", f"{OUT}/jpeg-grey-icc.jpg")
    run("exiftool", "-q", "-overwrite_original", f"-icc_profile<={ICC}sgray.icc", f"{OUT}/jpeg-grey-icc.jpg")
    run(*jpeg, "-colorspace", "CMYK", f"{OUT}/jpeg-ycck.jpg")  # ImageMagick writes Adobe transform 2
    make_cmyk_jpeg(tmp, f"{OUT}/jpeg-cmyk.jpg")
    png(base, content(13, 9, 5), 2, 8)
    for orientation in range(1, 9):
        name = f"{OUT}/jpeg-exif-orientation{orientation}.jpg"
        run(*jpeg, "-sampling-factor", "1x1,1x1,1x1", name)
        run("exiftool", "-q", "-n", "-overwrite_original", f"-Orientation={orientation}", name)
    # OpenCV looks only at the first APP1: an XMP one in front hides the orientation
    name = f"{OUT}/jpeg-xmp-before-exif.jpg"
    run("cp", f"{OUT}/jpeg-exif-orientation6.jpg", name)
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
    rewrite_jpeg(name, lambda s: [(0xE1, b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp)] + s)


def make_cmyk_jpeg(tmp, path):
    """Plain CMYK (Adobe transform 0, stored inverted) with a CMYK ICC profile, as Photoshop
    writes them; ImageMagick only writes YCCK, Ghostscript's jpegcmyk device writes this."""
    rng = np.random.default_rng(8)
    cmyk = rng.integers(0, 256, (9, 13, 4), dtype=np.uint8)
    with open(f"{tmp}/cmyk.ps", "w") as f:
        f.write("%!PS\n<< /PageSize [13 9] >> setpagedevice\n13 9 scale\n"
                "13 9 8 [13 0 0 -9 0 9] currentfile /ASCIIHexDecode filter false 4 colorimage\n"
                + cmyk.tobytes().hex() + ">\nshowpage\n")
    run("gs", "-q", "-sDEVICE=jpegcmyk", "-r72", "-dJPEGQ=90", "-o", path, f"{tmp}/cmyk.ps")
    run("exiftool", "-q", "-overwrite_original", "-icc_profile:all=", path)  # Ghostscript's is 180 KB
    run("exiftool", "-q", "-overwrite_original", f"-icc_profile<={ICC}ps_cmyk.icc", path)


def make_others(tmp):
    import cv2  # Debian's python3-opencv: the same OpenCV that darknet reads with
    bgr = content(31, 17, 6)[:, :, ::-1]
    base = f"{tmp}/base.png"
    png(base, bgr[:, :, ::-1], 2, 8)
    png(f"{tmp}/small.png", content(13, 9, 9), 2, 8)
    cv2.imwrite(f"{OUT}/bmp-24.bmp", bgr)
    run("convert", base, "-colors", "60", "-type", "Palette", "-compress", "none", f"BMP3:{OUT}/bmp-8.bmp")
    run("convert", base, "-colors", "60", "-type", "Palette", f"BMP3:{OUT}/bmp-rle8.bmp")
    run("convert", f"{OUT}/png-rgba.png", f"BMP3:{OUT}/bmp-32.bmp")
    run("convert", base, "-compress", "lzw", f"{OUT}/tiff-rgb.tif")
    run("convert", base, "-colorspace", "Gray", "-compress", "none", f"{OUT}/tiff-grey.tif")
    run("convert", f"{OUT}/png-rgb16.png", "-compress", "none", f"{OUT}/tiff-rgb16.tif")
    run("convert", f"{OUT}/png-grey16.png", "-compress", "none", f"{OUT}/tiff-grey16.tif")
    run("convert", base, "-orient", "LeftBottom", f"{OUT}/tiff-orientation8.tif")
    # OpenCV reads 8-bit TIFF through libtiff's RGBA interface (tif_getimage.c): these test its rules
    rgba16 = np.random.default_rng(10).integers(0, 65536, (9, 13, 4), dtype=np.uint16).astype(">u2")
    png(f"{tmp}/rgba16.png", rgba16.view(np.uint8), 6, 16)
    run("convert", f"{tmp}/rgba16.png", "-compress", "none", f"{OUT}/tiff-rgba16.tif")
    run("convert", f"{tmp}/rgba16.png", "-depth", "8", "-compress", "none", f"{OUT}/tiff-rgba.tif")
    run("convert", f"{tmp}/rgba16.png", "-depth", "8", "-colorspace", "Gray", "-compress", "none",
        f"{OUT}/tiff-grey-alpha.tif")
    run("convert", f"{tmp}/small.png", "-colors", "50", "-type", "Palette", "-compress", "none",
        f"{OUT}/tiff-palette.tif")
    run("convert", base, f"{OUT}/tiff-adobergb.tif")
    run("exiftool", "-q", "-overwrite_original", f"-icc_profile<={A98}", f"{OUT}/tiff-adobergb.tif")
    run("convert", f"{OUT}/png-rgb16.png", f"{OUT}/pnm-p6-16bit.ppm")
    with open(f"{OUT}/pnm-p5-maxval100.pgm", "wb") as f:
        f.write(b"P5\n31 17\n100\n" + (bgr[:, :, 1] * 100 // 255).astype(np.uint8).tobytes())
    cv2.imwrite(f"{OUT}/pnm-p6.ppm", bgr)
    cv2.imwrite(f"{OUT}/pnm-p5.pgm", bgr[:, :, 1])
    run("convert", f"{tmp}/small.png", "-compress", "none", f"{OUT}/pnm-p3.ppm")
    run("cwebp", "-quiet", "-lossless", base, "-o", f"{OUT}/webp-lossless.webp")
    run("cwebp", "-quiet", "-q", "80", base, "-o", f"{OUT}/webp-lossy.webp")
    run("cwebp", "-quiet", "-lossless", f"{tmp}/small.png", "-o", f"{OUT}/webp-exif-orientation6.webp")
    run("exiftool", "-q", "-n", "-overwrite_original", "-Orientation=6", f"{OUT}/webp-exif-orientation6.webp")


# ---------------------------------------------------------------------------- goldens

def record_decoded(lib):
    import cv2
    for name in sorted(os.listdir(OUT)):
        path = os.path.join(OUT, name)
        if not name.endswith(IMAGE_SUFFIXES) or name.endswith(".expected.ppm"):
            continue
        if cv2.imread(path, cv2.IMREAD_COLOR) is None:
            sys.exit(f"{name}: OpenCV cannot read it, so darknet has no answer for it")
        im = lib.load_image_color(path.encode(), 0, 0)
        values = to_numpy(im)
        levels = np.rint(values * 255).astype(np.int64)
        assert np.all((levels / 255.).astype(np.float32) == values), name + ": not k/255."
        hwc = np.transpose(levels, (1, 2, 0)).astype(np.uint8)
        with open(path + ".expected.ppm", "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (im.w, im.h) + hwc.tobytes())


def record_resized(lib):
    sources = {}
    for _, w, h, _ in RESIZE_CASES:
        if (w, h) not in sources:
            rng = np.random.default_rng(w * 1000 + h)
            data = rng.random((3, h, w), dtype=np.float32)
            data.tofile(f"{OUT}/resize-src-{w}x{h}.f32")
            sources[(w, h)] = data
    functions = {"resize": lib.resize_image, "letterbox": lib.letterbox_image,
                 "resizemin": lib.resize_min, "crop": lib.crop_image,
                 "centercrop": lib.center_crop_image}
    for operation, w, h, args in RESIZE_CASES:
        data = np.ascontiguousarray(sources[(w, h)])
        source = IMAGE(w, h, 3, data.ctypes.data_as(C.POINTER(C.c_float)))
        result = to_numpy(functions[operation](source, *args))
        name = "_".join(str(a) for a in args)
        result.astype("<f4").tofile(f"{OUT}/resize-{operation}-{w}x{h}-{name}.f32")


def main():
    if "--images" in sys.argv[1:]:
        os.makedirs(OUT, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            make_pngs(tmp)
            make_jpegs(tmp)
            make_others(tmp)
    lib = load_lib()
    # darknet appends unreadable paths to ./bad.list: keep that out of the repository
    os.chdir(tempfile.mkdtemp())
    record_decoded(lib)
    record_resized(lib)


if __name__ == "__main__":
    main()
