/* layout.h: the page around the article, read from the blocks.
 *
 * After a format reader has cut the input into blocks, layout removes page
 * furniture (voices/<lang>/junk.txt), photo credits and repeated captions,
 * each recorded in doc->dropped with its reason, and, for plain text, finds
 * what the page's markup would have said: the title, the byline, the
 * standfirst, sub-headings and captions. */
#ifndef NR_LAYOUT_H
#define NR_LAYOUT_H

#include "../core/ctx.h"
#include "../core/doc.h"

/* Cleans and classifies DOC's blocks in place. STRUCTURED is true when the
 * block kinds come from markup (HTML, Markdown) and must be trusted: then
 * only junk, credits, repeated captions and bylines are looked for. */
nr_status nr_ingest_layout(nr_ctx *ctx, nr_doc *doc, bool structured);

#endif
