/* narrator.c: the public API (narrate.h) over the pipeline stages. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../audio/export.h"
#include "../audio/file_sink.h"
#include "../audio/live.h"
#include "../cast/cast.h"
#include "../ingest/ingest.h"
#include "../speakers/attribute.h"
#include "../speech/normalise.h"
#include "../synth/engine.h"
#include "../synth/render.h"
#include "../text/segment.h"
#include "ctx.h"
#include "doc.h"
#include "narrate.h"
#include "narrator.h"
#include "plan.h"

const char *nr_strerror(nr_status st) {
    static const char *const msg[NR_STATUS_COUNT] = {
        [NR_OK] = "success",
        [NR_E_NOMEM] = "out of memory",
        [NR_E_IO] = "input/output error",
        [NR_E_INPUT] = "the input is not a readable article",
        [NR_E_TOO_LARGE] = "the input is too large",
        [NR_E_ARG] = "invalid argument",
        [NR_E_VOICE] = "no such voice",
        [NR_E_DATA] = "malformed voices data",
        [NR_E_ENGINE] = "speech engine failure",
        [NR_E_DEVICE] = "no usable audio output device",
        [NR_E_FORMAT] = "unsupported output format",
        [NR_E_ABORTED] = "interrupted",
    };
    return (unsigned)st < NR_STATUS_COUNT ? msg[st] : "unknown error";
}

nr_status nr_narrator_new(nr_narrator **out) {
    *out = NULL;
    nr_narrator *nr = calloc(1, sizeof *nr);
    if (!nr)
        return NR_E_NOMEM;
    nr_status st = nr_ctx_init(&nr->ctx);
    if (st != NR_OK) {
        free(nr);
        return st;
    }
    nr_export_opts_init(&nr->export);
    *out = nr;
    return NR_OK;
}

void nr_narrator_free(nr_narrator *nr) {
    if (!nr)
        return;
    nr_ctx_fini(&nr->ctx);
    nr_export_opts_fini(&nr->export);
    free(nr);
}

const char *nr_narrator_error(const nr_narrator *nr) {
    return nr && nr->ctx.err[0] ? nr->ctx.err : "";
}

void nr_interrupt(nr_narrator *nr) {
    if (nr)
        nr->stop = 1;
}

static nr_status begin(nr_narrator *nr) {
    nr->ctx.err[0] = '\0';
    return NR_OK;
}

/* A language code: letters, digits and '-', as eSpeak names them. */
static bool valid_code(const char *s, size_t max) {
    size_t n = strlen(s);
    if (n == 0 || n >= max)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '+' || *s == '/' || *s == ' '))
            return false;
    return true;
}

nr_status nr_set_lang(nr_narrator *nr, const char *lang) {
    begin(nr);
    if (!lang) {
        nr->ctx.lang[0] = '\0';
        return NR_OK;
    }
    if (!valid_code(lang, sizeof nr->ctx.lang) || strchr(lang, '+') || strchr(lang, ' '))
        return nr_fail(&nr->ctx, NR_E_ARG, "--lang: '%s' is not a language code", lang);
    snprintf(nr->ctx.lang, sizeof nr->ctx.lang, "%s", lang);
    return NR_OK;
}

nr_status nr_set_voice(nr_narrator *nr, const char *voice) {
    begin(nr);
    if (!voice) {
        nr->ctx.voice[0] = '\0';
        return NR_OK;
    }
    if (!valid_code(voice, sizeof nr->ctx.voice))
        return nr_fail(&nr->ctx, NR_E_ARG, "--voice: '%s' is not a voice name", voice);
    if (!nr_engine_voice_ok(&nr->ctx, voice))
        return nr_fail(&nr->ctx, NR_E_VOICE,
                       "--voice: no such eSpeak NG voice: %s (see --list-voices)", voice);
    snprintf(nr->ctx.voice, sizeof nr->ctx.voice, "%s", voice);
    return NR_OK;
}

nr_status nr_set_rate(nr_narrator *nr, int wpm) {
    begin(nr);
    if (wpm != 0 && (wpm < 80 || wpm > 900))
        return nr_fail(&nr->ctx, NR_E_ARG, "--rate: %d is outside 80..900 words per minute", wpm);
    nr->ctx.rate = wpm;
    return NR_OK;
}

nr_status nr_set_pitch(nr_narrator *nr, int pitch) {
    begin(nr);
    if (pitch < -1 || pitch > 99)
        return nr_fail(&nr->ctx, NR_E_ARG, "--pitch: %d is outside 0..99", pitch);
    nr->ctx.pitch = pitch;
    return NR_OK;
}

