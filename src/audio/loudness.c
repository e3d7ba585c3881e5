#include "loudness.h"

#include <ebur128.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nr_meter {
    ebur128_state *st;
    bool true_peak;
    float buf[4096];
};

nr_meter *nr_meter_new(int rate, bool true_peak) {
    nr_meter *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    /* the histogram keeps memory constant: without it libebur128 keeps every
       400 ms block of the episode */
    int mode = EBUR128_MODE_I | EBUR128_MODE_HISTOGRAM |
               (true_peak ? EBUR128_MODE_TRUE_PEAK : EBUR128_MODE_SAMPLE_PEAK);
    m->st = ebur128_init(1, (unsigned long)rate, mode);
    m->true_peak = true_peak;
    if (!m->st) {
        free(m);
        return NULL;
    }
    return m;
}

void nr_meter_free(nr_meter *m) {
    if (!m)
        return;
    ebur128_destroy(&m->st);
    free(m);
}

/* A NULL meter measures nothing: exports that do not normalise skip the
 * metering, which costs more than synthesis. */
void nr_meter_add(nr_meter *m, const float *pcm, size_t n) {
    if (m && n)
        ebur128_add_frames_float(m->st, pcm, n);
}

void nr_meter_add_s16(nr_meter *m, const int16_t *pcm, size_t n) {
    if (m && n)
        ebur128_add_frames_short(m->st, pcm, n);
}

double nr_meter_lufs(nr_meter *m) {
    double l = -HUGE_VAL;
    if (!m)
        return NAN;
    if (ebur128_loudness_global(m->st, &l) != EBUR128_SUCCESS)
        return -HUGE_VAL;
    return l;
}

double nr_meter_peak_db(nr_meter *m) {
    double p = 0;
    if (!m)
        return NAN;
    int r = m->true_peak ? ebur128_true_peak(m->st, 0, &p) : ebur128_sample_peak(m->st, 0, &p);
    return r == EBUR128_SUCCESS && p > 0 ? 20 * log10(p) : -HUGE_VAL;
}

nr_status nr_measure_file(nr_ctx *ctx, const char *path, double *lufs, double *peak_db) {
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return nr_fail(ctx, NR_E_IO, "%s: cannot read back: %s", path, sf_strerror(NULL));
    nr_meter *m = info.channels == 1 ? nr_meter_new(info.samplerate, true) : NULL;
    if (!m) {
        sf_close(sf);
        return nr_fail(ctx, NR_E_IO, "%s: cannot measure it", path);
    }
    sf_count_t n;
    while ((n = sf_read_float(sf, m->buf, 4096)) > 0)
        nr_meter_add(m, m->buf, (size_t)n);
    *lufs = nr_meter_lufs(m);
    *peak_db = nr_meter_peak_db(m);
    nr_meter_free(m);
    sf_close(sf);
    return NR_OK;
}

/* ---- limiter ------------------------------------------------------------ */

enum { TAPS = 16, HALF = TAPS / 2, PHASES = 3, RING = 1 << 13 };

struct nr_limiter {
    float ceiling;
    size_t look;   /* look-ahead L in samples: hold and smoothing length */
    float release; /* per-sample release coefficient */
    float coef[PHASES][TAPS];
    float coef_abs;    /* the largest sum of |taps|: bounds any interpolated value */
    float x[2 * RING]; /* gained input, by absolute index, stored twice so that
                          any window of TAPS samples is contiguous */
    float hold_v[RING];
    size_t hold_i[RING];
    size_t hold_head, hold_tail; /* the monotonic queue for the sliding minimum */
    float box[RING];
    double box_sum;
    float g;
    size_t in;        /* samples taken so far */
    size_t last_loud; /* 1 + the index of the last sample loud enough to need
                         the interpolation (|x| * coef_abs > ceiling); 0: none */
};

/* Hann-windowed sinc taps that interpolate at fractions 1/4, 2/4, 3/4
 * between two samples: a true-peak detector in the manner of ITU-R BS.1770. */
