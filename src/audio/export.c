#include "export.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../synth/engine.h"
#include "../synth/render.h"
#include "atomic.h"
#include "id3.h"
#include "loudness.h"
#include "resample.h"
#include "timeline.h"

/* ---- options ------------------------------------------------------------ */

void nr_export_opts_init(nr_export_opts *o) {
    *o = (nr_export_opts){.quality = -1,
                          .normalise = true,
                          .loudness = -16,
                          .true_peak = -1,
                          .transcripts = true,
                          .chapters = true};
}

void nr_export_opts_fini(nr_export_opts *o) {
    free(o->title), free(o->author), free(o->show);
    free(o->date), free(o->lang), free(o->source);
    nr_export_opts_init(o);
}

static bool parse_num(const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

static bool valid_date(const char *s) {
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static nr_status set_string(nr_ctx *ctx, char **slot, const char *value) {
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    free(*slot);
    *slot = copy;
    return NR_OK;
}

static nr_status set_number(nr_ctx *ctx, nr_export_opts *o, const char *name, const char *v) {
    double d;
    if (!strcmp(name, "sample-rate")) {
        if (!v || !strcasecmp(v, "auto"))
            return o->rate = 0, NR_OK;
        if (!parse_num(v, 8000, 192000, &d) || d != floor(d))
            return nr_fail(ctx, NR_E_ARG, "--sample-rate: '%s' is not a rate in Hz (8000..192000)",
                           v);
        o->rate = (int)d;
    } else if (!strcmp(name, "bitrate")) {
        if (v && (!parse_num(v, 6, 320, &d) || d != floor(d)))
            return nr_fail(ctx, NR_E_ARG, "--bitrate: '%s' is not a bitrate in kbit/s (6..320)", v);
        o->bitrate = v ? (int)d : 0;
    } else if (!strcmp(name, "quality")) {
        if (v && !parse_num(v, 0, 10, &d))
            return nr_fail(ctx, NR_E_ARG, "--quality: '%s' is not a quality (0..10)", v);
        o->quality = v ? d : -1;
    } else if (!strcmp(name, "loudness")) {
        o->normalise = !v || strcasecmp(v, "off");
        if (v && o->normalise && !parse_num(v, -70, -5, &o->loudness))
            return nr_fail(ctx, NR_E_ARG,
                           "--loudness: '%s' is not a loudness in LUFS (-70..-5) or 'off'", v);
        if (!v)
            o->loudness = -16;
    } else if (!strcmp(name, "true-peak")) {
        if (v && !parse_num(v, -9, 0, &o->true_peak))
            return nr_fail(ctx, NR_E_ARG, "--true-peak: '%s' is not a level in dBTP (-9..0)", v);
        if (!v)
            o->true_peak = -1;
    } else {
        return nr_fail(ctx, NR_E_ARG, "unknown export option %s", name);
    }
    return NR_OK;
}

nr_status nr_export_opts_set(nr_ctx *ctx, nr_export_opts *o, const char *name, const char *v) {
    if (!strcmp(name, "format")) {
        const nr_format *f = v ? nr_format_find(v) : NULL;
        if (v && !f)
            return nr_fail(ctx, NR_E_ARG, "--format: '%s' is not wav, flac, vorbis, opus or mp3",
                           v);
        o->format = f;
        return NR_OK;
    }
    if (!strcmp(name, "transcripts") || !strcmp(name, "chapters")) {
        if (v && strcmp(v, "0") && strcmp(v, "1"))
            return nr_fail(ctx, NR_E_ARG, "%s: '%s' is not 0 or 1", name, v);
        *(name[0] == 't' ? &o->transcripts : &o->chapters) = !v || v[0] == '1';
        return NR_OK;
    }
    if (!strcmp(name, "date") && v && !valid_date(v))
        return nr_fail(ctx, NR_E_ARG, "--date: '%s' is not a date (YYYY-MM-DD)", v);
    static const char *const strs[] = {"title", "author", "show", "date", "language", "source"};
    char **slots[] = {&o->title, &o->author, &o->show, &o->date, &o->lang, &o->source};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        if (!strcmp(name, strs[i]))
            return set_string(ctx, slots[i], v);
    return set_number(ctx, o, name, v);
}

void nr_export_stem(const char *path, char *out, size_t size) {
    snprintf(out, size, "%s", path);
    char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
    if (dot && (!slash || dot > slash + 1) && nr_format_find(dot))
        *dot = '\0';
}

/* ---- the job ------------------------------------------------------------ */

enum { SIDE_VTT, SIDE_SRT, SIDE_WORDS, SIDE_CH_JSON, SIDE_CH_VTT, SIDE_COUNT };
static const char *const side_ext[SIDE_COUNT] = {".vtt", ".srt", ".words.json", ".chapters.json",
                                                 ".chapters.vtt"};

typedef struct nr_export_job {
    nr_ctx *ctx;
    const nr_doc *doc;
    const nr_export_opts *o;
    volatile sig_atomic_t *stop;
    const nr_format *fmt;
    int in_rate, out_rate;
    nr_tags tags;
    char date[16];
    nr_out *side[SIDE_COUNT];
    FILE *side_f[SIDE_COUNT];
    int scratch;
    int16_t buf[32768]; /* scratch write buffer */
    int16_t raw[4096];  /* pass two's buffers */
    float f[4096], lim[4096 + 1024];
    size_t n_buf;
    uint64_t total;              /* samples rendered */
    uint64_t rendered;           /* the same, as the renders count them (nr_render_doc_at) */
    uint64_t read_at;            /* scratch read position, bytes */
    struct direct_state *direct; /* the one-pass export's, without normalisation */
    nr_meter *meter;
    nr_timeline *tl;
    nr_status status;
    /* pass one also measures the loudness after the limiter at a first
       guess of the gain, made from the first GUESS_SECONDS: the solve then
       starts from a measured point, and usually makes no pass of its own */
    double target, ceiling; /* before the codec: the first try's */
    nr_limiter *guess_lim;
    nr_meter *guess_meter;
    int16_t *guess_buf; /* the first seconds, until the guess is made */
    size_t n_guess;
    float guess_gain; /* linear */
    nr_loudness_point known;
    /* progress */
    double weight_render, weight_solve, weight_encode, done;
    size_t n_sents;
    bool encoding; /* pass two: progress by the encoder's share */
    struct timespec last_report;
} job;

static void progress(job *j, double fraction, bool force) {
    if (!j->o->progress)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt =
        (double)(now.tv_sec - j->last_report.tv_sec) + (now.tv_nsec - j->last_report.tv_nsec) / 1e9;
    if (!force && dt < 0.2)
        return;
    j->last_report = now;
    j->o->progress(j->o->progress_user, fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
}

static double total_weight(const job *j) {
    return j->weight_render + j->weight_solve + j->weight_encode;
}

static nr_status flush_scratch(job *j) {
    const char *p = (const char *)j->buf;
    size_t len = j->n_buf * sizeof(int16_t);
    while (len > 0) {
        ssize_t w = write(j->scratch, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return nr_fail(j->ctx, NR_E_IO, "cannot write the rendered audio: %s",
                           w < 0 ? strerror(errno) : "short write");
        p += w, len -= (size_t)w;
    }
    j->n_buf = 0;
    return NR_OK;
}

enum { GUESS_SECONDS = 20 };

/* Limits N samples at the guessed gain and measures them, in blocks, as
 * nr_loudness_solve's own passes do (so the point is the one a pass would
 * measure). */
static void guess_run(job *j, const int16_t *pcm, size_t n) {
    while (n > 0) {
        size_t k = n < 4096 ? n : 4096;
        for (size_t i = 0; i < k; i++)
            j->f[i] = pcm[i] / 32768.0f;
        nr_meter_add(j->guess_meter, j->lim,
                     nr_limiter_process(j->guess_lim, j->f, k, j->guess_gain, j->lim));
        pcm += k, n -= k;
    }
}

/* The guess: the gain that brings what was heard so far to the target. */
static void guess_start(job *j) {
    double l = nr_meter_lufs(j->meter);
    j->known.gain_db = isfinite(l) ? j->target - l : 0;
    j->guess_gain = (float)pow(10, j->known.gain_db / 20);
    guess_run(j, j->guess_buf, j->n_guess);
    free(j->guess_buf);
    j->guess_buf = NULL;
}

static void guess_feed(job *j, const int16_t *pcm, size_t n) {
    if (j->guess_buf) {
        size_t room = (size_t)GUESS_SECONDS * (size_t)j->in_rate - j->n_guess;
        size_t k = n < room ? n : room;
        memcpy(j->guess_buf + j->n_guess, pcm, k * sizeof *pcm);
        j->n_guess += k, pcm += k, n -= k;
        if (k < room)
            return;
        guess_start(j);
    }
    guess_run(j, pcm, n);
}

/* The measured point, once the render is complete. */
static void guess_finish(job *j) {
    if (!j->guess_lim)
        return;
    if (j->guess_buf)
        guess_start(j);
    float tail[8192];
    if (nr_limiter_latency(j->guess_lim) <= sizeof tail / sizeof *tail)
        nr_meter_add(j->guess_meter, tail, nr_limiter_flush(j->guess_lim, tail));
    j->known.lufs = nr_meter_lufs(j->guess_meter);
}

/* Pass one's callback: scratch file, meter, timeline. */
static int on_audio(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    job *j = user;
    for (size_t done = 0; done < n && j->status == NR_OK;) {
        size_t k = n - done < 32768 - j->n_buf ? n - done : 32768 - j->n_buf;
        memcpy(j->buf + j->n_buf, pcm + done, k * sizeof *pcm);
        j->n_buf += k, done += k;
        if (j->n_buf == 32768)
            j->status = flush_scratch(j);
    }
    if (pcm && n)
        nr_meter_add_s16(j->meter, pcm, n);
    if (pcm && n && j->guess_lim)
        guess_feed(j, pcm, n);
    nr_timeline_feed(j->tl, pcm, n, ev, n_ev);
    j->total += n;
    for (size_t i = 0; i < n_ev; i++)
        if (ev[i].kind == NR_EV_SENTENCE && j->n_sents)
            progress(j, j->weight_render * (double)ev[i].index / j->n_sents / total_weight(j),
                     false);
    return j->status != NR_OK;
}

static long read_scratch(void *user, int16_t *buf, size_t max) {
    job *j = user;
    ssize_t r;
    do
        r = pread(j->scratch, buf, max * sizeof *buf, (off_t)j->read_at);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return -1;
    j->read_at += (uint64_t)r;
    if (j->o->progress && j->total && !j->encoding)
        progress(j,
                 (j->done + j->weight_solve / 5 * (double)j->read_at / (double)(j->total * 2)) /
                     total_weight(j),
                 false);
    return r / (long)sizeof *buf;
}

/* The solve's reader: positional, so two threads can read at once. */
static long pread_scratch(void *user, int16_t *buf, size_t max, uint64_t at) {
    job *j = user;
    ssize_t r;
    do
        r = pread(j->scratch, buf, max * sizeof *buf, (off_t)(at * sizeof *buf));
    while (r < 0 && errno == EINTR);
    return r < 0 ? -1 : r / (long)sizeof *buf;
}

static int rewind_scratch(void *user) {
    job *j = user;
    if (j->read_at)
        j->done += j->weight_solve / 5;
    j->read_at = 0;
    return 0;
}

/* ---- metadata ------------------------------------------------------------ */

static void today(char out[16]) {
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        now = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

typedef struct lang_lookup {
    char base[16];
    char found[4];
} lang_lookup;

static bool lang_line(void *user, const char *line, size_t len, int lineno) {
    (void)lineno;
    lang_lookup *l = user;
    size_t n = strlen(l->base);
    if (len == n + 4 && !strncmp(line, l->base, n) && line[n] == ' ') {
        memcpy(l->found, line + n + 1, 3);
        return false;
    }
    return true;
}

/* The three-letter code ID3v2.3's TLAN wants (voices/iso639.txt), or ""
 * when the language has none there. */
static void iso639_2(nr_ctx *ctx, const char *lang, char out[4]) {
    lang_lookup l = {.found = ""};
    nr_lang_base(lang ? lang : "", l.base);
    size_t len;
    const char *table = nr_data_get(ctx->data, "iso639.txt", &len);
    if (table && l.base[0])
        nr_data_each_line(table, len, lang_line, &l);
    memcpy(out, l.found, 4);
}

static void fill_tags(job *j) {
    const nr_export_opts *o = j->o;
    if (o->date)
        snprintf(j->date, sizeof j->date, "%s", o->date);
    else
        today(j->date);
    j->tags = (nr_tags){
        .title = o->title        ? o->title
                 : j->doc->title ? j->doc->title
                                 : j->doc->name,
        .author = o->author ? o->author : j->doc->byline,
        .show = o->show,
        .date = j->date,
        .lang = o->lang ? o->lang : j->doc->lang,
        .source = o->source,
    };
}

/* ---- sidecars ------------------------------------------------------------ */

static nr_status open_sidecars(job *j, const char *path) {
    char stem[4096], name[4200];
    nr_export_stem(path, stem, sizeof stem);
    for (int i = 0; i < SIDE_COUNT; i++) {
        bool want = i < SIDE_CH_JSON ? j->o->transcripts : j->o->chapters;
        if (!want)
            continue;
        snprintf(name, sizeof name, "%s%s", stem, side_ext[i]);
        nr_status st = nr_out_open(j->ctx, name, &j->side[i]);
        if (st != NR_OK)
            return st;
        if (!(j->side_f[i] = nr_out_fopen(j->side[i])))
            return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    }
    return NR_OK;
}

static void discard_sidecars(job *j) {
    for (int i = 0; i < SIDE_COUNT; i++) {
        if (j->side_f[i])
            fclose(j->side_f[i]);
        j->side_f[i] = NULL;
        nr_out_discard(j->side[i]);
        j->side[i] = NULL;
    }
}

static nr_status commit_sidecars(job *j) {
    nr_status st = NR_OK;
    for (int i = 0; i < SIDE_COUNT && st == NR_OK; i++) {
        if (!j->side[i])
            continue;
        st = nr_out_fclose(j->ctx, j->side[i], j->side_f[i]);
        j->side_f[i] = NULL;
        if (st == NR_OK)
            st = nr_out_commit(j->ctx, j->side[i]);
        else
            nr_out_discard(j->side[i]);
        j->side[i] = NULL;
    }
    return st;
}

/* ---- pass two ----------------------------------------------------------- */

typedef struct encoder {
    nr_limiter *lim;
    nr_resampler *rs;
    nr_meter *meter;
    nr_file_sink *sink;
    float gain;
    bool raw; /* no processing at all: the engine's samples as they are */
    uint64_t frames;
} encoder;

static nr_status emit(job *j, encoder *e, const float *pcm, size_t n) {
    const float *out;
    size_t n_out;
    nr_status st = nr_resampler_process(e->rs, pcm, n, &out, &n_out);
    if (st == NR_OK && n_out) {
        nr_meter_add(e->meter, out, n_out);
        e->frames += n_out;
        st = nr_file_sink_write_float(e->sink, out, n_out);
    }
    return st;
}

static nr_status encode_all(job *j, encoder *e) {
    int16_t *raw = j->raw;
    float *f = j->f, *lim = j->lim;
    nr_status st = NR_OK;
    rewind_scratch(j);
    j->encoding = true;
    j->done = j->weight_render + j->weight_solve;
    for (long n; st == NR_OK && (n = read_scratch(j, raw, 4096)) != 0;) {
        if (n < 0)
            return nr_fail(j->ctx, NR_E_IO, "cannot read the rendered audio back");
        if (j->stop && *j->stop)
            return nr_fail(j->ctx, NR_E_ABORTED, "interrupted");
        progress(j,
                 (j->done + j->weight_encode * (double)j->read_at / (double)(j->total * 2 + 1)) /
                     total_weight(j),
                 false);
        if (e->raw) {
            e->frames += (uint64_t)n;
            nr_meter_add_s16(e->meter, raw, (size_t)n);
            st = nr_file_sink_write(e->sink, raw, (size_t)n);
            continue;
        }
        for (long i = 0; i < n; i++)
            f[i] = raw[i] / 32768.0f;
        size_t k = e->lim ? nr_limiter_process(e->lim, f, (size_t)n, e->gain, lim) : (size_t)n;
        st = emit(j, e, e->lim ? lim : f, k);
    }
    if (st == NR_OK && !e->raw && e->lim)
        st = emit(j, e, lim, nr_limiter_flush(e->lim, lim));
    if (st == NR_OK && !e->raw)
        st = emit(j, e, NULL, 0); /* the resampler's tail */
    return st;
}

/* The ID3 tag of an MP3 episode with chapters CH (N_CH), padded to at
 * least PAD bytes; into OUT. */
static nr_status build_id3(job *j, const nr_chapter *ch, size_t n_ch, size_t pad, nr_buf *out) {
    nr_tags t = j->tags;
    char lang3[4];
    iso639_2(j->ctx, t.lang, lang3);
    t.lang = lang3[0] ? lang3 : NULL;
    nr_id3_build(out, &t, ch, n_ch);
    if (nr_buf_ok(out) && out->len < pad) { /* ID3v2 padding: zeros counted in the size */
        size_t more = pad - out->len;
        for (size_t k = 0; k < more; k++)
            nr_buf_addc(out, '\0');
        uint32_t size = (uint32_t)(out->len - 10);
        for (int k = 0; k < 4; k++)
            out->data[6 + k] = (char)((size >> (7 * (3 - k))) & 0x7f);
    }
    return nr_buf_ok(out) ? NR_OK : nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
}

/* MP3 encoders at once (mp3.h): as many as --jobs, but no more than the
 * processors (0: one per processor). */
static int mp3_threads(const nr_ctx *ctx) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return ctx->jobs > 0 && ctx->jobs < cpus ? ctx->jobs : 0;
}

/* Opens the sink and the processing before it: gain GAIN_DB and the
 * limiter at CEILING when normalising, the resampler, the output meter.
 * ID3 (MP3) goes first in the file. */
static nr_status encoder_open(job *j, const char *path, double gain_db, double ceiling,
                              const nr_buf *id3, encoder *e) {
    nr_encode_opts eo = {.bitrate = j->o->bitrate,
                         .quality = j->o->quality,
                         .tags = &j->tags,
                         .id3 = (const uint8_t *)id3->data,
                         .id3_len = id3->len,
                         .threads = mp3_threads(j->ctx)};
    *e = (encoder){.gain = (float)pow(10, gain_db / 20)};
    e->raw = !j->o->normalise && j->in_rate == j->out_rate;
    nr_status st = nr_file_sink_open_ex(j->ctx, path, j->fmt, j->out_rate, &eo, &e->sink);
    if (st == NR_OK && j->o->normalise && !(e->lim = nr_limiter_new(j->in_rate, ceiling)))
        st = nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    if (st == NR_OK)
        st = nr_resampler_new(j->ctx, j->in_rate, j->out_rate, &e->rs);
    if (st == NR_OK && j->o->normalise && !(e->meter = nr_meter_new(j->out_rate, true)))
        st = nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    return st;
}

/* Frees E's processing; the sink, unless ST is NR_OK, is closed without
 * being committed. Fills RES on success. */
static void encoder_close(job *j, encoder *e, nr_status st, nr_export_result *res) {
    if (st == NR_OK && res) {
        res->frames = e->frames;
        res->seconds = (double)e->frames / j->out_rate;
        res->lufs = nr_meter_lufs(e->meter);
        res->peak = nr_meter_peak_db(e->meter);
    }
    nr_limiter_free(e->lim);
    nr_resampler_free(e->rs);
    nr_meter_free(e->meter);
    e->lim = NULL, e->rs = NULL, e->meter = NULL;
    if (st != NR_OK) {
        nr_file_sink_close(e->sink, false);
        e->sink = NULL;
    }
}

/* One encoding of the whole episode into a sink left finished but not
 * committed (*SINK), so the caller can check it. */
static nr_status encode(job *j, const char *path, double gain_db, double ceiling,
                        nr_file_sink **sink, nr_export_result *res) {
    size_t n_ch = 0;
    const nr_chapter *ch = nr_timeline_chapters(j->tl, &n_ch);
    nr_buf id3;
    nr_buf_init(&id3);
    nr_status st = j->fmt->id == NR_FMT_MP3 ? build_id3(j, ch, n_ch, 0, &id3) : NR_OK;
    encoder e = {0};
    if (st == NR_OK)
        st = encoder_open(j, path, gain_db, ceiling, &id3, &e);
    nr_buf_free(&id3);
    if (st == NR_OK)
        st = encode_all(j, &e);
    if (st == NR_OK)
        st = nr_file_sink_finish(e.sink);
    if (res)
        res->chapters = n_ch;
    encoder_close(j, &e, st, res);
    *sink = e.sink;
    return st;
}

/* Normalises and encodes, then decodes what the codec made and measures
 * it: lossy codecs shift loudness (a low-pass takes energy away) and add
 * peaks. When the result misses the target by more than 0.2 LU or its
 * true peak is over the ceiling, the target before the codec and the
 * limiter's ceiling are corrected by what was measured, and it is encoded
 * again (at most twice more). Bars: ±0.5 LU, true peak at most the ceiling. */
static nr_status normalise_and_encode(job *j, const char *path, nr_export_result *res) {
    const nr_export_opts *o = j->o;
    double target = j->target, ceiling = j->ceiling; /* set_targets */
    nr_file_sink *sink = NULL;
    nr_status st = NR_OK;
    for (int attempt = 0; st == NR_OK; attempt++) {
        double gain_db = 0;
        if (o->normalise) {
            j->done = j->weight_render;
            j->encoding = false;
            st = nr_loudness_solve(j->ctx, j->in_rate, nr_meter_lufs(j->meter), target, ceiling,
                                   attempt == 0 ? &j->known : NULL, pread_scratch, j, j->stop,
                                   &gain_db);
        }
        if (st == NR_OK)
            st = encode(j, path, gain_db, ceiling, &sink, res);
        const char *tmp = sink ? nr_file_sink_temp_path(sink) : NULL;
        if (st != NR_OK || !o->normalise || !isfinite(res->lufs) || attempt == 2 ||
            (!tmp && j->fmt->lossy))
            break;
        /* a lossless file holds what the encoder's meter measured (to the
           16-bit rounding): decoding it again would measure the same */
        double lufs = res->lufs, peak = res->peak;
        if (j->fmt->lossy)
            st = nr_measure_file(j->ctx, tmp, &lufs, &peak);
        if (st != NR_OK)
            break;
        res->lufs = lufs, res->peak = peak;
        /* the same decoder and meter as any check of the file: exact */
        bool loud_ok = fabs(lufs - o->loudness) <= 0.25, peak_ok = peak <= o->true_peak - 0.02;
        if (loud_ok && peak_ok)
            break;
        target += o->loudness - lufs;
        if (!peak_ok)
            ceiling -= peak - o->true_peak + 0.1;
        nr_file_sink_close(sink, false);
        sink = NULL;
    }
    /* the sidecars first, so an episode whose audio exists is complete */
    size_t n_ch = 0;
    const nr_chapter *ch = nr_timeline_chapters(j->tl, &n_ch);
    if (st == NR_OK && j->side[SIDE_CH_JSON]) {
        nr_chapters_write_json(j->side_f[SIDE_CH_JSON], ch, n_ch, j->tags.title);
        nr_chapters_write_vtt(j->side_f[SIDE_CH_VTT], ch, n_ch);
    }
    if (st == NR_OK)
        st = commit_sidecars(j);
    nr_status closed = nr_file_sink_close(sink, st == NR_OK);
    return st != NR_OK ? st : closed;
}

/* ---- one pass, without normalisation ------------------------------------ */

/* Without loudness normalisation nothing needs the whole episode before
 * encoding, so synthesis, resampling and encoding run as a pipeline: the
 * render's callback (this thread, beside the synthesis workers) writes the
 * transcripts and hands the samples to an encoding thread through a
 * bounded ring, so the encoder works while the workers synthesise. */
enum { RING_SAMPLES = 1 << 20, FEED_BLOCK = 1 << 16 };

typedef struct feeder {
    job *j;
    encoder *e;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more, room;
    int16_t *ring, *block;
    float *tmp;
    size_t head, len; /* samples waiting: [head, head + len) modulo RING_SAMPLES */
    bool closed;      /* no more samples will come */
    bool failed;      /* the encoder stopped on an error: ST */
    nr_status st;
} feeder;

/* Encodes N samples: as they are, or as floats through the resampler. */
static nr_status feed_block(feeder *f, const int16_t *pcm, size_t n, float *tmp) {
    encoder *e = f->e;
    if (e->raw) {
        e->frames += n;
        return nr_file_sink_write(e->sink, pcm, n);
    }
    for (size_t i = 0; i < n; i++)
        tmp[i] = pcm[i] / 32768.0f;
    return emit(f->j, e, tmp, n);
}

static void *feeder_main(void *arg) {
    feeder *f = arg;
    int16_t *block = f->block;
    nr_status st = NR_OK;
    for (;;) { /* a block at a time: few wake-ups */
        pthread_mutex_lock(&f->lock);
        while (f->len < FEED_BLOCK && !f->closed)
            pthread_cond_wait(&f->more, &f->lock);
        size_t k = f->len < FEED_BLOCK ? f->len : FEED_BLOCK;
        if (k > RING_SAMPLES - f->head)
            k = RING_SAMPLES - f->head;
        memcpy(block, f->ring + f->head, k * sizeof *block);
        f->head = (f->head + k) % RING_SAMPLES;
        f->len -= k;
        pthread_cond_signal(&f->room);
        pthread_mutex_unlock(&f->lock);
        if (k == 0) /* closed and drained */
            break;
        if ((st = feed_block(f, block, k, f->tmp)) != NR_OK)
            break;
    }
    if (st == NR_OK && !f->e->raw)
        st = emit(f->j, f->e, NULL, 0); /* the resampler's tail */
    pthread_mutex_lock(&f->lock);
    f->st = st;
    f->failed = st != NR_OK;
    pthread_cond_signal(&f->room);
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

/* Queues N samples, waiting while the ring is full. Non-zero when the
 * encoder has failed. */
static int feeder_push(feeder *f, const int16_t *pcm, size_t n) {
    pthread_mutex_lock(&f->lock);
    while (n > 0 && !f->failed) {
        if (f->len == RING_SAMPLES) {
            pthread_cond_wait(&f->room, &f->lock);
            continue;
        }
        size_t tail = (f->head + f->len) % RING_SAMPLES;
        size_t k = RING_SAMPLES - f->len;
        if (k > RING_SAMPLES - tail)
            k = RING_SAMPLES - tail;
        if (k > n)
            k = n;
        memcpy(f->ring + tail, pcm, k * sizeof *pcm);
        f->len += k, pcm += k, n -= k;
        if (f->len >= FEED_BLOCK)
            pthread_cond_signal(&f->more);
    }
    int failed = f->failed;
    pthread_mutex_unlock(&f->lock);
    return failed;
}

static nr_status feeder_start(feeder *f, job *j, encoder *e) {
    *f = (feeder){.j = j, .e = e};
    f->ring = malloc(RING_SAMPLES * sizeof *f->ring);
    f->block = malloc(FEED_BLOCK * sizeof *f->block);
    f->tmp = malloc(FEED_BLOCK * sizeof *f->tmp);
    if (!f->ring || !f->block || !f->tmp) {
        free(f->ring), free(f->block), free(f->tmp);
        f->ring = NULL;
        return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    }
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->more, NULL);
    pthread_cond_init(&f->room, NULL);
    int err = pthread_create(&f->thread, NULL, feeder_main, f);
    if (err) {
        free(f->ring), free(f->block), free(f->tmp);
        f->ring = NULL;
        return nr_fail(j->ctx, NR_E_NOMEM, "cannot start the encoder: %s", strerror(err));
    }
    return NR_OK;
}

/* Lets the encoder drain what is queued (DRAIN) or drops it, waits for
 * it, and gives its status. */
static nr_status feeder_stop(feeder *f, bool drain) {
    if (!f->ring)
        return NR_OK;
    pthread_mutex_lock(&f->lock);
    f->closed = true;
    if (!drain)
        f->len = 0;
    pthread_cond_signal(&f->more);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->more);
    pthread_cond_destroy(&f->room);
    free(f->ring), free(f->block), free(f->tmp);
    f->ring = NULL;
    return f->st;
}

typedef struct one_pass {
    job *j;
    encoder *e;
    feeder f;
    nr_status start; /* of the encoding thread, started with the first audio */
} one_pass;

static int on_direct(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    one_pass *d = user;
    job *j = d->j;
    nr_timeline_feed(j->tl, pcm, n, ev, n_ev);
    j->total += n;
    for (size_t i = 0; i < n_ev; i++)
        if (ev[i].kind == NR_EV_SENTENCE && j->n_sents)
            progress(j, (double)ev[i].index / j->n_sents, false);
    if (!pcm || !n)
        return 0;
    /* the thread starts once the synthesis processes are forked: a fork
       beside a running thread is what sanitizers' allocators handle worst */
    if (!d->f.ring && (d->start = feeder_start(&d->f, j, d->e)) != NR_OK)
        return 1;
    return feeder_push(&d->f, pcm, n);
}

/* Room for the final ID3 tag, reserved before the audio: the tag without
 * chapters plus a generous bound on the chapters' frames (one per heading
 * and one for the start, each with its title, perhaps in UTF-16). */
static size_t id3_room(const job *j, size_t base) {
    size_t room = base + 1024 + 200 + 4 * (j->tags.title ? strlen(j->tags.title) : 0);
    for (size_t b = 0; b < j->doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(j->doc, b);
        if (blk->kind == NR_BLOCK_HEADING || blk->kind == NR_BLOCK_TITLE)
            room += 200 + 4 * (blk->end - blk->start);
    }
    return room;
}

/* The one-pass export (no normalisation), between nr_export_begin and
 * nr_export_end: the encoder, its feeder and the MP3 tag's reserved room. */
typedef struct direct_state {
    encoder e;
    one_pass d;
    nr_buf id3;
    size_t room;
    bool opened;
} direct_state;

/* Opens the one-pass export: the timeline, the tag's room, the encoder. */
static nr_status direct_open(job *j, const char *path) {
    j->tl = nr_timeline_new(j->doc, j->in_rate, j->tags.title, j->side_f[SIDE_VTT],
                            j->side_f[SIDE_SRT], j->side_f[SIDE_WORDS]);
    j->direct = calloc(1, sizeof *j->direct);
    if (!j->tl || !j->direct)
        return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    direct_state *s = j->direct;
    nr_buf_init(&s->id3);
    s->d = (one_pass){.j = j, .e = &s->e};
    nr_status st = NR_OK;
    if (j->fmt->id == NR_FMT_MP3) { /* a tag without chapters, padded to the final one's room */
        st = build_id3(j, NULL, 0, 0, &s->id3);
        s->room = id3_room(j, s->id3.len);
        s->id3.len = 0;
        if (st == NR_OK)
            st = build_id3(j, NULL, 0, s->room, &s->id3);
    }
    if (st == NR_OK)
        st = encoder_open(j, path, 0, 0, &s->id3, &s->e);
    s->opened = st == NR_OK;
    return st;
}

/* Ends the one-pass export ST says how the render went: drains the encoder,
 * writes the final tag with the chapters, the sidecars, and the file. */
static nr_status direct_close(job *j, nr_status st, nr_export_result *res) {
    direct_state *s = j->direct;
    if (!s)
        return st;
    encoder *e = &s->e;
    if (s->opened) {
        if (st == NR_OK && s->d.start != NR_OK)
            st = s->d.start;
        if (st == NR_OK && !s->d.f.ring && !e->raw) /* no audio at all: the resampler's tail */
            st = emit(j, e, NULL, 0);
        nr_status enc = feeder_stop(&s->d.f, st == NR_OK);
        if (enc != NR_OK && st == NR_OK)
            st = enc;
    }
    if (st == NR_OK)
        nr_timeline_finish(j->tl, j->total);
    size_t n_ch = 0;
    const nr_chapter *ch = j->tl ? nr_timeline_chapters(j->tl, &n_ch) : NULL;
    if (st == NR_OK && s->room) { /* the final tag, with the chapters, in the room reserved */
        size_t fit = n_ch;
        do {
            s->id3.len = 0;
            st = build_id3(j, ch, fit, s->room, &s->id3);
        } while (st == NR_OK && s->id3.len > s->room && fit-- > 0);
        if (st == NR_OK && s->id3.len == s->room &&
            nr_file_sink_rewrite_head(e->sink, (const uint8_t *)s->id3.data, s->id3.len) != NR_OK)
            j->ctx->err[0] = '\0'; /* a pipe: the tag without chapters stays */
    }
    nr_buf_free(&s->id3);
    if (st == NR_OK)
        st = nr_file_sink_finish(e->sink);
    res->chapters = n_ch;
    encoder_close(j, e, st, res);
    if (st == NR_OK && j->side[SIDE_CH_JSON]) {
        nr_chapters_write_json(j->side_f[SIDE_CH_JSON], ch, n_ch, j->tags.title);
        nr_chapters_write_vtt(j->side_f[SIDE_CH_VTT], ch, n_ch);
    }
    if (st == NR_OK)
        st = commit_sidecars(j);
    nr_status closed = e->sink ? nr_file_sink_close(e->sink, st == NR_OK) : NR_OK;
    return st != NR_OK ? st : closed;
}

/* ---- the export ---------------------------------------------------------- */

static nr_status resolve_format(job *j, const char *path) {
    j->fmt = j->o->format ? j->o->format : nr_format_for_path(path);
    if (!j->fmt)
        return nr_fail(j->ctx, NR_E_FORMAT,
                       "%s: cannot write %s files (use .wav, .flac, .ogg, .opus or .mp3, "
                       "or --format)",
                       path, strrchr(path, '.'));
    j->in_rate = nr_engine_sample_rate();
    j->out_rate = j->o->rate             ? j->o->rate
                  : j->fmt->default_rate ? j->fmt->default_rate
                                         : j->in_rate;
    const char *why = nr_format_rate_problem(j->fmt, j->out_rate);
    if (why)
        return nr_fail(j->ctx, NR_E_ARG, "--sample-rate: %s cannot be written at %d Hz (use %s)",
                       j->fmt->name, j->out_rate, why);
    return NR_OK;
}

/* The first try's loudness target before the codec and the limiter's
 * ceiling. First guesses at what the codec does, measured on speech at the
 * default bitrates: MP3 at 64 kbit/s loses about 0.45 LU to its low-pass,
 * Opus 0.2, Vorbis 0.15; lossy codecs overshoot peaks by up to about a
 * decibel. */
static void set_targets(job *j) {
    static const double codec_loss[NR_FMT_COUNT] = {0, 0, 0.15, 0.2, 0.45};
    j->target = j->o->loudness + codec_loss[j->fmt->id];
    j->ceiling = j->o->true_peak - (j->fmt->lossy ? 1.2 : 0.2);
}

static void set_weights(job *j) {
    static const double encode_cost[NR_FMT_COUNT] = {0.1, 0.4, 1.0, 1.0, 2.5};
    j->weight_render = 1.0;
    j->weight_solve = j->o->normalise ? 0.5 : 0;
    j->weight_encode = encode_cost[j->fmt->id] + (j->in_rate != j->out_rate ? 0.2 : 0);
}

/* Pass one, opened: the scratch file beside the target, meter and timeline. */
static nr_status render_open(job *j, const char *path) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    struct stat st_target;
    bool direct = stat(path, &st_target) == 0 && !S_ISREG(st_target.st_mode);
    j->scratch = nr_scratch_fd(direct ? NULL : slash ? dir : ".");
    if (j->scratch < 0)
        return nr_fail(j->ctx, NR_E_IO, "%s: cannot create a scratch file: %s", path,
                       strerror(errno));
    j->meter = j->o->normalise ? nr_meter_new(j->in_rate, false) : NULL;
    j->known = (nr_loudness_point){0, NAN};
    if (j->o->normalise) {
        j->guess_lim = nr_limiter_new(j->in_rate, j->ceiling);
        j->guess_meter = nr_meter_new(j->in_rate, false);
        j->guess_buf = malloc((size_t)GUESS_SECONDS * (size_t)j->in_rate * sizeof *j->guess_buf);
        if (!j->guess_lim || !j->guess_meter || !j->guess_buf)
            return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    }
    j->tl = nr_timeline_new(j->doc, j->in_rate, j->tags.title, j->side_f[SIDE_VTT],
                            j->side_f[SIDE_SRT], j->side_f[SIDE_WORDS]);
    if ((j->o->normalise && !j->meter) || !j->tl)
        return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    return NR_OK;
}

/* Pass one: DOC into the scratch file, meter and timeline; NEXT: after the
 * documents before it (the windows of a streamed input). */
static nr_status render_doc(job *j, const nr_doc *doc, bool next) {
    if (next && !nr_timeline_next(j->tl, doc))
        return nr_fail(j->ctx, NR_E_NOMEM, "out of memory");
    j->doc = doc;
    nr_status st = j->direct ? nr_render_doc_at(j->ctx, doc, 0, on_direct, &j->direct->d, j->stop,
                                                &j->rendered)
                             : nr_render_doc_at(j->ctx, doc, 0, on_audio, j, j->stop, &j->rendered);
    if (next)
        nr_timeline_end_doc(j->tl);
    return j->status != NR_OK ? j->status : st;
}

/* Pass one, closed. */
static nr_status render_close(job *j) {
    nr_status st = flush_scratch(j);
    if (st == NR_OK)
        nr_timeline_finish(j->tl, j->total);
    if (st == NR_OK)
        guess_finish(j);
    return st;
}

nr_status nr_export_begin(nr_ctx *ctx, const nr_doc *head, const char *path,
                          const nr_export_opts *o, volatile sig_atomic_t *stop, job **out) {
    job *j = calloc(1, sizeof *j);
    *out = j;
    if (!j)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    *j = (job){.ctx = ctx, .doc = head, .o = o, .stop = stop, .scratch = -1};
    j->n_sents = nr_doc_sentence_count(head);
    clock_gettime(CLOCK_MONOTONIC, &j->last_report);
    nr_status st = resolve_format(j, path);
    if (st == NR_OK)
        st = nr_engine_start(ctx);
    fill_tags(j);
    struct stat st_target;
    bool direct = stat(path, &st_target) == 0 && !S_ISREG(st_target.st_mode);
    if (st == NR_OK && !direct)
        st = open_sidecars(j, path);
    if (st == NR_OK) {
        set_weights(j);
        set_targets(j);
        progress(j, 0, true);
        st = o->normalise ? render_open(j, path) : direct_open(j, path);
    }
    return st;
}

nr_status nr_export_add(job *j, const nr_doc *doc) { return render_doc(j, doc, true); }

nr_status nr_export_pause(job *j, int ms) {
    nr_status st = j->direct ? nr_render_pause(ms, on_direct, &j->direct->d, j->stop, &j->rendered)
                             : nr_render_pause(ms, on_audio, j, j->stop, &j->rendered);
    return j->status != NR_OK ? j->status : st;
}

nr_status nr_export_end(job *j, nr_status st, const char *path, nr_export_result *res) {
    nr_export_result unwanted; /* when the caller wants no result */
    if (!res)
        res = &unwanted;
    *res = (nr_export_result){0};
    if (!j)
        return st;
    if (j->direct || !j->o->normalise)
        st = direct_close(j, st, res);
    else if (st == NR_OK)
        st = render_close(j);
    if (st == NR_OK && j->o->normalise)
        st = normalise_and_encode(j, path, res);
    if (st == NR_OK) {
        struct stat sb;
        snprintf(res->title, sizeof res->title, "%s", j->tags.title ? j->tags.title : "");
        snprintf(res->author, sizeof res->author, "%s", j->tags.author ? j->tags.author : "");
        snprintf(res->date, sizeof res->date, "%s", j->tags.date ? j->tags.date : "");
        snprintf(res->lang, sizeof res->lang, "%s", j->tags.lang ? j->tags.lang : "");
        res->format = j->fmt;
        res->rate = j->out_rate;
        res->bytes = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
        progress(j, 1, true);
    }
    if (st != NR_OK && j->status == NR_OK && j->stop && *j->stop && st != NR_E_ABORTED)
        st = nr_fail(j->ctx, NR_E_ABORTED, "interrupted");
    discard_sidecars(j);
    if (j->scratch >= 0)
        close(j->scratch);
    nr_meter_free(j->meter);
    nr_timeline_free(j->tl);
    nr_limiter_free(j->guess_lim);
    nr_meter_free(j->guess_meter);
    free(j->guess_buf);
    free(j->direct);
    free(j);
    return st;
}

nr_status nr_export(nr_ctx *ctx, const nr_doc *doc, const char *path, const nr_export_opts *o,
                    volatile sig_atomic_t *stop, nr_export_result *res) {
    job *j;
    nr_status st = nr_export_begin(ctx, doc, path, o, stop, &j);
    if (st == NR_OK)
        st = render_doc(j, doc, false);
    return nr_export_end(j, st, path, res);
}
