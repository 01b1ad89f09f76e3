/*
 * darknet-train-step: one training step of the C darknet (libdarknet.so) on a given batch, for
 * jdarknet's training conformance test.
 *
 *   darknet-train-step CFG WEIGHTS IMAGES.f32 TRUTH.f32 OUT.weights
 *
 * IMAGES.f32 holds batch x inputs little-endian floats (planar CHW per image), TRUTH.f32 batch x
 * classes. The cfg's batch (divided by subdivisions) must equal the number of images. Runs
 * train_network (forward, backward, update) once, prints the loss it returns (per image) on
 * stdout and writes the updated weights to OUT.weights.
 *
 * Build: gcc -O2 -I/usr/lib/darknet/include darknet-train-step.c -L/usr/lib/darknet -ldarknet \
 *            -Wl,-rpath,/usr/lib/darknet -o darknet-train-step
 */
#include <stdio.h>
#include <stdlib.h>
#include "darknet.h"

static float *read_floats(const char *path, long count)
{
    FILE *file = fopen(path, "rb");
    float *values = malloc(count * sizeof(float));
    if (!file || fread(values, sizeof(float), count, file) != (size_t)count) {
        fprintf(stderr, "darknet-train-step: %s does not hold %ld floats\n", path, count);
        exit(1);
    }
    fclose(file);
    return values;
}

static matrix rows_of(float *values, int rows, int cols)
{
    matrix m;
    m.rows = rows;
    m.cols = cols;
    m.vals = malloc(rows * sizeof(float *));
    for (int i = 0; i < rows; ++i) m.vals[i] = values + (long)i * cols;
    return m;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s CFG WEIGHTS IMAGES.f32 TRUTH.f32 OUT.weights\n", argv[0]);
        return 2;
    }
    network *net = load_network(argv[1], argv[2], 0);
    int batch = net->batch;
    data d = {0};
    d.X = rows_of(read_floats(argv[3], (long)batch * net->inputs), batch, net->inputs);
    d.y = rows_of(read_floats(argv[4], (long)batch * net->truths), batch, net->truths);
    d.shallow = 1;
    float loss = train_network(net, d);
    printf("%.9g\n", loss);
    save_weights(net, argv[5]);
    return 0;
}
