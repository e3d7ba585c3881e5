#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"
#include "engine.h"
#include "workers.h"

enum { FADE = 66, /* 3 ms at 22050 Hz */ SILENCE_CHUNK = 1024 };

/* A piece of the text given to eSpeak and where it comes from in the doc. */
typedef struct piece {
    size_t at, len; /* in the joined text */
    size_t doc_start, doc_end;
    bool exact; /* the joined text is the doc's own text there */
} piece;

typedef struct stream {
    nr_ctx *ctx;
    nr_audio_fn fn;
    void *user;
    volatile sig_atomic_t *stop;
    uint64_t sample; /* samples delivered so far */
    /* the current run */
    const piece *pieces;
    size_t n_pieces;
    const size_t *map;  /* sanitized byte -> joined byte */
    int16_t held[FADE]; /* the run's last samples, held back for the fade-out */
    size_t n_held;
    uint64_t run_samples; /* samples of the run seen so far */
    nr_vec events;
    bool aborted;
} stream;

static int deliver(stream *s, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    if (s->stop && *s->stop)
        s->aborted = true;
    if (!s->aborted && s->fn(s->user, pcm, n, ev, n_ev))
        s->aborted = true;
    s->sample += n;
    return s->aborted;
}

static int silence(stream *s, int ms) {
    static const int16_t zeros[SILENCE_CHUNK];
    uint64_t n = (uint64_t)ms * (uint64_t)nr_engine_sample_rate() / 1000;
    nr_event ev = {.kind = NR_EV_PAUSE, .sample = s->sample};
    size_t n_ev = 1;
    while (n > 0 && !s->aborted) {
        size_t k = n > SILENCE_CHUNK ? SILENCE_CHUNK : (size_t)n;
        deliver(s, zeros, k, &ev, n_ev);
        n_ev = 0;
        n -= k;
    }
    return s->aborted;
}

nr_status nr_render_pause(int ms, nr_audio_fn fn, void *user, volatile sig_atomic_t *stop,
                          uint64_t *sample) {
    stream s = {.fn = fn, .user = user, .stop = stop, .sample = *sample};
    int aborted = silence(&s, ms);
    *sample = s.sample;
    return aborted ? NR_E_ABORTED : NR_OK;
}

static size_t to_doc(const stream *s, size_t sanitized) {
    size_t j = s->map[sanitized];
    for (size_t i = 0; i < s->n_pieces; i++) {
        const piece *p = &s->pieces[i];
        if (j >= p->at + p->len && i + 1 < s->n_pieces)
            continue;
        size_t off = j > p->at ? j - p->at : 0;
        if (off > p->len)
            off = p->len;
        size_t span = p->doc_end - p->doc_start;
        if (p->exact)
            return p->doc_start + (off < span ? off : span);
        return p->doc_start + (p->len ? off * span / p->len : 0);
    }
    return s->n_pieces ? s->pieces[s->n_pieces - 1].doc_end : 0;
}

/* eSpeak's audio for one run: fade in the first samples, hold back the last
 * FADE samples so they can be faded out when the run ends. */
static int on_pcm(void *user, const int16_t *pcm, size_t n, const nr_engine_word *w, size_t nw) {
    stream *s = user;
    s->events.len = 0;
    uint64_t base = s->sample + s->n_held - s->run_samples;
    for (size_t i = 0; i < nw; i++) {
        nr_event *ev = nr_vec_push(&s->events);
        if (!ev)
            break;
        *ev = (nr_event){.kind = NR_EV_WORD,
                         .sample = base + w[i].sample,
                         .start = to_doc(s, w[i].start),
                         .end = to_doc(s, w[i].end)};
    }
    int16_t buf[4096 + FADE];
    while (n > 0 || s->events.len) {
        size_t take = n > 4096 ? 4096 : n;
        memcpy(buf, s->held, s->n_held * sizeof *buf);
        memcpy(buf + s->n_held, pcm, take * sizeof *buf);
        size_t total = s->n_held + take;
        for (uint64_t k = s->run_samples; k < FADE && k - s->run_samples < take; k++)
            buf[s->n_held + (k - s->run_samples)] =
                (int16_t)(buf[s->n_held + (k - s->run_samples)] * (int32_t)k / FADE);
        s->run_samples += take;
        size_t out = total > FADE ? total - FADE : 0;
        s->n_held = total - out;
        memcpy(s->held, buf + out, s->n_held * sizeof *buf);
        /* events of a chunk ride with it; words whose sample lies in held audio are still
           reported now, which is within 3 ms */
        if (deliver(s, buf, out, s->events.data, s->events.len))
            return 1;
        s->events.len = 0;
        pcm += take;
        n -= take;
    }
    return 0;
}

