/* stream.h: a plain text of any length in memory that does not grow with it.
 *
 * The input is read in windows of about ctx->window bytes, cut at paragraph
 * breaks (a blank line; never inside a paragraph). Each window is ingested
 * and analysed as a document of its own, preceded by the last paragraphs of
 * the window before as context, so that a pronoun, a quotation continued over
 * the paragraph break or a repeated caption at the cut read as they do in one
 * document; the context's blocks are analysed again but not handed out.
 * What must persist is carried from window to window:
 * - the language: the first window's (it is detected on a bounded prefix);
 * - the title and byline: only the first window can hold them;
 * - the speakers: one registry, in which a speaker met again (same name, or
 *   a name among its mentions) keeps its id and voice, and new speakers
 *   continue the ids and the casting order;
 * - the quotation ids, and the offsets: every window's doc->offset places
 *   its text in the whole cleaned text, as one document would have it.
 *
 * An input that is not plain UTF-8 text (HTML and Markdown need the whole
 * tree; another encoding is detected on the whole), or that fits in one
 * window, is read whole, within ctx->max_input, exactly as
 * nr_document_from_file reads it. Live playback keeps the whole document
 * (it seeks to any sentence): it does not use this. */
#ifndef NR_STREAM_H
#define NR_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "ctx.h"
#include "doc.h"
#include "narrate.h"

/* One analysed window handed to an nr_window_fn. */
typedef struct nr_window {
    const nr_doc *doc;      /* NULL once, at the end of a windowed input */
    size_t from_at;         /* doc->text's first bytes, the context: its blocks are gone */
    size_t index;           /* 0 for the first window */
    bool whole;             /* the input read whole: doc is all of it */
    const nr_doc *speakers; /* the registry (windowed input): its speakers so far */
} nr_window;

/* Called for each window in order; a status other than NR_OK stops the read
 * and is returned. */
typedef nr_status (*nr_window_fn)(void *user, const nr_window *w);

/* Reads PATH ("-" = standard input) window by window, calling FN for each.
 * Limits: ctx->max_stream bytes in all for windowed plain text, and
 * ctx->max_input for what is held whole (an input read whole, one
 * paragraph). NR_E_ABORTED once nr_interrupt was called. */
nr_status nr_stream_file(nr_narrator *nr, const char *path, nr_window_fn fn, void *user);

/* Prints the plan of PATH to OUT as nr_document_write_plan would, windowed
 * input included ("speakers" and "dropped" then follow "blocks").
 * *WRITING is set when the failure is OUT's. With a processor to spare
 * (ctx->jobs over 1, or 0 on a machine of several), a window is analysed
 * on a second thread, with a copy of the context, while the calling thread
 * reads the next one and writes the one before: the plan, the failures
 * and their messages are those of one window after the other. */
nr_status nr_stream_plan(nr_narrator *nr, const char *path, FILE *out, bool *writing);

#endif
