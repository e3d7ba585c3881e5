/* bench_speed_render FILE [JOBS]: synthesis alone, through nr_render into a
 * callback that only counts samples: what the workers deliver, without any
 * sink, meter or encoder. Prints "WALL_SECONDS AUDIO_SECONDS". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "narrate.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int count(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    (void)pcm, (void)ev, (void)n_ev;
    *(size_t *)user += n;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { /* run.sh runs every program: this one is bench_speed.sh's tool */
        printf("bench_speed_render FILE [JOBS]: used by bench_speed.sh\n");
        return 0;
    }
    nr_narrator *nr = NULL;
    if (nr_narrator_new(&nr) != NR_OK)
        return 1;
    if (argc > 2)
        nr_set_jobs(nr, atoi(argv[2]));
    double t0 = now_s();
    nr_document *doc = NULL;
    size_t samples = 0;
    nr_status st = nr_document_from_file(nr, argv[1], &doc);
    if (st == NR_OK)
        st = nr_render(nr, doc, 0, count, &samples);
    if (st != NR_OK)
        fprintf(stderr, "bench: %s: %s\n", argv[1], nr_narrator_error(nr));
    else
        printf("%.2f %.1f\n", now_s() - t0, (double)samples / nr_sample_rate());
    nr_document_free(doc);
    nr_narrator_free(nr);
    return st == NR_OK ? 0 : 1;
}
