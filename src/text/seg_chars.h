/* seg_chars.h: character classes the segmenter asks about, ASCII fast. */
#ifndef NR_SEG_CHARS_H
#define NR_SEG_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

#include "../util/utf8.h"

/* The code point at S+I (bytes up to E) into *CP; its length, 0 at E. */
static inline size_t seg_cp(const char *s, size_t i, size_t e, uint32_t *cp) {
    if (i >= e) {
        *cp = 0;
        return 0;
    }
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    return nr_utf8_decode(s + i, e - i, cp);
}

/* The length of the UTF-8 sequence a lead byte starts (1 for a stray byte). */
static inline size_t seg_seq_len(unsigned char lead) {
    return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
}

/* The code point before S+I (not before B). */
static inline size_t seg_cp_back(const char *s, size_t b, size_t i, uint32_t *cp) {
    if (i <= b) {
        *cp = 0;
        return 0;
    }
    unsigned char c = (unsigned char)s[i - 1];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t l = nr_utf8_decode_back(s, i, cp);
    return l <= i - b ? l : i - b;
}

static inline bool seg_upper(uint32_t c) {
    if (c < 0x80)
        return c >= 'A' && c <= 'Z';
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
}

static inline bool seg_lower(uint32_t c) {
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    return utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_LL;
}

static inline bool seg_digit(uint32_t c) { return c >= '0' && c <= '9'; }

static inline bool seg_letter(uint32_t c) {
    if (c < 0x80)
        return (c | 32) >= 'a' && (c | 32) <= 'z';
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static inline bool seg_space(uint32_t c) {
    return c == ' ' || c == '\n' || c == '\t' || (c >= 0x80 && nr_is_space(c));
}

/* Marks that end a sentence: . ! ? … and their full-width forms. */
static inline bool seg_term(uint32_t c) {
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0xFF0E || c == 0x3002 ||
           c == 0xFF01 || c == 0xFF1F || c == 0x203C || c == 0x2047 || c == 0x2048 || c == 0x2049;
}

/* Marks that may close a quotation or a bracket right after a sentence end. */
static inline bool seg_closer(uint32_t c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == 0xBB || c == 0x201D ||
           c == 0x2019 || c == 0x201C || c == 0x203A || c == 0x2018;
}

/* Marks that open a quotation or a bracket before a sentence. */
static inline bool seg_opener(uint32_t c) {
    return c == '"' || c == '\'' || c == '(' || c == '[' || c == 0xAB || c == 0x201C ||
           c == 0x201E || c == 0x2018 || c == 0x2039 || c == 0x201A || c == 0xBF || c == 0xA1;
}

static inline bool seg_dash(uint32_t c) {
    return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2015 || c == 0x2012;
}

static inline bool seg_bullet(uint32_t c) {
    return c == 0x2022 || c == 0x2043 || c == 0x25E6 || c == 0x25AA || c == 0x2023 || c == 0x25CF ||
           c == 0x25A0 || c == 0x25BA || c == 0x27A2 || c == 0x2219;
}

/* Spaces French typography puts inside guillemets and before ; : ! ? */
static inline bool seg_fr_space(uint32_t c) { return c == ' ' || c == 0xA0 || c == 0x202F; }

#endif