nr_status nr_set_voices_dir(nr_narrator *nr, const char *dir) {
    begin(nr);
    struct stat st;
    if (dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        return nr_fail(&nr->ctx, NR_E_ARG, "--voices: %s: not a folder", dir);
    nr_data *d = nr_data_new(dir);
    if (!d)
        return nr_fail(&nr->ctx, NR_E_NOMEM, "out of memory");
    nr_ctx_set_data(&nr->ctx, d);
    return NR_OK;
}

nr_status nr_set_cast_file(nr_narrator *nr, const char *path) {
    begin(nr);
    if (!path) {
        nr->ctx.cast_file[0] = '\0';
        return NR_OK;
    }
    struct stat st;
    if (access(path, R_OK) != 0 || stat(path, &st) != 0)
        return nr_fail(&nr->ctx, NR_E_ARG, "--cast: %s: %s", path, strerror(errno));
    /* a FIFO or a device (/dev/zero) would block or never end the parse */
    if (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))
        return nr_fail(&nr->ctx, NR_E_ARG, "--cast: %s: not a regular file of at most 1 MiB", path);
    snprintf(nr->ctx.cast_file, sizeof nr->ctx.cast_file, "%s", path);
    return NR_OK;
}

nr_status nr_set_max_input(nr_narrator *nr, size_t bytes) {
    begin(nr);
    if (bytes == 0)
        return nr_fail(&nr->ctx, NR_E_ARG, "--max-input: must be more than 0 bytes");
    nr->ctx.max_input = bytes;
    nr->ctx.max_stream = bytes; /* a limit the user gives holds for every input */
    return NR_OK;
}

nr_status nr_set_jobs(nr_narrator *nr, int jobs) {
    begin(nr);
    if (jobs < 0 || jobs > 64)
        return nr_fail(&nr->ctx, NR_E_ARG, "--jobs: not a number of processes (1..64)");
    nr->ctx.jobs = jobs;
    return NR_OK;
}

nr_status nr_set_option(nr_narrator *nr, const char *name, const char *value) {
    begin(nr);
    if (!strcmp(name, "keep-lang") && (!strcmp(value, "0") || !strcmp(value, "1"))) {
        nr->ctx.keep_lang = value[0] == '1';
    } else if (!strcmp(name, "emoji") && (!strcmp(value, "drop") || !strcmp(value, "name"))) {
        nr->ctx.emoji = value[0] == 'n' ? NR_EMOJI_NAME : NR_EMOJI_DROP;
    } else if (!strcmp(name, "code") && (!strcmp(value, "read") || !strcmp(value, "skip"))) {
        nr->ctx.read_code = value[0] == 'r';
    } else {
        return nr_fail(&nr->ctx, NR_E_ARG, "unknown option %s=%s", name, value);
    }
    return NR_OK;
}

nr_status nr_list_voices(nr_narrator *nr, FILE *out) {
    begin(nr);
    return nr_engine_list_voices(&nr->ctx, out);
}

nr_status nr_list_devices(nr_narrator *nr, FILE *out) {
    begin(nr);
    return nr_live_list_devices(&nr->ctx, out);
}

/* ---- documents ---------------------------------------------------------- */

nr_status nr_analyse(nr_ctx *ctx, nr_doc *doc) {
    nr_status st = nr_segment(ctx, doc);
    return st == NR_OK ? nr_analyse_segmented(ctx, doc) : st;
}

nr_status nr_analyse_segmented(nr_ctx *ctx, nr_doc *doc) {
    nr_status st = nr_attribute(ctx, doc);
    if (st == NR_OK)
        st = nr_normalise(ctx, doc);
    if (st == NR_OK)
        st = nr_cast(ctx, doc);
    return st;
}

static nr_status index_sentences(nr_ctx *ctx, nr_document *d) {
    d->n = nr_doc_sentence_count(d->doc);
    d->order = calloc(d->n ? d->n : 1, sizeof *d->order);
    if (!d->order)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t b = 0; b < d->doc->blocks.len; b++)
        for (size_t i = 0; i < NR_BLOCK(d->doc, b).n_sents; i++)
            d->order[k++] = (nr_sent_ref){b, i};
    return NR_OK;
}

