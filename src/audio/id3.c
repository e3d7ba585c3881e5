#include "id3.h"

#include <string.h>

#include "../util/utf8.h"

static void be32(nr_buf *b, uint32_t v) {
    char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    nr_buf_add(b, c, 4);
}

static void put32_at(nr_buf *b, size_t at, uint32_t v, int bits) {
    for (int i = 0; i < 4; i++)
        b->data[at + i] = (char)((v >> (bits * (3 - i))) & (bits == 7 ? 0x7f : 0xff));
}

/* Starts a frame; returns where its size goes, filled by end_frame. */
static size_t begin_frame(nr_buf *b, const char id[4]) {
    nr_buf_add(b, id, 4);
    size_t at = b->len;
    be32(b, 0);
    nr_buf_add(b, "\0\0", 2);
    return at;
}

static void end_frame(nr_buf *b, size_t at) {
    if (nr_buf_ok(b))
        put32_at(b, at, (uint32_t)(b->len - at - 6), 8);
}

/* 0 (ISO-8859-1) when every character of S fits, else 1 (UTF-16). */
static int encoding_of(const char *s) {
    size_t n = strlen(s);
    uint32_t cp;
    for (size_t i = 0, k; i < n; i += k ? k : 1)
        if ((k = nr_utf8_decode(s + i, n - i, &cp)) == 0 || cp > 0xff)
            return 1;
    return 0;
}

/* S in encoding ENC (UTF-16 with a byte order mark); invalid UTF-8 bytes
 * become '?'. */
static void add_encoded(nr_buf *b, const char *s, int enc, bool terminate) {
    size_t n = strlen(s);
    uint32_t cp;
    if (enc)
        nr_buf_add(b, "\xff\xfe", 2);
    for (size_t i = 0, k; i < n; i += k ? k : 1) {
        k = nr_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            cp = '?';
        if (!enc) {
            nr_buf_addc(b, (char)cp);
        } else if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);
            char u[4] = {(char)hi, (char)(hi >> 8), (char)lo, (char)(lo >> 8)};
            nr_buf_add(b, u, 4);
        } else {
            char u[2] = {(char)cp, (char)(cp >> 8)};
            nr_buf_add(b, u, 2);
        }
    }
    if (terminate)
        nr_buf_add(b, "\0\0", enc ? 2 : 1);
}

static void text_frame(nr_buf *b, const char id[4], const char *s) {
    if (!s || !*s)
        return;
    size_t at = begin_frame(b, id);
    int enc = encoding_of(s);
    nr_buf_addc(b, (char)enc);
    add_encoded(b, s, enc, false);
    end_frame(b, at);
}

/* TXXX: one encoding byte, a description, then the value. */
static void user_text(nr_buf *b, const char *desc, const char *s) {
    if (!s || !*s)
        return;
    size_t at = begin_frame(b, "TXXX");
    int enc = encoding_of(desc) | encoding_of(s);
    nr_buf_addc(b, (char)enc);
    add_encoded(b, desc, enc, true);
    add_encoded(b, s, enc, false);
    end_frame(b, at);
}

static bool digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* v2.3 splits a date into TYER (YYYY) and TDAT (DDMM). */
static void date_frames(nr_buf *b, const char *date) {
    if (!date || strlen(date) < 4 || !digits(date, 4))
        return;
    char year[5] = {0};
    memcpy(year, date, 4);
    text_frame(b, "TYER", year);
    if (strlen(date) >= 10 && date[4] == '-' && digits(date + 5, 2) && date[7] == '-' &&
        digits(date + 8, 2)) {
        char ddmm[5] = {date[8], date[9], date[5], date[6], 0};
        text_frame(b, "TDAT", ddmm);
    }
}

static void chapter_frames(nr_buf *b, const nr_chapter *ch, size_t n) {
    if (n > 255)
        n = 255;
    if (n == 0)
        return;
    size_t at = begin_frame(b, "CTOC");
    nr_buf_add(b, "toc", 4);
    nr_buf_addc(b, 0x03); /* top-level, ordered */
    nr_buf_addc(b, (char)n);
    for (size_t i = 0; i < n; i++)
        nr_buf_printf(b, "chp%zu%c", i, 0);
    end_frame(b, at);
    for (size_t i = 0; i < n; i++) {
        at = begin_frame(b, "CHAP");
        nr_buf_printf(b, "chp%zu%c", i, 0);
        be32(b, (uint32_t)(ch[i].start * 1000 + 0.5));
        be32(b, (uint32_t)(ch[i].end * 1000 + 0.5));
        be32(b, 0xffffffffu); /* byte offsets unused */
        be32(b, 0xffffffffu);
        text_frame(b, "TIT2", ch[i].title && *ch[i].title ? ch[i].title : "Chapter");
        end_frame(b, at);
    }
}

void nr_id3_build(nr_buf *out, const nr_tags *t, const nr_chapter *ch, size_t n_ch) {
    size_t head = out->len;
    nr_buf_add(out, "ID3\x03\x00\x00", 6);
    be32(out, 0);
    text_frame(out, "TIT2", t->title);
    text_frame(out, "TPE1", t->author);
    text_frame(out, "TALB", t->show);
    date_frames(out, t->date);
    text_frame(out, "TLAN", t->lang);
    text_frame(out, "TCON", "Podcast");
    if (t->source && (!strncmp(t->source, "http://", 7) || !strncmp(t->source, "https://", 8))) {
        size_t at = begin_frame(out, "WOAS");
        nr_buf_adds(out, t->source);
        end_frame(out, at);
    } else {
        user_text(out, "source", t->source);
    }
    text_frame(out, "TSSE", "narrate " NR_VERSION);
    chapter_frames(out, ch, n_ch);
    nr_buf_add(out, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* a little padding */
    if (nr_buf_ok(out))
        put32_at(out, head + 6, (uint32_t)(out->len - head - 10), 7);
}
