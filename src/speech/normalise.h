/* normalise.h: text as it will be said.
 *
 * eSpeak NG reads many everyday forms wrong ("M. Blinken", "XIXe", "$200
 * million"); this stage rewrites each span's text for the ear, per language,
 * from the tables in voices/<lang>/ and the user's lexicon. The original
 * text is untouched; the result goes to span->spoken (NULL when unchanged). */
#ifndef NR_NORMALISE_H
#define NR_NORMALISE_H

#include "../core/ctx.h"
#include "../core/doc.h"

nr_status nr_normalise(nr_ctx *ctx, nr_doc *doc);

/* Normalises one piece of TEXT in LANG; returns a malloc'd NUL-terminated
 * string, or NULL on out-of-memory. For tests and for callers outside a
 * document. */
char *nr_normalise_text(nr_ctx *ctx, const char *lang, const char *text, size_t len);

#endif
