/* Tests of parallel synthesis (src/synth/workers.c through the renderer):
 * the stream is the same whatever the number of workers, a render from the
 * start of a chunk equals the rest of a full render, and stopping leaves no
 * worker process behind. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "check.h"
#include "narrate.h"

typedef struct capture {
    int16_t *pcm;
    size_t n, cap;
    nr_event *ev;
    size_t n_ev, cap_ev;
    bool in_order;     /* events never go back, and fall in or after the audio given so far */
    size_t stop_after; /* samples; 0 = never */
} capture;

static int keep(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    capture *c = user;
    if (c->n + n > c->cap) {
        c->cap = (c->n + n) * 2;
        c->pcm = realloc(c->pcm, c->cap * sizeof *c->pcm);
    }
    if (n)
        memcpy(c->pcm + c->n, pcm, n * sizeof *pcm);
    for (size_t i = 0; i < n_ev; i++) {
        if (c->n_ev == c->cap_ev) {
            c->cap_ev = c->cap_ev ? c->cap_ev * 2 : 256;
            c->ev = realloc(c->ev, c->cap_ev * sizeof *c->ev);
        }
        /* a word may start in the last 3 ms held back for a fade (render.c) */
        if ((c->n_ev && ev[i].sample < c->ev[c->n_ev - 1].sample) || ev[i].sample > c->n + n + 66)
            c->in_order = false;
        c->ev[c->n_ev++] = ev[i];
    }
    c->n += n;
    return c->stop_after && c->n >= c->stop_after;
}

static void release(capture *c) {
    free(c->pcm);
    free(c->ev);
}

static bool same_events(const capture *a, const capture *b) {
    if (a->n_ev != b->n_ev)
        return false;
    for (size_t i = 0; i < a->n_ev; i++)
        if (a->ev[i].kind != b->ev[i].kind || a->ev[i].sample != b->ev[i].sample ||
            a->ev[i].start != b->ev[i].start || a->ev[i].end != b->ev[i].end ||
            a->ev[i].index != b->ev[i].index)
            return false;
    return true;
}

/* No worker is left: every child of this process has been reaped. */
static bool no_children(void) { return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD; }

/* An article rebuilt as paragraphs of one line and over 2 kB each: every
 * paragraph then starts a chunk (NR_CHUNK_BYTES), whatever the article. */
static nr_document *load(nr_narrator *nr, const char *article) {
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../../shared";
    char path[1024];
    snprintf(path, sizeof path, "%s/corpus/articles/%s", shared, article);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL, "%s opens", path);
    if (!f)
        return NULL;
    static char in[1 << 16], out[1 << 17];
    size_t n = fread(in, 1, sizeof in - 1, f), o = 0, para = 0;
    fclose(f);
    for (int round = 0; round < 3; round++) { /* twice, for enough paragraphs */
        for (size_t i = 0; i < n && o + 4 < sizeof out; i++) {
            bool nl = in[i] == '\n';
            if (nl && para >= 2100) {
                memcpy(out + o, "\n\n", 2);
                o += 2, para = 0;
            } else {
                out[o++] = nl ? ' ' : in[i];
                para++;
            }
        }
    }
    nr_document *doc = NULL;
    nr_status st = nr_document_from_memory(nr, out, o, article, &doc);
    CHECK(st == NR_OK, "%s loads: %s", article, nr_narrator_error(nr));
    return doc;
}

static void test_jobs_agree(nr_narrator *nr, nr_document *doc) {
    static const int jobs[] = {1, 2, 3, 8};
    capture ref = {.in_order = true};
    for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
        capture c = {.in_order = true};
        nr_set_jobs(nr, jobs[j]);
        nr_status st = nr_render(nr, doc, 0, keep, &c);
        CHECK(st == NR_OK, "--jobs %d renders: %s", jobs[j], nr_narrator_error(nr));
        CHECK(c.in_order, "--jobs %d: events in order and within the audio", jobs[j]);
        CHECK(c.n > 22050 * 30, "--jobs %d: over 30 s of audio (%zu samples)", jobs[j], c.n);
        CHECK(no_children(), "--jobs %d: every worker reaped", jobs[j]);
        if (j == 0) {
            ref = c;
            continue;
        }
        CHECK(c.n == ref.n && !memcmp(c.pcm, ref.pcm, c.n * sizeof *c.pcm),
              "--jobs %d gives the samples of --jobs 1 (%zu against %zu)", jobs[j], c.n, ref.n);
        CHECK(same_events(&c, &ref), "--jobs %d gives the events of --jobs 1", jobs[j]);
        release(&c);
    }
    release(&ref);
}

/* eSpeak draws noise from rand() (the English article's voices do): a
 * render is the same whatever this process drew before it, as when the
 * warm-up or PortAudio's probe ran at another moment. */
static void test_rand_state(nr_narrator *nr, nr_document *doc) {
    capture ref = {.in_order = true}, c = {.in_order = true};
    nr_set_jobs(nr, 2);
    CHECK(nr_render(nr, doc, 0, keep, &ref) == NR_OK, "renders: %s", nr_narrator_error(nr));
    for (int i = 0; i < 1000; i++)
        (void)rand();
    CHECK(nr_render(nr, doc, 0, keep, &c) == NR_OK, "renders: %s", nr_narrator_error(nr));
    CHECK(c.n == ref.n && !memcmp(c.pcm, ref.pcm, c.n * sizeof *c.pcm),
          "the samples do not depend on the parent's rand() (%zu against %zu)", c.n, ref.n);
    release(&c);
    release(&ref);
}

