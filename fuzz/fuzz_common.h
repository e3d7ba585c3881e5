/* fuzz_common.h: what every fuzz target shares: a context, a document built
 * through the pipeline stages, and the invariants a document must keep
 * whatever the input. A broken invariant aborts, so libFuzzer records the
 * input as a crash. */
#ifndef NR_FUZZ_COMMON_H
#define NR_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "core/doc.h"
#include "util/utf8.h"

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* doc->text is what eSpeak will be handed pieces of: valid UTF-8, no NUL
 * inside, no C0 control but tab and newline (U+0001 is eSpeak's command
 * byte). Blocks, sentences and spans are ordered ranges inside it. */
static inline void fuzz_check_doc(const nr_doc *doc) {
    FUZZ_CHECK(doc->text != NULL);
    FUZZ_CHECK(doc->text[doc->len] == '\0');
    FUZZ_CHECK(strlen(doc->text) == doc->len);
    FUZZ_CHECK(nr_utf8_valid(doc->text, doc->len));
    for (size_t i = 0; i < doc->len; i++) {
        unsigned char c = (unsigned char)doc->text[i];
        FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n');
    }
    for (size_t b = 0; b < doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(doc, b);
        FUZZ_CHECK(blk->start <= blk->end && blk->end <= doc->len);
        FUZZ_CHECK((unsigned)blk->kind < NR_BLOCK_KIND_COUNT);
        size_t prev = blk->start;
        for (size_t i = 0; i < blk->n_sents; i++) {
            const nr_sentence *s = &blk->sents[i];
            FUZZ_CHECK(s->start <= s->end && s->start >= prev && s->end <= blk->end);
            prev = s->end;
            size_t sp_prev = s->start;
            for (size_t k = 0; k < s->n_spans; k++) {
                const nr_span *sp = &s->spans[k];
                FUZZ_CHECK(sp->start <= sp->end && sp->start >= sp_prev && sp->end <= s->end);
                sp_prev = sp->end;
                FUZZ_CHECK(sp->speaker >= -1 &&
                           (sp->speaker < 0 || (size_t)sp->speaker < doc->speakers.len));
                FUZZ_CHECK(sp->voice >= 0 &&
                           (sp->voice == 0 || (size_t)sp->voice < doc->speakers.len));
                if (sp->spoken)
                    FUZZ_CHECK(nr_utf8_valid(sp->spoken, strlen(sp->spoken)));
            }
        }
    }
}

/* A fresh context with the built-in data (for targets whose data changes
 * from one input to the next). */
static inline void fuzz_ctx(nr_ctx *ctx) { FUZZ_CHECK(nr_ctx_init(ctx) == NR_OK); }

/* One context for the whole run, as the command has: the language rules
 * (regular expressions, language models) are loaded once, not per input.
 * Its settings and message are reset for each input. */
static inline nr_ctx *fuzz_shared_ctx(void) {
    static nr_ctx ctx;
    static bool ready;
    if (!ready) {
        FUZZ_CHECK(nr_ctx_init(&ctx) == NR_OK);
        ready = true;
    }
    ctx.err[0] = '\0';
    ctx.lang[0] = '\0';
    return &ctx;
}

/* Failing stages must leave a message for the user. */
static inline void fuzz_check_status(const nr_ctx *ctx, nr_status st) {
    FUZZ_CHECK((unsigned)st < NR_STATUS_COUNT);
    if (st != NR_OK)
        FUZZ_CHECK(ctx->err[0] != '\0');
}

#endif
