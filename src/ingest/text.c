/* text.c: plain text into blocks.
 *
 * Paragraphs are separated by blank lines. Text copied from a web page has
 * one paragraph per line, so inside a paragraph each line is a block of its
 * own, unless the lines look hard-wrapped (most of them long and of similar
 * length), as in e-mail or terminal text. */
#include "ingest.h"

#include <string.h>

#include "../util/utf8.h"

typedef struct line {
    size_t start, end; /* trimmed */
} line;

static bool is_blank(const char *s, size_t a, size_t b) {
    while (a < b) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + a, b - a, &cp);
        if (!nr_is_space(cp))
            return false;
        a += l;
    }
    return true;
}

static line trim(const char *s, size_t a, size_t b) {
    uint32_t cp;
    size_t l;
    while (a < b && (l = nr_utf8_decode(s + a, b - a, &cp)) && nr_is_space(cp))
        a += l;
    while (b > a && (l = nr_utf8_decode_back(s, b, &cp)) && nr_is_space(cp))
        b -= l;
    return (line){a, b};
}

static bool ends_sentence(const char *s, line ln) {
    size_t e = ln.end;
    while (e > ln.start) {
        uint32_t cp;
        size_t l = nr_utf8_decode_back(s, e, &cp);
        if (cp == '"' || cp == 0xBB || cp == 0x201D || cp == 0x2019 || cp == ')' || cp == '\'') {
            e -= l;
            continue;
        }
        return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == ':';
    }
    return false;
}

/* Lines of one paragraph look hard-wrapped when all but the last are between
 * 40 and 100 characters and none but the last ends a sentence... or most do. */
static bool hard_wrapped(const char *s, const line *ls, size_t n) {
    if (n < 2)
        return false;
    size_t wrapped = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t chars = nr_utf8_count(s + ls[i].start, ls[i].end - ls[i].start);
        if (chars >= 40 && chars <= 100)
            wrapped++;
    }
    return wrapped * 4 >= (n - 1) * 3;
}

static nr_status add_block(nr_ctx *ctx, nr_doc *doc, line ln, bool first) {
    nr_block_kind kind = NR_BLOCK_PARAGRAPH;
    size_t chars = nr_utf8_count(doc->text + ln.start, ln.end - ln.start);
    if (first && !ends_sentence(doc->text, ln) && chars < 300)
        kind = NR_BLOCK_TITLE;
    if (!nr_doc_add_block(doc, kind, ln.start, ln.end))
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (kind == NR_BLOCK_TITLE)
        doc->title = nr_arena_strndup(doc->arena, doc->text + ln.start, ln.end - ln.start);
    return NR_OK;
}

static nr_status flush_paragraph(nr_ctx *ctx, nr_doc *doc, line *ls, size_t n) {
    if (n == 0)
        return NR_OK;
    if (hard_wrapped(doc->text, ls, n)) {
        line all = {ls[0].start, ls[n - 1].end};
        return add_block(ctx, doc, all, doc->blocks.len == 0);
    }
    for (size_t i = 0; i < n; i++) {
        nr_status st = add_block(ctx, doc, ls[i], doc->blocks.len == 0);
        if (st != NR_OK)
            return st;
    }
    return NR_OK;
}

nr_status nr_ingest_text(nr_ctx *ctx, nr_doc *doc) {
    const char *s = doc->text;
    nr_vec lines;
    nr_vec_init(&lines, sizeof(line));
    nr_status st = NR_OK;
    for (size_t i = 0; i <= doc->len && st == NR_OK;) {
        size_t e = i;
        while (e < doc->len && s[e] != '\n')
            e++;
        if (is_blank(s, i, e)) {
            st = flush_paragraph(ctx, doc, lines.data, lines.len);
            lines.len = 0;
        } else {
            line *ln = nr_vec_push(&lines);
            if (!ln)
                st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
            else
                *ln = trim(s, i, e);
        }
        i = e + 1;
    }
    if (st == NR_OK)
        st = flush_paragraph(ctx, doc, lines.data, lines.len);
    nr_vec_free(&lines);
    return st;
}
