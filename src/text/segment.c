/* segment.c: a first segmenter, good enough for the sample article.
 * Sentence ends: . ! ? … followed by white space and an upper-case letter or
 * an opening mark, except after a short list of abbreviations. Quotations:
 * straight double quotes, « », “ ”. */
#include "segment.h"

#include <string.h>

#include "../util/utf8.h"

static bool is_upper_start(const char *s, size_t i, size_t end) {
    uint32_t cp;
    nr_utf8_decode(s + i, end - i, &cp);
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE) || cp == '"' || cp == 0xAB ||
           cp == 0x201C || (cp >= '0' && cp <= '9');
}

static bool after_abbrev(const char *s, size_t start, size_t dot) {
    static const char *const abbr[] = {"M", "MM", "Mr", "Mrs", "Ms", "Dr", "St", "Mme", NULL};
    size_t w = dot;
    while (w > start && s[w - 1] != ' ' && s[w - 1] != '\n')
        w--;
    for (int i = 0; abbr[i]; i++)
        if (strlen(abbr[i]) == dot - w && !memcmp(s + w, abbr[i], dot - w))
            return true;
    return false;
}

static nr_status add_spans(nr_ctx *ctx, nr_doc *doc, nr_sentence *st, nr_vec *spans) {
    const char *s = doc->text;
    spans->len = 0;
    size_t i = st->start, run = st->start;
    while (i < st->end) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, st->end - i, &cp);
        uint32_t close = cp == '"' ? '"' : cp == 0xAB ? 0xBB : cp == 0x201C ? 0x201D : 0;
        if (!close) {
            i += l;
            continue;
        }
        size_t j = i + l, q0 = j;
        while (j < st->end) {
            uint32_t c2;
            size_t l2 = nr_utf8_decode(s + j, st->end - j, &c2);
            if (c2 == close)
                break;
            j += l2;
        }
        size_t q1 = j;
        if (close == 0xBB) { /* French spacing inside guillemets */
            while (q0 < q1 && (s[q0] == ' ' || !memcmp(s + q0, "\xC2\xA0", 2) ||
                               !memcmp(s + q0, "\xE2\x80\xAF", 3)))
                q0 += s[q0] == ' ' ? 1 : (unsigned char)s[q0] == 0xC2 ? 2 : 3;
            uint32_t c3;
            size_t l3;
            while (q1 > q0 && (l3 = nr_utf8_decode_back(s, q1, &c3)) && nr_is_space(c3))
                q1 -= l3;
        }
        if (i > run) {
            nr_span *n = nr_vec_push(spans);
            if (!n)
                return nr_fail(ctx, NR_E_NOMEM, "out of memory");
            *n = (nr_span){.kind = NR_SPAN_NARRATION, .start = run, .end = i, .speaker = -1};
        }
        nr_span *q = nr_vec_push(spans);
        if (!q)
            return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        *q = (nr_span){.kind = NR_SPAN_QUOTE,
                       .start = q0,
                       .end = q1,
                       .speaker = -1,
                       .recovered = j >= st->end};
        i = j < st->end ? j + nr_utf8_decode(s + j, st->end - j, &cp) : st->end;
        run = i;
    }
    if (run < st->end) {
        nr_span *n = nr_vec_push(spans);
        if (!n)
            return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        *n = (nr_span){.kind = NR_SPAN_NARRATION, .start = run, .end = st->end, .speaker = -1};
    }
    st->spans = nr_arena_memdup(doc->arena, spans->data, spans->len, sizeof(nr_span));
    st->n_spans = spans->len;
    return (spans->len && !st->spans) ? nr_fail(ctx, NR_E_NOMEM, "out of memory") : NR_OK;
}

static nr_status split_block(nr_ctx *ctx, nr_doc *doc, nr_block *b, nr_vec *sents, nr_vec *spans) {
    const char *s = doc->text;
    sents->len = 0;
    size_t start = b->start, i = b->start;
    while (i < b->end) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, b->end - i, &cp);
        i += l;
        if (cp != '.' && cp != '!' && cp != '?' && cp != 0x2026)
            continue;
        size_t e = i;
        while (e < b->end && strchr(".!?\"')", s[e]))
            e++;
        if (e < b->end && !memcmp(s + e, "\xC2\xBB", 2))
            e += 2;
        size_t k = e;
        while (k < b->end && (s[k] == ' ' || s[k] == '\n'))
            k++;
        if (k == e || k >= b->end || !is_upper_start(s, k, b->end) ||
            (cp == '.' && after_abbrev(s, start, i - 1))) {
            continue;
        }
        nr_sentence *st = nr_vec_push(sents);
        if (!st)
            return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        st->start = start, st->end = e;
        start = i = k;
    }
    if (start < b->end) {
        nr_sentence *st = nr_vec_push(sents);
        if (!st)
            return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        st->start = start, st->end = b->end;
    }
    for (size_t k = 0; k < sents->len; k++) {
        nr_status r = add_spans(ctx, doc, &NR_VEC_AT(sents, nr_sentence, k), spans);
        if (r != NR_OK)
            return r;
    }
    b->sents = nr_arena_memdup(doc->arena, sents->data, sents->len, sizeof(nr_sentence));
    b->n_sents = sents->len;
    return (sents->len && !b->sents) ? nr_fail(ctx, NR_E_NOMEM, "out of memory") : NR_OK;
}

nr_status nr_segment(nr_ctx *ctx, nr_doc *doc) {
    nr_vec sents, spans;
    nr_vec_init(&sents, sizeof(nr_sentence));
    nr_vec_init(&spans, sizeof(nr_span));
    nr_status st = NR_OK;
    for (size_t i = 0; i < doc->blocks.len && st == NR_OK; i++)
        st = split_block(ctx, doc, &NR_BLOCK(doc, i), &sents, &spans);
    nr_vec_free(&sents);
    nr_vec_free(&spans);
    return st;
}
