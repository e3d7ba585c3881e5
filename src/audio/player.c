/* player.c: live playback that takes commands (the nr_player_* API).
 *
 * Two threads share one lock:
 * - the producer renders the document (nr_render_doc) into a ring of about
 *   1.5 s, with the sentence events at their place in the ring. A command
 *   bumps the generation: the producer's callback sees it, stops the render,
 *   and a new render starts where the command says. The ring is emptied by
 *   the command itself, so nothing stale is written after it.
 * - the writer moves the ring to the device in chunks of 23 ms, writing the
 *   very first chunk as soon as it exists, and reports a sentence when its
 *   first chunk is written (the device then has at most its latency, ~50 ms,
 *   of older audio to play).
 * Rates are what is heard: eSpeak's speed is not linear in its rate
 * parameter and jumps where it switches method at 450 wpm (by -3 % for
 * English, +5 % for French), so on the first change of rate the producer
 * measures the narrator's voice at a few rates and goes through that curve;
 * steps of 25 wpm then sound even on both sides of 450.
 *
 * Test aids, documented in docs/DEVELOPERS-live.md: NARRATE_PACE=1 makes the
 * writer keep real time (ALSA's null device has no clock), emulating a device
 * buffer of 93 ms; NARRATE_TRACE=FILE logs what reached the device when. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/narrator.h"
#include "../synth/engine.h"
#include "../synth/render.h"
#include "live.h"
#include "narrate.h"
#include "rate.h"

enum {
    RING = 1 << 15,   /* samples: 1.5 s at 22050 Hz */
    CHUNK = 512,      /* samples per device write: 23 ms */
    PACE_LEAD = 2048, /* emulated device buffer with NARRATE_PACE: 93 ms */
    RATE_MIN = 80,
    RATE_STEP = 25,
};

typedef struct mark {
    uint64_t at; /* ring position (absolute sample count) */
    size_t index;
} mark;

struct nr_player {
    nr_narrator *nr;
    const nr_document *doc;  /* what the producer renders */
    const nr_document *next; /* a fuller analysis waiting to take over */
    char *device;
    int sample_rate;

    pthread_mutex_t lock;
    pthread_cond_t cond;
    int16_t *ring;
    uint64_t head, tail;
    mark *marks;
    size_t marks_first, marks_len, marks_cap;

    unsigned gen;      /* bumped by every command that drops the buffer */
    bool job;          /* the producer has a render to start */
    size_t job_from;   /* ... from this sentence */
    int job_kind;      /* ... how (job_kind) */
    bool waiting_next; /* the producer played a partial document to its end */
    bool rendered;     /* the render of this generation ended */
    nr_status render_st;
    bool started, paused, quit;
    nr_player_state state;
    nr_status status;
    size_t position;

    int base_rate; /* the narrator's rate in the document */
    int wpm;       /* the rate asked for, as heard */
    nr_rate_curve cal;
    bool calibrated, cal_tried;

    nr_out *stream;
    bool running; /* the stream is started */
    bool pace;
    double pace_t0;
    uint64_t pace_written;
    uint64_t written; /* samples written to the device, in all */
    bool fresh;       /* the next chunk is the first after a command */
    double cmd_time;
    FILE *trace;
    unsigned underruns;

    pthread_t producer, writer;
    bool have_producer, have_writer;
    int pipe[2];
};

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One line of NARRATE_TRACE: CLOCK_MONOTONIC in milliseconds, samples
 * written to the device, what happened. */
static void trace(nr_player *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(nr_player *p, const char *fmt, ...) {
    if (!p->trace)
        return;
    fprintf(p->trace, "%.1f %llu ", now_ms(), (unsigned long long)p->written);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->trace, fmt, ap);
    va_end(ap);
    fputc('\n', p->trace);
    fflush(p->trace);
}

/* Wakes whoever polls nr_player_fd. Called with the lock held. */
static void notify(nr_player *p) {
    char c = 1;
    if (write(p->pipe[1], &c, 1) < 0) {
        /* full pipe: the reader is already due to wake */
    }
}

