/* doc.h: the document, the one structure every pipeline stage works on.
 *
 * Ingest fills text, title, blocks and dropped; segment fills each block's
 * sentences and spans; attribute fills speakers and the quote spans' speaker
 * and embedded flags; normalise fills spans' spoken text; cast fills voices.
 * What the plan prints is exactly this structure.
 *
 * Offsets (start, end) are bytes into doc->text, the cleaned UTF-8 text of
 * the article: for a plain UTF-8 file with LF line ends it is the input
 * itself. Everything hangs off doc->arena and is freed with the document,
 * except the vectors, which nr_doc_free releases. */
#ifndef NR_DOC_H
#define NR_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/buf.h"

typedef enum nr_span_kind { NR_SPAN_NARRATION, NR_SPAN_QUOTE } nr_span_kind;

typedef struct nr_span {
    nr_span_kind kind;
    size_t start, end; /* a quote's text between its marks, marks excluded */
    int speaker;       /* quote: index into doc->speakers, -1 = unknown */
    int voice;         /* index of the speaker whose voice reads it; 0 = narrator */
    int quote;         /* quote: the quotation it belongs to (0, 1, ...); parts of one
                          quotation (over sentences, paragraphs or an incise) share it */
    bool embedded;     /* quote: part of the narrator's clause */
    bool recovered;    /* quote: its closing mark was missing and was assumed */
    bool continues;    /* quote: continues the quotation before it (same speaker) */
    char *spoken;      /* the text as it will be said; NULL = same as the text */
} nr_span;

typedef struct nr_sentence {
    size_t start, end;
    nr_span *spans; /* in order; together they cover the sentence but the marks */
    size_t n_spans;
} nr_sentence;

typedef enum nr_block_kind {
    NR_BLOCK_TITLE,
    NR_BLOCK_HEADING,
    NR_BLOCK_PARAGRAPH,
    NR_BLOCK_CAPTION,
    NR_BLOCK_BYLINE,
    NR_BLOCK_LIST_ITEM,
    NR_BLOCK_QUOTE_BLOCK,
    NR_BLOCK_KIND_COUNT
} nr_block_kind;

typedef struct nr_block {
    nr_block_kind kind;
    size_t start, end; /* the block's text; lines inside it are joined by one '\n' */
    int level;         /* heading level (1..6), 0 otherwise */
    const char *lang;  /* NULL = the document's language */
    nr_sentence *sents;
    size_t n_sents;
} nr_block;

typedef struct nr_dropped {
    const char *text;
    const char *reason; /* for a person: "reading time", "photo credit", ... */
    size_t at;          /* byte offset in doc->text it was cut from; SIZE_MAX = not from it */
} nr_dropped;

typedef enum nr_gender { NR_GENDER_UNKNOWN, NR_GENDER_MALE, NR_GENDER_FEMALE } nr_gender;

typedef struct nr_voice {
    char espeak[64]; /* eSpeak voice name with variant: "fr+m3" */
    int rate;        /* words per minute */
    int pitch;       /* 0..99 */
    int range;       /* 0..99 */
    int volume;      /* 0..200, 100 normal */
} nr_voice;

typedef struct nr_speaker {
    const char *id;   /* "narrator", "s1", "s2", ... */
    const char *name; /* fullest name the article gives; NULL for the narrator */
    nr_gender gender;
    const char **mentions;
    size_t n_mentions;
    nr_voice voice;
} nr_speaker;

/* Pauses, in milliseconds, from the voice profiles. */
typedef struct nr_pauses {
    int sentence, paragraph, heading, title, quote;
} nr_pauses;

typedef struct nr_doc {
    nr_arena *arena;
    char *text; /* NUL-terminated */
    size_t len;
    const char *name;     /* input name for messages */
    const char *format;   /* "text", "html", "markdown" */
    const char *encoding; /* what the input was in: "UTF-8", "WINDOWS-1252", ... */
    char lang[16];        /* BCP 47-ish code: "fr", "en", "en-us" */
    const char *title;
    const char *byline;
    nr_vec blocks;   /* nr_block */
    nr_vec dropped;  /* nr_dropped */
    nr_vec speakers; /* nr_speaker; [0] is the narrator once cast */
    nr_pauses pauses;
    float title_rate; /* the title's rate as a factor of the narrator's */
    /* A window of a streamed input (stream.h): offset of doc->text in the
       whole cleaned text, which the plan adds to every offset it prints;
       continued: not the first window, so no title, byline or top-of-page
       menu, and lang is preset to the first window's. Both 0 otherwise. */
    size_t offset;
    bool continued;
} nr_doc;

/* A new empty document owning a copy of TEXT. NULL on out-of-memory. */
nr_doc *nr_doc_new(const char *text, size_t len, const char *name);
void nr_doc_free(nr_doc *doc);

/* Appends a block over [start, end) of doc->text; NULL on out-of-memory. */
nr_block *nr_doc_add_block(nr_doc *doc, nr_block_kind kind, size_t start, size_t end);
/* Records text the cleaner removed, with a reason a person understands. */
bool nr_doc_drop(nr_doc *doc, const char *text, size_t len, const char *reason);
#define NR_BLOCK(doc, i) NR_VEC_AT(&(doc)->blocks, nr_block, i)
#define NR_SPEAKER(doc, i) NR_VEC_AT(&(doc)->speakers, nr_speaker, i)

const char *nr_block_kind_name(nr_block_kind k);
const char *nr_gender_name(nr_gender g); /* NULL for unknown */

#endif
