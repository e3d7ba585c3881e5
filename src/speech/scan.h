/* scan.h: the state of one normalisation pass and the helpers every
 * recogniser shares (src/speech/ only).
 *
 * A pass walks a span's text once, left to right; each recogniser looks at
 * the text from sc->i, and when it recognises a form it appends the spoken
 * words to sc->out, moves sc->i past the form and returns true; otherwise
 * it returns false and leaves both untouched. */
#ifndef NR_SPEECH_SCAN_H
#define NR_SPEECH_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/ctx.h"
#include "../util/buf.h"
#include "../util/utf8.h"
#include "tables.h"

typedef struct nr_scan {
    nr_ctx *ctx;
    const nr_speech_rules *r;
    const char *s;
    size_t n, i;
    nr_buf *out;
    bool fr;         /* French number grammar (speller fr) */
    bool dcomma;     /* decimal comma; "." or a space between thousands */
    size_t prev_end; /* end of the previous word in the input, or SIZE_MAX */
    bool prev_cap;   /* it started with a capital */
    size_t prev_start;
    size_t prev_word_start, prev_word_end; /* the last word, kept across numbers */
    size_t web_run_end, web_last_mark;     /* web.c: the current run of address characters */
} nr_scan;

/* A number as written: its integer part, groups and decimals. */
typedef struct nr_num {
    size_t start, end;
    uint64_t ip; /* integer part */
    size_t ip_digits;
    bool grouped, dec;
    size_t frac_start, frac_len;
} nr_num;

/* ---- small helpers over the input ---- */

static inline uint32_t cp_at(const nr_scan *sc, size_t pos, size_t *len) {
    uint32_t cp = 0;
    if (pos < sc->n && (unsigned char)sc->s[pos] < 0x80) { /* ASCII: no call */
        if (len)
            *len = 1;
        return (unsigned char)sc->s[pos];
    }
    size_t l = pos < sc->n ? nr_utf8_decode(sc->s + pos, sc->n - pos, &cp) : 0;
    if (len)
        *len = l;
    return l ? cp : 0;
}

static inline bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static inline bool is_alnum(uint32_t c) { return is_digit(c) || nr_sp_is_letter(c); }
static inline bool is_hspace(uint32_t c) {
    return c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009;
}

static inline size_t skip_hspace(const nr_scan *sc, size_t pos) {
    size_t l;
    while (pos < sc->n && is_hspace(cp_at(sc, pos, &l)))
        pos += l;
    return pos;
}

static inline size_t skip_space(const nr_scan *sc, size_t pos) {
    size_t l;
    uint32_t c;
    while (pos < sc->n && ((c = cp_at(sc, pos, &l)) == '\n' || c == '\t' || is_hspace(c)))
        pos += l;
    return pos;
}

static inline size_t letters_end(const nr_scan *sc, size_t pos) {
    size_t l;
    for (;;) {
        while (pos < sc->n && (unsigned char)((sc->s[pos] | 0x20) - 'a') < 26)
            pos++; /* ASCII letters: the common case, without decoding */
        if (pos >= sc->n || (unsigned char)sc->s[pos] < 0x80 ||
            !nr_sp_is_letter(cp_at(sc, pos, &l)))
            return pos;
        pos += l;
    }
}

static inline size_t digits_end(const nr_scan *sc, size_t pos) {
    while (pos < sc->n && is_digit((unsigned char)sc->s[pos]))
        pos++;
    return pos;
}

/* True when POS is not inside a word or number. */
static inline bool boundary_at(const nr_scan *sc, size_t pos) {
    return pos >= sc->n || !is_alnum(cp_at(sc, pos, NULL));
}

static inline bool ascii_ieq(const char *a, const char *b, size_t n) {
    for (size_t k = 0; k < n; k++)
        if ((a[k] | 0x20) != (b[k] | 0x20))
            return false;
    return true;
}

static inline uint64_t parse_u64(const char *s, size_t n) {
    uint64_t v = 0;
    for (size_t k = 0; k < n && k < 19; k++)
        v = v * 10 + (uint64_t)(s[k] - '0');
    return v;
}

/* ---- output ---- */

/* Appends WORDS as separate words: a space before unless the output ends in
 * one, so replacements never glue to their neighbours. */
static inline void emit_words(nr_scan *sc, const char *w, size_t wl) {
    nr_buf *o = sc->out;
    if (o->len) {
        uint32_t last;
        nr_utf8_decode_back(o->data, o->len, &last);
        if (is_alnum(last) || (last < 0x80 && strchr(".,;:!?%", (int)last)))
            nr_buf_addc(o, ' ');
    }
    nr_buf_add(o, w, wl);
}
static inline void emit_s(nr_scan *sc, const char *w) { emit_words(sc, w, strlen(w)); }

