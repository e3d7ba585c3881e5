/* stream.c: plain text read, analysed and handed out window by window
 * (stream.h). */
#include "stream.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../audio/export.h"
#include "../cast/cast.h"
#include "../ingest/ingest.h"
#include "../synth/render.h"
#include "../text/segment.h"
#include "../util/utf8.h"
#include "narrator.h"
#include "plan.h"

enum {
    CONTEXT_BYTES = 16384, /* at most this much of a window is read again before the next */
    CONTEXT_PARAS = 8,     /* and at most this many paragraphs */
    MAX_MENTIONS = 32,     /* a speaker's mentions kept over windows */
};

/* ---- reading ------------------------------------------------------------ */

typedef struct reader {
    nr_ctx *ctx;
    int fd;
    char *buf;
    size_t len, cap; /* bytes read and not yet handed out */
    size_t total;    /* bytes read in all */
    bool eof;
} reader;

static nr_status too_large(nr_ctx *ctx, size_t limit) {
    return nr_fail(ctx, NR_E_TOO_LARGE,
                   "the input is over the limit of %zu bytes (see --max-input)", limit);
}

/* Reads until the buffer holds WANT bytes or the input ends; NR_E_TOO_LARGE
 * once more than LIMIT bytes were read in all. The buffer never grows past
 * WANT (and 64 KiB): /dev/zero costs what was asked for, not twice it. */
static nr_status fill(reader *r, size_t want, size_t limit) {
    while (!r->eof && r->len < want) {
        if (r->len == r->cap) {
            size_t grow = r->cap < (1 << 16) ? 1 << 16 : r->cap * 2;
            if (grow > want)
                grow = want > r->cap ? want : r->cap + 1;
            char *p = realloc(r->buf, grow);
            if (!p)
                return nr_fail(r->ctx, NR_E_NOMEM, "out of memory");
            r->buf = p, r->cap = grow;
        }
        ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            return nr_fail(r->ctx, e == EISDIR ? NR_E_INPUT : NR_E_IO, "%s",
                           e == EISDIR ? "is a directory" : strerror(e));
        }
        if (n == 0)
            r->eof = true;
        r->len += (size_t)n;
        r->total += (size_t)n;
        if (r->total > limit)
            return too_large(r->ctx, limit);
    }
    return NR_OK;
}

static void consume(reader *r, size_t n) {
    memmove(r->buf, r->buf + n, r->len - n);
    r->len -= n;
}

static bool blank_char(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The end of the last blank line in S[0, N), where a window may end; 0 if
 * there is none after some text. */
static size_t last_break(const char *s, size_t n) {
    for (size_t i = n; i > 1; i--) {
        if (s[i - 1] != '\n')
            continue;
        size_t j = i - 1;
        while (j > 0 && blank_char(s[j - 1]))
            j--;
        if (j > 1 && s[j - 1] == '\n')
            return i;
    }
    return 0;
}

/* The end of the first blank line in S[FROM, N) whose end is known; 0 if none. */
static size_t first_break(const char *s, size_t from, size_t n) {
    for (size_t i = from; i < n; i++) {
        if (s[i] != '\n')
            continue;
        size_t k = i + 1;
        while (k < n && blank_char(s[k]))
            k++;
        if (k < n && s[k] == '\n' && i > 0)
            return k + 1;
    }
    return 0;
}

/* Plain UTF-8 text can be cut at blank lines: no NUL, valid UTF-8 (a
 * sequence cut at the end of the sample aside), not markup. */
static bool streamable(const char *s, size_t n, const char *name) {
    if (memchr(s, 0, n))
        return false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && l == 1 && n - i > 3)
            return false;
        i += l ? l : 1;
    }
    return nr_ingest_sniff(s, n, name) == NR_FORMAT_TEXT;
}

/* Where the window at the head of R ends: the last paragraph break within
 * WINDOW bytes, else the first after it (a paragraph is held whole, within
 * ctx->max_input), else the input's end. */
