/* attribute.c: a first attribution. A quotation that is a clause of its own
 * (it holds at least four words and the sentence goes on with a comma or
 * stands alone) is standalone and gets one unnamed speaker; shorter ones are
 * embedded in the narrator's clause. */
#include "attribute.h"

#include "../util/utf8.h"

static size_t count_words(const char *s, size_t a, size_t b) {
    size_t words = 0;
    bool in = false;
    while (a < b) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + a, b - a, &cp);
        bool sp = nr_is_space(cp);
        if (!sp && !in)
            words++;
        in = !sp;
        a += l;
    }
    return words;
}

nr_status nr_attribute(nr_ctx *ctx, nr_doc *doc) {
    int unknown = -1;
    for (size_t b = 0; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++) {
            nr_sentence *se = &blk->sents[i];
            for (size_t k = 0; k < se->n_spans; k++) {
                nr_span *sp = &se->spans[k];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                sp->embedded = count_words(doc->text, sp->start, sp->end) < 4 || k > 0;
                if (sp->embedded) {
                    sp->voice = 0;
                    continue;
                }
                if (unknown < 0) {
                    if (doc->speakers.len == 0 && !nr_vec_push(&doc->speakers))
                        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
                    nr_speaker *spk = nr_vec_push(&doc->speakers);
                    if (!spk)
                        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
                    spk->id = "s1";
                    unknown = (int)doc->speakers.len - 1;
                }
                sp->speaker = unknown;
                sp->voice = unknown;
            }
        }
    }
    return NR_OK;
}
