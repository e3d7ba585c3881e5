/* file_sink.h: audio into a file that appears complete or not at all.
 *
 * The formats podcast platforms take, always mono: WAV and FLAC (16-bit),
 * Ogg Vorbis and Ogg Opus through libsndfile, MP3 through LAME on several
 * cores (mp3.h). The file is written through nr_out (atomic.h): beside its
 * target under a hidden temporary name, renamed over the target only when
 * everything was written. For MP3, an ID3v2 tag made by the caller (id3.h)
 * goes first, then the encoder's stream, whose first frame (LAME's Info
 * frame) is rewritten at the end. */
#ifndef NR_FILE_SINK_H
#define NR_FILE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"

typedef enum nr_format_id {
    NR_FMT_WAV,
    NR_FMT_FLAC,
    NR_FMT_VORBIS,
    NR_FMT_OPUS,
    NR_FMT_MP3,
    NR_FMT_COUNT
} nr_format_id;

typedef struct nr_format {
    nr_format_id id;
    const char *name; /* for --format: "wav", "flac", "vorbis", "opus", "mp3" */
    const char *ext;  /* ".wav" ... */
    const char *mime; /* for RSS enclosures */
    int sf_format;    /* libsndfile major | subtype */
    int default_rate; /* 0 = the engine's rate */
    bool lossy;       /* the codec may add peaks: limit lower */
} nr_format;

/* A format by --format name or extension ("mp3", ".MP3", "ogg"); NULL if
 * none. */
const nr_format *nr_format_find(const char *name);
/* The format of PATH's extension; WAV when it has none (a device, a pipe);
 * NULL for an extension no format has. */
const nr_format *nr_format_for_path(const char *path);
/* NULL when FMT can be written at RATE Hz, else the rates it takes
 * ("8000, 12000, 16000, 24000 or 48000"). */
const char *nr_format_rate_problem(const nr_format *fmt, int rate);

/* What goes into the file beside the audio. Strings may be NULL. */
typedef struct nr_tags {
    const char *title, *author, *show, *date, *lang, *source, *comment;
} nr_tags;

typedef struct nr_encode_opts {
    int bitrate;         /* kbit/s for MP3 (CBR) and Opus; 0 = default */
    double quality;      /* 0..10 for Vorbis and MP3 VBR; < 0 = default */
    const nr_tags *tags; /* NULL = none; in the file's own tags (not MP3) */
    const uint8_t *id3;  /* MP3: a complete ID3v2 tag to write first */
    size_t id3_len;
    int threads;     /* MP3: encoders at once (mp3.h); 0 = one per processor */
    bool one_stream; /* MP3: one encoder, not cut into segments (a baseline) */
} nr_encode_opts;

typedef struct nr_file_sink nr_file_sink;

/* Opens a sink for PATH at RATE Hz mono, in PATH's format (WAV when it
 * has no extension). NR_E_FORMAT for an extension it cannot write, NR_E_IO
 * when the folder is missing or not writable. */
nr_status nr_file_sink_open(nr_ctx *ctx, const char *path, int rate, nr_file_sink **out);
/* The same in FMT with options; EO may be NULL. NR_E_ARG when FMT cannot
 * take RATE. */
nr_status nr_file_sink_open_ex(nr_ctx *ctx, const char *path, const nr_format *fmt, int rate,
                               const nr_encode_opts *eo, nr_file_sink **out);
/* Appends N samples; NR_E_IO on a write error (disk full). */
nr_status nr_file_sink_write(nr_file_sink *s, const int16_t *pcm, size_t n);
/* Appends N samples in [-1, 1]. */
nr_status nr_file_sink_write_float(nr_file_sink *s, const float *pcm, size_t n);
/* MP3: overwrites the ID3 tag written at open (EO's id3) with P, N bytes,
 * which must be the same length: an export that learns its chapters only
 * at the end reserves the tag's room first. NR_E_IO when the file cannot
 * be written there (a pipe), NR_E_ARG for another length. */
nr_status nr_file_sink_rewrite_head(nr_file_sink *s, const uint8_t *p, size_t n);
/* Finishes the encoding but keeps the file under its temporary name, so
 * it can be checked (nr_file_sink_temp_path) before nr_file_sink_close
 * commits or removes it. */
nr_status nr_file_sink_finish(nr_file_sink *s);
const char *nr_file_sink_temp_path(const nr_file_sink *s);
/* With COMMIT, finishes the file and renames it into place; without, or
 * when finishing fails, removes it. Frees S either way. */
nr_status nr_file_sink_close(nr_file_sink *s, bool commit);

/* Removes the temporary file of every open sink (and every other file an
 * export has open): for signal handlers (async-signal-safe: unlink only). */
void nr_file_sink_cleanup_all(void);

#endif