static nr_status next_cut(reader *r, size_t window, size_t *cut) {
    nr_ctx *ctx = r->ctx;
    nr_status st = fill(r, window + 1, ctx->max_stream);
    if (st != NR_OK)
        return st;
    if (r->eof && r->len <= window) {
        *cut = r->len;
        return NR_OK;
    }
    if ((*cut = last_break(r->buf, window)) > 0)
        return NR_OK;
    for (size_t from = window;;) {
        if ((*cut = first_break(r->buf, from, r->len)) > 0)
            return NR_OK;
        if (r->eof) {
            *cut = r->len;
            return NR_OK;
        }
        if (r->len > ctx->max_input)
            return nr_fail(ctx, NR_E_TOO_LARGE,
                           "a paragraph of the input is over the limit of %zu bytes held at "
                           "once (see --max-input)",
                           ctx->max_input);
        from = r->len > window + 4096 ? r->len - 4096 : window;
        size_t want = r->len * 2 < ctx->max_input + 1 ? r->len * 2 : ctx->max_input + 1;
        if ((st = fill(r, want, ctx->max_stream)) != NR_OK)
            return st;
    }
}

/* ---- what windows carry ------------------------------------------------- */

typedef struct stream {
    nr_narrator *nr;
    nr_ctx *ctx;
    const char *name;
    nr_window_fn fn;
    void *user;
    nr_doc *reg;    /* the registry: language, speakers; NULL before the first window */
    nr_buf context; /* the last paragraphs of the window before */
    size_t offset;  /* cleaned bytes of the windows handed out */
    int next_quote; /* a fresh quotation id */
    size_t index;   /* windows handed out */
    bool overlap;   /* a window is analysed on a thread while the one before is handed out */
    nr_ctx *actx;   /* the context analysis gets: ctx, or a copy of it when overlapping */
} stream;

static bool has_mention(const nr_speaker *s, const char *m) {
    for (size_t i = 0; i < s->n_mentions; i++)
        if (!strcmp(s->mentions[i], m))
            return true;
    return false;
}

/* B is A's last word or words: "Marchetti" of "Hélène Marchetti". */
static bool name_ends_with(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    return la > lb && a[la - lb - 1] == ' ' && !strcmp(a + la - lb, b);
}

/* Whether window speaker W is registry speaker G: the same name (or both
 * anonymous) when EXACT, else a name one of them gives as a mention or as
 * the end of its own. Genders must not disagree. */
static bool same_person(const nr_speaker *g, const nr_speaker *w, bool exact) {
    if (g->gender && w->gender && g->gender != w->gender)
        return false;
    if (!g->name || !w->name)
        return !g->name && !w->name;
    if (!strcmp(g->name, w->name))
        return true;
    return !exact && (has_mention(g, w->name) || has_mention(w, g->name) ||
                      name_ends_with(g->name, w->name) || name_ends_with(w->name, g->name));
}

/* Adds W's mentions that G lacks (up to MAX_MENTIONS), and W's name when it
 * is G's in full ("Hélène Marchetti" for "Marchetti"). */
static bool merge_speaker(nr_arena *a, nr_speaker *g, const nr_speaker *w) {
    if (g->name && w->name && name_ends_with(w->name, g->name) &&
        !(g->name = nr_arena_strdup(a, w->name)))
        return false;
    if (!g->gender)
        g->gender = w->gender;
    size_t add = 0;
    for (size_t i = 0; i < w->n_mentions; i++)
        add += !has_mention(g, w->mentions[i]);
    if (add == 0 || g->n_mentions >= MAX_MENTIONS)
        return true;
    size_t n = g->n_mentions + add < MAX_MENTIONS ? g->n_mentions + add : MAX_MENTIONS;
    const char **m = nr_arena_alloc(a, n * sizeof *m);
    if (!m)
        return false;
    if (g->n_mentions)
        memcpy(m, g->mentions, g->n_mentions * sizeof *m);
    size_t k = g->n_mentions;
    for (size_t i = 0; i < w->n_mentions && k < n; i++)
        if (!has_mention(g, w->mentions[i]) && !(m[k++] = nr_arena_strdup(a, w->mentions[i])))
            return false;
    g->mentions = m;
    g->n_mentions = k;
    return true;
}

