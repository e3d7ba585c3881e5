/* ingest.h: input bytes to a document: format, encoding, web junk, title,
 * language, blocks.
 *
 * The result holds the article as a reader reads it: doc->text is the
 * cleaned UTF-8 text and the blocks (title, headings, paragraphs...) are
 * ranges of it, in reading order. What was removed is in doc->dropped with
 * a reason. Sentences are not split here: that is segment's work. */
#ifndef NR_INGEST_H
#define NR_INGEST_H

#include "../core/ctx.h"
#include "../core/doc.h"

/* Builds a document from BYTES. Fails with NR_E_INPUT (and a message in ctx)
 * when the input is empty, binary or holds nothing to read. */
nr_status nr_ingest(nr_ctx *ctx, const char *bytes, size_t len, const char *name, nr_doc **out);

/* Plain text, already valid UTF-8 (BOM, CRLF and controls dealt with):
 * paragraphs at blank lines, title from the first line. */
nr_status nr_ingest_text(nr_ctx *ctx, nr_doc *doc);

#endif
