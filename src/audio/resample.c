#include "resample.h"

#include <soxr.h>
#include <stdlib.h>
#include <string.h>

struct nr_resampler {
    nr_ctx *ctx;
    soxr_t soxr; /* NULL when the rates are equal */
    double ratio;
    float *buf;
    size_t cap;
    bool flushed;
};

nr_status nr_resampler_new(nr_ctx *ctx, int in, int out, nr_resampler **r) {
    *r = calloc(1, sizeof **r);
    if (!*r)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    (*r)->ctx = ctx;
    (*r)->ratio = (double)out / in;
    if (in == out)
        return NR_OK;
    soxr_error_t err = NULL;
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
    (*r)->soxr = soxr_create(in, out, 1, &err, &io, &q, NULL);
    if (err || !(*r)->soxr) {
        nr_resampler_free(*r);
        *r = NULL;
        return nr_fail(ctx, NR_E_ARG, "cannot resample from %d to %d Hz: %s", in, out,
                       err ? err : "unknown error");
    }
    return NR_OK;
}

void nr_resampler_free(nr_resampler *r) {
    if (!r)
        return;
    soxr_delete(r->soxr);
    free(r->buf);
    free(r);
}

static bool reserve(nr_resampler *r, size_t n) {
    if (n <= r->cap)
        return true;
    float *b = realloc(r->buf, n * sizeof *b);
    if (!b)
        return false;
    r->buf = b, r->cap = n;
    return true;
}

nr_status nr_resampler_process(nr_resampler *r, const float *in, size_t n, const float **out,
                               size_t *n_out) {
    *n_out = 0;
    *out = in;
    if (!r->soxr) {
        *n_out = n;
        return NR_OK;
    }
    /* on flush, soxr gives its tail over several calls: gather them all */
    size_t want = (size_t)(n * r->ratio) + 1024;
    size_t total = 0;
    for (;;) {
        if (!reserve(r, total + want))
            return nr_fail(r->ctx, NR_E_NOMEM, "out of memory");
        size_t done = 0, used = 0;
        soxr_error_t err = soxr_process(r->soxr, in, n, &used, r->buf + total, want, &done);
        if (err)
            return nr_fail(r->ctx, NR_E_ENGINE, "resampling failed: %s", err);
        total += done;
        in = in ? in + used : NULL;
        n -= used;
        if (n == 0 && (in || done == 0))
            break;
    }
    *out = r->buf;
    *n_out = total;
    return NR_OK;
}
