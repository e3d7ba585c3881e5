/* bench_speed_first_audio [FILE [JOBS]]: how long from opening an article
 * to its first audio, the way a reader who starts a book waits: read and
 * analyse, start the workers, get the first samples. Prints milliseconds:
 * to the first audio, and of that, reading and analysis. Without FILE, the
 * built-in sample article, with words around the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "narrate.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

typedef struct first {
    double at;
} first;

/* Stops the render at the first samples. */
static int on_audio(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    (void)pcm, (void)ev, (void)n_ev;
    first *f = user;
    if (n == 0)
        return 0;
    f->at = now_ms();
    return 1;
}

int main(int argc, char **argv) {
    nr_narrator *nr = NULL;
    if (nr_narrator_new(&nr) != NR_OK)
        return 1;
    if (argc > 2)
        nr_set_jobs(nr, atoi(argv[2]));
    double t0 = now_ms();
    nr_document *doc = NULL;
    size_t len = 0;
    const char *sample = nr_sample_article(&len);
    nr_status st = argc > 1 ? nr_document_from_file(nr, argv[1], &doc)
                            : nr_document_from_memory(nr, sample, len, "sample", &doc);
    if (st != NR_OK) {
        fprintf(stderr, "bench: %s: %s\n", argc > 1 ? argv[1] : "sample", nr_narrator_error(nr));
        nr_narrator_free(nr);
        return 1;
    }
    double t1 = now_ms();
    first f = {0};
    st = nr_render(nr, doc, 0, on_audio, &f);
    int code = 0;
    if (st != NR_E_ABORTED || f.at == 0) {
        fprintf(stderr, "bench: no audio: %s\n", nr_narrator_error(nr));
        code = 1;
    } else {
        printf(argc > 1 ? "%.1f %.1f\n"
                        : "sample article: first audio after %.1f ms (analysis %.1f ms)\n",
               f.at - t0, t1 - t0);
    }
    nr_document_free(doc);
    nr_narrator_free(nr);
    return code;
}