static void make_taps(nr_limiter *l) {
    for (int p = 0; p < PHASES; p++) {
        double f = (p + 1) / 4.0, sum = 0;
        for (int k = 0; k < TAPS; k++) {
            double d = (k - (HALF - 1)) - f; /* taps at m-7 .. m+8 */
            double s = fabs(d) < 1e-9 ? 1.0 : sin(M_PI * d) / (M_PI * d);
            double w = fabs(d) < HALF ? 0.5 * (1 + cos(M_PI * d / HALF)) : 0;
            l->coef[p][k] = (float)(s * w);
            sum += s * w;
        }
        double abs_sum = 0;
        for (int k = 0; k < TAPS; k++) {
            l->coef[p][k] = (float)(l->coef[p][k] / sum);
            abs_sum += fabs(l->coef[p][k]);
        }
        if (abs_sum > l->coef_abs)
            l->coef_abs = (float)abs_sum;
    }
}

nr_limiter *nr_limiter_new(int rate, double ceiling_db) {
    nr_limiter *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->ceiling = (float)pow(10, ceiling_db / 20);
    l->look = (size_t)(rate * 0.005);
    if (l->look < 4)
        l->look = 4;
    if (l->look > RING / 4)
        l->look = RING / 4;
    l->release = (float)(1 - exp(-1.0 / (rate * 0.08)));
    l->g = 1;
    l->box_sum = (double)l->look; /* before the start, no reduction */
    make_taps(l);
    return l;
}

void nr_limiter_free(nr_limiter *l) { free(l); }

size_t nr_limiter_latency(const nr_limiter *l) { return HALF + l->look - 1; }

/* The gain sample M needs: its own and its inter-sample peaks under the
 * ceiling. Needs x[m-7 .. m+8]; the interpolation is skipped when no
 * sample of that window is loud enough for any of it to reach the
 * ceiling (tracked as the samples come in, rather than by scanning the
 * window for every sample: most of speech is far below the ceiling). */
static float needed(const nr_limiter *l, size_t m) {
    if (l->last_loud == 0 || l->last_loud - 1 + (HALF - 1) < m)
        return 1.0f;
    const float *w = &l->x[(m + RING - (HALF - 1)) & (RING - 1)];
    float peak = fabsf(w[HALF - 1]);
    for (int p = 0; p < PHASES; p++) {
        float acc = 0;
        for (int k = 0; k < TAPS; k++)
            acc += l->coef[p][k] * w[k];
        acc = acc < 0 ? -acc : acc;
        peak = acc > peak ? acc : peak;
    }
    return peak > l->ceiling ? l->ceiling / peak : 1.0f;
}

/* One sample in; returns true with *OUT set once the pipeline is full. */
static bool step(nr_limiter *l, float v, float *out) {
    size_t i = l->in++;
    if ((v < 0 ? -v : v) * l->coef_abs > l->ceiling)
        l->last_loud = i + 1;
    l->x[i & (RING - 1)] = v;
    l->x[(i & (RING - 1)) + RING] = v;
    if (i < HALF)
        return false;
    size_t m = i - HALF; /* the sample whose surroundings are now known */
    float need = needed(l, m);
    /* sliding minimum of the needed gain over the last L samples */
    while (l->hold_tail > l->hold_head && l->hold_v[(l->hold_tail - 1) & (RING - 1)] >= need)
        l->hold_tail--;
    l->hold_v[l->hold_tail & (RING - 1)] = need;
    l->hold_i[l->hold_tail & (RING - 1)] = m;
    l->hold_tail++;
    while (l->hold_i[l->hold_head & (RING - 1)] + l->look <= m)
        l->hold_head++;
    float h = l->hold_v[l->hold_head & (RING - 1)];
    /* moving average over L: reaches the minimum exactly when the peak
       comes out of the delay line */
    float old = m >= l->look ? l->box[(m - l->look) & (RING - 1)] : 1.0f;
    l->box[m & (RING - 1)] = h;
    l->box_sum += h - old;
    if (m < l->look - 1) {
        return false;
    }
    float b = (float)(l->box_sum / (double)l->look);
    if (m % 65536 == 0) { /* keep the running sum exact */
        double s = 0;
        for (size_t k = 0; k < l->look; k++)
            s += l->box[(m - k) & (RING - 1)];
        l->box_sum = s;
        b = (float)(s / (double)l->look);
    }
    l->g = b < l->g ? b : l->g + (b - l->g) * l->release;
    if (l->g > b)
        l->g = b;
    *out = l->x[(m - (l->look - 1)) & (RING - 1)] * l->g;
    return true;
}

