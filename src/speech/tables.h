/* tables.h: the per-language tables normalisation reads from voices/<lang>/.
 *
 * Every table is a plain text file a linguist edits (see docs/lexicon.md for
 * the formats). They are parsed once per language and context (through
 * nr_ctx_rules) into keyed tables whose strings live in one arena, so a
 * lookup costs a hash or a first-byte bucket walk and never allocates. */
#ifndef NR_SPEECH_TABLES_H
#define NR_SPEECH_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"
#include "../util/arena.h"

/* When an abbreviation applies: its neighbours decide ("St." is Saint
 * before a name, Street after one). */
typedef enum nr_sp_when {
    NR_WHEN_ALWAYS,
    NR_WHEN_BEFORE_NAME,   /* the next word starts with a capital */
    NR_WHEN_AFTER_NAME,    /* the previous word starts with a capital, the next does not */
    NR_WHEN_BEFORE_NUMBER, /* the next token is a number */
    NR_WHEN_AFTER_NUMBER,  /* a number comes just before ("le 12 sept.") */
} nr_sp_when;

typedef struct nr_sp_entry {
    const char *key;
    size_t klen;
    const char *val[4]; /* the columns after the key; unused ones are "" */
    nr_sp_when when;
    bool icase;    /* key all lower case: matches any case */
    bool phonemes; /* val[0] is eSpeak phonemes written [[...]] (user lexicon only) */
    struct nr_sp_entry *next;
} nr_sp_entry;

/* A table keyed two ways: PREFIX tables bucket on the key's first byte and
 * keep longer keys first, for matching at a position in running text; EXACT
 * tables hash the whole key. */
#define NR_SP_BUCKETS 512
typedef struct nr_sp_table {
    nr_sp_entry *bucket[NR_SP_BUCKETS];
    bool prefix;
    size_t count;
} nr_sp_table;

/* Quick refusals for a respelling table: which bytes can start an
 * anywhere key, follow "^", or end a "$" key; whether "=Word" keys exist. */
typedef struct nr_sp_filter {
    bool any[256], start[256], end[256];
    bool whole;
} nr_sp_filter;

/* Everything normalisation knows about one language. */
typedef struct nr_speech_rules {
    nr_arena *arena;
    char lang[16];          /* as asked: "en-us" */
    char base[16];          /* "en" */
    nr_sp_table expansions; /* prefix: abbreviations with their context */
    nr_sp_table lexicon;    /* prefix: user respellings, applied first */
    nr_sp_table acronyms;   /* exact: ACRONYM -> spell | word | respelling */
    nr_sp_table numbers;    /* exact: number words, months, links, settings */
    nr_sp_table currency;   /* exact: symbol or code -> singular, plural, sub-units */
    nr_sp_table units;      /* exact: unit after a number -> plural, singular */
    nr_sp_table symbols;    /* exact: & § @ # + = ... -> words */
    nr_sp_table emoji;      /* exact: emoji (without U+FE0F) -> name */
    nr_sp_table keeplang;   /* exact: foreign-looking word ending -> native respelling */
    nr_sp_table respell;    /* exact: the same, always applied */
    nr_sp_filter keeplang_f, respell_f;
    /* from numbers.txt, for the number speller */
    const char *units_w[20], *tens_w[10], *hundred, *thousand, *million[2], *billion[2];
    const char *month[13];
    bool dmy;                 /* dates read day first (12/03 = 12 March) */
    bool fr;                  /* numbers spelled the French way (speller = fr) */
    bool dcomma;              /* a decimal comma (French, or decimal-comma = yes) */
    bool has_numwords;        /* the language has a number speller */
    bool currency_first[256]; /* bytes that start a currency key: a quick no */
} nr_speech_rules;

/* The loader and destructor handed to nr_ctx_rules(ctx, "speech", ...). */
void *nr_speech_rules_load(nr_ctx *ctx, const char *lang);
void nr_speech_rules_free(void *rules);

/* The entry of an EXACT table whose key is K (N bytes), or NULL. */
const nr_sp_entry *nr_sp_get(const nr_sp_table *t, const char *k, size_t n);
/* As nr_sp_get, for a NUL-terminated key. */
const char *nr_sp_val(const nr_sp_table *t, const char *k);
/* The first entry of a PREFIX table (longest first) whose key starts S
 * (N bytes available) and ends on a word boundary, and for which ACCEPT
 * (may be NULL) says yes; its length in the text goes to *LEN. */
typedef bool (*nr_sp_accept_fn)(void *user, const nr_sp_entry *e, size_t len);
const nr_sp_entry *nr_sp_match(const nr_sp_table *t, const char *s, size_t n, size_t *len,
                               nr_sp_accept_fn accept, void *user);

/* Letters and capitals as the normaliser sees them (Unicode categories);
 * ASCII is told inline, without a call: these run on every character. */
bool nr_sp_is_letter_u(uint32_t cp);
bool nr_sp_is_upper_u(uint32_t cp);
static inline bool nr_sp_is_letter(uint32_t cp) {
    return cp < 0x80 ? (cp | 0x20) - 'a' < 26u : nr_sp_is_letter_u(cp);
}
static inline bool nr_sp_is_upper(uint32_t cp) {
    return cp < 0x80 ? cp - 'A' < 26u : nr_sp_is_upper_u(cp);
}

#endif