/* A new registry speaker, a copy of W with the next id. */
static int add_speaker(nr_doc *reg, const nr_speaker *w) {
    nr_speaker *g = nr_vec_push(&reg->speakers);
    if (!g)
        return -1;
    int idx = (int)reg->speakers.len - 1;
    char id[24];
    snprintf(id, sizeof id, "s%d", idx);
    *g = (nr_speaker){.gender = w->gender, .id = nr_arena_strdup(reg->arena, id)};
    if (!g->id || (w->name && !(g->name = nr_arena_strdup(reg->arena, w->name))))
        return -1;
    return merge_speaker(reg->arena, g, w) ? idx : -1;
}

/* The registry index of window speaker W: a speaker met before and not yet
 * matched in this window (CLAIMED), or a new one (*ADDED set). */
static int registry_index(nr_doc *reg, const nr_speaker *w, bool *claimed, bool *added) {
    for (int exact = 1; exact >= 0; exact--)
        for (size_t i = 1; i < reg->speakers.len; i++) {
            nr_speaker *g = &NR_SPEAKER(reg, i);
            if (claimed[i] || !same_person(g, w, exact))
                continue;
            claimed[i] = true;
            return merge_speaker(reg->arena, g, w) ? (int)i : -1;
        }
    *added = true;
    int idx = add_speaker(reg, w);
    if (idx > 0)
        claimed[idx] = true;
    return idx;
}

/* Gives the speakers that DOC's blocks from FROM on name their registry
 * index, casts new ones (the cast is a function of the speakers in order,
 * so earlier ones keep their voices), and makes DOC's speakers the
 * registry's. */
static nr_status carry_speakers(stream *s, nr_doc *doc, size_t from) {
    nr_doc *reg = s->reg;
    size_t nw = doc->speakers.len;
    int *map = malloc((nw + 1) * sizeof *map);
    bool *claimed = calloc(reg->speakers.len + nw + 1, sizeof *claimed);
    nr_status st = map && claimed ? NR_OK : NR_E_NOMEM;
    bool added = false;
    for (size_t i = 0; map && i <= nw; i++)
        map[i] = i == 0 ? 0 : -1;
    if (st == NR_OK && reg->speakers.len == 0 && !nr_vec_push(&reg->speakers))
        st = NR_E_NOMEM; /* the narrator's place, filled by the cast */
    for (size_t b = from; st == NR_OK && b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; st == NR_OK && i < blk->n_sents; i++)
            for (size_t k = 0; st == NR_OK && k < blk->sents[i].n_spans; k++) {
                nr_span *sp = &blk->sents[i].spans[k];
                int *who[2] = {&sp->speaker, &sp->voice};
                for (int w = 0; w < 2 && st == NR_OK; w++) {
                    int v = *who[w];
                    if (v <= 0 || (size_t)v >= nw)
                        continue;
                    if (map[v] < 0)
                        map[v] = registry_index(reg, &NR_SPEAKER(doc, v), claimed, &added);
                    if (map[v] < 0)
                        st = NR_E_NOMEM;
                    *who[w] = map[v];
                }
            }
    }
    if (st == NR_OK && (added || !NR_SPEAKER(reg, 0).id))
        st = nr_cast(s->ctx, reg);
    doc->speakers.len = 0;
    for (size_t i = 0; st == NR_OK && i < reg->speakers.len; i++) {
        nr_speaker *p = nr_vec_push(&doc->speakers);
        if (!p)
            st = NR_E_NOMEM;
        else
            *p = NR_SPEAKER(reg, i);
    }
    free(map);
    free(claimed);
    if (st == NR_E_NOMEM)
        return nr_fail(s->ctx, st, "out of memory");
    return st;
}

/* Quotation ids go on from the window before; a quotation that opens DOC's
 * own part as the continuation of one in the context keeps that one's id. */
