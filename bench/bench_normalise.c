/* bench_normalise.c: how fast normalisation reads text, in MB/s.
 *
 * Usage: bench_normalise [FILE LANG]... (default: the corpus articles under
 * $SHARED or ../shared, each with the language of its name). Each file is
 * normalised line by line, repeated until about 64 MB have gone through;
 * the figure is input bytes per second of CPU time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/core/ctx.h"
#include "../src/speech/normalise.h"
#include "../tests/slurp.h"

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Normalises TEXT line by line until BUDGET bytes; returns MB/s. */
static double run(nr_ctx *ctx, const char *lang, const char *text, size_t len, size_t budget) {
    size_t done = 0;
    double t0 = cpu_seconds();
    while (done < budget) {
        for (const char *p = text, *e; p < text + len; p = e + 1) {
            e = memchr(p, '\n', (size_t)(text + len - p));
            if (!e)
                e = text + len;
            char *o = nr_normalise_text(ctx, lang, p, (size_t)(e - p));
            free(o);
        }
        done += len;
    }
    double dt = cpu_seconds() - t0;
    return dt > 0 ? (double)done / dt / 1e6 : 0;
}

int main(int argc, char **argv) {
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 1;
    const char *shared = getenv("SHARED");
    char path[1024];
    static const char *const defaults[] = {"fr-afp-blinken",       "fr-01-sncf-greve",
                                           "fr-04-otan-munitions", "en-01-halvard-jobs",
                                           "en-02-minnesota-rail", "en-06-fraud-sentencing"};
    int n = argc > 1 ? (argc - 1) / 2 : 6;
    for (int i = 0; i < n; i++) {
        const char *file, *lang;
        if (argc > 1) {
            file = argv[1 + 2 * i], lang = argv[2 + 2 * i];
        } else {
            snprintf(path, sizeof path, "%s/corpus/articles/%s.txt", shared ? shared : "../shared",
                     defaults[i]);
            file = path;
            lang = defaults[i][0] == 'f' ? "fr" : "en";
        }
        size_t len;
        char *text = slurp(file, &len);
        if (!text) {
            fprintf(stderr, "bench_normalise: cannot read %s\n", file);
            continue;
        }
        double mbs = run(&ctx, lang, text, len, (size_t)64 << 20);
        printf("%-60s %-3s %8.1f MB/s\n", file, lang, mbs);
        free(text);
    }
    nr_ctx_fini(&ctx);
    return 0;
}
