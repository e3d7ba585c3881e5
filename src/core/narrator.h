/* narrator.h: what the public handles hold, for the library files that
 * implement parts of narrate.h outside narrator.c (the player). */
#ifndef NR_NARRATOR_H
#define NR_NARRATOR_H

#include <signal.h>
#include <stdbool.h>

#include "../audio/export.h"
#include "ctx.h"
#include "doc.h"

struct nr_narrator {
    nr_ctx ctx;
    volatile sig_atomic_t stop;
    nr_export_opts export; /* see nr_set_export_option */
};

typedef struct nr_sent_ref {
    size_t block, sent;
} nr_sent_ref;

struct nr_document {
    nr_doc *doc;
    nr_sent_ref *order; /* reading order */
    size_t n;
    bool partial; /* only the start of the input was analysed */
};

/* Reads FD to its end into a malloc'd buffer; NR_E_TOO_LARGE past LIMIT
 * bytes (narrator.c). */
nr_status nr_read_all(nr_ctx *ctx, int fd, size_t limit, char **out, size_t *len);

/* Opens PATH ("-" = standard input, fd 0) for reading: a directory is
 * refused, a named pipe waited on within bounds. The caller closes a
 * descriptor other than 0. */
nr_status nr_open_input(nr_narrator *nr, const char *path, int *fd);

/* Segment, attribute, normalise and cast an ingested document. */
nr_status nr_analyse(nr_ctx *ctx, nr_doc *doc);
/* nr_analyse's stages after nr_segment. */
nr_status nr_analyse_segmented(nr_ctx *ctx, nr_doc *doc);

#endif