static void end_run(stream *s) {
    for (size_t i = 0; i < s->n_held; i++)
        s->held[i] = (int16_t)(s->held[i] * (int32_t)(s->n_held - 1 - i) / (int32_t)s->n_held);
    if (s->n_held)
        deliver(s, s->held, s->n_held, NULL, 0);
    s->n_held = 0;
    s->run_samples = 0;
}

static bool has_speech(const char *t) {
    for (; *t; t++)
        if ((unsigned char)*t >= 0x80 || (*t >= '0' && *t <= '9') ||
            ((*t | 32) >= 'a' && (*t | 32) <= 'z'))
            return true;
    return false;
}

/* Speaks spans [a, b) of SE, which share one voice. */
static nr_status speak_run(stream *s, const nr_doc *doc, const nr_sentence *se, size_t a, size_t b,
                           float rate_factor) {
    nr_buf text;
    nr_buf_init(&text);
    piece pieces[64];
    size_t np = 0;
    for (size_t k = a; k < b; k++) {
        const nr_span *sp = &se->spans[k];
        const char *t = sp->spoken ? sp->spoken : doc->text + sp->start;
        size_t len = sp->spoken ? strlen(sp->spoken) : sp->end - sp->start;
        if (text.len)
            nr_buf_addc(&text, ' ');
        if (np < 64)
            pieces[np++] = (piece){text.len, len, sp->start, sp->end, sp->spoken == NULL};
        nr_buf_add(&text, t, len);
    }
    if (!nr_buf_ok(&text)) {
        nr_buf_free(&text);
        return nr_fail(s->ctx, NR_E_NOMEM, "out of memory");
    }
    size_t *map = NULL;
    char *clean = nr_engine_sanitize(text.data ? text.data : "", text.len, &map);
    nr_buf_free(&text);
    if (!clean)
        return nr_fail(s->ctx, NR_E_NOMEM, "out of memory");
    nr_status st = NR_OK;
    if (has_speech(clean)) {
        s->pieces = pieces, s->n_pieces = np, s->map = map;
        int v = se->spans[a].voice;
        if (v < 0 || (size_t)v >= doc->speakers.len)
            v = 0;
        st = nr_engine_speak(s->ctx, &NR_SPEAKER(doc, v).voice, rate_factor, clean, on_pcm, s);
        if (st == NR_OK)
            end_run(s);
    }
    free(clean);
    free(map);
    return s->aborted ? NR_E_ABORTED : st;
}

static nr_status speak_sentence(stream *s, const nr_doc *doc, const nr_sentence *se, size_t index,
                                float rate_factor) {
    nr_event ev = {.kind = NR_EV_SENTENCE,
                   .sample = s->sample,
                   .index = index,
                   .start = se->start,
                   .end = se->end};
    if (deliver(s, NULL, 0, &ev, 1))
        return NR_E_ABORTED;
    for (size_t a = 0; a < se->n_spans;) {
        size_t b = a + 1;
        while (b < se->n_spans && se->spans[b].voice == se->spans[a].voice)
            b++;
        if (a > 0 && silence(s, doc->pauses.quote))
            return NR_E_ABORTED;
        nr_status st = speak_run(s, doc, se, a, b, rate_factor);
        if (st != NR_OK)
            return st;
        a = b;
    }
    return NR_OK;
}

