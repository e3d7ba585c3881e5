/* mentions.h: the people and bodies an article names, and what each
 * mention of them (name, title and surname, role noun, pronoun, "ce
 * dernier") refers to.
 *
 * Sentences are read in order; each mention is resolved when it is read,
 * from what came before: a name joins the entity whose name it shares
 * (a surname joins the full name), a role noun the last entity holding that
 * role or the one the text is about, a pronoun the last subject of its
 * gender, "ce dernier" the last person named. Gender comes from what the
 * text shows (titles, given names, determiners, role nouns, pronouns) and
 * stays unknown otherwise. */
#ifndef NR_SPK_MENTIONS_H
#define NR_SPK_MENTIONS_H

#include <stdint.h>

#include "../core/doc.h"
#include "lexicon.h"
#include "tokens.h"

typedef enum nr_mkind { NR_M_NAME, NR_M_ROLE, NR_M_PRON, NR_M_LAST } nr_mkind;

typedef struct nr_mention {
    nr_mkind kind;
    size_t a, b;      /* tokens [a, b) */
    size_t ta, tb;    /* bytes of the text that names it (a title included) */
    size_t ra, rb;    /* a description in apposition (\"La ministre des Transports\"
                         before \"Hélène Marchetti\"): its bytes; empty if none */
    int ent;          /* resolved entity, -1 = none */
    nr_gender gender; /* what the mention itself shows */
    const char *role; /* role noun (lower case; interned once read) or NULL */
    bool source;      /* introduced by "selon", "according to" */
    bool weak;        /* a lone capitalised word that may just start the sentence */
    bool human, org;
    bool indef;    /* "un porte-parole": someone not met before */
    size_t na, nb; /* NR_M_NAME: tokens of the name proper, title excluded */
} nr_mention;

typedef struct nr_entity {
    const char *name; /* fullest name (arena), NULL when only described */
    size_t name_len;
    const char *toks[8]; /* lower-case tokens of that name (interned words) */
    size_t n_toks;
    const char *desc;     /* first description ("le porte-parole"), for unnamed bodies */
    const char *roles[8]; /* interned words */
    size_t n_roles;
    nr_gender gender;
    bool human, org;
    int last_sent; /* ordinal of the last sentence that mentions it */
    int n_mentions;
    nr_vec mentions; /* const char *: distinct texts */
    int speaker;     /* index in doc->speakers, 0 = none yet */
} nr_entity;

typedef struct nr_sent {
    nr_sentence *se;
    size_t block;
    nr_block_kind bkind;
    nr_tok *toks; /* valid while the sentence is read (NULL after) */
    size_t n_toks;
    nr_mention *ms;
    size_t n_ms;
    int subject; /* entity the sentence is about, -1 = none */
} nr_sent;

/* A word of the names and roles met, interned (lower case, arena): equal
 * words are the same pointer. Each indexes the entities whose name starts
 * or ends with it and those that hold it as a role, so that resolving a
 * mention looks at those only, not at every entity. */
typedef struct nr_word {
    const char *s;
    size_t len;
    uint64_t hash;
    nr_vec first, last; /* int: entities whose name starts, ends with it (a
                           renamed entity stays listed: check it) */
    nr_vec role;        /* int: entities holding it as a role */
} nr_word;

typedef struct nr_mentions {
    nr_doc *doc;
    const nr_lexicon *lx;
    nr_vec ents;    /* nr_entity */
    nr_word *words; /* open addressing, words_cap a power of two */
    size_t words_cap, words_len;
    nr_sent *sents;
    size_t n_sents;
    int title_ent; /* first person of the title, -1 = none */
} nr_mentions;

/* Finds the mentions of sentence S (tokens already set) and resolves each
 * one against the entities met so far. False on out-of-memory. */
bool nr_mentions_read(nr_mentions *m, size_t s);

/* The entity the text is about: the person of the title, else the person
 * mentioned most so far; -1 when there is none. */
int nr_mentions_protagonist(const nr_mentions *m);

/* Records that entity E is the subject of sentence S. */
void nr_mentions_subject(nr_mentions *m, size_t s, int e);

/* Frees the entities' and words' vectors (their strings live in the arena). */
void nr_mentions_free(nr_mentions *m);

/* The speech verb at token I of S (a word listed in speech-verbs, or the
 * verb of "estime-t-elle"), outside any mention. */
bool nr_is_speech_verb(const nr_mentions *m, const nr_sent *s, size_t i);

#define NR_ENT(m, i) NR_VEC_AT(&(m)->ents, nr_entity, i)

#endif
