/*
 * darknet-bench: times the C darknet (libdarknet.so) on one network the way `jdarknet benchmark`
 * times ours: batch 1, a fixed input, WARMUP untimed runs of network_predict, then RUNS timed
 * ones on the monotonic clock. Prints "MEDIAN_MS MIN_MS MAX_MS" on stdout.
 *
 *   darknet-bench CFG WEIGHTS RUNS WARMUP
 *
 * Build: gcc -O2 -I/usr/lib/darknet/include darknet-bench.c -L/usr/lib/darknet -ldarknet \
 *            -Wl,-rpath,/usr/lib/darknet -o darknet-bench
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "darknet.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 5 || atoi(argv[3]) < 1 || atoi(argv[4]) < 0) {
        fprintf(stderr, "usage: %s CFG WEIGHTS RUNS WARMUP (RUNS >= 1, WARMUP >= 0)\n", argv[0]);
        return 2;
    }
    int runs = atoi(argv[3]), warmup = atoi(argv[4]);
    network *net = load_network(argv[1], argv[2], 0);
    set_batch_network(net, 1);

    /* A smooth pattern in [0,1]: the values do not change the work, only avoid all-zero inputs. */
    int size = net->w * net->h * net->c;
    float *input = malloc(size * sizeof(float));
    double *ms = malloc(runs * sizeof(double));
    if (!input || !ms) {
        fprintf(stderr, "darknet-bench: out of memory\n");
        return 1;
    }
    for (int i = 0; i < size; ++i) {
        input[i] = (i % 251) / 250.0f;
    }

    for (int i = 0; i < warmup; ++i) {
        network_predict(net, input);
    }
    for (int i = 0; i < runs; ++i) {
        double start = now_ms();
        network_predict(net, input);
        ms[i] = now_ms() - start;
    }
    qsort(ms, runs, sizeof(double), compare_doubles);
    double median = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    printf("%.2f %.2f %.2f\n", median, ms[0], ms[runs - 1]);
    free(ms);
    free(input);
    free_network(net);
    return 0;
}