static void carry_quotes(stream *s, nr_doc *doc, size_t from) {
    int lo = -1, hi = -1;
    bool cont = false;
    for (size_t b = from; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++)
            for (size_t k = 0; k < blk->sents[i].n_spans; k++) {
                const nr_span *sp = &blk->sents[i].spans[k];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                if (lo < 0)
                    cont = sp->continues;
                lo = lo < 0 || sp->quote < lo ? sp->quote : lo;
            }
    }
    if (lo < 0)
        return;
    int base = s->index == 0 ? lo : cont && s->next_quote > 0 ? s->next_quote - 1 : s->next_quote;
    for (size_t b = from; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++)
            for (size_t k = 0; k < blk->sents[i].n_spans; k++) {
                nr_span *sp = &blk->sents[i].spans[k];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                sp->quote = sp->quote - lo + base;
                hi = sp->quote > hi ? sp->quote : hi;
            }
    }
    s->next_quote = hi + 1;
}

/* The last paragraphs of DOC's text (CONTEXT_PARAS, CONTEXT_BYTES at most),
 * read again before the next window. */
static void keep_context(nr_buf *c, const nr_doc *doc) {
    const char *t = doc->text;
    size_t n = doc->len, start = n, paras = 0;
    size_t lo = n > CONTEXT_BYTES ? n - CONTEXT_BYTES : 0;
    for (size_t i = n - (n > 0); i > lo && i >= 2 && paras < CONTEXT_PARAS; i--)
        if (t[i - 1] == '\n' && t[i - 2] == '\n' && t[i] != '\n')
            start = i, paras++;
    c->len = 0;
    nr_buf_add(c, t + start, n - start);
}

/* Ingests the window RAW (N bytes) after the context, or without it when
 * the context does not come out of ingest unchanged. */
static nr_status ingest_window(stream *s, const char *raw, size_t n, nr_doc **doc,
                               size_t *ctx_len) {
    nr_buf win;
    nr_buf_init(&win);
    *ctx_len = s->reg ? s->context.len : 0;
    if (*ctx_len)
        nr_buf_add(&win, s->context.data, s->context.len);
    nr_buf_add(&win, raw, n);
    if (!nr_buf_ok(&win)) {
        nr_buf_free(&win);
        return nr_fail(s->ctx, NR_E_NOMEM, "out of memory");
    }
    nr_status st = nr_ingest_window(s->ctx, win.data, win.len, s->name, s->reg, doc);
    nr_buf_free(&win);
    if (st == NR_OK && *ctx_len &&
        ((*doc)->len < *ctx_len || memcmp((*doc)->text, s->context.data, *ctx_len))) {
        nr_doc_free(*doc);
        *ctx_len = 0;
        st = nr_ingest_window(s->ctx, raw, n, s->name, s->reg, doc);
    }
    return st;
}

/* The registry keeps what the first window says of the whole input: its
 * language, title and byline (an export's tags). */
static nr_status keep_head(nr_doc *reg, const nr_doc *first) {
    memcpy(reg->lang, first->lang, sizeof reg->lang);
    reg->format = first->format;
    reg->encoding = first->encoding;
    if ((first->title && !(reg->title = nr_arena_strdup(reg->arena, first->title))) ||
        (first->byline && !(reg->byline = nr_arena_strdup(reg->arena, first->byline))))
        return NR_E_NOMEM;
    return NR_OK;
}

/* One window on its way: ingested, analysed (on a thread of its own when
 * THREADED), then carried and handed out. */
typedef struct job {
    nr_doc *doc; /* NULL: no window */
    size_t ctx_len;
    nr_ctx *ctx; /* the context nr_analyse gets */
    nr_status st;
    pthread_t thread;
    bool threaded;
    bool segmented;   /* nr_segment was run by the reading thread */
    atomic_bool done; /* the thread's analysis is over (a hint: the join is what waits) */
} job;

/* Ingests the window RAW (N bytes) into J and moves the stream past it:
 * what the next window's ingest needs (the registry's language, the
 * context, the offset) comes from the ingested text alone. While the
 * window before (BEFORE) is still being analysed, this thread segments
 * this one instead of waiting: the two threads share the work, whichever
 * part is the slower on the machine. */