size_t nr_doc_sentence_count(const nr_doc *doc) {
    size_t n = 0;
    for (size_t b = 0; b < doc->blocks.len; b++)
        n += NR_BLOCK(doc, b).n_sents;
    return n;
}

int nr_render_block_pause(const nr_doc *doc, const nr_block *blk, const nr_block *next) {
    if (blk->kind == NR_BLOCK_TITLE)
        return doc->pauses.title;
    if (blk->kind == NR_BLOCK_HEADING || (next && next->kind == NR_BLOCK_HEADING))
        return doc->pauses.heading;
    return doc->pauses.paragraph;
}

/* A worker's job: the sentences of one chunk, each followed by its pause. */
static nr_status render_chunk(nr_ctx *ctx, const void *arg, const nr_chunk *c, nr_audio_fn fn,
                              void *user) {
    const nr_doc *doc = arg;
    stream s = {.ctx = ctx, .fn = fn, .user = user};
    nr_vec_init(&s.events, sizeof(nr_event));
    nr_status st = NR_OK;
    size_t b = c->block, i = c->first;
    for (size_t k = 0; k < c->count && st == NR_OK; k++, i++) {
        while (b < doc->blocks.len && i >= NR_BLOCK(doc, b).n_sents)
            b++, i = 0; /* on to the next block that has sentences */
        if (b >= doc->blocks.len)
            break;
        const nr_block *blk = &NR_BLOCK(doc, b);
        const nr_block *next = b + 1 < doc->blocks.len ? &NR_BLOCK(doc, b + 1) : NULL;
        float rate = blk->kind == NR_BLOCK_TITLE ? doc->title_rate : 1.0f;
        st = speak_sentence(&s, doc, &blk->sents[i], c->sentence + k, rate);
        bool last = i + 1 == blk->n_sents;
        int ms = last ? (next ? nr_render_block_pause(doc, blk, next) : 0) : doc->pauses.sentence;
        if (st == NR_OK && ms > 0 && silence(&s, ms))
            st = NR_E_ABORTED;
    }
    nr_vec_free(&s.events);
    return st;
}

/* Chunk boundaries are a function of the document alone (plus FROM, where
 * a render starts one): consecutive blocks are grouped until a chunk holds
 * NR_CHUNK_BYTES of text, because starting a worker costs a fork and its
 * page faults, and a block longer than NR_CHUNK_SENTENCES sentences is cut
 * every NR_CHUNK_SENTENCES sentences; both doubled for chunks that start
 * past NR_CHUNK_SMALL_TEXT bytes. So a render from the first sentence of a
 * chunk gives the samples a full render gives from there. */
typedef struct cutter {
    size_t index; /* of the next sentence, in reading order */
    size_t bytes; /* of text in the chunk so far */
    size_t at;    /* where the chunk starts in the text */
} cutter;

/* Whether SE, sentence I of its block, starts a chunk; and counts it in. */
static bool chunk_cut(cutter *c, const nr_sentence *se, size_t i) {
    size_t grow = c->at < NR_CHUNK_SMALL_TEXT ? 1 : 2;
    bool cut = c->index == 0 || (i % (grow * NR_CHUNK_SENTENCES) == 0 &&
                                 (i > 0 || c->bytes >= grow * NR_CHUNK_BYTES));
    if (cut)
        c->bytes = 0, c->at = se->start;
    c->bytes += se->end - se->start;
    c->index++;
    return cut;
}

static nr_status plan_chunks(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_vec *chunks) {
    cutter cut = {0};
    for (size_t b = 0; b < doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++) {
            size_t index = cut.index;
            bool starts = chunk_cut(&cut, &blk->sents[i], i);
            if (index < from)
                continue;
            if (starts || index == from) {
                nr_chunk *c = nr_vec_push(chunks);
                if (!c)
                    return nr_fail(ctx, NR_E_NOMEM, "out of memory");
                *c = (nr_chunk){.block = b, .first = i, .sentence = index};
            }
            NR_VEC_AT(chunks, nr_chunk, chunks->len - 1).count++;
        }
    }
    return NR_OK;
}

