/* lexicon.h: the word lists attribution reads, per language, from
 * voices/<lang>/ (speech-verbs, person-titles, role-nouns, pronouns,
 * determiners, source-markers, org-words, function-words, given-names, impersonal,
 * name-connectors, addressee-markers, prepositions, copulas,
 * participle-endings).
 *
 * Each list maps a form to a small tag: a gender and flags. Forms of
 * person-titles, org-words and given-names are matched as written; the
 * others in lower case. Lists are loaded once per context and language; a
 * language without lists gets empty ones, so attribution still runs. */
#ifndef NR_SPK_LEXICON_H
#define NR_SPK_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"

enum {
    NR_LX_MALE = 1,     /* the form shows a man */
    NR_LX_FEMALE = 2,   /* the form shows a woman */
    NR_LX_LAST = 4,     /* "ce dernier", "the latter": the last person named */
    NR_LX_PLURAL = 8,   /* "MM.", "Mmes": several people */
    NR_LX_PRESENT = 16, /* the entry exists (a tag of 0 would be ambiguous) */
    NR_LX_ORG = 32,     /* role noun of a body ("le ministère"); connector only
                           inside a body's name ("of", "and") */
    NR_LX_INDEF = 64    /* an indefinite determiner: a new referent ("a spokesman") */
};

typedef enum nr_lx_list {
    NR_LX_VERBS,
    NR_LX_TITLES,
    NR_LX_ROLES,
    NR_LX_PRONOUNS,
    NR_LX_DETERMINERS,
    NR_LX_SOURCES,
    NR_LX_ORGS,
    NR_LX_FUNCTION,
    NR_LX_NAMES,
    NR_LX_IMPERSONAL,
    NR_LX_CONNECTORS,
    NR_LX_ADDRESSEE,
    NR_LX_PREPOSITIONS,
    NR_LX_COPULAS,
    NR_LX_ENDINGS,
    NR_LX_COUNT
} nr_lx_list;

typedef struct nr_lexicon nr_lexicon;

/* The lists for LANG, cached on CTX; NULL only on out-of-memory (after
 * nr_fail). */
const nr_lexicon *nr_lexicon_get(nr_ctx *ctx, const char *lang);

/* The tag of the N bytes at S in LIST (NR_LX_PRESENT set), or 0 when the
 * form is not listed. Lower-case lists must be given lower-case text. */
unsigned nr_lexicon_find(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n);

/* The same, H being nr_lexicon_hash(S, N): a word looked up in several
 * lists is hashed once. */
uint64_t nr_lexicon_hash(const char *s, size_t n);
unsigned nr_lexicon_find_hashed(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n,
                                uint64_t h);

/* What every list says of one form: its tag in each (0: not listed) and,
 * as bit L of HEAD (of HEAD_SP), whether an entry of list L of several
 * words starts with it (with it and a space): nr_lexicon_has_head with
 * SEP "" (" "). */
typedef struct nr_lx_word {
    uint8_t tag[NR_LX_COUNT];
    uint16_t head, head_sp;
} nr_lx_word;

/* The entry of the N bytes at S in every list at once, H being
 * nr_lexicon_hash(S, N): the attribution rules ask each word about many
 * lists, and a token looks its forms up once. Never NULL: a form no list
 * holds has an entry of zeros. */
const nr_lx_word *nr_lexicon_word(const nr_lexicon *lx, const char *s, size_t n, uint64_t h);

/* True when an entry of LIST starts with the N bytes at S followed by SEP
 * (" ", or "" after an elision's apostrophe): only then can a form of two
 * words that starts so be listed. */
bool nr_lexicon_has_head(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n,
                         const char *sep);

#endif
