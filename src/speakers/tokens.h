/* tokens.h: a sentence as words, punctuation and quotations, for the
 * attribution rules.
 *
 * Words keep their byte range in doc->text and a lower-case copy. French
 * elisions are split ("l'élue" -> "l'" "élue"), an abbreviation keeps its
 * period ("M.", "U.S.") when the language lists it as a title or it is an
 * initial, and each quote span of the sentence is one token. */
#ifndef NR_SPK_TOKENS_H
#define NR_SPK_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/doc.h"
#include "../util/buf.h"
#include "lexicon.h"

typedef enum nr_tok_kind { NR_TOK_WORD, NR_TOK_PUNCT, NR_TOK_QUOTE } nr_tok_kind;

typedef struct nr_tok {
    nr_tok_kind kind;
    size_t start, end; /* bytes of doc->text */
    const char *low;   /* lower case, NUL-terminated (scratch); punctuation: itself */
    size_t low_len;
    uint64_t low_hash; /* nr_lexicon_hash of low */
    /* NR_TOK_WORD: what the lists say of low and of the bytes as written
       (lower-case and as-written lists) */
    const nr_lx_word *lw, *tw;
    bool cap;     /* starts with an upper-case letter */
    bool allcaps; /* two letters or more, all upper case */
    int span;     /* NR_TOK_QUOTE: index of the span in its sentence */
} nr_tok;

/* Room the tokens of one sentence live in, reused from one sentence to
 * the next so that tokens cost no memory per document. */
typedef struct nr_tok_scratch {
    nr_vec toks; /* nr_tok */
    nr_buf low;  /* their lower-case forms, each NUL-terminated */
} nr_tok_scratch;

void nr_tok_scratch_init(nr_tok_scratch *sc);
void nr_tok_scratch_free(nr_tok_scratch *sc);

/* Tokenises sentence SE of DOC into *OUT, memory of SC: the tokens and
 * their lower-case forms stay valid until SC is used again. False on
 * out-of-memory. */
bool nr_tokenise(nr_doc *doc, const nr_sentence *se, const nr_lexicon *lx, nr_tok_scratch *sc,
                 nr_tok **out, size_t *n);

/* True when the token is the word W (lower case). */
bool nr_tok_is(const nr_tok *t, const char *w);

#endif
