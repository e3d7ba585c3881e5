/* resample.h: a stream of mono float samples from one rate to another
 * (libsoxr, high quality). The resampler's delay is compensated inside:
 * the output is aligned with the input and has round(n * out / in)
 * samples once flushed, so times computed at the input rate hold. */
#ifndef NR_RESAMPLE_H
#define NR_RESAMPLE_H

#include <stddef.h>

#include "../core/ctx.h"

typedef struct nr_resampler nr_resampler;

/* A resampler from IN to OUT Hz; when they are equal it copies. */
nr_status nr_resampler_new(nr_ctx *ctx, int in, int out, nr_resampler **r);
void nr_resampler_free(nr_resampler *r);

/* Feeds N input samples (IN NULL and N 0 to flush at the end) and gives
 * the output available so far in *OUT (borrowed until the next call) and
 * its length in *N_OUT. */
nr_status nr_resampler_process(nr_resampler *r, const float *in, size_t n, const float **out,
                               size_t *n_out);

#endif