size_t nr_render_chunk_start(const nr_doc *doc, size_t sentence) {
    cutter cut = {0};
    size_t start = 0;
    for (size_t b = 0; b < doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++) {
            size_t index = cut.index;
            if (chunk_cut(&cut, &blk->sents[i], i))
                start = index;
            if (index == sentence)
                return start;
        }
    }
    return start;
}

nr_status nr_render_doc(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_audio_fn fn, void *user,
                        volatile sig_atomic_t *stop) {
    uint64_t sample = 0;
    return nr_render_doc_at(ctx, doc, from, fn, user, stop, &sample);
}

/* Passes on the stream from the start of sentence FROM: a render starts at
 * the first sentence of FROM's chunk, and what comes before FROM is dropped,
 * so the samples are the ones a full render has from there. */
typedef struct skipper {
    nr_audio_fn fn;
    void *user;
    size_t from;
    bool started;
    uint64_t pos;     /* stream position of the next sample received */
    uint64_t skipped; /* samples dropped */
    nr_vec events;
} skipper;

static int skip_to_from(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    skipper *k = user;
    uint64_t at = k->pos;
    k->pos += n;
    if (k->started)
        return k->fn(k->user, pcm, n, ev, n_ev);
    size_t first = 0;
    while (first < n_ev && !(ev[first].kind == NR_EV_SENTENCE && ev[first].index == k->from))
        first++;
    if (first == n_ev) {
        k->skipped += n;
        return 0;
    }
    k->started = true;
    uint64_t cut = ev[first].sample > at ? ev[first].sample - at : 0;
    if (cut > n)
        cut = n;
    k->skipped += cut;
    k->events.len = 0;
    for (size_t i = first; i < n_ev; i++) {
        nr_event *e = nr_vec_push(&k->events);
        if (!e)
            return 1;
        *e = ev[i];
        e->sample = e->sample >= k->skipped ? e->sample - k->skipped : 0;
    }
    return k->fn(k->user, n > cut ? pcm + cut : NULL, n - (size_t)cut, k->events.data,
                 k->events.len);
}

/* Events after the start are shifted by what was skipped. */
static int shifted(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    skipper *k = user;
    if (!k->started || k->skipped == 0)
        return skip_to_from(user, pcm, n, ev, n_ev);
    k->pos += n;
    k->events.len = 0;
    for (size_t i = 0; i < n_ev; i++) {
        nr_event *e = nr_vec_push(&k->events);
        if (!e)
            return 1;
        *e = ev[i];
        e->sample -= k->skipped;
    }
    return k->fn(k->user, pcm, n, k->events.data, k->events.len);
}

nr_status nr_render_doc_at(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_audio_fn fn, void *user,
                           volatile sig_atomic_t *stop, uint64_t *sample) {
    nr_status st = nr_engine_start(ctx);
    if (st != NR_OK)
        return st;
    if (stop && *stop)
        return nr_fail(ctx, NR_E_ABORTED, "interrupted");
    /* voices are checked here, once, rather than in every worker; the
       narrator's is loaded last so that workers start with it */
    for (size_t k = doc->speakers.len; k-- > 0 && st == NR_OK;)
        st = nr_engine_prepare(ctx, NR_SPEAKER(doc, k).voice.espeak, k == 0);
    if (st != NR_OK)
        return st;
    if (from >= nr_doc_sentence_count(doc))
        return NR_OK;
    size_t start = nr_render_chunk_start(doc, from);
    skipper k = {.fn = fn, .user = user, .from = from, .started = start == from, .pos = *sample};
    nr_vec_init(&k.events, sizeof(nr_event));
    nr_vec chunks;
    nr_vec_init(&chunks, sizeof(nr_chunk));
    st = plan_chunks(ctx, doc, start, &chunks);
    if (st == NR_OK)
        st = nr_workers_run(ctx, ctx->jobs, chunks.data, chunks.len, render_chunk, doc,
                            k.started ? fn : shifted, k.started ? user : &k, stop, sample);
    *sample -= k.skipped;
    nr_vec_free(&chunks);
    nr_vec_free(&k.events);
    return st;
}