/* ---- rates -------------------------------------------------------------- */

/* The fastest rate offered: what eSpeak's fastest sounds like, at most 850. */
static int rate_max(const nr_player *p) {
    double m = p->calibrated ? nr_rate_heard(&p->cal, 900) : 900;
    return m > 850 ? 850 : (int)m;
}

/* A copy of the document's speakers with the rates that make the narrator
 * heard at p->wpm; the others keep their proportion to the narrator. */
static nr_speaker *scaled_speakers(nr_player *p, const nr_doc *doc) {
    size_t n = doc->speakers.len;
    nr_speaker *sp = malloc((n ? n : 1) * sizeof *sp);
    if (!sp)
        return NULL;
    memcpy(sp, doc->speakers.data, n * sizeof *sp);
    if (p->wpm == p->base_rate || p->base_rate <= 0)
        return sp;
    const nr_rate_curve *c = &p->cal;
    double factor = p->wpm / nr_rate_heard(c, p->base_rate);
    for (size_t i = 0; i < n; i++)
        sp[i].voice.rate = nr_rate_espeak(c, nr_rate_heard(c, sp[i].voice.rate) * factor);
    return sp;
}

/* ---- calibration -------------------------------------------------------- */

static int quitting(void *user) {
    nr_player *p = user;
    pthread_mutex_lock(&p->lock);
    bool quit = p->quit;
    pthread_mutex_unlock(&p->lock);
    return quit;
}

/* The longest of the first sentences, as eSpeak will be given it: a sample of
 * the article's own language for measuring its voice. */
static char *calibration_text(const nr_document *d) {
    size_t best = 0, best_len = 0;
    for (size_t i = 0; i < d->n && i < 40; i++) {
        size_t len;
        nr_document_sentence(d, i, &len);
        if (len > best_len)
            best = i, best_len = len;
    }
    if (best_len < 40)
        return NULL;
    size_t len;
    const char *s = nr_document_sentence(d, best, &len);
    if (len > 300) { /* about 50 words is enough */
        len = 300;
        while (len > 200 && s[len] != ' ')
            len--;
    }
    return nr_engine_sanitize(s, len, NULL);
}

/* Measures the narrator's voice on a sentence of D, once, the first time the
 * rate changes: calibrating while the first render runs would change
 * eSpeak's state under it, and the stream would no longer be the export's,
 * sample for sample. Takes some tens of milliseconds. */
static void calibrate(nr_player *p, const nr_document *d) {
    double t0 = now_ms();
    char *text = calibration_text(d);
    nr_rate_curve c;
    bool ok = text && d->doc->speakers.len &&
              nr_rate_calibrate(&NR_SPEAKER(d->doc, 0).voice, text, p->base_rate, &c, quitting, p);
    free(text);
    if (!ok)
        return;
    pthread_mutex_lock(&p->lock);
    p->cal = c;
    p->calibrated = true;
    trace(p, "calibrated in %.1f ms", now_ms() - t0);
    pthread_mutex_unlock(&p->lock);
}

/* ---- producer ----------------------------------------------------------- */

enum { NONE = (size_t)-1 };

typedef struct job_ctx {
    nr_player *p;
    unsigned gen;
    uint64_t base;     /* ring position of the render's sample 0 */
    uint64_t rendered; /* samples the render has delivered */
    size_t skip_until; /* drop everything before this sentence starts (NONE: keep all) */
    size_t stop_at;    /* stop the render where this sentence starts (NONE: never) */
    bool stopped;      /* ... and it did */
} job_ctx;

/* Keeps sentence START's mark. Called with the lock held. */
static void add_mark(nr_player *p, uint64_t at, size_t index) {
    if (p->marks_first + p->marks_len == p->marks_cap) {
        if (p->marks_first > 0) {
            memmove(p->marks, p->marks + p->marks_first, p->marks_len * sizeof *p->marks);
            p->marks_first = 0;
        } else {
            size_t cap = p->marks_cap ? p->marks_cap * 2 : 64;
            mark *m = realloc(p->marks, cap * sizeof *m);
            if (!m)
                return; /* the display misses one sentence: not fatal */
            p->marks = m, p->marks_cap = cap;
        }
    }
    p->marks[p->marks_first + p->marks_len++] = (mark){at, index};
}

