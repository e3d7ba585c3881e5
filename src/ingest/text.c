/* text.c: plain text into blocks.
 *
 * Paragraphs are separated by blank lines. Text copied from a web page has
 * one paragraph per line, so inside a paragraph each line is a block of its
 * own, unless the lines look hard-wrapped (most of them long and of similar
 * length), as in e-mail or terminal text. */
#include "ingest.h"

#include <string.h>
#include <utf8proc.h>

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

/* Lines of one paragraph look hard-wrapped when most of them but the last are
 * between 55 and 100 characters long (text wrapped for a terminal or e-mail). */
static bool hard_wrapped(const char *s, const line *ls, size_t n) {
    if (n < 2)
        return false;
    if (n == 2) {
        /* a long line broken before a word that cannot open a sentence */
        size_t chars = nr_utf8_count(s + ls[0].start, ls[0].end - ls[0].start);
        size_t chars2 = nr_utf8_count(s + ls[1].start, ls[1].end - ls[1].start);
        uint32_t cp, last;
        nr_utf8_decode(s + ls[1].start, ls[1].end - ls[1].start, &cp);
        nr_utf8_decode_back(s, ls[0].end, &last);
        bool upper = utf8proc_isupper((int32_t)cp);
        /* before a capital only when the first line ends in a lower-case word
         * and the second, no longer, ends the sentence (German nouns) */
        if (upper &&
            !(utf8proc_islower((int32_t)last) && chars2 <= chars && ends_sentence(s, ls[1])))
            return false;
        return chars >= 60 && chars <= 100 && cp != 0x2014 && cp != 0x2013 && cp != 0x2022 &&
               cp != '-' && cp != 0xAB && cp != '"' && cp != 0x201C && !(cp >= '0' && cp <= '9');
    }
    size_t wrapped = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        size_t chars = nr_utf8_count(s + ls[i].start, ls[i].end - ls[i].start);
        if (chars >= 55 && chars <= 100)
            wrapped++;
    }
    return wrapped * 4 >= (n - 1) * 3;
}

static nr_status add_block(nr_ctx *ctx, nr_doc *doc, line ln, bool first) {
    nr_block_kind kind = NR_BLOCK_PARAGRAPH;
    first = first && !doc->continued; /* a later window of a stream holds no title */
    if (first && !ends_sentence(doc->text, ln) &&
        nr_utf8_count(doc->text + ln.start, ln.end - ln.start) < 300)
        kind = NR_BLOCK_TITLE;
    if (!nr_doc_add_block(doc, kind, ln.start, ln.end))
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (kind == NR_BLOCK_TITLE)
        doc->title = nr_arena_strndup(doc->arena, doc->text + ln.start, ln.end - ln.start);
    return NR_OK;
}

static bool starts_upper(const char *s, size_t i, size_t e) {
    uint32_t cp;
    nr_utf8_decode(s + i, e - i, &cp);
    return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || utf8proc_isupper((int32_t)cp) ||
           cp == '"' || cp == 0xAB || cp == 0x201C;
}

/* Whether the sentence still open at the end of LN began with a capital:
 * what follows its last ". " "! " "? ", else UPPER (the line before's answer). */
static bool open_sentence_upper(const char *s, line ln, bool upper) {
    for (size_t i = ln.end - 1; i > ln.start && i < ln.end; i--) /* the last one decides */
        if ((s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?') && s[i] == ' ')
            return starts_upper(s, i + 1, ln.end);
    return upper;
}

/* A line that starts in lower case goes on with the sentence of the line
 * before, when that line does not end it and the sentence began with a
 * capital: text copied from a PDF breaks lines mid-sentence, while a list
 * of lower-case items ("features\ncontact manager") keeps one per line.
 * Any line goes on after a soft break (a word, then a space). */
static bool continues_line(const char *s, line prev, line cur, bool upper) {
    uint32_t cp, last;
    nr_utf8_decode(s + cur.start, cur.end - cur.start, &cp);
    if (ends_sentence(s, prev))
        return false;
    /* a line that ends in a word and a space, before a word, was broken
     * softly (RFC 3676 format=flowed, text copied from a PDF):
     * "Andere \nFischsorten (z.B. Hai) weisen ..." */
    nr_utf8_decode_back(s, prev.end, &last);
    if (s[prev.end] == ' ' && utf8proc_category((int32_t)last) <= UTF8PROC_CATEGORY_LO &&
        utf8proc_category((int32_t)last) >= UTF8PROC_CATEGORY_LU &&
        utf8proc_category((int32_t)cp) <= UTF8PROC_CATEGORY_LO &&
        utf8proc_category((int32_t)cp) >= UTF8PROC_CATEGORY_LU)
        return true;
    return upper && utf8proc_islower((int32_t)cp);
}

static nr_status flush_paragraph(nr_ctx *ctx, nr_doc *doc, line *ls, size_t n) {
    if (n == 0)
        return NR_OK;
    if (hard_wrapped(doc->text, ls, n)) {
        line all = {ls[0].start, ls[n - 1].end};
        return add_block(ctx, doc, all, doc->blocks.len == 0);
    }
    const char *s = doc->text;
    for (size_t i = 0; i < n;) {
        bool upper = open_sentence_upper(s, ls[i], starts_upper(s, ls[i].start, ls[i].end));
        size_t j = i + 1;
        while (j < n && continues_line(s, ls[j - 1], ls[j], upper))
            upper = open_sentence_upper(s, ls[j++], upper);
        nr_status st =
            add_block(ctx, doc, (line){ls[i].start, ls[j - 1].end}, doc->blocks.len == 0);
        if (st != NR_OK)
            return st;
        i = j;
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
