/* build.c: assembling a document from the blocks a markup reader emits. */
#include "build.h"

#include <string.h>

#include "../util/utf8.h"

void nr_build_init(nr_build *b) {
    memset(b, 0, sizeof *b);
    nr_buf_init(&b->text);
    nr_buf_init(&b->dropbuf);
    nr_vec_init(&b->blocks, sizeof(nr_block));
    nr_vec_init(&b->drops, sizeof(nr_build_drop));
}

void nr_build_free(nr_build *b) {
    nr_buf_free(&b->text);
    nr_buf_free(&b->dropbuf);
    nr_vec_free(&b->blocks);
    nr_vec_free(&b->drops);
}

/* ASCII white space and the C0 controls fold; no-break spaces stay, as
 * French typography needs them. */
void nr_build_fold(nr_buf *out, const char *s, size_t n) {
    bool space = false, nl = false;
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            nl = true;
            continue;
        }
        if (c <= ' ' || c == 0x7F) {
            space = true;
            continue;
        }
        if (out->len > start && (nl || space))
            nr_buf_addc(out, nl ? '\n' : ' ');
        else if (out->len == start && (nl || space)) {
            /* leading space is dropped */
        }
        nl = space = false;
        nr_buf_addc(out, (char)c);
    }
}

/* A line break that is only white space around it is a space: '\n' is kept
 * only between two pieces of text. */
void nr_build_block(nr_build *b, nr_block_kind kind, int level, const char *s, size_t n) {
    size_t mark = b->text.len;
    if (mark)
        nr_buf_add(&b->text, "\n\n", 2);
    size_t start = b->text.len;
    nr_build_fold(&b->text, s, n);
    /* trailing white space is never added by the fold; no-break spaces at
     * either end are trimmed */
    while (b->text.len > start) {
        uint32_t cp;
        size_t l = nr_utf8_decode_back(b->text.data, b->text.len, &cp);
        if (!nr_is_space(cp))
            break;
        b->text.len -= l;
    }
    size_t a = start;
    while (a < b->text.len) {
        uint32_t cp;
        size_t l = nr_utf8_decode(b->text.data + a, b->text.len - a, &cp);
        if (!nr_is_space(cp))
            break;
        a += l;
    }
    if (a >= b->text.len) {
        b->text.len = mark;
        if (b->text.data)
            b->text.data[mark] = 0;
        return;
    }
    if (b->text.data)
        b->text.data[b->text.len] = 0;
    nr_block *blk = nr_vec_push(&b->blocks);
    if (!blk) {
        b->text.failed = true;
        return;
    }
    blk->kind = kind;
    blk->level = level;
    blk->start = a;
    blk->end = b->text.len;
}

void nr_build_drop_text(nr_build *b, const char *s, size_t n, const char *reason) {
    size_t start = b->dropbuf.len;
    nr_build_fold(&b->dropbuf, s, n);
    for (size_t i = start; i < b->dropbuf.len; i++)
        if (b->dropbuf.data[i] == '\n')
            b->dropbuf.data[i] = ' ';
    if (b->dropbuf.len == start)
        return;
    if (b->dropbuf.len - start > 300) {
        size_t cut = start + 300;
        while (cut > start && ((unsigned char)b->dropbuf.data[cut] & 0xC0) == 0x80)
            cut--;
        b->dropbuf.len = cut;
        nr_buf_adds(&b->dropbuf, "\xE2\x80\xA6");
    }
    nr_build_drop *d = nr_vec_push(&b->drops);
    if (!d) {
        b->dropbuf.failed = true;
        return;
    }
    d->start = start;
    d->end = b->dropbuf.len;
    d->reason = reason;
}

nr_doc *nr_build_finish(nr_ctx *ctx, nr_build *b, const char *name) {
    if (!nr_buf_ok(&b->text) || !nr_buf_ok(&b->dropbuf)) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    nr_doc *doc = nr_doc_new(b->text.data ? b->text.data : "", b->text.len, name);
    if (!doc) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < b->blocks.len; i++) {
        nr_block *src = &NR_VEC_AT(&b->blocks, nr_block, i);
        nr_block *dst = nr_doc_add_block(doc, src->kind, src->start, src->end);
        if (!dst)
            goto oom;
        dst->level = src->level;
    }
    for (size_t i = 0; i < b->drops.len; i++) {
        nr_build_drop *d = &NR_VEC_AT(&b->drops, nr_build_drop, i);
        if (!nr_doc_drop(doc, b->dropbuf.data + d->start, d->end - d->start, d->reason))
            goto oom;
    }
    return doc;
oom:
    nr_doc_free(doc);
    nr_fail(ctx, NR_E_NOMEM, "out of memory");
    return NULL;
}
