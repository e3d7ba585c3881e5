/* cast.h: a voice for the narrator and one for each quoted speaker, and the
 * pauses between sentences, paragraphs, headings and quotations.
 *
 * Profiles and casts are data: voices/profiles.ini describes voices by name,
 * voices/<lang>/cast.ini names the narrator's profile and the pools of male,
 * female and neutral voices for speakers. Assignment is deterministic: the
 * same article gets the same voices on every run. */
#ifndef NR_CAST_H
#define NR_CAST_H

#include "../core/ctx.h"
#include "../core/doc.h"

/* Sets speaker 0 (creating it if needed) to the narrator and gives every
 * other speaker a voice; sets doc->pauses. */
nr_status nr_cast(nr_ctx *ctx, nr_doc *doc);

/* Names to the engine (nr_engine_expect) the voice nr_cast will check
 * first for DOC, whose language is known: a warm-up can load it meanwhile. */
void nr_cast_expect(nr_ctx *ctx, const nr_doc *doc);

#endif