/* A render from any sentence equals the tail of the full render from that
 * sentence's start: at a paragraph (a chunk start here) and inside one. */
static void test_from(nr_narrator *nr, nr_document *doc) {
    nr_set_jobs(nr, 2);
    capture full = {.in_order = true};
    CHECK(nr_render(nr, doc, 0, keep, &full) == NR_OK, "full render");
    size_t n_sent = nr_document_sentence_count(doc);
    size_t picks[4] = {0, 0, 0, n_sent - 1}, n_picks = 1;
    for (size_t s = 1; s < n_sent && n_picks < 3; s++)
        if (nr_document_block_of(doc, s) != nr_document_block_of(doc, s - 1) &&
            nr_document_block_of(doc, s) >= 1) {
            picks[n_picks++] = s;     /* the first sentence of a paragraph */
            picks[n_picks++] = s + 2; /* and one inside it */
        }
    picks[0] = 1;
    CHECK(n_picks == 3, "paragraphs found (%zu)", n_picks);
    for (size_t p = 0; p < 4; p++) {
        size_t from = picks[p];
        capture part = {.in_order = true};
        CHECK(nr_render(nr, doc, from, keep, &part) == NR_OK, "render from %zu", from);
        uint64_t at = UINT64_MAX;
        for (size_t i = 0; i < full.n_ev; i++)
            if (full.ev[i].kind == NR_EV_SENTENCE && full.ev[i].index == from)
                at = full.ev[i].sample;
        CHECK(at != UINT64_MAX, "sentence %zu has an event", from);
        CHECK(part.n_ev && part.ev[0].kind == NR_EV_SENTENCE && part.ev[0].index == from &&
                  part.ev[0].sample == 0,
              "a render from %zu starts with that sentence at sample 0", from);
        CHECK(part.in_order, "from %zu: events in order", from);
        CHECK(at != UINT64_MAX && full.n - at == part.n &&
                  !memcmp(full.pcm + at, part.pcm, part.n * sizeof *part.pcm),
              "the render from sentence %zu equals the full render's tail", from);
        /* sentence and pause events too, shifted; word events may differ by a word in rare
           cases (eSpeak NG drops an occasional WORD event: see the report), so only their
           number is compared, within 1 % */
        size_t k = 0, words_full = 0, words_part = 0;
        while (k < full.n_ev && !(full.ev[k].kind == NR_EV_SENTENCE && full.ev[k].index == from))
            k++;
        nr_event marks_full[512], marks_part[512];
        size_t n_full = 0, n_part = 0;
        for (size_t i = k; i < full.n_ev; i++) {
            words_full += full.ev[i].kind == NR_EV_WORD;
            if (full.ev[i].kind != NR_EV_WORD && n_full < 512)
                marks_full[n_full] = full.ev[i], marks_full[n_full++].sample -= at;
        }
        for (size_t i = 0; i < part.n_ev; i++) {
            words_part += part.ev[i].kind == NR_EV_WORD;
            if (part.ev[i].kind != NR_EV_WORD && n_part < 512)
                marks_part[n_part++] = part.ev[i];
        }
        bool same = n_full == n_part;
        for (size_t i = 0; same && i < n_part; i++)
            same = marks_full[i].kind == marks_part[i].kind &&
                   marks_full[i].sample == marks_part[i].sample &&
                   marks_full[i].index == marks_part[i].index;
        CHECK(same, "from %zu: the full render's sentence and pause events (%zu, %zu)", from,
              n_full, n_part);
        CHECK(words_part * 100 >= words_full * 99 && words_part <= words_full,
              "from %zu: the full render's word events (%zu, %zu)", from, words_full, words_part);
        release(&part);
    }
    capture none = {.in_order = true};
    CHECK(nr_render(nr, doc, n_sent, keep, &none) == NR_OK && none.n == 0,
          "a render from past the end gives nothing");
    release(&none);
    release(&full);
}

static void test_stop(nr_narrator *nr, nr_document *doc) {
    nr_set_jobs(nr, 2);
    capture c = {.in_order = true, .stop_after = 22050 * 5};
    CHECK(nr_render(nr, doc, 0, keep, &c) == NR_E_ABORTED, "a callback that stops aborts");
    CHECK(c.n < 22050 * 6, "nothing is delivered after the stop (%zu samples)", c.n);
    CHECK(no_children(), "no worker is left after a stop");
    release(&c);
}

int main(void) {
    nr_narrator *nr = NULL;
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    CHECK(nr_set_jobs(nr, 65) == NR_E_ARG && nr_set_jobs(nr, -1) == NR_E_ARG,
          "--jobs outside 0..64 refused");
    nr_document *doc = load(nr, "fr-afp-blinken.txt");
    if (doc) {
        test_jobs_agree(nr, doc);
        test_from(nr, doc);
        test_stop(nr, doc);
    }
    nr_document_free(doc);
    doc = load(nr, "en-01-halvard-jobs.txt");
    if (doc)
        test_rand_state(nr, doc);
    nr_document_free(doc);
    nr_narrator_free(nr);
    return check_done("test_workers");
}