nr_status nr_document_from_memory(nr_narrator *nr, const void *bytes, size_t len, const char *name,
                                  nr_document **out) {
    begin(nr);
    *out = NULL;
    if (len > nr->ctx.max_input)
        return nr_fail(&nr->ctx, NR_E_TOO_LARGE,
                       "the input is over the limit of %zu bytes "
                       "(see --max-input)",
                       nr->ctx.max_input);
    nr_document *d = calloc(1, sizeof *d);
    if (!d)
        return nr_fail(&nr->ctx, NR_E_NOMEM, "out of memory");
    nr_status st = nr_ingest(&nr->ctx, bytes, len, name, &d->doc);
    if (st == NR_OK) /* the language is known: a warm-up can load its voice */
        nr_cast_expect(&nr->ctx, d->doc);
    if (st == NR_OK)
        st = nr_analyse(&nr->ctx, d->doc);
    if (st == NR_OK)
        st = index_sentences(&nr->ctx, d);
    if (st != NR_OK) {
        nr_document_free(d);
        return st;
    }
    *out = d;
    return NR_OK;
}

/* Reads at most LIMIT bytes; one more byte means the input is too large.
 * Works for files, pipes and devices (/dev/zero is cut off at the limit). */
nr_status nr_read_all(nr_ctx *ctx, int fd, size_t limit, char **out, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    for (;;) {
        if (n == cap) {
            if (cap > limit) {
                free(buf);
                return nr_fail(ctx, NR_E_TOO_LARGE,
                               "the input is over the limit of %zu bytes (see --max-input)", limit);
            }
            /* never more than LIMIT + 1 bytes: /dev/zero costs the limit, not twice it */
            size_t grow = cap <= limit / 2 ? cap * 2 : limit + 1;
            char *p = realloc(buf, grow);
            if (!p) {
                free(buf);
                return nr_fail(ctx, NR_E_NOMEM, "out of memory");
            }
            buf = p, cap = grow;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            return nr_fail(ctx, e == EISDIR ? NR_E_INPUT : NR_E_IO, "%s",
                           e == EISDIR ? "is a directory" : strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > limit) {
            free(buf);
            return nr_fail(ctx, NR_E_TOO_LARGE,
                           "the input is over the limit of %zu bytes (see --max-input)", limit);
        }
    }
    *out = buf;
    *len = n;
    return NR_OK;
}

/* A named pipe opened before its writer reads as empty: wait up to 10 s for
 * the first bytes (or the writer's end), stopping early on nr_interrupt. */
static nr_status wait_for_writer(nr_narrator *nr, int fd) {
    enum { WAIT_MS = 10000, STEP_MS = 100 };
    for (int waited = 0; waited < WAIT_MS && !nr->stop; waited += STEP_MS) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, STEP_MS);
        if (r > 0)
            return NR_OK;
        if (r < 0 && errno != EINTR)
            return nr_fail(&nr->ctx, NR_E_IO, "%s", strerror(errno));
    }
    if (nr->stop)
        return nr_fail(&nr->ctx, NR_E_ABORTED, "interrupted");
    return nr_fail(&nr->ctx, NR_E_INPUT, "nothing was written to the pipe within %d s",
                   WAIT_MS / 1000);
}

nr_status nr_open_input(nr_narrator *nr, const char *path, int *out) {
    *out = -1;
    bool std_in = !strcmp(path, "-");
    int fd = std_in ? 0 : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return nr_fail(&nr->ctx, errno == ENOENT || errno == EACCES ? NR_E_INPUT : NR_E_IO, "%s",
                       strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!std_in)
            close(fd);
        return nr_fail(&nr->ctx, NR_E_INPUT, "is a directory");
    }
    if (!std_in && S_ISFIFO(st.st_mode)) { /* a named pipe: wait for a writer, within bounds */
        nr_status w = wait_for_writer(nr, fd);
        if (w != NR_OK) {
            close(fd);
            return w;
        }
    }
    if (!std_in) /* opened non-blocking so a FIFO without writer cannot hang open() */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *out = fd;
    return NR_OK;
}

nr_status nr_read_input(nr_narrator *nr, const char *path, char **bytes, size_t *len) {
    begin(nr);
    *bytes = NULL;
    *len = 0;
    int fd;
    nr_status s = nr_open_input(nr, path, &fd);
    if (s != NR_OK)
        return s;
    s = nr_read_all(&nr->ctx, fd, nr->ctx.max_input, bytes, len);
    if (strcmp(path, "-"))
        close(fd);
    return s;
}

void nr_bytes_free(char *bytes) { free(bytes); }

