/* attribute.h: who says each quotation.
 *
 * Fills doc->speakers (from index 1; index 0 is reserved for the narrator)
 * with one entry per person or body quoted, their fullest name, gender and
 * mentions, and sets each quote span's speaker, embedded and voice fields:
 * a standalone quotation is voiced by its speaker, an embedded one by the
 * narrator. Rules (speech verbs, role nouns, titles, given names) come from
 * voices/<lang>/. */
#ifndef NR_ATTRIBUTE_H
#define NR_ATTRIBUTE_H

#include "../core/ctx.h"
#include "../core/doc.h"

nr_status nr_attribute(nr_ctx *ctx, nr_doc *doc);

#endif
