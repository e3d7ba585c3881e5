/* lang.h: which language an article, or a paragraph of it, is in.
 *
 * Two votes: the share of frequent function words of each language that has
 * a voices/<lang>/stopwords.txt (reliable from a dozen words on, and exact
 * about which languages we speak), and libexttextcat's n-gram guess, asked
 * when the words do not decide. Codes are eSpeak NG's ("fr", "en", "de"). */
#ifndef NR_LANG_H
#define NR_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/ctx.h"
#include "../core/doc.h"

typedef struct nr_lang_guess {
    char code[16]; /* "" when nothing could be said */
    size_t words;  /* words looked at */
    size_t hits;   /* function words of the chosen language among them */
    bool sure;     /* the words decided clearly */
} nr_lang_guess;

/* Guesses the language of N bytes of UTF-8 at S (only a bounded prefix is
 * read). Returns false only on out-of-memory or bad data, after nr_fail. */
bool nr_lang_detect(nr_ctx *ctx, const char *s, size_t n, nr_lang_guess *out);

/* Sets doc->lang (ctx->lang when forced) and block->lang for paragraphs
 * clearly in another language. */
nr_status nr_ingest_lang(nr_ctx *ctx, nr_doc *doc);

#endif