/* The render's callback: audio into the ring, sentence starts beside it.
 * Stops the render (non-zero) when a command has made it stale, or where
 * the job was to stop. Audio before the job's first sentence is dropped
 * (a render that starts early to give the export's exact samples). */
static int push(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    job_ctx *j = user;
    nr_player *p = j->p;
    uint64_t first = j->rendered;
    j->rendered += n;
    size_t from = 0, to = n;
    bool skipping = j->skip_until != NONE;
    pthread_mutex_lock(&p->lock);
    for (size_t i = 0; i < n_ev && p->gen == j->gen && !j->stopped; i++) {
        if (ev[i].kind != NR_EV_SENTENCE)
            continue;
        size_t off = ev[i].sample > first ? (size_t)(ev[i].sample - first) : 0;
        if (off > n)
            off = n;
        if (skipping && ev[i].index >= j->skip_until) {
            skipping = false;
            j->skip_until = NONE;
            from = off;
            j->base = p->head - ev[i].sample; /* this sample goes to the ring's head */
        }
        if (skipping)
            continue;
        if (j->stop_at != NONE && ev[i].index >= j->stop_at) {
            to = off;
            j->stopped = true;
            break;
        }
        add_mark(p, j->base + ev[i].sample, ev[i].index);
    }
    if (skipping)
        from = to = 0;
    pcm += from;
    n = to > from ? to - from : 0;
    while (n > 0) {
        while (p->head - p->tail == RING && p->gen == j->gen && !p->quit)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->gen != j->gen || p->quit)
            break;
        size_t room = RING - (size_t)(p->head - p->tail);
        size_t k = n < room ? n : room;
        for (size_t i = 0; i < k; i++)
            p->ring[(p->head + i) % RING] = pcm[i];
        if (p->head == 0)
            trace(p, "rendered");
        p->head += k;
        pcm += k;
        n -= k;
        pthread_cond_broadcast(&p->cond);
    }
    int stop = p->gen != j->gen || p->quit || j->stopped;
    pthread_mutex_unlock(&p->lock);
    return stop;
}

/* Silence between sentence FROM - 1 and FROM, as the renderer puts it. */
static int chain_pause(const nr_document *d, size_t from) {
    if (from == 0 || from >= d->n)
        return 0;
    const nr_doc *doc = d->doc;
    const nr_block *prev = &NR_BLOCK(doc, d->order[from - 1].block);
    const nr_block *next = &NR_BLOCK(doc, d->order[from].block);
    if (prev == next)
        return doc->pauses.sentence;
    if (prev->kind == NR_BLOCK_TITLE)
        return doc->pauses.title;
    if (prev->kind == NR_BLOCK_HEADING || next->kind == NR_BLOCK_HEADING)
        return doc->pauses.heading;
    return doc->pauses.paragraph;
}

/* True when sentence I is read by the narrator alone. */
static bool narrator_only(const nr_document *d, size_t i) {
    const nr_sentence *se = &NR_BLOCK(d->doc, d->order[i].block).sents[d->order[i].sent];
    for (size_t k = 0; k < se->n_spans; k++)
        if (se->spans[k].voice != 0)
            return false;
    return true;
}

typedef enum job_kind {
    JOB_START,       /* from a command: at sentence FROM, at once */
    JOB_AFTER_HEAD,  /* the rest of the article after a partial one: the pause first */
    JOB_AFTER_FIRST, /* the rest after a quick first sentence: its pause was played */
} job_kind;

/* Renders D from sentence FROM into the ring.
 * - A start renders its first sentence alone first, in one worker process,
 *   and the rest follows (JOB_AFTER_FIRST): the first audio does not share
 *   the processor with the synthesis of what comes after it. The renderer
 *   prepares every speaker's voice before its first sample, which takes a
 *   while when many people are quoted: when that sentence is the
 *   narrator's, it is rendered with the narrator only.
 * - A continuation renders from the start of the renderer's chunk and drops
 *   what comes before FROM, so the samples are the export's. */