nr_status nr_document_from_file(nr_narrator *nr, const char *path, nr_document **out) {
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    nr_status s = nr_read_input(nr, path, &buf, &len);
    if (s != NR_OK)
        return s;
    const char *slash = strrchr(path, '/');
    s = nr_document_from_memory(nr, buf, len,
                                !strcmp(path, "-") ? "stdin"
                                : slash            ? slash + 1
                                                   : path,
                                out);
    free(buf);
    return s;
}

void nr_document_free(nr_document *d) {
    if (!d)
        return;
    nr_doc_free(d->doc);
    free(d->order);
    free(d);
}

const char *nr_document_title(const nr_document *d) { return d->doc->title; }
const char *nr_document_lang(const nr_document *d) { return d->doc->lang; }
size_t nr_document_sentence_count(const nr_document *d) { return d->n; }

const char *nr_document_sentence(const nr_document *d, size_t i, size_t *len) {
    if (i >= d->n)
        return NULL;
    const nr_sentence *s = &NR_BLOCK(d->doc, d->order[i].block).sents[d->order[i].sent];
    *len = s->end - s->start;
    return d->doc->text + s->start;
}

size_t nr_document_block_of(const nr_document *d, size_t i) {
    return i < d->n ? d->order[i].block : d->doc->blocks.len;
}

nr_status nr_document_write_plan(const nr_document *d, FILE *out) {
    return nr_plan_write(d->doc, out);
}

const char *nr_sample_article(size_t *len) {
    if (len)
        *len = nr_embedded_sample_len;
    return nr_embedded_sample;
}

/* ---- audio -------------------------------------------------------------- */

int nr_sample_rate(void) { return nr_engine_sample_rate(); }

nr_status nr_render(nr_narrator *nr, const nr_document *d, size_t from, nr_audio_fn fn,
                    void *user) {
    begin(nr);
    return nr_render_doc(&nr->ctx, d->doc, from, fn, user, &nr->stop);
}

nr_status nr_render_to_file(nr_narrator *nr, const nr_document *d, const char *path) {
    return nr_export_document(nr, d, path, NULL);
}

nr_status nr_export_document(nr_narrator *nr, const nr_document *d, const char *path,
                             nr_export_result *res) {
    begin(nr);
    return nr_export(&nr->ctx, d->doc, path, &nr->export, &nr->stop, res);
}

const nr_doc *nr_document_doc(const nr_document *d) { return d->doc; }

nr_ctx *nr_narrator_ctx(nr_narrator *nr) { return &nr->ctx; }
bool nr_narrator_stopping(const nr_narrator *nr) { return nr->stop != 0; }
const nr_export_opts *nr_narrator_export_opts(const nr_narrator *nr) { return &nr->export; }

void nr_settings_fingerprint(const nr_narrator *nr, nr_buf *b) {
    const nr_ctx *c = &nr->ctx;
    const nr_export_opts *o = &nr->export;
    nr_buf_printf(b, "narrate %s\nlang=%s\nvoice=%s\nrate=%d\npitch=%d\nkeep-lang=%d\n", NR_VERSION,
                  c->lang, c->voice, c->rate, c->pitch, c->keep_lang);
    nr_buf_printf(b, "emoji=%d\ncode=%d\ncast=%s\n", (int)c->emoji, c->read_code, c->cast_file);
    nr_buf_printf(b, "format=%s\nsample-rate=%d\nbitrate=%d\nquality=%g\n",
                  o->format ? o->format->name : "", o->rate, o->bitrate, o->quality);
    nr_buf_printf(b, "loudness=%g/%d\ntrue-peak=%g\ntranscripts=%d\nchapters=%d\n", o->loudness,
                  o->normalise, o->true_peak, o->transcripts, o->chapters);
    const char *meta[] = {o->title, o->author, o->show, o->date, o->lang, o->source};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        nr_buf_printf(b, "meta%zu=%s\n", i, meta[i] ? meta[i] : "");
}

nr_status nr_set_export_option(nr_narrator *nr, const char *name, const char *value) {
    begin(nr);
    return nr_export_opts_set(&nr->ctx, &nr->export, name, value);
}

void nr_set_progress(nr_narrator *nr, nr_progress_fn fn, void *user) {
    nr->export.progress = fn;
    nr->export.progress_user = user;
}

nr_status nr_play(nr_narrator *nr, const nr_document *d, size_t from, const char *device) {
    begin(nr);
    return nr_live_play(nr, d, from, device, &nr->stop);
}

void nr_cleanup_on_signal(void) { nr_file_sink_cleanup_all(); }
