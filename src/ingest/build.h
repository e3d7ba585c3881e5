/* build.h: a document assembled block by block, for the formats whose
 * text is not the input itself (HTML, Markdown).
 *
 * doc->text becomes the blocks' texts joined with blank lines, white space
 * folded inside each block (runs of spaces, tabs and newlines become one
 * space; an explicit line break stays one '\n'). */
#ifndef NR_BUILD_H
#define NR_BUILD_H

#include "../core/ctx.h"
#include "../core/doc.h"
#include "../util/buf.h"

typedef struct nr_build_drop {
    size_t start, end;  /* in drops */
    const char *reason; /* static */
} nr_build_drop;

typedef struct nr_build {
    nr_buf text;
    nr_vec blocks; /* nr_block */
    nr_buf dropbuf;
    nr_vec drops; /* nr_build_drop */
    size_t code_blocks;
} nr_build;

void nr_build_init(nr_build *b);
void nr_build_free(nr_build *b);

/* Folds the white space of S and appends it as a block; an empty block is
 * not added. '\n' in S (an explicit line break) is kept as one '\n'. */
void nr_build_block(nr_build *b, nr_block_kind kind, int level, const char *s, size_t n);

/* Records text the reader skipped (folded, cut at 300 bytes). */
void nr_build_drop_text(nr_build *b, const char *s, size_t n, const char *reason);

/* Folds S into OUT the way blocks are folded. */
void nr_build_fold(nr_buf *out, const char *s, size_t n);

/* The document, owning everything; NULL after nr_fail on out-of-memory. */
nr_doc *nr_build_finish(nr_ctx *ctx, nr_build *b, const char *name);

/* Appends the character of the HTML entity S ("&amp;", "&#233;", "&#xE9;")
 * to OUT; false (nothing appended) when it names none. In html.c. */
bool nr_html_entity(const char *s, size_t n, nr_buf *out);
#endif