static void run_job(nr_player *p, const nr_document *d, size_t from, job_kind kind, unsigned gen,
                    nr_speaker *speakers) {
    job_ctx j = {.p = p, .gen = gen, .skip_until = NONE, .stop_at = NONE};
    size_t render_from = from;
    if (kind == JOB_AFTER_HEAD) {
        static const int16_t zeros[CHUNK];
        size_t n = (size_t)chain_pause(d, from) * (size_t)p->sample_rate / 1000;
        while (n > 0) {
            size_t k = n < CHUNK ? n : CHUNK;
            if (push(&j, zeros, k, NULL, 0))
                return;
            j.rendered = 0;
            n -= k;
        }
    }
    if (kind != JOB_START) {
        render_from = nr_render_chunk_start(d->doc, from);
        if (render_from < from)
            j.skip_until = from;
    }
    nr_doc view = *d->doc; /* the document with the player's rates */
    view.speakers.data = speakers;
    bool quick = kind == JOB_START && from + 1 < d->n;
    if (quick) {
        j.stop_at = from + 1;
        if (narrator_only(d, from))
            view.speakers.len = 1;
    }
    pthread_mutex_lock(&p->lock);
    j.base = p->head;
    pthread_mutex_unlock(&p->lock);
    nr_status st = nr_engine_start(&p->nr->ctx);
    if (st == NR_OK && nr_engine_sample_rate() != p->sample_rate)
        st = nr_fail(&p->nr->ctx, NR_E_ENGINE, "the voice speaks at %d Hz, not %d Hz",
                     nr_engine_sample_rate(), p->sample_rate);
    int jobs = p->nr->ctx.jobs;
    if (quick) /* one sentence: a second worker would only compete with the first */
        p->nr->ctx.jobs = 1;
    if (st == NR_OK)
        st = nr_render_doc(&p->nr->ctx, &view, render_from, push, &j, NULL);
    p->nr->ctx.jobs = jobs;
    pthread_mutex_lock(&p->lock);
    if (gen == p->gen && !p->quit) {
        if (j.stopped) { /* the quick first sentence is out: the rest */
            p->job = true;
            p->job_from = from + 1;
            p->job_kind = JOB_AFTER_FIRST;
        } else if (st == NR_OK && d->partial) {
            if (p->next) { /* go on with the whole article, without a gap */
                p->doc = p->next;
                p->next = NULL;
                p->job = true;
                p->job_from = d->n;
                p->job_kind = JOB_AFTER_HEAD;
            } else {
                p->waiting_next = true;
            }
        } else {
            p->rendered = true;
            p->render_st = st;
        }
        pthread_cond_broadcast(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
}

static void *produce(void *arg) {
    nr_player *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && !p->job)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->quit)
            break;
        p->job = false;
        const nr_document *d = p->doc;
        size_t from = p->job_from;
        job_kind kind = p->job_kind;
        unsigned gen = p->gen;
        if (p->wpm != p->base_rate && !p->calibrated && !p->cal_tried) {
            p->cal_tried = true;
            pthread_mutex_unlock(&p->lock);
            calibrate(p, d);
            pthread_mutex_lock(&p->lock);
            if (gen != p->gen) /* a newer command came meanwhile */
                continue;
        }
        nr_speaker *speakers = scaled_speakers(p, d->doc);
        pthread_mutex_unlock(&p->lock);
        if (speakers)
            run_job(p, d, from, kind, gen, speakers);
        free(speakers);
        pthread_mutex_lock(&p->lock);
        if (!speakers && gen == p->gen) {
            p->rendered = true;
            p->render_st = nr_fail(&p->nr->ctx, NR_E_NOMEM, "out of memory");
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Drops what is buffered and has the producer start at sentence FROM.
 * Called with the lock held. */
static void restart(nr_player *p, size_t from) {
    p->gen++;
    p->tail = p->head;
    p->marks_first = p->marks_len = 0;
    p->job = true;
    p->job_from = from;
    p->job_kind = JOB_START;
    p->waiting_next = false;
    p->rendered = false;
    p->position = from;
    p->fresh = true;
    p->cmd_time = now_ms();
    if (p->state == NR_PLAYER_DONE)
        p->state = p->paused ? NR_PLAYER_PAUSED : NR_PLAYER_PLAYING;
    pthread_cond_broadcast(&p->cond);
    notify(p);
}

/* ---- writer ------------------------------------------------------------- */

/* With NARRATE_PACE, waits until the emulated device has room for N more
 * samples. Returns the samples it holds (for the trace). A device that ran
 * dry in the middle of the stream (EXPECTED false) is an underrun. */
static uint64_t pace(nr_player *p, size_t n, bool expected) {
    if (!p->pace)
        return 0;
    double t = now_ms();
    if (p->pace_written == 0)
        p->pace_t0 = t;
    double played = (t - p->pace_t0) * p->sample_rate / 1000.0;
    if ((double)p->pace_written > played + PACE_LEAD - (double)n) {
        double wait =
            ((double)p->pace_written + (double)n - PACE_LEAD - played) * 1000.0 / p->sample_rate;
        struct timespec ts = {(time_t)(wait / 1000), (long)(fmod(wait, 1000.0) * 1e6)};
        nanosleep(&ts, NULL);
        played = (now_ms() - p->pace_t0) * p->sample_rate / 1000.0;
    }
    if (played > (double)p->pace_written) { /* the emulated device ran dry */
        if (p->pace_written > 0 && !expected) {
            p->underruns++;
            trace(p, "underrun dry %.1f ms",
                  (played - (double)p->pace_written) * 1000.0 / p->sample_rate);
        }
        p->pace_t0 = now_ms();
        p->pace_written = 0;
        played = 0;
    }
    uint64_t held = p->pace_written - (uint64_t)played;
    p->pace_written += n;
    return held;
}

/* The emulated device's buffer plays out, as nr_live_stop waits for. */
static void pace_drain(nr_player *p) {
    if (!p->pace || p->pace_written == 0)
        return;
    double played = (now_ms() - p->pace_t0) * p->sample_rate / 1000.0;
    if ((double)p->pace_written > played) {
        double wait = ((double)p->pace_written - played) * 1000.0 / p->sample_rate;
        struct timespec ts = {(time_t)(wait / 1000), (long)(fmod(wait, 1000.0) * 1e6)};
        nanosleep(&ts, NULL);
    }
    p->pace_written = 0;
}

/* Reports the sentences whose first sample is among the next N to go out.
 * Called with the lock held. */
static void pass_marks(nr_player *p, size_t n) {
    while (p->marks_len && p->marks[p->marks_first].at < p->tail + n) {
        size_t i = p->marks[p->marks_first].index;
        p->marks_first++, p->marks_len--;
        if (i != p->position || p->fresh) {
            p->position = i;
            notify(p);
        }
        trace(p, "sentence %zu rate %d", i, p->wpm);
    }
}

static void fail_device(nr_player *p) {
    p->status =
        nr_fail(&p->nr->ctx, NR_E_DEVICE, "the audio device failed (%s)", nr_live_error(p->stream));
    p->state = NR_PLAYER_FAILED;
    notify(p);
}

static void *write_out(void *arg) {
    nr_player *p = arg;
    int16_t chunk[CHUNK];
    nr_fork_guard_leave(); /* entered by nr_player_start for this thread's start */
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && !p->paused && p->head == p->tail && !p->rendered)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->quit)
            break;
        if (p->paused) {
            if (p->running) {
                p->running = false;
                pthread_mutex_unlock(&p->lock);
                nr_live_stop(p->stream); /* plays what the device holds */
                pace_drain(p);
                pthread_mutex_lock(&p->lock);
                trace(p, "paused");
            }
            while (p->paused && !p->quit)
                pthread_cond_wait(&p->cond, &p->lock);
            continue;
        }
        if (p->head == p->tail) { /* rendered to the end */
            p->running = false;
            pthread_mutex_unlock(&p->lock);
            nr_live_stop(p->stream);
            pace_drain(p);
            pthread_mutex_lock(&p->lock);
            if (p->head != p->tail || !p->rendered || p->quit)
                continue; /* a command came meanwhile */
            bool ok = p->render_st == NR_OK;
            p->state = ok ? NR_PLAYER_DONE : NR_PLAYER_FAILED;
            p->status = p->render_st;
            trace(p, "end");
            notify(p);
            while (!p->quit && p->rendered && p->head == p->tail)
                pthread_cond_wait(&p->cond, &p->lock);
            continue;
        }
        size_t n = (size_t)(p->head - p->tail);
        if (n > CHUNK)
            n = CHUNK;
        for (size_t i = 0; i < n; i++)
            chunk[i] = p->ring[(p->tail + i) % RING];
        pass_marks(p, n);
        p->tail += n;
        bool fresh = p->fresh;
        p->fresh = false;
        double cmd_time = p->cmd_time;
        bool start = !p->running;
        p->running = true;
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);

        uint64_t held = pace(p, n, start || fresh);
        if (!p->written)
            trace(p, "first");
        if (fresh)
            trace(p, "fresh %.1f held %llu", now_ms() - cmd_time, (unsigned long long)held);
        if (start) /* starting the device allocates */
            nr_fork_guard_enter();
        int e = nr_live_write(p->stream, chunk, n); /* starts the device after a stop */
        if (start)
            nr_fork_guard_leave();
        pthread_mutex_lock(&p->lock);
        if (e == NR_OUT_UNDERRUN && !start && !fresh) {
            p->underruns++;
            trace(p, "underrun device");
        }
        if (e == NR_OUT_FAILED) {
            fail_device(p);
            break;
        }
        p->written += n;
        if (p->state == NR_PLAYER_IDLE) { /* the first audio is out */
            p->state = p->paused ? NR_PLAYER_PAUSED : NR_PLAYER_PLAYING;
            notify(p);
        }
    }
    pthread_mutex_unlock(&p->lock);
    nr_fork_guard_enter(); /* this thread's end; nr_player_free leaves once it is joined */
    return NULL;
}

