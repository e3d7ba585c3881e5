#include "rate.h"

#include <math.h>
#include <string.h>

#include "../synth/engine.h"

double nr_rate_heard(const nr_rate_curve *c, double r) {
    if (c->n < 2)
        return r;
    int i = 0;
    while (i + 2 < c->n && r > c->rate[i + 1])
        i++;
    if (c->rate[i] == 449 && c->rate[i + 1] == 450) /* never between the two methods */
        return r < 449.5 ? c->heard[i] : c->heard[i + 1];
    double r0 = c->rate[i], r1 = c->rate[i + 1];
    return c->heard[i] + (c->heard[i + 1] - c->heard[i]) * (r - r0) / (r1 - r0);
}

int nr_rate_espeak(const nr_rate_curve *c, double w) {
    if (c->n < 2)
        return w < 80 ? 80 : w > 900 ? 900 : (int)lround(w);
    double best = c->rate[0], best_err = INFINITY;
    for (int i = 0; i + 1 < c->n; i++) {
        double w0 = c->heard[i], w1 = c->heard[i + 1];
        double r;
        if (c->rate[i] == 449 && c->rate[i + 1] == 450) /* the gap: one end or the other */
            r = fabs(w - w0) < fabs(w - w1) ? 449 : 450;
        else if (w1 != w0 && (w - w0) * (w - w1) <= 0)
            r = c->rate[i] + (c->rate[i + 1] - c->rate[i]) * (w - w0) / (w1 - w0);
        else
            r = fabs(w - w0) < fabs(w - w1) ? c->rate[i] : c->rate[i + 1];
        double err = fabs(nr_rate_heard(c, r) - w);
        if (err < best_err - 0.01) {
            best_err = err;
            best = r;
        }
    }
    int r = (int)lround(best);
    return r < 80 ? 80 : r > 900 ? 900 : r;
}

typedef struct counter {
    double samples;
    int (*cancel)(void *);
    void *user;
} counter;

static int count(void *user, const int16_t *pcm, size_t n, const nr_engine_word *w, size_t nw) {
    (void)pcm, (void)w, (void)nw;
    counter *c = user;
    c->samples += (double)n;
    return c->cancel && c->cancel(c->user);
}

bool nr_rate_calibrate(const nr_voice *voice, const char *text, int base, nr_rate_curve *out,
                       int (*cancel)(void *), void *user) {
    static const int grid[] = {80, 140, 220, 300, 380, 449, 450, 550, 700, 900};
    enum { N_GRID = sizeof grid / sizeof *grid };
    memset(out, 0, sizeof *out);
    nr_voice v = *voice;
    double samples[N_GRID + 1];
    for (int g = 0; g <= N_GRID; g++) {
        v.rate = g < N_GRID ? grid[g] : base;
        counter k = {0, cancel, user};
        nr_ctx ctx;
        memset(&ctx, 0, sizeof ctx); /* its own message buffer: a failure only loses the curve */
        if (nr_engine_speak(&ctx, &v, 1.0f, text, count, &k) != NR_OK || k.samples <= 0)
            return false;
        samples[g] = k.samples;
    }
    for (int g = 0; g < N_GRID; g++) {
        out->rate[g] = grid[g];
        out->heard[g] = base * samples[N_GRID] / samples[g];
    }
    out->n = N_GRID;
    return true;
}
