/* atomic.h: output files that appear complete or not at all.
 *
 * Every file an export writes (audio, transcripts, chapters, feed) is
 * written beside its target under a hidden temporary name and renamed over
 * the target only when everything was written. A failure, an abort or a
 * fatal signal removes the temporary file: nr_out_cleanup_all() unlinks the
 * temporary names of every file still open, and is async-signal-safe.
 * A target that is a device or a pipe (/dev/full, a FIFO) cannot be
 * replaced by a rename and is written in place. */
#ifndef NR_ATOMIC_H
#define NR_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/ctx.h"

typedef struct nr_out {
    char *path;     /* the target */
    char tmp[4096]; /* the temporary name beside it */
    int fd;         /* open for writing (and reading back) */
    int slot;       /* in the cleanup registry, -1 = none */
    bool direct;    /* a device or pipe, written in place */
} nr_out;

/* Creates the temporary file for PATH. NR_E_IO (naming PATH) when the
 * folder is missing or not writable, or PATH is a folder. */
nr_status nr_out_open(nr_ctx *ctx, const char *path, nr_out **out);
/* Syncs, closes and renames the file into place; removes it on failure.
 * Frees O either way. */
nr_status nr_out_commit(nr_ctx *ctx, nr_out *o);
/* Closes and removes the temporary file; frees O. Accepts NULL. */
void nr_out_discard(nr_out *o);

/* Writes LEN bytes at the current position; NR_E_IO naming the target. */
nr_status nr_out_write(nr_ctx *ctx, nr_out *o, const void *p, size_t len);

/* A stdio stream over an nr_out for text sidecars: nr_out_fopen gives a
 * FILE* whose buffered text reaches O; nr_out_fclose flushes it and
 * reports a write error (disk full) as NR_E_IO. The FILE does not own O. */
FILE *nr_out_fopen(nr_out *o);
nr_status nr_out_fclose(nr_ctx *ctx, nr_out *o, FILE *f);

/* A scratch file with no name (unlinked at once), in DIR or, when DIR is
 * NULL or not writable, in $TMPDIR: gone when closed, whatever happens. */
int nr_scratch_fd(const char *dir);

/* Removes every temporary file still open: for signal handlers. */
void nr_out_cleanup_all(void);

#endif
