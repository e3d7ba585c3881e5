/* seg_rules.h: the segmenter's per-language rules, read from voices/<lang>/.
 *
 * abbreviations.txt lists words that end with a period without ending the
 * sentence; segment.ini holds the language's switches and word lists
 * (sentence starters, name continuations, incise verbs). Rules are loaded
 * once per context through nr_ctx_rules and only read afterwards, so one
 * table serves every document of that language. */
#ifndef NR_SEG_RULES_H
#define NR_SEG_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/ctx.h"

/* What an abbreviation's period does. */
typedef enum nr_abbr_kind {
    NR_ABBR_NONE = 0, /* not an abbreviation */
    NR_ABBR_GENERAL,  /* may also end the sentence: etc., Inc., U.S. */
    NR_ABBR_TITLE,    /* precedes a name: M., Dr., Sen., av. (J.-C.) */
    NR_ABBR_NUMBER,   /* precedes a number: p., No., n° */
} nr_abbr_kind;

/* A set of words, hashed; keys are bytes as written. */
typedef struct nr_wordset {
    struct nr_word_slot *slots;
    size_t cap, count;
    char *pool;
    size_t pool_len, pool_cap;
} nr_wordset;

typedef struct nr_seg_rules {
    nr_wordset abbr_exact;    /* "St." as written */
    nr_wordset abbr_folded;   /* lower-cased: "st." */
    nr_wordset starters;      /* words that open sentences: The, Il, Der */
    nr_wordset continuations; /* words that continue a name after U.S.: Senate */
    nr_wordset incise_verbs;  /* speech verbs of an incise: dit, déclaré */
    nr_wordset incise_aux;    /* auxiliaries before them: a, avait */
    nr_wordset ellipsis_keep; /* capitalised words that do not start a sentence after "...": I */
    nr_wordset appositions;   /* words that open a description after an incise: secrétaire */
    bool starters_only;       /* after an abbreviation only a starter opens a sentence (de) */
    int ordinal_digits;       /* "12. Juni": numbers this short before '.' are ordinals; 0 = none */
    bool incises;             /* find incises inside quotation marks */
    bool dash_dialogue;       /* a line opened by an em dash is a dialogue turn */
    bool low_quotes;          /* „ opens and “ closes (de) */
} nr_seg_rules;

/* The rules for LANG (cached on CTX); NULL only on out-of-memory (after nr_fail). */
const nr_seg_rules *nr_seg_rules_get(nr_ctx *ctx, const char *lang);

/* The kind of the abbreviation WORD (N bytes, final period included). */
nr_abbr_kind nr_seg_abbr(const nr_seg_rules *r, const char *word, size_t n);

/* True when SET holds the N bytes at S. */
bool nr_wordset_has(const nr_wordset *set, const char *s, size_t n);

/* Lower-cases ASCII and Latin letters of S into OUT (room for N*2+1 bytes);
 * returns the length written. */
size_t nr_seg_fold(const char *s, size_t n, char *out, size_t cap);

#endif