size_t nr_limiter_process(nr_limiter *l, const float *in, size_t n, float gain, float *out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += step(l, in[i] * gain, &out[k]);
    return k;
}

size_t nr_limiter_flush(nr_limiter *l, float *out) {
    size_t k = 0;
    for (size_t i = 0; i < nr_limiter_latency(l); i++)
        k += step(l, 0.0f, &out[k]);
    return k;
}

/* ---- gain --------------------------------------------------------------- */

/* One measurement of the loudness of the source after a gain and the
 * limiter, which may run in a thread of its own: it reports its status
 * rather than calling nr_fail. */
typedef struct probe {
    int rate;
    double gain_db, ceiling_db;
    nr_pcm_pread read;
    void *user;
    volatile sig_atomic_t *stop;
    double lufs;
    nr_status st;
    pthread_t thread;
} probe;

static void run_probe(probe *p) {
    nr_meter *m = nr_meter_new(p->rate, false);
    nr_limiter *l = nr_limiter_new(p->rate, p->ceiling_db);
    int16_t raw[4096];
    float f[4096], out[4096];
    p->st = m && l ? NR_OK : NR_E_NOMEM;
    float gain = (float)pow(10, p->gain_db / 20);
    uint64_t at = 0;
    for (long n; p->st == NR_OK && (n = p->read(p->user, raw, 4096, at)) != 0;) {
        if (n < 0)
            p->st = NR_E_IO;
        else if (p->stop && *p->stop)
            p->st = NR_E_ABORTED;
        for (long i = 0; p->st == NR_OK && i < n; i++)
            f[i] = raw[i] / 32768.0f;
        if (p->st == NR_OK)
            nr_meter_add(m, out, nr_limiter_process(l, f, (size_t)n, gain, out));
        at += n > 0 ? (uint64_t)n : 0;
    }
    if (p->st == NR_OK) {
        float *tail = malloc(RING * sizeof *tail);
        if (tail)
            nr_meter_add(m, tail, nr_limiter_flush(l, tail));
        p->st = tail ? NR_OK : NR_E_NOMEM;
        free(tail);
        p->lufs = nr_meter_lufs(m);
    }
    nr_meter_free(m);
    nr_limiter_free(l);
}

static void *probe_main(void *arg) {
    run_probe(arg);
    return NULL;
}

/* Measures PROBES[0..N) (N is 1 or 2) at once: the second in a thread of
 * its own, on the second core an export's solve would otherwise leave
 * idle. */
static nr_status run_probes(nr_ctx *ctx, probe *p, size_t n) {
    bool threaded = n > 1 && pthread_create(&p[1].thread, NULL, probe_main, &p[1]) == 0;
    run_probe(&p[0]);
    if (threaded)
        pthread_join(p[1].thread, NULL);
    else if (n > 1)
        run_probe(&p[1]);
    for (size_t i = 0; i < n; i++)
        if (p[i].st != NR_OK)
            return nr_fail(ctx, p[i].st, "%s",
                           p[i].st == NR_E_NOMEM     ? "out of memory"
                           : p[i].st == NR_E_ABORTED ? "interrupted"
                                                     : "cannot read the rendered audio back");
    return NR_OK;
}

/* The gain that reaches TARGET by the secant through the two points of
 * PTS[0..N) nearest to it (their slope kept within reason), or from the
 * one point with slope SLOPE1. *NEAR is the gain of the nearest point. */
