/* junk.h: page furniture a reader's eye skips, as data from voices/<lang>/.
 *
 * Patterns are POSIX extended regular expressions over a line folded to
 * lower case without accents (see nr_fold), grouped under the reason the
 * plan gives for the removal. Every language's junk.txt and byline.txt are
 * loaded together, once per context: a French page carries English junk
 * ("Video poster") as often as French. */
#ifndef NR_JUNK_H
#define NR_JUNK_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/ctx.h"
#include "../util/arena.h"

/* A line folded for matching: lower case, no marks, compatibility forms and
 * typographic quotes and dashes lumped, runs of white space made one space,
 * trimmed. MAP[i] is the byte offset in the original of folded byte i (MAP
 * has LEN + 1 entries; the last is the original's length). Text over 600
 * bytes is body text: it is not folded (LEN is 0), only its words counted. */
typedef struct nr_folded {
    char *s;
    size_t len;
    size_t *map;
    size_t words;
    bool has_lower; /* the original has a lower-case letter */
    bool pooled;    /* S lives in an arena (nr_fold_in) and is freed with it */
} nr_folded;

/* Folds N bytes of valid UTF-8 at S. False on out-of-memory. */
bool nr_fold(const char *s, size_t n, nr_folded *out);
/* The same; without WITH_MAP, F->map is NULL (cheaper). */
bool nr_fold_ex(const char *s, size_t n, nr_folded *out, bool with_map);
/* nr_fold_ex without a map, S allocated from POOL: the layout folds every
 * block of a page, and a malloc each cost more than the folding. */
bool nr_fold_in(nr_arena *pool, const char *s, size_t n, nr_folded *out);
void nr_folded_free(nr_folded *f);

typedef struct nr_junk_rules nr_junk_rules;

typedef enum nr_junk_kind {
    NR_JUNK_NONE,
    NR_JUNK_LINE,      /* the whole line is furniture */
    NR_JUNK_CREDIT,    /* the whole line is a photo credit */
    NR_JUNK_CREDIT_END /* the line ends with a photo credit, from *AT on */
} nr_junk_kind;

/* The rules of every language, loaded once per context; NULL after nr_fail
 * when a pattern does not compile. */
const nr_junk_rules *nr_junk_rules_get(nr_ctx *ctx);

/* What the line F is; *REASON is the group's reason (borrowed from the
 * rules), *AT the byte offset in F->s where an end credit starts. */
nr_junk_kind nr_junk_match(const nr_junk_rules *r, const nr_folded *f, const char **reason,
                           size_t *at);

/* True when F looks like a byline ("By ...", "Par ...", an agency name). */
bool nr_junk_is_byline(const nr_junk_rules *r, const nr_folded *f);

/* True when F is a writer's role ("Business reporter"), as on the line
 * under a byline (byline.txt lines marked "role:"). */
bool nr_junk_is_role(const nr_junk_rules *r, const nr_folded *f);

#endif
