/* plan.c: narrate-plan/1 JSON. Written by hand rather than through a JSON
 * library because the plan is a stream: a large article's plan is printed
 * block by block without building a tree of it first. */
#include "plan.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../util/utf8.h"

/* Bytes that a JSON string takes as they are: printable ASCII but the
 * quote and the backslash. White space is not among them (FOLD turns its
 * runs into single spaces). */
static inline bool json_plain(unsigned char c) {
    return (unsigned char)(c - 0x21) < 0x5E && c != '"' && c != '\\';
}

/* 0x80 in each byte of V that is zero, 0 in the others (exact: no carry
 * crosses a byte). */
static inline uint64_t zero_bytes(uint64_t v) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    return ~(((v & low7) + low7) | v | low7);
}

/* Whether the 8 bytes at S are plain or single spaces between plain bytes
 * (S[0] follows a plain byte; S[7] is not a space): text a JSON string
 * takes as it is, folded or not. Most of a plan's text is such words. */
static inline bool json_plain8(const char *s) {
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t x;
    memcpy(&x, s, 8);
    if ((x & high) || s[7] == ' ')
        return false;                          /* not ASCII */
    uint64_t bad = (~(x + 0x60 * ones) & high) /* below 0x20 */
                   | ((x + ones) & high)       /* 0x7F */
                   | zero_bytes(x ^ ('"' * ones)) | zero_bytes(x ^ ('\\' * ones));
    uint64_t sp = zero_bytes(x ^ (' ' * ones));
    return !bad && !(sp & (sp << 8));
}

/* Copies the run of plain bytes of S from I on to O (and, 8 bytes at a
 * time, the single spaces between them); returns the run's end. The
 * common case in a plan: words between single spaces. */
static size_t json_run(const char *s, size_t i, size_t n, char **o) {
    char *w = *o;
    if (i < n) /* S[I] is plain: the bytes after it may start a block of 8 */
        *w++ = s[i++];
    for (; i + 8 <= n && json_plain8(s + i); i += 8, w += 8)
        memcpy(w, s + i, 8);
    while (i < n && json_plain((unsigned char)s[i]))
        *w++ = s[i++];
    *o = w;
    return i;
}

/* S (N bytes) as a JSON string literal, written straight into B in one
 * pass. FOLD: every run of white space becomes one space, none at the ends.
 * Invalid UTF-8 is written as U+FFFD; a control character as \uXXXX. */
static void json_text(nr_buf *b, const char *s, size_t n, bool fold) {
    static const char hex[] = "0123456789abcdef";
    if (n > ((size_t)-1 - 2) / 6 || !nr_buf_reserve(b, n * 6 + 2)) {
        b->failed = true;
        return;
    }
    char *o = b->data + b->len;
    *o++ = '"';
    bool space = false, any = false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (fold && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
            space = true;
            i++;
            continue;
        }
        if (space && any)
            *o++ = ' ';
        space = false;
        any = true;
        if (json_plain(c)) {
            i = json_run(s, i, n, &o);
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            *o++ = (char)c; /* a valid two-byte sequence: an accented letter */
            *o++ = s[i + 1];
            i += 2;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t l = nr_utf8_decode(s + i, n - i, &cp);
            if (cp == 0xFFFD && l == 1)
                memcpy(o, "\xEF\xBF\xBD", 3), o += 3;
            else
                memcpy(o, s + i, l), o += l;
            i += l;
            continue;
        }
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '\n') {
            *o++ = '\\', *o++ = 'n';
        } else if (c == '\t') {
            *o++ = '\\', *o++ = 't';
        } else if (c < 0x20 || c == 0x7F) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        } else {
            *o++ = (char)c;
        }
        i++;
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

void nr_json_string(nr_buf *b, const char *s, size_t n) { json_text(b, s, n, false); }

/* Text as the plan shows it: every run of white space folded to one space. */
static void json_folded(nr_buf *b, const char *s, size_t n) { json_text(b, s, n, true); }