static nr_status begin_window(stream *s, const char *raw, size_t n, job *j, const job *before) {
    *j = (job){.ctx = s->actx};
    nr_status st = ingest_window(s, raw, n, &j->doc, &j->ctx_len);
    if (st != NR_OK)
        return st;
    nr_doc *doc = j->doc;
    doc->offset = s->offset - j->ctx_len;
    if (!s->reg) {
        s->reg = nr_doc_new("", 0, s->name);
        if (!s->reg || keep_head(s->reg, doc) != NR_OK)
            return nr_fail(s->ctx, NR_E_NOMEM, "out of memory");
    }
    s->offset += doc->len - j->ctx_len;
    keep_context(&s->context, doc);
    if (!nr_buf_ok(&s->context))
        return nr_fail(s->ctx, NR_E_NOMEM, "out of memory");
    if (!before->threaded || atomic_load(&before->done))
        return NR_OK;
    j->segmented = true;
    return nr_segment(s->ctx, doc);
}

static void *analyse_job(void *user) {
    job *j = user;
    j->st = j->segmented ? nr_analyse_segmented(j->ctx, j->doc) : nr_analyse(j->ctx, j->doc);
    atomic_store(&j->done, true);
    return NULL;
}

/* Analyses J: on a thread when S overlaps windows and one can be started
 * (with every signal blocked: they stay the reading thread's), else here. */
