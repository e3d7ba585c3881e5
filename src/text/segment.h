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
 *
 * Sentences of a block are in order and never overlap; a block with nothing
 * to say (a rule of underscores) or a table of contents' dot leaders may be
 * left out of them. The spans of a sentence cover it but for quotation marks
 * and the spaces at their ends. A quote span's text is what stands between
 * the marks; its parts over sentences, paragraphs or around an incise share
 * span->quote, and every part after the first has span->continues. An em
 * dash that opens a paragraph starts a dialogue turn (in an interview, the
 * questions stay narration). Quotation marks that never close are closed at
 * the end of their paragraph, unless the next one reopens them, and the span
 * is flagged as recovered.
 *
 * Uses the tables of doc->lang (English ones for a language without any).
 * Fails with NR_E_DATA when they are malformed, or NR_E_NOMEM. */
nr_status nr_segment(nr_ctx *ctx, nr_doc *doc);

#endif
