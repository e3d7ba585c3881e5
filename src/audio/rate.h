/* rate.h: speaking rates as they are heard.
 *
 * eSpeak NG's rate parameter is not what one hears: below 450 its speed
 * lags behind the number more and more (French at 449 sounds like 403), and
 * at 450 it switches to another method (sonic), where the number is right:
 * the speed jumps, up for French (+5 %), down for English (-3 %). A curve
 * measured for one voice on one text maps both ways, so that steps of the
 * same size sound the same on either side of 450. Heard speeds are given in
 * the scale of a base rate, which is heard as itself. */
#ifndef NR_RATE_H
#define NR_RATE_H

#include <stdbool.h>

#include "../core/doc.h"

enum { NR_RATE_POINTS = 12 };

typedef struct nr_rate_curve {
    int n;                        /* 0: no measure, the identity */
    int rate[NR_RATE_POINTS];     /* eSpeak rates, ascending, 449 and 450 among them */
    double heard[NR_RATE_POINTS]; /* how fast each is heard */
} nr_rate_curve;

/* Measures VOICE saying TEXT (sanitized) at a few rates, and at BASE.
 * CANCEL (may be NULL) is polled; false when synthesis failed or was
 * cancelled (*OUT is then the identity). */
bool nr_rate_calibrate(const nr_voice *voice, const char *text, int base, nr_rate_curve *out,
                       int (*cancel)(void *), void *user);

/* How fast eSpeak rate RATE is heard. */
double nr_rate_heard(const nr_rate_curve *c, double rate);

/* The eSpeak rate (80..900) heard closest to WPM; a speed in the gap at the
 * switch goes to the nearer side. */
int nr_rate_espeak(const nr_rate_curve *c, double wpm);

#endif