static double estimate(const nr_loudness_point *pts, size_t n, double target, double slope1,
                       double *near) {
    size_t a = 0, b = n;
    for (size_t i = 1; i < n; i++)
        if (fabs(pts[i].lufs - target) < fabs(pts[a].lufs - target))
            a = i;
    for (size_t i = 0; i < n; i++)
        if (i != a && (b == n || fabs(pts[i].lufs - target) < fabs(pts[b].lufs - target)))
            b = i;
    *near = pts[a].gain_db;
    double slope = slope1;
    if (b < n && fabs(pts[a].gain_db - pts[b].gain_db) > 1e-6)
        slope = (pts[a].lufs - pts[b].lufs) / (pts[a].gain_db - pts[b].gain_db);
    if (!(slope > 0.1 && slope < 1.5))
        slope = 0.5;
    double g = pts[a].gain_db + (target - pts[a].lufs) / slope;
    return g > 40 ? 40 : g;
}

/* When two measured points within 2 dB of each other fall on either side
 * of TARGET, the gain between them by linear interpolation: the loudness
 * after the limiter is a smooth, slowly bending function of the gain, so
 * the chord is off by a few thousandths of a LU over such a span. */
static bool bracket(const nr_loudness_point *pts, size_t n, double target, double *gain_db) {
    const nr_loudness_point *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].lufs < target && (!lo || pts[i].gain_db > lo->gain_db))
            lo = &pts[i];
        if (pts[i].lufs > target && (!hi || pts[i].gain_db < hi->gain_db))
            hi = &pts[i];
    }
    if (!lo || !hi || hi->gain_db <= lo->gain_db || hi->gain_db - lo->gain_db > 2)
        return false;
    *gain_db =
        lo->gain_db + (hi->gain_db - lo->gain_db) * (target - lo->lufs) / (hi->lufs - lo->lufs);
    return true;
}

nr_status nr_loudness_solve(nr_ctx *ctx, int rate, double raw_lufs, double target_lufs,
                            double ceiling_db, const nr_loudness_point *known, nr_pcm_pread read,
                            void *user, volatile sig_atomic_t *stop, double *gain_db) {
    *gain_db = 0;
    if (!isfinite(raw_lufs)) /* silence: nothing to normalise */
        return NR_OK;
    nr_loudness_point pts[16];
    size_t n = 0;
    if (known && isfinite(known->lufs))
        pts[n++] = *known;
    for (int round = 0; round < 6; round++) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (fabs(pts[i].lufs - target_lufs) < fabs(pts[best].lufs - target_lufs))
                best = i;
        if (n && fabs(pts[best].lufs - target_lufs) < 0.1) {
            *gain_db = pts[best].gain_db;
            return NR_OK;
        }
        /* two gains at a time: one point alone says nothing of the slope,
           which the limiter brings from 1 down to a third or less, so
           the first pair takes both ends; then the secant and a step
           further along it */
        double g[2], near = 0;
        if (n == 0) {
            g[0] = target_lufs - raw_lufs;
            g[1] = g[0] + 1.5;
        } else if (n == 1) {
            double err = target_lufs - pts[0].lufs;
            g[0] = pts[0].gain_db + err;
            g[1] = pts[0].gain_db + err / 0.35;
        } else if (bracket(pts, n, target_lufs, gain_db)) {
            return NR_OK;
        } else {
            g[0] = estimate(pts, n, target_lufs, 0.5, &near);
            if (fabs(g[0] - near) < 0.25) { /* the loss barely changes over so little */
                *gain_db = g[0];
                return NR_OK;
            }
            g[1] = g[0] + 0.5 * (g[0] - near);
        }
        probe p[2];
        for (int k = 0; k < 2; k++)
            p[k] = (probe){.rate = rate,
                           .gain_db = g[k] > 40 ? 40 : g[k],
                           .ceiling_db = ceiling_db,
                           .read = read,
                           .user = user,
                           .stop = stop};
        nr_status st = run_probes(ctx, p, 2);
        if (st != NR_OK)
            return st;
        for (int k = 0; k < 2 && n < 16; k++)
            if (isfinite(p[k].lufs))
                pts[n++] = (nr_loudness_point){p[k].gain_db, p[k].lufs};
        if (n == 0) /* nothing measurable after the gain: leave it */
            return NR_OK;
    }
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (fabs(pts[i].lufs - target_lufs) < fabs(pts[best].lufs - target_lufs))
            best = i;
    *gain_db = n ? pts[best].gain_db : 0;
    return NR_OK;
}
