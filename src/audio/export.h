/* export.h: a document into a podcast-ready episode and its sidecars.
 *
 * Two passes, with memory that does not grow with the episode:
 * 1. render: the engine's int16 audio goes to a nameless scratch file
 *    beside the target while libebur128 measures it and the timeline
 *    writes the transcripts (target.vtt, .srt, .words.json) and collects
 *    the chapters;
 * 2. encode: the gain that reaches the loudness target once limited
 *    (loudness.h) is applied, the true-peak limiter keeps the ceiling, the
 *    audio is resampled to the format's rate (libsoxr) and encoded
 *    (file_sink.h), with an ID3v2 tag and chapters first for MP3; the
 *    chapters go to target.chapters.json (Podcasting 2.0) and
 *    target.chapters.vtt.
 * Every file is atomic (atomic.h): on failure or abort none is left, not
 * even a temporary one; the audio is renamed into place last. */
#ifndef NR_EXPORT_H
#define NR_EXPORT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/ctx.h"
#include "../core/doc.h"
#include "../util/buf.h"
#include "file_sink.h"
#include "narrate.h"

typedef struct nr_export_opts {
    const nr_format *format; /* NULL = from the target's extension */
    int rate;                /* 0 = the format's default */
    int bitrate;             /* kbit/s, 0 = default */
    double quality;          /* 0..10, < 0 = default */
    bool normalise;          /* loudness normalisation on (default) */
    double loudness;         /* integrated target, LUFS (-16) */
    double true_peak;        /* ceiling, dBTP (-1) */
    bool transcripts, chapters;
    char *title, *author, *show, *date, *lang, *source; /* NULL = from the article */
    nr_progress_fn progress;
    void *progress_user;
} nr_export_opts;

typedef struct nr_export_result {
    const nr_format *format;
    int rate;
    uint64_t frames; /* at the output rate */
    double seconds;
    double lufs, peak; /* measured on what was encoded */
    uint64_t bytes;    /* of the audio file */
    size_t chapters;
    /* the metadata the episode was given */
    char title[1024], author[512], date[16], lang[16];
} nr_export_result;

void nr_export_opts_init(nr_export_opts *o);
void nr_export_opts_fini(nr_export_opts *o);
/* Sets one option by name (the names of nr_set_export_option in
 * narrate.h); NR_E_ARG with a message for a bad name or value. */
nr_status nr_export_opts_set(nr_ctx *ctx, nr_export_opts *o, const char *name, const char *value);

/* Exports DOC to PATH. STOP, when not NULL, is polled (NR_E_ABORTED).
 * RES may be NULL. */
nr_status nr_export(nr_ctx *ctx, const nr_doc *doc, const char *path, const nr_export_opts *o,
                    volatile sig_atomic_t *stop, nr_export_result *res);

/* The same export fed one document after the other: the windows of a
 * streamed input (core/stream.h), rendered into one episode with one
 * timeline (sample counts, transcripts and chapters go on over windows).
 * HEAD gives the metadata (title, byline, language) and must outlive the
 * job; each DOC need only live through its nr_export_add. nr_export_end
 * finishes the episode when ST is NR_OK, else discards it, and frees J. */
typedef struct nr_export_job nr_export_job;
nr_status nr_export_begin(nr_ctx *ctx, const nr_doc *head, const char *path,
                          const nr_export_opts *o, volatile sig_atomic_t *stop,
                          nr_export_job **out);
nr_status nr_export_add(nr_export_job *j, const nr_doc *doc);
/* Silence of MS ms between two documents (nr_render_block_pause). */
nr_status nr_export_pause(nr_export_job *j, int ms);
nr_status nr_export_end(nr_export_job *j, nr_status st, const char *path, nr_export_result *res);

/* The export of a public document with NR's settings (narrator.c), for
 * the batch; RES may be NULL. */
nr_status nr_export_document(nr_narrator *nr, const nr_document *d, const char *path,
                             nr_export_result *res);
/* The settings of NR that change what an export makes, as text: part of
 * a batch's content hash. */
void nr_settings_fingerprint(const nr_narrator *nr, nr_buf *out);
/* NR's context (for messages) and whether nr_interrupt was called. */
nr_ctx *nr_narrator_ctx(nr_narrator *nr);
bool nr_narrator_stopping(const nr_narrator *nr);
/* The export settings of NR. */
const nr_export_opts *nr_narrator_export_opts(const nr_narrator *nr);
/* The analysed document behind a public one. */
const nr_doc *nr_document_doc(const nr_document *d);

/* PATH without the extension of format FMT, for sidecar names: "a/b.mp3"
 * gives "a/b". Into OUT (SIZE bytes). */
void nr_export_stem(const char *path, char *out, size_t size);

#endif
