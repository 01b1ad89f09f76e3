/*
 * darknet-augment: writes goldens for jdarknet's data augmentation tests by calling the C
 * darknet's own functions in /usr/lib/darknet/libdarknet.so (Debian `darknet`).
 *
 *   darknet-augment IMAGE.ppm GOLDEN
 *
 * IMAGE.ppm is written first (a small deterministic picture with colours, greys, black and
 * white), then loaded back with darknet's load_image_color, so that every case starts from the
 * image darknet itself sees. GOLDEN is text: each case is a header line (a name and its
 * parameters) followed by one line of float values in C's exact hex notation (%a).
 *
 * Build: gcc -O2 -I/usr/lib/darknet/include darknet-augment.c -L/usr/lib/darknet -ldarknet \
 *            -Wl,-rpath,/usr/lib/darknet -o darknet-augment
 */
#include <stdio.h>
#include <stdlib.h>
#include "darknet.h"

/* Exported by libdarknet but not declared in darknet.h. */
image rotate_crop_image(image im, float rad, float s, int w, int h, float dx, float dy, float aspect);
void distort_image(image im, float hue, float sat, float val);
void rgb_to_hsv(image im);
augment_args random_augment_args(image im, float angle, float aspect, int low, int high, int w, int h);
matrix load_image_augment_paths(char **paths, int n, int min, int max, int size, float angle,
                                float aspect, float hue, float saturation, float exposure, int center);

enum { WIDTH = 24, HEIGHT = 18 };

static void write_picture(const char *path)
{
    FILE *file = fopen(path, "wb");
    if (!file) {
        fprintf(stderr, "darknet-augment: cannot write %s\n", path);
        exit(1);
    }
    fprintf(file, "P6\n%d %d\n255\n", WIDTH, HEIGHT);
    unsigned state = 12345;
    for (int y = 0; y < HEIGHT; ++y) {
        for (int x = 0; x < WIDTH; ++x) {
            unsigned char rgb[3];
            for (int c = 0; c < 3; ++c) {
                state = state * 1103515245u + 12345u;
                rgb[c] = (unsigned char)(state >> 16);
            }
            /* Greys (hue undefined in HSV), black and white are the cases that need care. */
            if ((x + 2 * y) % 9 == 0) rgb[1] = rgb[2] = rgb[0];
            if (x == 0 && y == 0) rgb[0] = rgb[1] = rgb[2] = 0;
            if (x == WIDTH - 1 && y == HEIGHT - 1) rgb[0] = rgb[1] = rgb[2] = 255;
            fwrite(rgb, 1, 3, file);
        }
    }
    fclose(file);
}

static void write_values(FILE *out, const float *values, int count)
{
    for (int i = 0; i < count; ++i) {
        fprintf(out, i ? " %a" : "%a", values[i]);
    }
    fprintf(out, "\n");
}

static void write_image(FILE *out, image im)
{
    write_values(out, im.data, im.w * im.h * im.c);
}

static void rotate_crop_case(FILE *out, image im, float rad, float s, int w, int h, float dx, float dy,
                             float aspect)
{
    image crop = rotate_crop_image(im, rad, s, w, h, dx, dy, aspect);
    fprintf(out, "rotate_crop %a %a %d %d %a %a %a\n", rad, s, w, h, dx, dy, aspect);
    write_image(out, crop);
    free_image(crop);
}

static void distort_case(FILE *out, image im, float hue, float sat, float val)
{
    image copy = copy_image(im);
    distort_image(copy, hue, sat, val);
    fprintf(out, "distort %a %a %a\n", hue, sat, val);
    write_image(out, copy);
    free_image(copy);
}

static void augment_args_case(FILE *out, image im, unsigned seed, float angle, float aspect, int low,
                              int high, int size)
{
    srand(seed);
    augment_args a = random_augment_args(im, angle, aspect, low, high, size, size);
    fprintf(out, "augment_args %u %a %a %d %d %d\n", seed, angle, aspect, low, high, size);
    float values[] = {a.rad, a.scale, a.dx, a.dy, a.aspect};
    write_values(out, values, 5);
}

/* The whole of darknet's classifier augmentation, random draws included, for n images. */
static void augment_paths_case(FILE *out, char *path, unsigned seed, int n, int low, int high, int size,
                               float angle, float aspect, float hue, float sat, float exposure, int center)
{
    char *paths[8];
    for (int i = 0; i < n; ++i) paths[i] = path;
    srand(seed);
    matrix x = load_image_augment_paths(paths, n, low, high, size, angle, aspect, hue, sat, exposure, center);
    fprintf(out, "augment_paths %u %d %d %d %d %a %a %a %a %a %d\n", seed, n, low, high, size, angle, aspect,
            hue, sat, exposure, center);
    for (int i = 0; i < n; ++i) {
        write_values(out, x.vals[i], x.cols);
    }
    free_matrix(x);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGE.ppm GOLDEN\n", argv[0]);
        return 2;
    }
    write_picture(argv[1]);
    image im = load_image_color(argv[1], 0, 0);
    FILE *out = fopen(argv[2], "w");
    if (!out) {
        fprintf(stderr, "darknet-augment: cannot write %s\n", argv[2]);
        return 1;
    }
    fprintf(out, "image %d %d %d\n", im.w, im.h, im.c);
    write_image(out, im);

    rotate_crop_case(out, im, 0, 1, 12, 12, 0, 0, 1);
    rotate_crop_case(out, im, 0, 0.8f, 12, 12, 3.5f, -2.25f, 1);
    rotate_crop_case(out, im, 0.3f, 1.3f, 12, 12, -4, 1.5f, 1.2f);
    rotate_crop_case(out, im, -0.7f, 0.5f, 14, 10, 2, -3, 0.75f);
    rotate_crop_case(out, im, 3.0f, 2.0f, 16, 16, 10, 7, 1);

    distort_case(out, im, 0, 1, 1);
    distort_case(out, im, 0.1f, 1.5f, 0.7f);
    distort_case(out, im, -0.3f, 0.5f, 1.8f);
    distort_case(out, im, 0.45f, 2.0f, 2.0f);

    image hsv = copy_image(im);
    rgb_to_hsv(hsv);
    fprintf(out, "rgb_to_hsv\n");
    write_image(out, hsv);

    image flipped = copy_image(im);
    flip_image(flipped);
    fprintf(out, "flip\n");
    write_image(out, flipped);

    image centred = center_crop_image(im, 12, 12);
    fprintf(out, "center_crop 12 12\n");
    write_image(out, centred);

    augment_args_case(out, im, 1, 0, 1, 12, 24, 12);
    augment_args_case(out, im, 7, 15, 1.3f, 10, 30, 12);
    augment_args_case(out, im, 42, 45, 0.7f, 16, 16, 14);

    augment_paths_case(out, argv[1], 3, 3, 12, 24, 12, 0, 1, 0, 1, 1, 0);
    augment_paths_case(out, argv[1], 11, 3, 10, 30, 12, 20, 1.25f, 0.1f, 1.5f, 1.5f, 0);
    augment_paths_case(out, argv[1], 5, 2, 12, 24, 12, 0, 1, 0.2f, 2.0f, 0.5f, 1);
    fclose(out);
    return 0;
}
