/*
 * darknet-rates: the C darknet's learning rate (libdarknet.so's get_current_rate) at given batch
 * numbers, for jdarknet's learning-rate conformance test.
 *
 *   darknet-rates CFG SEED BATCH...
 *
 * Parses CFG with parse_network_cfg, then seeds rand() with SEED (the random policy draws from
 * it, one draw per rate) and, for each BATCH in order, sets the images seen to BATCH batches and
 * prints "BATCH RATE" on a line, RATE as the float's bits in hex (%08x) so that nothing is lost.
 *
 * Build: gcc -O2 -I/usr/lib/darknet/include darknet-rates.c -L/usr/lib/darknet -ldarknet \
 *            -Wl,-rpath,/usr/lib/darknet -o darknet-rates
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "darknet.h"

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s CFG SEED BATCH...\n", argv[0]);
        return 2;
    }
    network *net = parse_network_cfg(argv[1]);
    srand((unsigned) strtoul(argv[2], NULL, 10));
    for (int i = 3; i < argc; ++i) {
        size_t batch = strtoull(argv[i], NULL, 10);
        *net->seen = batch * net->batch * net->subdivisions;
        float rate = get_current_rate(net);
        unsigned bits;
        memcpy(&bits, &rate, sizeof bits);
        printf("%zu %08x\n", batch, bits);
    }
    return 0;
}