static void start_analysis(stream *s, job *j) {
    if (s->overlap) {
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        j->threaded = pthread_create(&j->thread, NULL, analyse_job, j) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (!j->threaded)
        analyse_job(j);
}

/* Waits for J's analysis to be over. */
static void wait_analysis(job *j) {
    if (j->threaded)
        pthread_join(j->thread, NULL);
    j->threaded = false;
}

/* Waits for J's analysis, then carries what persists and hands the window
 * out. J's document is freed. */
static nr_status end_window(stream *s, job *j) {
    wait_analysis(j);
    nr_doc *doc = j->doc;
    nr_status st = j->st;
    if (st != NR_OK && j->ctx != s->ctx) /* the message is the stream's */
        memcpy(s->ctx->err, j->ctx->err, sizeof s->ctx->err);
    size_t from = 0;
    while (from < doc->blocks.len && NR_BLOCK(doc, from).start < j->ctx_len)
        from++;
    if (st == NR_OK)
        st = carry_speakers(s, doc, from);
    if (st == NR_OK) {
        carry_quotes(s, doc, from);
        /* the context's blocks went out with the window before */
        if (from > 0)
            memmove(doc->blocks.data, &NR_BLOCK(doc, from),
                    (doc->blocks.len - from) * sizeof(nr_block));
        doc->blocks.len -= from;
        nr_window w = {doc, j->ctx_len, s->index, false, s->reg};
        st = s->fn(s->user, &w);
    }
    if (st == NR_OK)
        s->index++;
    nr_doc_free(doc);
    j->doc = NULL;
    return st;
}

/* Hands out PENDING's window, when there is one, before the outcome ST of
 * what came after it (its message in ctx->err, BEFORE the message before
 * it), in the order one window after the other gives them: a failure of
 * PENDING's comes first, with its own message. */
static nr_status settle(stream *s, job *pending, nr_status st, const char *before) {
    if (!pending->doc)
        return st;
    char after[sizeof s->ctx->err];
    memcpy(after, s->ctx->err, sizeof after);
    memcpy(s->ctx->err, before, sizeof after);
    nr_status done = end_window(s, pending);
    if (done != NR_OK)
        return done;
    memcpy(s->ctx->err, after, sizeof after);
    return st;
}

/* The input read whole, as nr_document_from_file reads it. */
static nr_status whole(stream *s, reader *r) {
    nr_ctx *ctx = s->ctx;
    nr_status st = fill(r, ctx->max_input + 1, ctx->max_input);
    if (st == NR_OK && r->total > ctx->max_input)
        st = too_large(ctx, ctx->max_input);
    nr_doc *doc = NULL;
    if (st == NR_OK)
        st = nr_ingest(ctx, r->buf ? r->buf : "", r->len, s->name, &doc);
    if (st == NR_OK)
        st = nr_analyse(ctx, doc);
    if (st == NR_OK) {
        nr_window w = {.doc = doc, .whole = true};
        st = s->fn(s->user, &w);
    }
    nr_doc_free(doc);
    return st;
}

/* Window by window; when S overlaps them, a window is read and ingested
 * while the one before is analysed, and handed out after that. */
static nr_status run(stream *s, reader *r) {
    nr_ctx *ctx = s->ctx;
    size_t win = ctx->window ? ctx->window : (size_t)1 << 20;
    size_t cut;
    nr_status st = next_cut(r, win, &cut);
    if (st != NR_OK)
        return st;
    if ((r->eof && cut == r->len) || !streamable(r->buf, cut, s->name))
        return whole(s, r);
    /* overlapped, the window after PENDING's is ingested while PENDING's
       is analysed; its analysis starts as soon as PENDING's is over, and
       PENDING's is handed out meanwhile */
    job jobs[2] = {{0}, {0}}, *pending = &jobs[0], *next = &jobs[1];
    char before[sizeof ctx->err];
    for (bool first = true; st == NR_OK; first = false) {
        memcpy(before, ctx->err, sizeof before);
        if (!first && s->nr->stop)
            st = nr_fail(ctx, NR_E_ABORTED, "interrupted");
        else if (!first && (st = next_cut(r, win, &cut)) == NR_OK && cut == 0)
            break;
        if (st == NR_OK) {
            st = begin_window(s, r->buf, cut, next, pending);
            consume(r, cut);
        }
        wait_analysis(pending);
        if (st == NR_OK && pending->st == NR_OK)
            start_analysis(s, next);
        st = settle(s, pending, st, before);
        if (st == NR_OK && !s->overlap)
            st = end_window(s, next);
        if (st != NR_OK) {
            wait_analysis(next);
            nr_doc_free(next->doc);
            next->doc = NULL;
            break;
        }
        job *t = pending;
        pending = next, next = t;
    }
    st = settle(s, pending, st, before);
    if (st == NR_OK) {
        nr_window w = {.index = s->index, .speakers = s->reg};
        st = s->fn(s->user, &w);
    }
    return st;
}

/* nr_stream_file, analysing a window while the one before is handed out
 * when OVERLAP asks for it and there is a processor to spare: ctx->jobs
 * over 1, or 0 (one per processor) on a machine of more than one. */
static nr_status stream_file(nr_narrator *nr, const char *path, nr_window_fn fn, void *user,
                             bool overlap) {
    nr_ctx *ctx = &nr->ctx;
    ctx->err[0] = '\0';
    const char *slash = strrchr(path, '/');
    bool std_in = !strcmp(path, "-");
    stream s = {.nr = nr, .ctx = ctx, .actx = ctx, .fn = fn, .user = user};
    s.name = std_in ? "stdin" : slash ? slash + 1 : path;
    nr_buf_init(&s.context);
    nr_ctx worker = {0};
    bool spare = ctx->jobs > 1 || (ctx->jobs == 0 && sysconf(_SC_NPROCESSORS_ONLN) > 1);
    if (overlap && spare && nr_ctx_copy(&worker, ctx) == NR_OK)
        s.overlap = true, s.actx = &worker;
    reader r = {.ctx = ctx};
    nr_status st = nr_open_input(nr, path, &r.fd);
    if (st == NR_OK)
        st = run(&s, &r);
    if (r.fd >= 0 && !std_in)
        close(r.fd);
    free(r.buf);
    nr_buf_free(&s.context);
    nr_doc_free(s.reg);
    nr_ctx_fini(&worker);
    return st;
}

nr_status nr_stream_file(nr_narrator *nr, const char *path, nr_window_fn fn, void *user) {
    return stream_file(nr, path, fn, user, false);
}

/* ---- the plan ----------------------------------------------------------- */

typedef struct plan_sink {
    FILE *out;
    nr_plan_stream ps;
    bool begun, writing;
} plan_sink;

/* Whole input: the plan as ever. Windowed: the head with the first window,
 * blocks window by window, speakers and dropped text at the end. */
static nr_status plan_window(void *user, const nr_window *w) {
    plan_sink *p = user;
    nr_status st = NR_OK;
    p->writing = true;
    if (w->whole) {
        st = nr_plan_write(w->doc, p->out);
    } else if (!w->doc) {
        st = nr_plan_stream_end(&p->ps, w->speakers);
    } else {
        if (!p->begun)
            st = nr_plan_stream_begin(&p->ps, w->doc, p->out);
        p->begun = true;
        if (st == NR_OK)
            st = nr_plan_stream_window(&p->ps, w->doc, w->from_at);
    }
    if (st == NR_OK)
        p->writing = false;
    return st;
}

nr_status nr_stream_plan(nr_narrator *nr, const char *path, FILE *out, bool *writing) {
    plan_sink p = {.out = out};
    nr_status st = stream_file(nr, path, plan_window, &p, true);
    nr_plan_stream_fini(&p.ps);
    *writing = st != NR_OK && p.writing;
    return st;
}

nr_status nr_plan_file(nr_narrator *nr, const char *path, FILE *out, int *writing) {
    bool w = false;
    nr_status st = nr_stream_plan(nr, path, out, &w);
    if (writing)
        *writing = w;
    return st;
}

/* ---- an export ---------------------------------------------------------- */

typedef struct export_sink {
    nr_narrator *nr;
    const char *path;
    nr_export_job *job;
    nr_block last; /* the window before's last block, when it was spoken */
    nr_pauses pauses;
    bool pending; /* LAST still owes the pause after it */
    bool writing;
} export_sink;

/* The pause one document has after the last block of a window, which its
 * render could not know: it depends on the block after it, in DOC. */
static nr_status pause_between(export_sink *e, const nr_doc *doc) {
    if (!e->pending || doc->blocks.len == 0)
        return NR_OK;
    e->pending = false;
    nr_doc view = {.pauses = e->pauses}; /* the pauses are the same in every window */
    int ms = nr_render_block_pause(&view, &e->last, &NR_BLOCK(doc, 0));
    return ms > 0 ? nr_export_pause(e->job, ms) : NR_OK;
}

/* Whole input: nr_export as ever. Windowed: one episode, begun with the
 * registry as its head (title, byline, language), fed window by window. */
static nr_status export_to(export_sink *e, const nr_window *w) {
    nr_narrator *nr = e->nr;
    if (w->whole)
        return nr_export(&nr->ctx, w->doc, e->path, &nr->export, &nr->stop, NULL);
    if (!w->doc) {
        nr_export_job *j = e->job;
        e->job = NULL;
        return nr_export_end(j, NR_OK, e->path, NULL);
    }
    nr_status st = NR_OK;
    if (!e->job)
        st = nr_export_begin(&nr->ctx, w->speakers, e->path, &nr->export, &nr->stop, &e->job);
    if (st == NR_OK)
        st = pause_between(e, w->doc);
    if (st == NR_OK)
        st = nr_export_add(e->job, w->doc);
    size_t n = w->doc->blocks.len;
    if (st == NR_OK && n > 0) {
        e->last = NR_BLOCK(w->doc, n - 1);
        e->pending = e->last.n_sents > 0;
        e->pauses = w->doc->pauses;
    }
    return st;
}

static nr_status export_window(void *user, const nr_window *w) {
    export_sink *e = user;
    nr_status st = export_to(e, w);
    e->writing = st != NR_OK; /* a failure here is the output's */
    return st;
}

nr_status nr_export_file(nr_narrator *nr, const char *input, const char *path, int *writing) {
    export_sink e = {.nr = nr, .path = path};
    nr_status st = nr_stream_file(nr, input, export_window, &e);
    if (e.job) /* stopped midway: nothing is left behind */
        nr_export_end(e.job, st != NR_OK ? st : NR_E_ABORTED, path, NULL);
    if (writing)
        *writing = st != NR_OK && e.writing;
    return st;
}
