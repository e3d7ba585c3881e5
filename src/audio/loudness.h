/* loudness.h: EBU R128 measurement (libebur128) and a true-peak limiter.
 *
 * An export normalises in two passes without holding the episode in
 * memory: the meter measures the raw render as it is written to a scratch
 * file; nr_loudness_solve then finds the gain that, followed by the
 * limiter, lands the integrated loudness on the target, by re-reading the
 * scratch file; the encoding pass applies the same gain and limiter. The
 * limiter looks ahead a few milliseconds and watches inter-sample peaks
 * (4x oversampled), so the true peak stays under its ceiling. */
#ifndef NR_LOUDNESS_H
#define NR_LOUDNESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"

typedef struct nr_meter nr_meter;

/* A meter of mono audio at RATE Hz; with TRUE_PEAK it also tracks the
 * true peak (slower). NULL when out of memory. */
nr_meter *nr_meter_new(int rate, bool true_peak);
void nr_meter_free(nr_meter *m);
void nr_meter_add(nr_meter *m, const float *pcm, size_t n);
void nr_meter_add_s16(nr_meter *m, const int16_t *pcm, size_t n);
/* Integrated loudness in LUFS; -HUGE_VAL for silence. */
double nr_meter_lufs(nr_meter *m);
/* True peak in dBTP (sample peak when made without TRUE_PEAK). */
double nr_meter_peak_db(nr_meter *m);

/* Decodes the audio file PATH (any format libsndfile reads) and measures
 * its integrated loudness and true peak: how an export checks what the
 * codec made of its audio. NR_E_IO when it cannot be read. */
nr_status nr_measure_file(nr_ctx *ctx, const char *path, double *lufs, double *peak_db);

typedef struct nr_limiter nr_limiter;

/* A limiter at RATE Hz that keeps the true peak under CEILING_DB dBTP.
 * It delays the audio by its look-ahead; nr_limiter_flush gives the rest. */
nr_limiter *nr_limiter_new(int rate, double ceiling_db);
void nr_limiter_free(nr_limiter *l);
/* Multiplies IN by GAIN (linear), limits, and writes as many samples to
 * OUT as it takes in (the first calls give the look-ahead's silence
 * worth fewer: the return value is how many were written). */
size_t nr_limiter_process(nr_limiter *l, const float *in, size_t n, float gain, float *out);
/* Writes the held-back samples to OUT (at most nr_limiter_latency) and
 * returns how many. */
size_t nr_limiter_flush(nr_limiter *l, float *out);
size_t nr_limiter_latency(const nr_limiter *l);

/* Reads up to MAX int16 samples from sample AT of a source (the scratch
 * file of pass one) into BUF: how many were read, 0 at the end, -1 on an
 * error. Called from two threads at once. */
typedef long (*nr_pcm_pread)(void *user, int16_t *buf, size_t max, uint64_t at);

/* A gain in dB and the loudness the audio had at that gain once limited:
 * a point already measured (an export measures one while it renders). */
typedef struct nr_loudness_point {
    double gain_db, lufs;
} nr_loudness_point;

/* The gain in dB that brings audio measured at RAW_LUFS to TARGET_LUFS
 * once limited at CEILING_DB, within 0.1 LU, by measuring the limited
 * audio read from the source at two gains at a time (two threads): from
 * the secant through the points nearest the target. KNOWN, when not NULL,
 * is a point measured at the same ceiling (an export measures one while it
 * renders): when it lies within 0.1 LU no pass is made; an estimate within
 * 0.25 dB of a measured point is taken without measuring it (the
 * limiter's loss barely changes over so little). STOP, when not NULL, is
 * polled. */
nr_status nr_loudness_solve(nr_ctx *ctx, int rate, double raw_lufs, double target_lufs,
                            double ceiling_db, const nr_loudness_point *known, nr_pcm_pread read,
                            void *user, volatile sig_atomic_t *stop, double *gain_db);

#endif