/* Appends V in decimal, NEG: with a minus sign (printf costs more than
 * the rest of a span). */
static void add_num(nr_buf *b, bool neg, size_t v) {
    char tmp[24], *p = tmp + sizeof tmp;
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    if (neg)
        *--p = '-';
    nr_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* Appends "\"start\": START, \"end\": END, \"text\": ". */
static void add_range(nr_buf *b, size_t start, size_t end) {
    nr_buf_adds(b, "\"start\": ");
    add_num(b, false, start);
    nr_buf_adds(b, ", \"end\": ");
    add_num(b, false, end);
    nr_buf_adds(b, ", \"text\": ");
}

static void json_opt_string(nr_buf *b, const char *s) {
    if (s)
        nr_json_string(b, s, strlen(s));
    else
        nr_buf_adds(b, "null");
}

static const char *speaker_id(const nr_doc *doc, int i) {
    if (i < 0 || (size_t)i >= doc->speakers.len)
        return NULL;
    return NR_SPEAKER(doc, i).id;
}

static void write_voice(nr_buf *b, const nr_voice *v) {
    nr_buf_adds(b, "{\"espeak\": ");
    nr_json_string(b, v->espeak, strlen(v->espeak));
    nr_buf_printf(b, ", \"rate\": %d, \"pitch\": %d, \"range\": %d, \"volume\": %d}", v->rate,
                  v->pitch, v->range, v->volume);
}

static void write_speakers(nr_buf *b, const nr_doc *doc) {
    nr_buf_adds(b, "  \"speakers\": [");
    for (size_t i = 0; i < doc->speakers.len; i++) {
        const nr_speaker *s = &NR_SPEAKER(doc, i);
        nr_buf_adds(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        json_opt_string(b, s->id);
        nr_buf_adds(b, ", \"name\": ");
        json_opt_string(b, s->name);
        nr_buf_adds(b, ", \"gender\": ");
        json_opt_string(b, nr_gender_name(s->gender));
        if (i > 0) {
            nr_buf_adds(b, ", \"mentions\": [");
            for (size_t m = 0; m < s->n_mentions; m++) {
                if (m)
                    nr_buf_adds(b, ", ");
                json_opt_string(b, s->mentions[m]);
            }
            nr_buf_addc(b, ']');
        }
        nr_buf_adds(b, ", \"voice\": ");
        write_voice(b, &s->voice);
        nr_buf_addc(b, '}');
    }
    nr_buf_adds(b, "\n  ],\n");
}

static void write_dropped_entry(nr_buf *b, const nr_dropped *d, bool first) {
    nr_buf_adds(b, first ? "\n    {\"text\": " : ",\n    {\"text\": ");
    json_folded(b, d->text, strlen(d->text));
    nr_buf_adds(b, ", \"reason\": ");
    json_opt_string(b, d->reason);
    nr_buf_addc(b, '}');
}

static void write_dropped(nr_buf *b, const nr_doc *doc) {
    nr_buf_adds(b, "  \"dropped\": [");
    for (size_t i = 0; i < doc->dropped.len; i++)
        write_dropped_entry(b, &NR_VEC_AT(&doc->dropped, nr_dropped, i), i == 0);
    nr_buf_adds(b, doc->dropped.len ? "\n  ],\n" : "],\n");
}

/* The text of a sentence as written into the plan: bytes [AT, AT + LEN) of
 * the buffer hold the JSON of doc->text [START, END). */
typedef struct written {
    size_t start, end, at, len;
} written;

/* The JSON of doc->text [A, B): copied from W when W is the same range (a
 * sentence of one span, the commonest), else written. */
static void json_folded_again(nr_buf *b, const nr_doc *doc, size_t a, size_t e, const written *w) {
    if (a != w->start || e != w->end || !nr_buf_reserve(b, w->len)) {
        json_folded(b, doc->text + a, e - a);
        return;
    }
    memcpy(b->data + b->len, b->data + w->at, w->len); /* reserved first: no move */
    b->len += w->len;
    b->data[b->len] = '\0';
}

static void write_span(nr_buf *b, const nr_doc *doc, const nr_span *sp, const written *w) {
    bool q = sp->kind == NR_SPAN_QUOTE;
    nr_buf_adds(b, q ? "{\"kind\": \"quote\", " : "{\"kind\": \"narration\", ");
    add_range(b, sp->start + doc->offset, sp->end + doc->offset);
    json_folded_again(b, doc, sp->start, sp->end, w);
    if (sp->spoken) {
        nr_buf_adds(b, ", \"spoken\": ");
        json_folded(b, sp->spoken, strlen(sp->spoken));
    }
    if (q) {
        nr_buf_adds(b, ", \"speaker\": ");
        json_opt_string(b, speaker_id(doc, sp->speaker));
    }
    const char *voice = speaker_id(doc, sp->voice);
    nr_buf_adds(b, ", \"voice\": ");
    json_opt_string(b, voice ? voice : "narrator");
    if (q) {
        nr_buf_adds(b, sp->embedded ? ", \"embedded\": true, \"quote\": "
                                    : ", \"embedded\": false, \"quote\": ");
        add_num(b, sp->quote < 0, sp->quote < 0 ? 0u - (size_t)sp->quote : (size_t)sp->quote);
        nr_buf_adds(b, sp->continues ? ", \"continues\": true" : "");
        nr_buf_adds(b, sp->recovered ? ", \"recovered\": true" : "");
    }
    nr_buf_addc(b, '}');
}

static void write_block(nr_buf *b, const nr_doc *doc, const nr_block *blk) {
    nr_buf_adds(b, "    {\"kind\": \"");
    nr_buf_adds(b, nr_block_kind_name(blk->kind));
    nr_buf_addc(b, '"');
    if (blk->level) {
        nr_buf_adds(b, ", \"level\": ");
        add_num(b, blk->level < 0, blk->level < 0 ? 0u - (size_t)blk->level : (size_t)blk->level);
    }
    if (blk->lang) {
        nr_buf_adds(b, ", \"lang\": \"");
        nr_buf_adds(b, blk->lang);
        nr_buf_addc(b, '"');
    }
    nr_buf_adds(b, ", \"sentences\": [");
    for (size_t i = 0; i < blk->n_sents; i++) {
        const nr_sentence *se = &blk->sents[i];
        nr_buf_adds(b, i ? ",\n      {" : "\n      {");
        add_range(b, se->start + doc->offset, se->end + doc->offset);
        written w = {se->start, se->end, b->len, 0};
        json_folded(b, doc->text + se->start, se->end - se->start);
        w.len = b->len - w.at;
        nr_buf_adds(b, ",\n       \"spans\": [");
        for (size_t k = 0; k < se->n_spans; k++) {
            nr_buf_adds(b, k ? ",\n         " : "\n         ");
            write_span(b, doc, &se->spans[k], &w);
        }
        nr_buf_adds(b, "]}");
    }
    nr_buf_adds(b, "]}");
}

/* Blocks are gathered into writes of about this many bytes. */
#define NR_PLAN_WRITE_BYTES 65536

static bool flush(nr_buf *b, FILE *out) {
    bool ok = nr_buf_ok(b) && fwrite(b->data ? b->data : "", 1, b->len, out) == b->len;
    b->len = 0;
    return ok;
}

/* Format, language, title, byline and source. */
static void write_head(nr_buf *b, const nr_doc *doc) {
    nr_buf_adds(b, "{\n  \"format\": \"narrate-plan/1\",\n  \"lang\": ");
    json_opt_string(b, doc->lang);
    nr_buf_adds(b, ",\n  \"title\": ");
    json_opt_string(b, doc->title);
    nr_buf_adds(b, ",\n  \"byline\": ");
    json_opt_string(b, doc->byline);
    nr_buf_adds(b, ",\n  \"source\": {\"name\": ");
    json_opt_string(b, doc->name);
    nr_buf_adds(b, ", \"format\": ");
    json_opt_string(b, doc->format);
    nr_buf_adds(b, ", \"encoding\": ");
    json_opt_string(b, doc->encoding);
    nr_buf_adds(b, "},\n");
}

nr_status nr_plan_write(const nr_doc *doc, FILE *out) {
    nr_buf b;
    nr_buf_init(&b);
    write_head(&b, doc);
    write_speakers(&b, doc);
    write_dropped(&b, doc);
    nr_buf_adds(&b, "  \"blocks\": [\n");
    bool ok = flush(&b, out);
    for (size_t i = 0; ok && i < doc->blocks.len; i++) {
        if (i)
            nr_buf_adds(&b, ",\n");
        write_block(&b, doc, &NR_BLOCK(doc, i));
        ok = b.len < NR_PLAN_WRITE_BYTES ? nr_buf_ok(&b) : flush(&b, out);
    }
    nr_buf_adds(&b, "\n  ]\n}\n");
    ok = ok && flush(&b, out) && fflush(out) == 0 && !ferror(out);
    nr_buf_free(&b);
    return ok ? NR_OK : NR_E_IO;
}

/* ---- a plan written window by window ----------------------------------- */

nr_status nr_plan_stream_begin(nr_plan_stream *ps, const nr_doc *first, FILE *out) {
    *ps = (nr_plan_stream){.out = out, .dropped = tmpfile()};
    if (!ps->dropped)
        return NR_E_IO;
    nr_buf b;
    nr_buf_init(&b);
    write_head(&b, first);
    nr_buf_adds(&b, "  \"blocks\": [\n");
    bool ok = flush(&b, out);
    nr_buf_free(&b);
    return ok ? NR_OK : NR_E_IO;
}

nr_status nr_plan_stream_window(nr_plan_stream *ps, const nr_doc *doc, size_t from_at) {
    nr_buf b;
    nr_buf_init(&b);
    bool ok = true;
    for (size_t i = 0; ok && i < doc->blocks.len; i++) {
        if (ps->blocks++)
            nr_buf_adds(&b, ",\n");
        write_block(&b, doc, &NR_BLOCK(doc, i));
        ok = flush(&b, ps->out);
    }
    for (size_t i = 0; ok && i < doc->dropped.len; i++) {
        const nr_dropped *d = &NR_VEC_AT(&doc->dropped, nr_dropped, i);
        if (d->at != SIZE_MAX && d->at < from_at)
            continue; /* cut from the context, already told by the window before */
        write_dropped_entry(&b, d, ps->n_dropped++ == 0);
        ok = flush(&b, ps->dropped);
    }
    nr_buf_free(&b);
    return ok ? NR_OK : NR_E_IO;
}

nr_status nr_plan_stream_end(nr_plan_stream *ps, const nr_doc *speakers) {
    nr_buf b;
    nr_buf_init(&b);
    nr_buf_adds(&b, "\n  ],\n");
    write_speakers(&b, speakers);
    nr_buf_adds(&b, "  \"dropped\": [");
    bool ok = flush(&b, ps->out) && fflush(ps->dropped) == 0 && !ferror(ps->dropped);
    rewind(ps->dropped);
    char chunk[1 << 14];
    for (size_t n; ok && (n = fread(chunk, 1, sizeof chunk, ps->dropped)) > 0;)
        ok = fwrite(chunk, 1, n, ps->out) == n;
    nr_buf_adds(&b, ps->n_dropped ? "\n  ]\n}\n" : "]\n}\n");
    ok = ok && !ferror(ps->dropped) && flush(&b, ps->out) && fflush(ps->out) == 0 &&
         !ferror(ps->out);
    nr_buf_free(&b);
    return ok ? NR_OK : NR_E_IO;
}

void nr_plan_stream_fini(nr_plan_stream *ps) {
    if (ps->dropped)
        fclose(ps->dropped);
    ps->dropped = NULL;
}