/* ---- the API -------------------------------------------------------------- */

nr_status nr_player_new(nr_narrator *nr, const nr_document *doc, const char *device,
                        nr_player **out) {
    *out = NULL;
    nr->ctx.err[0] = '\0';
    nr_player *p = calloc(1, sizeof *p);
    if (!p)
        return nr_fail(&nr->ctx, NR_E_NOMEM, "out of memory");
    p->ring = malloc(RING * sizeof *p->ring);
    p->device = device ? strdup(device) : NULL;
    if (!p->ring || (device && !p->device) || pipe(p->pipe) != 0) {
        free(p->ring);
        free(p->device);
        free(p);
        return nr_fail(&nr->ctx, NR_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < 2; i++) {
        fcntl(p->pipe[i], F_SETFL, fcntl(p->pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(p->pipe[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->nr = nr;
    p->doc = doc;
    p->state = NR_PLAYER_IDLE;
    p->base_rate = doc->doc->speakers.len ? NR_SPEAKER(doc->doc, 0).voice.rate : 175;
    if (p->base_rate <= 0)
        p->base_rate = 175;
    p->wpm = p->base_rate;
    const char *pace_env = getenv("NARRATE_PACE");
    p->pace = pace_env && *pace_env && strcmp(pace_env, "0");
    const char *trace_env = getenv("NARRATE_TRACE");
    if (trace_env && *trace_env)
        p->trace = fopen(trace_env, "a");
    trace(p, "new");
    *out = p;
    return NR_OK;
}

/* The player's threads leave the program's signals (Ctrl-C, Ctrl-Z, window
 * changes) to the thread that started them, whose handlers expect them. */
static void block_signals(sigset_t *old) {
    static const int sigs[] = {SIGINT,  SIGTERM,  SIGHUP,  SIGQUIT, SIGTSTP,
                               SIGCONT, SIGWINCH, SIGALRM, SIGUSR1, SIGUSR2};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&set, sigs[i]);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

nr_status nr_player_start(nr_player *p, size_t from) {
    if (p->started)
        return nr_fail(&p->nr->ctx, NR_E_ARG, "the player has already started");
    /* eSpeak NG's voices all speak at 22050 Hz: the device can open while
       the engine starts, in the producer */
    p->sample_rate = nr_engine_sample_rate();
    if (from >= p->doc->n)
        from = p->doc->n ? p->doc->n - 1 : 0;
    pthread_mutex_lock(&p->lock);
    restart(p, from);
    p->fresh = false;
    p->started = true;
    pthread_mutex_unlock(&p->lock);
    /* synthesis starts while the device opens: the first audio is ready sooner */
    sigset_t old;
    block_signals(&old);
    p->have_producer = pthread_create(&p->producer, NULL, produce, p) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!p->have_producer)
        return nr_fail(&p->nr->ctx, NR_E_NOMEM, "cannot start the synthesis thread");
    nr_status st = nr_live_open(&p->nr->ctx, p->device, p->sample_rate, &p->stream);
    if (st != NR_OK) {
        pthread_mutex_lock(&p->lock);
        p->state = NR_PLAYER_FAILED;
        p->status = st;
        pthread_mutex_unlock(&p->lock);
        return st;
    }
    trace(p, "open");
    block_signals(&old);
    nr_fork_guard_enter(); /* the writer's start; it leaves (forkgate.h) */
    p->have_writer = pthread_create(&p->writer, NULL, write_out, p) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!p->have_writer) {
        nr_fork_guard_leave();
        return nr_fail(&p->nr->ctx, NR_E_NOMEM, "cannot start the audio thread");
    }
    return NR_OK;
}

void nr_player_pause(nr_player *p, int pause) {
    pthread_mutex_lock(&p->lock);
    if (p->started && p->state != NR_PLAYER_FAILED && p->state != NR_PLAYER_DONE) {
        p->paused = pause != 0;
        if (p->state != NR_PLAYER_IDLE)
            p->state = p->paused ? NR_PLAYER_PAUSED : NR_PLAYER_PLAYING;
        trace(p, "cmd %s", p->paused ? "pause" : "resume");
        pthread_cond_broadcast(&p->cond);
        notify(p);
    }
    pthread_mutex_unlock(&p->lock);
}

/* The document that commands navigate: the fullest one the player has. */
static const nr_document *nav_doc(const nr_player *p) { return p->next ? p->next : p->doc; }

static void seek_locked(nr_player *p, size_t i) {
    const nr_document *d = nav_doc(p);
    if (d->n == 0 || p->state == NR_PLAYER_FAILED || !p->started)
        return;
    if (i >= d->n)
        i = d->n - 1;
    if (d != p->doc) { /* the fuller document takes over now */
        p->doc = d;
        p->next = NULL;
    }
    trace(p, "cmd seek %zu", i);
    restart(p, i);
}

void nr_player_seek_sentence(nr_player *p, size_t i) {
    pthread_mutex_lock(&p->lock);
    seek_locked(p, i);
    pthread_mutex_unlock(&p->lock);
}

void nr_player_skip_block(nr_player *p, int delta) {
    pthread_mutex_lock(&p->lock);
    const nr_document *d = nav_doc(p);
    size_t pos = p->position < d->n ? p->position : (d->n ? d->n - 1 : 0);
    size_t block = nr_document_block_of(d, pos);
    size_t start = nr_document_block_start(d, block);
    size_t target;
    if (delta >= 0) {
        size_t b = block;
        target = start;
        for (int k = 0; k < delta && target < d->n; k++) {
            b = nr_document_block_of(d, target);
            while (target < d->n && nr_document_block_of(d, target) == b)
                target++;
        }
        if (target >= d->n) /* past the last block: stay at the last one's start */
            target = nr_document_block_start(d, nr_document_block_of(d, d->n - 1));
    } else {
        target = start;                          /* back to this block's start ... */
        int k = pos > start ? delta + 1 : delta; /* ... counts as one step */
        for (; k < 0 && target > 0; k++)
            target = nr_document_block_start(d, nr_document_block_of(d, target - 1));
    }
    seek_locked(p, target);
    pthread_mutex_unlock(&p->lock);
}

nr_status nr_player_set_rate(nr_player *p, int wpm) {
    pthread_mutex_lock(&p->lock);
    int max = rate_max(p);
    if (wpm < RATE_MIN || wpm > max) {
        pthread_mutex_unlock(&p->lock);
        return nr_fail(&p->nr->ctx, NR_E_ARG, "rate %d is outside %d..%d words per minute", wpm,
                       RATE_MIN, max);
    }
    if (wpm != p->wpm) {
        p->wpm = wpm;
        trace(p, "cmd rate %d", wpm);
        if (p->started && p->state != NR_PLAYER_FAILED)
            restart(p, p->position); /* the sentence again, at the new rate */
    }
    pthread_mutex_unlock(&p->lock);
    return NR_OK;
}

int nr_player_rate(const nr_player *p) {
    nr_player *q = (nr_player *)p;
    pthread_mutex_lock(&q->lock);
    int w = q->wpm;
    pthread_mutex_unlock(&q->lock);
    return w;
}

int nr_player_rate_step(const nr_player *p, int steps) {
    nr_player *q = (nr_player *)p;
    pthread_mutex_lock(&q->lock);
    int w = q->wpm, max = rate_max(q);
    pthread_mutex_unlock(&q->lock);
    /* onto the grid of steps first, so 175 + 1 step = 200 */
    int on =
        steps > 0 ? (w / RATE_STEP) * RATE_STEP : ((w + RATE_STEP - 1) / RATE_STEP) * RATE_STEP;
    w = on + steps * RATE_STEP;
    return w < RATE_MIN ? RATE_MIN : w > max ? max : w;
}

size_t nr_player_position(const nr_player *p) {
    nr_player *q = (nr_player *)p;
    pthread_mutex_lock(&q->lock);
    size_t i = q->position;
    pthread_mutex_unlock(&q->lock);
    return i;
}

nr_player_state nr_player_get_state(const nr_player *p) {
    char buf[64];
    while (read(p->pipe[0], buf, sizeof buf) > 0) {
    }
    nr_player *q = (nr_player *)p;
    pthread_mutex_lock(&q->lock);
    nr_player_state s = q->state;
    pthread_mutex_unlock(&q->lock);
    return s;
}

nr_status nr_player_status(const nr_player *p) {
    nr_player *q = (nr_player *)p;
    pthread_mutex_lock(&q->lock);
    nr_status st = q->status;
    pthread_mutex_unlock(&q->lock);
    return st;
}

int nr_player_fd(const nr_player *p) { return p->pipe[0]; }

void nr_player_set_document(nr_player *p, const nr_document *doc) {
    pthread_mutex_lock(&p->lock);
    if (p->doc->partial && doc != p->doc) {
        p->next = doc;
        if (p->waiting_next) { /* the producer is at the end of the partial one */
            p->waiting_next = false;
            size_t from = p->doc->n;
            p->doc = doc;
            p->next = NULL;
            p->job = true;
            p->job_from = from;
            p->job_kind = JOB_AFTER_HEAD;
            pthread_cond_broadcast(&p->cond);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

void nr_player_free(nr_player *p) {
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    if (p->have_writer) {
        pthread_join(p->writer, NULL);
        nr_fork_guard_leave();
    }
    if (p->have_producer)
        pthread_join(p->producer, NULL);
    if (p->stream) {
        if (p->running)
            nr_live_abort(p->stream); /* q means now: nothing queued is played */
        nr_live_close(p->stream);
    }
    trace(p, "quit underruns %u", p->underruns);
    if (p->trace)
        fclose(p->trace);
    close(p->pipe[0]);
    close(p->pipe[1]);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p->marks);
    free(p->ring);
    free(p->device);
    free(p);
}
