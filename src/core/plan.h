/* plan.h: the document as narrate-plan/1 JSON (PLAN_FORMAT.md). */
#ifndef NR_PLAN_H
#define NR_PLAN_H

#include <stdio.h>

#include "doc.h"
#include "narrate.h"

/* Writes the plan; NR_E_IO if OUT fails (a closed pipe included). */
nr_status nr_plan_write(const nr_doc *doc, FILE *out);

/* The plan of an input analysed window by window (stream.h), written as it
 * goes: the head (format, lang, title, byline, source) from the first
 * window, then each window's blocks, then "speakers" and "dropped" after
 * "blocks" (the speakers are only complete at the end; the dropped text
 * waits in a scratch file meanwhile). */
typedef struct nr_plan_stream {
    FILE *out, *dropped;
    size_t blocks, n_dropped; /* written so far */
} nr_plan_stream;

nr_status nr_plan_stream_begin(nr_plan_stream *ps, const nr_doc *first, FILE *out);
/* DOC's blocks, and what was dropped from its text at or after byte FROM_AT
 * (what comes before is context, told by the window before). */
nr_status nr_plan_stream_window(nr_plan_stream *ps, const nr_doc *doc, size_t from_at);
/* The tail: the speakers of SPEAKERS (the registry) and the dropped text. */
nr_status nr_plan_stream_end(nr_plan_stream *ps, const nr_doc *speakers);
void nr_plan_stream_fini(nr_plan_stream *ps);

/* Appends S (N bytes) to B as a JSON string literal, quotes included.
 * Invalid UTF-8 is written as U+FFFD, so the output always parses. */
void nr_json_string(nr_buf *b, const char *s, size_t n);

#endif
