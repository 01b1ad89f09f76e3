/*
 * darknet-layers: runs one image through the C darknet (libdarknet.so) exactly as
 * `darknet classify` does and writes what every layer produced, for jdarknet's conformance tests.
 *
 *   darknet-layers CFG WEIGHTS IMAGE OUTDIR
 *
 * OUTDIR receives little-endian float32 files: input.f32 (the letterboxed tensor the network
 * sees), layer_NNN.f32 (each layer's output, batch 1) and output.f32 (network_predict's result),
 * plus index.txt with one line per layer: "NNN type out_c out_h out_w outputs".
 *
 * Build: gcc -O2 -I/usr/lib/darknet/include darknet-layers.c -L/usr/lib/darknet -ldarknet \
 *            -Wl,-rpath,/usr/lib/darknet -o darknet-layers
 */
#include <stdio.h>
#include <stdlib.h>
#include "darknet.h"

static void write_floats(const char *dir, const char *name, const float *values, int count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "wb");
    if (!file || fwrite(values, sizeof(float), count, file) != (size_t)count) {
        fprintf(stderr, "darknet-layers: cannot write %s\n", path);
        exit(1);
    }
    fclose(file);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s CFG WEIGHTS IMAGE OUTDIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[4];
    network *net = load_network(argv[1], argv[2], 0);
    set_batch_network(net, 1);
    image im = load_image_color(argv[3], 0, 0);
    image boxed = letterbox_image(im, net->w, net->h);
    write_floats(dir, "input.f32", boxed.data, boxed.w * boxed.h * boxed.c);

    float *output = network_predict(net, boxed.data);

    char path[4096];
    snprintf(path, sizeof path, "%s/index.txt", dir);
    FILE *index = fopen(path, "w");
    if (!index) {
        fprintf(stderr, "darknet-layers: cannot write %s\n", path);
        return 1;
    }
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        char name[64];
        snprintf(name, sizeof name, "layer_%03d.f32", i);
        write_floats(dir, name, l.output, l.outputs);
        fprintf(index, "%03d %d %d %d %d %d\n", i, (int)l.type, l.out_c, l.out_h, l.out_w, l.outputs);
    }
    fclose(index);
    write_floats(dir, "output.f32", output, net->outputs);
    free_image(boxed);
    free_image(im);
    return 0;
}