/* Ends a replacement: a space when the input goes on with a word. */
static inline void emit_end(nr_scan *sc, size_t next) {
    if (next < sc->n && is_alnum(cp_at(sc, next, NULL)))
        nr_buf_addc(sc->out, ' ');
}

static inline void copy_to(nr_scan *sc, size_t end) {
    nr_buf_add(sc->out, sc->s + sc->i, end - sc->i);
    sc->i = end;
}

static inline const char *num_val(const nr_scan *sc, const char *key) {
    return nr_sp_val(&sc->r->numbers, key);
}

/* Adds the elided or plain link ("de" -> "d'" before a vowel). */
static inline void emit_link(nr_scan *sc, const char *link, const char *next) {
    if (!link || !*link)
        return;
    size_t ll = strlen(link);
    uint32_t c = 0;
    nr_utf8_decode(next, strlen(next), &c);
    c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
    bool vowel = c && (strchr("aeiouyh", (int)(c < 0x80 ? c : 'x')) || (c >= 0xE0 && c <= 0xFF));
    const char *elide = num_val(sc, "link-elides");
    if (vowel && elide && !strcmp(elide, "yes") && link[ll - 1] == 'e') {
        emit_words(sc, link, ll - 1);
        nr_buf_addc(sc->out, '\'');
        nr_buf_adds(sc->out, next);
        return;
    }
    emit_s(sc, link);
    emit_s(sc, next);
}

/* ---- context tests for abbreviations ---- */

static inline bool next_is_name(const nr_scan *sc, size_t pos) {
    pos = skip_hspace(sc, pos);
    return pos < sc->n && nr_sp_is_upper(cp_at(sc, pos, NULL));
}

static inline bool next_is_number(const nr_scan *sc, size_t pos) {
    pos = skip_hspace(sc, pos);
    return pos < sc->n && is_digit((unsigned char)sc->s[pos]);
}

/* The word before POS starts with a capital and only spaces separate them. */
static inline bool prev_is_name(const nr_scan *sc, size_t pos) {
    if (sc->prev_end == SIZE_MAX || !sc->prev_cap)
        return false;
    return skip_hspace(sc, sc->prev_end) == pos;
}

/* True when the word before the number at POS is one of LIST's words. */
static inline bool prev_word_in(const nr_scan *sc, size_t pos, const char *list) {
    if (!list || sc->prev_word_end == SIZE_MAX || skip_hspace(sc, sc->prev_word_end) != pos ||
        sc->prev_word_end == pos)
        return false;
    size_t pl = sc->prev_word_end - sc->prev_word_start;
    if (pl > 1 && sc->s[sc->prev_word_start + pl - 1] == '.')
        pl--; /* "Jan." is "Jan" */
    for (const char *c = list; *c;) {
        const char *sp = strchr(c, ' ');
        size_t cl = sp ? (size_t)(sp - c) : strlen(c);
        if (cl == pl && ascii_ieq(c, sc->s + sc->prev_word_start, pl))
            return true;
        c += cl;
        while (*c == ' ')
            c++;
    }
    return false;
}

/* ---- numbers (numforms.c) ---- */

/* Reads a number at POS ("1 000", "1,000", "3,5"); false when none. */
bool nr_sc_parse_num(const nr_scan *sc, size_t pos, nr_num *m);
/* Every form that starts with a digit: dates, telephone numbers, ordinals,
 * times, decades, fractions, money, units, ranges, grouped numbers. */
bool nr_sc_number(nr_scan *sc);
/* A currency sign or code before a number: "$200 million". */
bool nr_sc_money_before(nr_scan *sc);
bool nr_sc_phone(nr_scan *sc);
/* "1990s", "'90s" (M is the number, read at sc->i). */
bool nr_sc_decade(nr_scan *sc, const nr_num *m);
/* An ordinal suffix at POS ("e", "re", "th"); ONE: the number is 1. */
bool nr_sc_ordinal_suffix(const nr_scan *sc, size_t pos, bool one, size_t *end, bool *fem,
                          bool *plural);
bool nr_sc_emit_ordinal(nr_scan *sc, uint64_t v, bool fem, bool plural);

/* ---- words (words.c) ---- */

/* A word at sc->i: Roman numerals, acronyms, keep-language respellings,
 * or the word as written; remembers it as the previous word. */
void nr_sc_word(nr_scan *sc);
void nr_sc_note_word(nr_scan *sc, size_t start, size_t end);
/* True when the capitals S (N bytes) can be said as a word ("NASA"). */
bool nr_sc_pronounceable(const char *s, size_t n);
bool nr_sc_caps_span(const nr_scan *sc, size_t a, size_t b);

/* ---- web addresses, symbols, emoji (web.c) ---- */

bool nr_sc_web(nr_scan *sc);
bool nr_sc_emoji(nr_scan *sc, uint32_t c);
bool nr_sc_symbol(nr_scan *sc, uint32_t c, size_t l);

#endif
