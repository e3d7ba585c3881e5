/* file_sink.h: audio into a file that appears complete or not at all.
 *
 * The file is written beside its target under a hidden temporary name and
 * renamed over the target only when everything was written; any failure,
 * or an abort, removes the temporary file. The format comes from the
 * target's extension. */
#ifndef NR_FILE_SINK_H
#define NR_FILE_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/ctx.h"

typedef struct nr_file_sink nr_file_sink;

/* Opens a sink for PATH at RATE Hz mono. NR_E_FORMAT for an extension it
 * cannot write, NR_E_IO when the folder is missing or not writable. */
nr_status nr_file_sink_open(nr_ctx *ctx, const char *path, int rate, nr_file_sink **out);
/* Appends N samples; NR_E_IO on a write error (disk full). */
nr_status nr_file_sink_write(nr_file_sink *s, const int16_t *pcm, size_t n);
/* With COMMIT, finishes the file and renames it into place; without, or
 * when finishing fails, removes it. Frees S either way. */
nr_status nr_file_sink_close(nr_file_sink *s, bool commit);

/* Removes the temporary file of every open sink: for signal handlers
 * (async-signal-safe: it calls unlink only). */
void nr_file_sink_cleanup_all(void);

#endif
