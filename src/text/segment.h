/* segment.h: blocks into sentences, sentences into narration and quotation
 * spans.
 *
 * The segmenter never copies text: every sentence and span is a byte range of
 * doc->text, so offsets stay valid for transcripts and follow-along display.
 * Rules (abbreviations, titles, quotation conventions) come from the
 * language's tables in voices/<lang>/, loaded once per context. */
#ifndef NR_SEGMENT_H
#define NR_SEGMENT_H

#include "../core/ctx.h"
#include "../core/doc.h"

/* Splits every block of DOC into sentences and spans, in place.
 * Quotation marks that never close are closed at the end of their paragraph,
 * and the span is flagged as recovered. Fails only with NR_E_NOMEM. */
nr_status nr_segment(nr_ctx *ctx, nr_doc *doc);

#endif
