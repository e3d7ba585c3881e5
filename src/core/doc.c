#include "doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

nr_doc *nr_doc_new(const char *text, size_t len, const char *name) {
    nr_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->arena = nr_arena_new();
    if (!doc->arena) {
        free(doc);
        return NULL;
    }
    doc->text = nr_arena_strndup(doc->arena, text, len);
    doc->name = nr_arena_strdup(doc->arena, name ? name : "-");
    if (!doc->text || !doc->name) {
        nr_doc_free(doc);
        return NULL;
    }
    doc->len = len;
    doc->format = "text";
    doc->encoding = "UTF-8";
    nr_vec_init(&doc->blocks, sizeof(nr_block));
    nr_vec_init(&doc->dropped, sizeof(nr_dropped));
    nr_vec_init(&doc->speakers, sizeof(nr_speaker));
    doc->title_rate = 1.0f;
    return doc;
}

void nr_doc_free(nr_doc *doc) {
    if (!doc)
        return;
    nr_vec_free(&doc->blocks);
    nr_vec_free(&doc->dropped);
    nr_vec_free(&doc->speakers);
    nr_arena_free(doc->arena);
    free(doc);
}

nr_block *nr_doc_add_block(nr_doc *doc, nr_block_kind kind, size_t start, size_t end) {
    nr_block *b = nr_vec_push(&doc->blocks);
    if (!b)
        return NULL;
    b->kind = kind;
    b->start = start;
    b->end = end;
    return b;
}

bool nr_doc_drop(nr_doc *doc, const char *text, size_t len, const char *reason) {
    nr_dropped *d = nr_vec_push(&doc->dropped);
    if (!d)
        return false;
    d->text = nr_arena_strndup(doc->arena, text, len);
    d->reason = reason;
    uintptr_t p = (uintptr_t)text, t0 = (uintptr_t)doc->text;
    d->at = doc->text && p >= t0 && p < t0 + doc->len ? (size_t)(p - t0) : SIZE_MAX;
    return d->text != NULL;
}

const char *nr_block_kind_name(nr_block_kind k) {
    static const char *const names[NR_BLOCK_KIND_COUNT] = {
        "title", "heading", "paragraph", "caption", "byline", "list-item", "quote-block",
    };
    return (unsigned)k < NR_BLOCK_KIND_COUNT ? names[k] : "paragraph";
}

const char *nr_gender_name(nr_gender g) {
    return g == NR_GENDER_MALE ? "male" : g == NR_GENDER_FEMALE ? "female" : NULL;
}
