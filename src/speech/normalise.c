/* normalise.c: text for the ear.
 *
 * One left-to-right pass over a span's text, at most a few table lookups
 * per token and no backtracking beyond a token: cost is linear in the text.
 * At each token start the recognisers run in a fixed order (user lexicon,
 * web addresses, abbreviations, numbers and their companions, words,
 * symbols); whatever none recognises is copied unchanged, so eSpeak still
 * gets every word the article wrote. */
#include "normalise.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../util/buf.h"
#include "../util/utf8.h"
#include "numwords.h"
#include "tables.h"

typedef struct scan {
    nr_ctx *ctx;
    const nr_speech_rules *r;
    const char *s;
    size_t n, i;
    nr_buf *out;
    bool fr;         /* French number grammar (speller fr) */
    size_t prev_end; /* end of the previous word in the input, or SIZE_MAX */
    bool prev_cap;   /* it started with a capital */
    size_t prev_start;
    size_t prev_word_start, prev_word_end; /* the last word, kept across numbers */
} scan;

/* ---- small helpers over the input ---- */

static uint32_t cp_at(const scan *sc, size_t pos, size_t *len) {
    uint32_t cp = 0;
    size_t l = pos < sc->n ? nr_utf8_decode(sc->s + pos, sc->n - pos, &cp) : 0;
    if (len)
        *len = l;
    return l ? cp : 0;
}

static bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static bool is_alnum(uint32_t c) { return is_digit(c) || nr_sp_is_letter(c); }
static bool is_hspace(uint32_t c) { return c == ' ' || c == 0xA0 || c == 0x202F || c == 0x2009; }

static size_t skip_hspace(const scan *sc, size_t pos) {
    size_t l;
    while (pos < sc->n && is_hspace(cp_at(sc, pos, &l)))
        pos += l;
    return pos;
}

static size_t skip_space(const scan *sc, size_t pos) {
    size_t l;
    uint32_t c;
    while (pos < sc->n && ((c = cp_at(sc, pos, &l)) == '\n' || c == '\t' || is_hspace(c)))
        pos += l;
    return pos;
}

static size_t letters_end(const scan *sc, size_t pos) {
    size_t l;
    while (pos < sc->n && nr_sp_is_letter(cp_at(sc, pos, &l)))
        pos += l;
    return pos;
}

static size_t digits_end(const scan *sc, size_t pos) {
    while (pos < sc->n && is_digit((unsigned char)sc->s[pos]))
        pos++;
    return pos;
}

/* True when POS is not inside a word or number. */
static bool boundary_at(const scan *sc, size_t pos) {
    return pos >= sc->n || !is_alnum(cp_at(sc, pos, NULL));
}

static bool ascii_ieq(const char *a, const char *b, size_t n) {
    for (size_t k = 0; k < n; k++)
        if ((a[k] | 0x20) != (b[k] | 0x20))
            return false;
    return true;
}

static uint64_t parse_u64(const char *s, size_t n) {
    uint64_t v = 0;
    for (size_t k = 0; k < n && k < 19; k++)
        v = v * 10 + (uint64_t)(s[k] - '0');
    return v;
}

/* ---- output ---- */

/* Appends WORDS as separate words: a space before unless the output ends in
 * one, so replacements never glue to their neighbours. */
static void emit_words(scan *sc, const char *w, size_t wl) {
    nr_buf *o = sc->out;
    if (o->len) {
        uint32_t last;
        nr_utf8_decode_back(o->data, o->len, &last);
        if (is_alnum(last) || (last < 0x80 && strchr(".,;:!?%", (int)last)))
            nr_buf_addc(o, ' ');
    }
    nr_buf_add(o, w, wl);
}
static void emit_s(scan *sc, const char *w) { emit_words(sc, w, strlen(w)); }

/* Ends a replacement: a space when the input goes on with a word. */
static void emit_end(scan *sc, size_t next) {
    if (next < sc->n && is_alnum(cp_at(sc, next, NULL)))
        nr_buf_addc(sc->out, ' ');
}

static void copy_to(scan *sc, size_t end) {
    nr_buf_add(sc->out, sc->s + sc->i, end - sc->i);
    sc->i = end;
}

static const char *num_val(const scan *sc, const char *key) {
    return nr_sp_val(&sc->r->numbers, key);
}

/* Adds the elided or plain link ("de" -> "d'" before a vowel). */
static void emit_link(scan *sc, const char *link, const char *next) {
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

static bool next_is_name(const scan *sc, size_t pos) {
    pos = skip_hspace(sc, pos);
    return pos < sc->n && nr_sp_is_upper(cp_at(sc, pos, NULL));
}

static bool next_is_number(const scan *sc, size_t pos) {
    pos = skip_hspace(sc, pos);
    return pos < sc->n && is_digit((unsigned char)sc->s[pos]);
}

/* The word before POS starts with a capital and only spaces separate them. */
static bool prev_is_name(const scan *sc, size_t pos) {
    if (sc->prev_end == SIZE_MAX || !sc->prev_cap)
        return false;
    return skip_hspace(sc, sc->prev_end) == pos;
}

static bool accept_expansion(void *user, const nr_sp_entry *e, size_t len) {
    scan *sc = user;
    size_t end = sc->i + len;
    switch (e->when) {
    case NR_WHEN_BEFORE_NAME:
        return next_is_name(sc, end);
    case NR_WHEN_AFTER_NAME:
        return prev_is_name(sc, sc->i) && !next_is_name(sc, end);
    case NR_WHEN_BEFORE_NUMBER:
        return next_is_number(sc, end);
    default:
        return true;
    }
}

static bool accept_lexicon(void *user, const nr_sp_entry *e, size_t len) {
    (void)user, (void)len;
    return !e->phonemes; /* the synth does not take phoneme input (see docs/lexicon.md) */
}

/* ---- numbers ---- */

typedef struct num {
    size_t start, end;
    uint64_t ip; /* integer part */
    size_t ip_digits;
    bool grouped, dec;
    size_t frac_start, frac_len;
} num;

static bool is_group_sep(const scan *sc, uint32_t c) {
    if (sc->fr)
        return is_hspace(c) || c == '.';
    return c == ',';
}

/* Reads a number at POS: digits with group separators ("1 000", "1,000")
 * and a decimal part. Groups need 1-3 leading digits then exactly 3. */
static bool parse_num(const scan *sc, size_t pos, num *m) {
    memset(m, 0, sizeof *m);
    m->start = pos;
    size_t e = digits_end(sc, pos);
    if (e == pos)
        return false;
    nr_buf tmp;
    nr_buf_init(&tmp);
    nr_buf_add(&tmp, sc->s + pos, e - pos);
    if (e - pos <= 3) {
        for (;;) {
            size_t l;
            uint32_t c = cp_at(sc, e, &l);
            if (!l || !is_group_sep(sc, c))
                break;
            size_t d = digits_end(sc, e + l);
            if (d - (e + l) != 3)
                break;
            m->grouped = true;
            nr_buf_add(&tmp, sc->s + e + l, 3);
            e = d;
        }
    }
    m->ip_digits = tmp.len;
    m->ip = tmp.len <= 19 ? parse_u64(tmp.data, tmp.len) : UINT64_MAX;
    nr_buf_free(&tmp);
    char dm = sc->fr ? ',' : '.';
    if (e + 1 < sc->n && sc->s[e] == dm && is_digit((unsigned char)sc->s[e + 1])) {
        m->dec = true;
        m->frac_start = e + 1;
        e = digits_end(sc, e + 1);
        m->frac_len = e - m->frac_start;
    }
    m->end = e;
    return true;
}

/* The number as eSpeak reads it best: plain digits, the language's
 * decimal mark, no group separators. */
static void emit_num(scan *sc, const num *m) {
    nr_buf *o = sc->out;
    emit_words(sc, "", 0);
    for (size_t k = m->start; k < (m->dec ? m->frac_start - 1 : m->end); k++)
        if (is_digit((unsigned char)sc->s[k]))
            nr_buf_addc(o, sc->s[k]);
    if (m->dec) {
        nr_buf_addc(o, sc->fr ? ',' : '.');
        nr_buf_add(o, sc->s + m->frac_start, m->frac_len);
    }
}

/* English "a $5m grant": after "a" the amount is an adjective, singular. */
static bool money_adjective(const scan *sc, const num *m) {
    const char *after = num_val(sc, "money-singular-after");
    if (!after || sc->prev_word_end == SIZE_MAX)
        return false;
    size_t p = skip_hspace(sc, sc->prev_word_end);
    if (p == sc->prev_word_end || p > m->start || m->start - p > 4)
        return false;
    size_t pl = sc->prev_word_end - sc->prev_word_start;
    for (const char *c = after; *c;) {
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

/* Singular for the language's rule: French below 2, English exactly 1. */
static bool singular(const scan *sc, const num *m) {
    if (sc->fr)
        return m->ip < 2;
    return m->ip == 1 && !m->dec;
}

/* A scale word or abbreviation at POS ("million", "bn", "M", "Md"):
 * its entry (singular, plural, link) and end. */
static const nr_sp_entry *scale_at(const scan *sc, size_t pos, size_t *end) {
    size_t e = letters_end(sc, pos);
    if (e == pos || e - pos > 20)
        return NULL;
    char key[32];
    memcpy(key, "scale:", 6);
    memcpy(key + 6, sc->s + pos, e - pos);
    const nr_sp_entry *s = nr_sp_get(&sc->r->numbers, key, 6 + e - pos);
    if (s)
        *end = e;
    return s;
}

/* A currency sign or code at POS (longest of 1..3 code points). */
static const nr_sp_entry *currency_at(const scan *sc, size_t pos, size_t *end) {
    size_t p = pos, ends[4];
    int k = 0;
    for (; k < 3 && p < sc->n; k++) {
        size_t l;
        uint32_t c = cp_at(sc, p, &l);
        if (is_hspace(c) || c == '\n' || is_digit(c))
            break;
        p += l;
        ends[k] = p;
    }
    for (; k > 0; k--) {
        const nr_sp_entry *e = nr_sp_get(&sc->r->currency, sc->s + pos, ends[k - 1] - pos);
        if (e && !nr_sp_is_letter(cp_at(sc, ends[k - 1], NULL)) &&
            !(nr_sp_is_letter(cp_at(sc, pos, NULL)) && pos > 0 && is_alnum(sc->s[pos - 1]))) {
            *end = ends[k - 1];
            return e;
        }
    }
    return NULL;
}

/* "200 millions d'euros", "4.5 billion dollars", "2 euros 50". */
static void emit_money(scan *sc, const num *m, const nr_sp_entry *scale, const nr_sp_entry *cur) {
    bool cents = !scale && m->dec && m->frac_len == 2 && *cur->val[0];
    if (cents) {
        num whole = *m;
        whole.dec = false;
        whole.end = m->frac_start - 1;
        uint64_t c = parse_u64(sc->s + m->frac_start, 2);
        bool has_sub = *cur->val[2];
        if (m->ip || !has_sub || !c) {
            emit_num(sc, &whole);
            emit_s(sc, singular(sc, &whole) ? cur->val[0] : cur->val[1]);
        }
        if (!c)
            return;
        const char *short_cents = num_val(sc, "money-cents-short");
        if (m->ip && short_cents && !strcmp(short_cents, "yes")) { /* "2 euros 50" */
            char d[8];
            int dl = snprintf(d, sizeof d, "%llu", (unsigned long long)c);
            emit_words(sc, d, (size_t)dl);
            return;
        }
        const char *and_w = num_val(sc, "money-and");
        if (m->ip && and_w)
            emit_s(sc, and_w);
        char d[8];
        int dl = snprintf(d, sizeof d, "%llu", (unsigned long long)c);
        emit_words(sc, d, (size_t)dl);
        if (*cur->val[2])
            emit_s(sc, c == 1 ? cur->val[2] : (*cur->val[3] ? cur->val[3] : cur->val[2]));
        return;
    }
    emit_num(sc, m);
    if (scale) {
        emit_s(sc, singular(sc, m) ? scale->val[0] : scale->val[1]);
        if (*scale->val[2]) {
            emit_link(sc, scale->val[2], cur->val[1]);
            return;
        }
        emit_s(sc, money_adjective(sc, m) ? cur->val[0] : cur->val[1]);
        return;
    }
    emit_s(sc, singular(sc, m) || money_adjective(sc, m) ? cur->val[0] : cur->val[1]);
}

/* After a number: "M€", "Md $", " €", " millions $". */
static bool try_money_after(scan *sc, const num *m) {
    size_t p = skip_hspace(sc, m->end), e;
    const nr_sp_entry *scale = NULL, *cur;
    if ((cur = currency_at(sc, p, &e))) {
        emit_money(sc, m, NULL, cur);
        sc->i = e;
        emit_end(sc, e);
        return true;
    }
    size_t se;
    if (!(scale = scale_at(sc, p, &se)))
        return false;
    size_t q = skip_hspace(sc, se);
    if (!(cur = currency_at(sc, q, &e)))
        return false;
    emit_money(sc, m, scale, cur);
    sc->i = e;
    emit_end(sc, e);
    return true;
}

/* "$200 million", "€5", "£3.5bn", "US$ 4". */
static bool try_money_before(scan *sc) {
    size_t e;
    const nr_sp_entry *cur = currency_at(sc, sc->i, &e);
    if (!cur)
        return false;
    size_t p = skip_hspace(sc, e);
    num m;
    if (!parse_num(sc, p, &m))
        return false;
    size_t q = m.end, se;
    const nr_sp_entry *scale = scale_at(sc, q, &se);
    if (!scale) {
        q = skip_hspace(sc, m.end);
        scale = scale_at(sc, q, &se);
        if (scale && se - q <= 2)
            scale = NULL; /* "$5 m" is ambiguous: only glued abbreviations */
    }
    emit_money(sc, &m, scale, cur);
    sc->i = scale ? se : m.end;
    emit_end(sc, sc->i);
    return true;
}

/* Ordinal suffix right after digits or a Roman numeral: its gender. */
static bool ordinal_suffix(const scan *sc, size_t pos, size_t *end, bool *fem) {
    size_t e = letters_end(sc, pos);
    if (e == pos || e - pos > 6 || !boundary_at(sc, e))
        return false;
    char key[32];
    int kl = snprintf(key, sizeof key, "ordinal-suffix:%.*s", (int)(e - pos), sc->s + pos);
    const nr_sp_entry *x = nr_sp_get(&sc->r->numbers, key, (size_t)kl);
    if (!x)
        return false;
    *fem = x->val[0][0] == 'f';
    *end = e;
    return true;
}

static bool emit_ordinal(scan *sc, uint64_t v, bool fem) {
    nr_buf w;
    nr_buf_init(&w);
    bool ok = nr_sp_ordinal(sc->r, v, fem, &w) && nr_buf_ok(&w);
    if (ok)
        emit_words(sc, w.data, w.len);
    nr_buf_free(&w);
    return ok;
}

/* Emits a date from its parts; false when they are not a date. */
static bool emit_date(scan *sc, unsigned d, unsigned mo, unsigned y) {
    const char *fmt = num_val(sc, "date-format");
    if (!fmt || mo < 1 || mo > 12 || d < 1 || d > 31 || !sc->r->month[mo])
        return false;
    nr_buf w;
    nr_buf_init(&w);
    for (const char *p = fmt; *p;) {
        if (*p != '{') {
            nr_buf_addc(&w, *p++);
            continue;
        }
        const char *q = strchr(p, '}');
        if (!q)
            break;
        size_t kl = (size_t)(q - p - 1);
        const char *k = p + 1;
        if (kl == 3 && !memcmp(k, "day", 3)) {
            const char *one = num_val(sc, "day-1");
            if (d == 1 && one)
                nr_buf_adds(&w, one);
            else
                nr_buf_printf(&w, "%u", d);
        } else if (kl == 5 && !memcmp(k, "dayth", 5)) {
            nr_sp_ordinal(sc->r, d, false, &w);
        } else if (kl == 5 && !memcmp(k, "month", 5)) {
            nr_buf_adds(&w, sc->r->month[mo]);
        } else if (kl == 4 && !memcmp(k, "year", 4)) {
            nr_buf_printf(&w, "%u", y);
        } else if (kl == 5 && !memcmp(k, "yearw", 5)) {
            nr_sp_year(sc->r, y, &w);
        }
        p = q + 1;
    }
    bool ok = nr_buf_ok(&w);
    if (ok)
        emit_words(sc, w.data, w.len);
    nr_buf_free(&w);
    return ok;
}

/* 2024-03-12, 12/03/2024, 3/12/24. */
static bool try_date(scan *sc) {
    size_t p = sc->i, a = digits_end(sc, p);
    if (a - p == 4 && a + 6 <= sc->n && sc->s[a] == '-') { /* ISO */
        size_t b = digits_end(sc, a + 1);
        if (b - a - 1 != 2 || b >= sc->n || sc->s[b] != '-')
            return false;
        size_t c = digits_end(sc, b + 1);
        if (c - b - 1 != 2 || !boundary_at(sc, c) || (c < sc->n && sc->s[c] == '-'))
            return false;
        unsigned y = (unsigned)parse_u64(sc->s + p, 4), mo = (unsigned)parse_u64(sc->s + a + 1, 2),
                 d = (unsigned)parse_u64(sc->s + b + 1, 2);
        if (!emit_date(sc, d, mo, y))
            return false;
        sc->i = c;
        emit_end(sc, c);
        return true;
    }
    if (a - p < 1 || a - p > 2 || a >= sc->n || (sc->s[a] != '/' && sc->s[a] != '.'))
        return false;
    char sep = sc->s[a];
    size_t b = digits_end(sc, a + 1);
    if (b - a - 1 < 1 || b - a - 1 > 2 || b >= sc->n || sc->s[b] != sep)
        return false;
    size_t c = digits_end(sc, b + 1);
    size_t yl = c - b - 1;
    if ((yl != 4 && yl != 2) || !boundary_at(sc, c))
        return false;
    if (sep == '.' && yl != 4)
        return false;
    unsigned x = (unsigned)parse_u64(sc->s + p, a - p),
             z = (unsigned)parse_u64(sc->s + a + 1, b - a - 1),
             y = (unsigned)parse_u64(sc->s + b + 1, yl);
    if (yl == 2)
        y += y < 50 ? 2000 : 1900;
    bool dmy = sc->r->dmy;
    if (x > 12 && z <= 12)
        dmy = true;
    else if (z > 12 && x <= 12)
        dmy = false;
    if (!emit_date(sc, dmy ? x : z, dmy ? z : x, y))
        return false;
    sc->i = c;
    emit_end(sc, c);
    return true;
}

/* Telephone numbers: "01 23 45 67 89", "+33 6 12 34 56 78", "(555) 123-4567".
 * French reads them in pairs, English digit by digit (numbers.txt
 * "phone-digits"); groups are separated by commas for the pauses. */
static bool try_phone(scan *sc) {
    size_t p = sc->i, groups[12][2];
    int ng = 0;
    bool plus = false, paren = false;
    if (sc->s[p] == '+') {
        plus = true;
        p++;
    }
    size_t digits = 0;
    while (p < sc->n && ng < 12) {
        if (sc->s[p] == '(' && !paren && ng == (plus ? 1 : 0)) {
            paren = true;
            p++;
        }
        size_t e = digits_end(sc, p);
        if (e == p || e - p > 4)
            return false;
        groups[ng][0] = p, groups[ng][1] = e, ng++;
        digits += e - p;
        p = e;
        if (p < sc->n && sc->s[p] == ')' && paren)
            p++;
        size_t l;
        uint32_t c = cp_at(sc, p, &l);
        if (!(c == ' ' || c == '.' || c == '-' || c == 0xA0) || !is_digit(cp_at(sc, p + l, NULL)))
            break;
        p += l;
    }
    if (ng < 3 || digits < 8 || digits > 15 || !boundary_at(sc, groups[ng - 1][1]))
        return false;
    if (!plus && !paren) {
        /* without "+" or "(": French pairs from 0 ("01 23 45 67 89") or the
         * North American 3-3-4 ("555-123-4567"); never "1 000 000" */
        bool pairs = ng == 5 && sc->s[groups[0][0]] == '0';
        for (int k = 0; k < ng && pairs; k++)
            pairs = groups[k][1] - groups[k][0] == 2;
        int f = (ng == 4 && groups[0][1] - groups[0][0] == 1 && sc->s[groups[0][0]] == '1');
        bool nanp = ng == 3 + f && groups[f][1] - groups[f][0] == 3 &&
                    groups[f + 1][1] - groups[f + 1][0] == 3 &&
                    groups[f + 2][1] - groups[f + 2][0] == 4 && sc->s[groups[f][1]] != ' ';
        if (!pairs && !nanp)
            return false;
    }
    const char *mode = num_val(sc, "phone-digits");
    bool single = mode && !strcmp(mode, "single");
    if (plus)
        emit_s(sc, nr_sp_val(&sc->r->symbols, "+") ? nr_sp_val(&sc->r->symbols, "+") : "+");
    for (int k = 0; k < ng; k++) {
        if (k)
            nr_buf_addc(sc->out, ',');
        size_t a = groups[k][0], b = groups[k][1];
        if (single)
            for (size_t d = a; d < b; d++)
                emit_words(sc, sc->s + d, 1);
        else if (b - a == 4 && !single) {
            emit_words(sc, sc->s + a, 2);
            emit_words(sc, sc->s + a + 2, 2);
        } else
            emit_words(sc, sc->s + a, b - a);
    }
    sc->i = groups[ng - 1][1];
    emit_end(sc, sc->i);
    return true;
}

/* French "15 h 30", "15h", "9h05"; "10:30" in French; "a.m."/"pm" after a
 * time in English. */
static bool try_time(scan *sc, const num *m) {
    const char *hw = num_val(sc, "hour-word");
    size_t p = m->end;
    if (m->dec || m->grouped || m->ip > 24)
        return false;
    if (hw) {
        const nr_sp_entry *h = nr_sp_get(&sc->r->numbers, "hour-word", 9);
        size_t q = skip_hspace(sc, p), mins = 0, me = 0;
        bool colon = false;
        if (q < sc->n && sc->s[q] == 'h' &&
            (q + 1 >= sc->n || !nr_sp_is_letter(cp_at(sc, q + 1, NULL)))) {
            size_t r = skip_hspace(sc, q + 1);
            me = digits_end(sc, r);
            mins = me - r;
            if (mins == 2 || mins == 1) {
                q = r;
            } else {
                me = q + 1, mins = 0;
            }
            if (mins && !boundary_at(sc, me))
                return false;
        } else if (p < sc->n && sc->s[p] == ':' && p == q) {
            me = digits_end(sc, p + 1);
            if (me - p - 1 != 2 || !boundary_at(sc, me))
                return false;
            mins = 2, q = p + 1, colon = true;
        } else
            return false;
        emit_num(sc, m);
        emit_s(sc, m->ip < 2 ? h->val[0] : h->val[1]);
        if (mins) {
            uint64_t v = parse_u64(sc->s + q, mins);
            if (v) {
                char d[4];
                int dl = snprintf(d, sizeof d, "%llu", (unsigned long long)v);
                emit_words(sc, d, (size_t)dl);
            }
        }
        (void)colon;
        sc->i = me;
        emit_end(sc, me);
        return true;
    }
    /* English: copy "10:30" and spell a.m./p.m. */
    size_t e = p;
    if (e + 2 < sc->n && sc->s[e] == ':' && digits_end(sc, e + 1) == e + 3)
        e += 3;
    size_t q = skip_hspace(sc, e);
    const char *s = sc->s + q;
    size_t left = sc->n - q, ml = 0;
    char which = left ? (char)(s[0] | 0x20) : 0;
    if (which == 'a' || which == 'p') {
        if (left >= 4 && s[1] == '.' && (s[2] | 0x20) == 'm' && s[3] == '.' &&
            boundary_at(sc, q + 4))
            ml = 4;
        else if (left >= 2 && (s[1] | 0x20) == 'm' && boundary_at(sc, q + 2))
            ml = 2;
    }
    if (!ml || (e == p && m->ip > 12))
        return false;
    emit_num(sc, m);
    nr_buf_add(sc->out, sc->s + p, e - p);
    emit_s(sc, (which | 0x20) == 'a' ? "A.M" : "P.M");
    sc->i = q + ml;
    /* a.m. at the end of a sentence keeps the full stop */
    if (ml == 4 && skip_space(sc, sc->i) >= sc->n)
        nr_buf_addc(sc->out, '.');
    emit_end(sc, sc->i);
    return true;
}

/* "1990s", "1990's" -> "nineteen nineties"; "90s" -> "nineties". */
static bool try_decade(scan *sc, const num *m) {
    const char *on = num_val(sc, "decades");
    if (!on || strcmp(on, "yes") || m->dec || m->grouped ||
        (m->ip_digits != 4 && m->ip_digits != 2) || m->ip % 10)
        return false;
    size_t p = m->end;
    if (p < sc->n && (sc->s[p] == '\''))
        p++;
    else if (p + 2 < sc->n && !memcmp(sc->s + p, "\xE2\x80\x99", 3))
        p += 3;
    if (p >= sc->n || sc->s[p] != 's' || !boundary_at(sc, p + 1))
        return false;
    nr_buf w;
    nr_buf_init(&w);
    bool ok = nr_sp_decade(sc->r, m->ip, m->ip_digits == 2, &w) && nr_buf_ok(&w);
    if (ok) {
        emit_words(sc, w.data, w.len);
        sc->i = p + 1;
        emit_end(sc, sc->i);
    }
    nr_buf_free(&w);
    return ok;
}

/* "1/2" -> "one half"; only proper fractions with a small denominator. */
static bool try_fraction(scan *sc, const num *m) {
    size_t p = m->end;
    if (m->dec || m->grouped || p >= sc->n || sc->s[p] != '/')
        return false;
    size_t e = digits_end(sc, p + 1);
    if (e == p + 1 || e - p - 1 > 3 || !boundary_at(sc, e) || (e < sc->n && sc->s[e] == '/'))
        return false;
    uint64_t den = parse_u64(sc->s + p + 1, e - p - 1);
    if (den >= 10 && m->ip <= den) { /* "15/20": a mark, "15 sur 20" */
        const char *ratio = num_val(sc, "ratio-word");
        if (!ratio)
            return false;
        emit_num(sc, m);
        emit_s(sc, ratio);
        emit_words(sc, sc->s + p + 1, e - p - 1);
        sc->i = e;
        emit_end(sc, e);
        return true;
    }
    if (m->ip >= den || den < 2)
        return false;
    nr_buf w;
    nr_buf_init(&w);
    bool ok = nr_sp_fraction(sc->r, m->ip, den, &w) && nr_buf_ok(&w);
    if (ok) {
        emit_words(sc, w.data, w.len);
        sc->i = e;
        emit_end(sc, e);
    }
    nr_buf_free(&w);
    return ok;
}

/* "12–15", "1914-1918": the number, the range word; the second number is
 * read on its own afterwards (it may carry "%" or a unit). */
static bool try_range(scan *sc, const num *m) {
    size_t p = m->end, l;
    size_t q = skip_hspace(sc, p);
    uint32_t c = cp_at(sc, q, &l);
    bool dash = c == 0x2013 || c == 0x2014;
    if (!(dash || (c == '-' && q == p)))
        return false;
    size_t r = dash ? skip_hspace(sc, q + l) : q + l;
    num b;
    if (!parse_num(sc, r, &b) || m->dec || b.dec)
        return false;
    if (b.end < sc->n && (sc->s[b.end] == '-' || sc->s[b.end] == '/'))
        return false;
    if (!dash && b.ip <= m->ip)
        return false; /* "3-2", "50-50": scores and odds, not ranges */
    const char *w = num_val(sc, "range-word");
    if (!w)
        return false;
    if (sc->prev_word_end != SIZE_MAX && skip_hspace(sc, sc->prev_word_end) == m->start) {
        /* "entre 12 et 15", "between 12 and 15" */
        char key[48];
        int kl =
            snprintf(key, sizeof key, "range-after:%.*s",
                     (int)(sc->prev_word_end - sc->prev_word_start), sc->s + sc->prev_word_start);
        const nr_sp_entry *a =
            kl < (int)sizeof key ? nr_sp_get(&sc->r->numbers, key, (size_t)kl) : NULL;
        if (a)
            w = a->val[0];
    }
    emit_num(sc, m);
    emit_s(sc, w);
    nr_buf_addc(sc->out, ' ');
    sc->i = r;
    return true;
}

/* A unit after a number ("km/h", "°C", "%"), plural by the number. */
static bool try_unit(scan *sc, const num *m) {
    size_t p = skip_hspace(sc, m->end), e = p, l;
    while (e < sc->n) {
        uint32_t c = cp_at(sc, e, &l);
        if (!(nr_sp_is_letter(c) || c == '/' || c == 0xB2 || c == 0xB3 || c == 0xB0 || c == '%' ||
              c == 0x2030 || c == 0xB5))
            break;
        e += l;
    }
    while (e > p) {
        const nr_sp_entry *u = nr_sp_get(&sc->r->units, sc->s + p, e - p);
        if (u && boundary_at(sc, e)) {
            emit_num(sc, m);
            emit_s(sc, (singular(sc, m) && *u->val[1]) ? u->val[1] : u->val[0]);
            sc->i = e;
            emit_end(sc, e);
            return true;
        }
        /* a unit may be followed by a slash that is not its own */
        size_t k = e;
        while (k > p && sc->s[k - 1] != '/')
            k--;
        if (k == p)
            break;
        e = k - 1;
    }
    return false;
}

/* All the forms that start with a digit. */
static bool try_number(scan *sc) {
    if (try_date(sc) || try_phone(sc))
        return true;
    num m;
    if (!parse_num(sc, sc->i, &m))
        return false;
    bool fem;
    size_t e;
    if (!m.dec && !m.grouped && ordinal_suffix(sc, m.end, &e, &fem) &&
        emit_ordinal(sc, m.ip, fem)) {
        sc->i = e;
        emit_end(sc, e);
        return true;
    }
    if (try_time(sc, &m) || try_decade(sc, &m) || try_fraction(sc, &m) || try_money_after(sc, &m) ||
        try_unit(sc, &m) || try_range(sc, &m))
        return true;
    if (m.grouped || m.dec) { /* plain digits for eSpeak */
        emit_num(sc, &m);
        sc->i = m.end;
        return true;
    }
    return false;
}

/* ---- words ---- */

static int roman_value(char c) {
    switch (c) {
    case 'I':
        return 1;
    case 'V':
        return 5;
    case 'X':
        return 10;
    case 'L':
        return 50;
    case 'C':
        return 100;
    default:
        return 0;
    }
}

/* The value of a Roman numeral (I V X L C) written canonically, or 0.
 * L and C only in numerals of three letters or more: "CV", "XL" are more
 * often abbreviations. */
static unsigned roman(const char *s, size_t n) {
    if (!n || n > 9)
        return 0;
    if (n < 3 && (memchr(s, 'L', n) || memchr(s, 'C', n)))
        return 0;
    unsigned v = 0;
    for (size_t k = 0; k < n; k++) {
        int a = roman_value(s[k]), b = k + 1 < n ? roman_value(s[k + 1]) : 0;
        if (!a)
            return 0;
        v += (unsigned)(a < b ? -a : a);
    }
    /* canonical check: write it back */
    static const char *const hundreds[] = {"", "C", "CC", "CCC"};
    static const char *const tens[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
    static const char *const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    if (v == 0 || v >= 400)
        return 0;
    char back[24];
    int bl =
        snprintf(back, sizeof back, "%s%s%s", hundreds[v / 100], tens[v / 10 % 10], ones[v % 10]);
    return ((size_t)bl == n && !memcmp(back, s, n)) ? v : 0;
}

/* "XIXe", "Ier", "IIe": a Roman numeral carrying an ordinal suffix. */
static bool try_roman_ordinal(scan *sc, size_t wend) {
    size_t p = sc->i;
    while (p < wend && roman_value(sc->s[p]) && roman_value(sc->s[p]) <= 10)
        p++;
    unsigned v = roman(sc->s + sc->i, p - sc->i);
    bool fem;
    size_t e;
    if (!v || p == wend || !ordinal_suffix(sc, p, &e, &fem) || e != wend)
        return false;
    if (!emit_ordinal(sc, v, fem))
        return false;
    sc->i = wend;
    emit_end(sc, wend);
    return true;
}

/* "Louis XIV", "Henry VIII", "World War II". */
static bool try_roman_after_name(scan *sc, size_t wend) {
    size_t len = wend - sc->i;
    unsigned v = roman(sc->s + sc->i, len);
    if (!v || !prev_is_name(sc, sc->i))
        return false;
    const char *style = num_val(sc, "roman-after-name");
    if (!style)
        return false;
    const char *card = num_val(sc, "roman-cardinal-after");
    bool cardinal = !strcmp(style, "cardinal"), listed = false;
    if (card) {
        size_t pl = sc->prev_end - sc->prev_start;
        for (const char *c = card; *c;) {
            const char *sp = strchr(c, ' ');
            size_t cl = sp ? (size_t)(sp - c) : strlen(c);
            if (cl == pl && !memcmp(c, sc->s + sc->prev_start, pl))
                listed = true;
            c += cl;
            while (*c == ' ')
                c++;
        }
    }
    /* a lone I, V or X only after a listed word ("World War I"), or where
     * the language allows it ("Charles X") */
    const char *single = num_val(sc, "roman-single-letters");
    if (len < 2 && !listed && !(single && strchr(single, sc->s[sc->i])))
        return false;
    cardinal = cardinal || listed;
    nr_buf w;
    nr_buf_init(&w);
    if (cardinal) {
        nr_sp_cardinal(sc->r, v, &w);
        if (w.len && w.data[0] >= 'a' && w.data[0] <= 'z' && !sc->fr)
            w.data[0] = (char)(w.data[0] - 32);
    } else {
        const char *the = num_val(sc, "roman-article");
        if (the) {
            nr_buf_adds(&w, the);
            nr_buf_addc(&w, ' ');
        }
        size_t mark = w.len;
        nr_sp_ordinal(sc->r, v, false, &w);
        if (w.len > mark && w.data[mark] >= 'a' && w.data[mark] <= 'z')
            w.data[mark] = (char)(w.data[mark] - 32);
    }
    bool ok = nr_buf_ok(&w) && w.len;
    if (ok) {
        emit_words(sc, w.data, w.len);
        sc->i = wend;
        emit_end(sc, wend);
    }
    nr_buf_free(&w);
    return ok;
}

/* Spells an acronym so eSpeak says its letters: "A.F.P". */
static void emit_spelled(scan *sc, size_t a, size_t b) {
    nr_buf *o = sc->out;
    /* eSpeak reads a capital "L'" before spelled letters as "L apostrophe" */
    size_t ol = o->len;
    if (ol >= 2 && o->data[ol - 1] == '\'' && o->data[ol - 2] == 'L' &&
        (ol == 2 || !is_alnum((unsigned char)o->data[ol - 3])))
        o->data[ol - 2] = 'l';
    else if (ol >= 4 && !memcmp(o->data + ol - 3, "\xE2\x80\x99", 3) && o->data[ol - 4] == 'L' &&
             (ol == 4 || !is_alnum((unsigned char)o->data[ol - 5])))
        o->data[ol - 4] = 'l';
    for (size_t p = a, l; p < b; p += l) {
        cp_at(sc, p, &l);
        if (p > a)
            nr_buf_addc(o, '.');
        nr_buf_add(o, sc->s + p, l);
    }
}

static bool is_vowel(char c) { return strchr("AEIOUY", c) != NULL; }

/* The rule for acronyms not in the table: a word when it can be said as
 * one (NASA, OTAN, UNESCO), letters otherwise (SNCF, FBI, OCDE). */
static bool pronounceable(const char *s, size_t n) {
    if (n < 4 || n > 8)
        return false;
    size_t vowels = 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c < 'A' || c > 'Z')
            return false;
        vowels += is_vowel(c);
    }
    if (vowels * 4 < n || vowels == n)
        return false;
    for (size_t k = 0; k + 1 < n; k++) {
        char a = s[k], b = s[k + 1];
        if (is_vowel(a) || is_vowel(b))
            continue;
        if (k + 2 < n && !is_vowel(s[k + 2]))
            return false; /* three consonants */
        bool liquid = strchr("LR", b) != NULL, first = strchr("MNLRS", a) != NULL;
        if (k == 0 && !(liquid || (a == 'S' && strchr("CPTK", b))))
            return false;
        if (k + 2 == n && !first)
            return false;
        if (!liquid && !first)
            return false;
    }
    if (n >= 2 && is_vowel(s[0]) && is_vowel(s[1]) && s[0] == s[1])
        return false;
    return true;
}

/* True when [A, B) is a word of two or more capitals. */
static bool caps_span(const scan *sc, size_t a, size_t b) {
    size_t n = 0, l;
    for (size_t p = a; p < b; p += l, n++)
        if (!nr_sp_is_upper(cp_at(sc, p, &l)))
            return false;
    return n >= 2;
}

static bool caps_word_next(const scan *sc, size_t pos) {
    size_t a = skip_hspace(sc, pos);
    if (a == pos)
        return false;
    return caps_span(sc, a, letters_end(sc, a));
}

static bool caps_word_prev(const scan *sc) {
    return sc->prev_end != SIZE_MAX && skip_hspace(sc, sc->prev_end) == sc->i &&
           caps_span(sc, sc->prev_start, sc->prev_end);
}

/* An all-capital word: the table says spell, word, or a respelling; else
 * the rule. Also "NGOs": the acronym with a plural s. */
static bool try_acronym(scan *sc, size_t wend) {
    size_t p = sc->i, l, caps = 0;
    while (p < wend && nr_sp_is_upper(cp_at(sc, p, &l)))
        p += l, caps++;
    size_t aend = p;
    bool plural = false;
    if (p < wend) {
        if (p + 1 == wend && sc->s[p] == 's' && caps >= 2)
            plural = true;
        else
            return false;
    }
    if (caps < 2)
        return false;
    bool listed = nr_sp_get(&sc->r->acronyms, sc->s + sc->i, aend - sc->i) != NULL;
    if (!listed && !plural && (caps_word_next(sc, wend) || caps_word_prev(sc)))
        return false; /* a line in capitals is words, not acronyms */
    /* "U.S."-style and "COVID-19" stay as written; so do words glued to digits */
    if (aend < sc->n && is_digit((unsigned char)sc->s[aend]))
        return false;
    const nr_sp_entry *e = nr_sp_get(&sc->r->acronyms, sc->s + sc->i, aend - sc->i);
    const char *how = e ? e->val[0] : NULL;
    bool spell;
    if (how && !strcmp(how, "spell"))
        spell = true;
    else if (how && !strcmp(how, "word"))
        spell = false;
    else if (how && *how) {
        emit_s(sc, how);
        if (plural && !sc->fr)
            nr_buf_addc(sc->out, 's');
        sc->i = wend;
        return true;
    } else
        spell = !pronounceable(sc->s + sc->i, aend - sc->i);
    if (spell) {
        emit_words(sc, "", 0);
        emit_spelled(sc, sc->i, aend);
        if (plural && !sc->fr)
            nr_buf_adds(sc->out, "'s");
    } else {
        /* one capital then small letters: eSpeak then never spells it */
        emit_words(sc, sc->s + sc->i, cp_at(sc, sc->i, &l) ? l : 0);
        for (size_t q = sc->i + l, ql; q < aend; q += ql) {
            uint32_t c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp_at(sc, q, &ql));
            char enc[4];
            nr_buf_add(sc->out, enc, nr_utf8_encode(c, enc));
        }
        if (plural && !sc->fr)
            nr_buf_addc(sc->out, 's');
    }
    sc->i = wend;
    return true;
}

/* keep_lang: respells a name that would make eSpeak switch to English
 * phonemes ("Blinken" -> "Blinkène"), by keep-lang.txt: "=Word" replaces
 * a whole word, "^x" a start, "x$" an end, "x" anything, longest first. */
static bool try_keep_lang(scan *sc, size_t wend) {
    size_t wl = wend - sc->i;
    if (!sc->ctx || !sc->ctx->keep_lang || !sc->r->keeplang.count || wl > 64 ||
        !nr_sp_is_upper(cp_at(sc, sc->i, NULL)) || caps_span(sc, sc->i, wend))
        return false;
    const char *w = sc->s + sc->i;
    char key[80];
    key[0] = '=';
    memcpy(key + 1, w, wl);
    const nr_sp_entry *e = nr_sp_get(&sc->r->keeplang, key, wl + 1);
    if (e) {
        emit_s(sc, e->val[0]);
        sc->i = wend;
        return true;
    }
    nr_buf o;
    nr_buf_init(&o);
    bool changed = false;
    for (size_t p = 0; p < wl;) {
        const nr_sp_entry *hit = NULL;
        for (size_t k = wl - p < 6 ? wl - p : 6; k >= 1 && !hit; k--) {
            if (p == 0) {
                key[0] = '^';
                memcpy(key + 1, w, k);
                if ((hit = nr_sp_get(&sc->r->keeplang, key, k + 1)))
                    break;
            }
            if (p + k == wl) {
                memcpy(key, w + p, k);
                key[k] = '$';
                if ((hit = nr_sp_get(&sc->r->keeplang, key, k + 1)))
                    break;
            }
            hit = nr_sp_get(&sc->r->keeplang, w + p, k);
        }
        if (hit) {
            /* the loop breaks with k unchanged; recover it from the key */
            size_t kl = hit->klen - (hit->key[0] == '^' || hit->key[hit->klen - 1] == '$');
            nr_buf_adds(&o, hit->val[0]);
            p += kl;
            changed = true;
        } else {
            nr_buf_addc(&o, w[p]);
            p++;
        }
    }
    if (changed && nr_buf_ok(&o))
        emit_words(sc, o.data, o.len);
    nr_buf_free(&o);
    if (changed)
        sc->i = wend;
    return changed;
}

static void note_word(scan *sc, size_t start, size_t end) {
    sc->prev_word_start = start;
    sc->prev_word_end = end;
    sc->prev_start = start;
    sc->prev_end = end;
    sc->prev_cap = nr_sp_is_upper(cp_at(sc, start, NULL));
}

static void do_word(scan *sc) {
    size_t start = sc->i, wend = letters_end(sc, sc->i);
    bool done = try_roman_ordinal(sc, wend) || try_roman_after_name(sc, wend) ||
                try_acronym(sc, wend) || try_keep_lang(sc, wend);
    if (!done)
        copy_to(sc, wend);
    note_word(sc, start, wend);
}

/* ---- web addresses ---- */

static bool host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

static bool known_tld(const scan *sc, const char *t, size_t n);

/* A label of a host or address: short unpronounceable ones ("afp", "bbc")
 * are spelled, like acronyms; top-level domains stay as written. */
static void emit_label(scan *sc, const char *w, size_t n) {
    char up[8];
    bool letters = n <= 4;
    for (size_t k = 0; k < n && letters; k++) {
        letters = (w[k] | 0x20) >= 'a' && (w[k] | 0x20) <= 'z';
        if (letters)
            up[k] = (char)(w[k] & ~0x20);
    }
    if (!letters || n < 2 || known_tld(sc, w, n) || pronounceable(up, n)) {
        emit_words(sc, w, n);
        return;
    }
    emit_words(sc, "", 0);
    for (size_t k = 0; k < n; k++) {
        if (k)
            nr_buf_addc(sc->out, '.');
        nr_buf_addc(sc->out, up[k]);
    }
}

/* Says a host name: its labels joined by the language's "dot". */
static void emit_host(scan *sc, const char *h, size_t n) {
    const char *dot = nr_sp_val(&sc->r->symbols, "dot");
    size_t a = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k == n || h[k] == '.') {
            if (k > a) {
                if (a)
                    emit_s(sc, dot ? dot : ".");
                emit_label(sc, h + a, k - a);
            }
            a = k + 1;
        }
    }
}

static bool known_tld(const scan *sc, const char *t, size_t n) {
    const char *tlds = nr_sp_val(&sc->r->symbols, "tlds");
    if (!tlds || !n)
        return false;
    for (const char *c = tlds; *c;) {
        const char *sp = strchr(c, ' ');
        size_t cl = sp ? (size_t)(sp - c) : strlen(c);
        if (cl == n && ascii_ieq(c, t, n))
            return true;
        c += cl;
        while (*c == ' ')
            c++;
    }
    return false;
}

/* URLs are said by their site's name only ("lemonde point fr"); e-mail
 * addresses in full, as a person reads them. */
static bool try_web(scan *sc) {
    const char *s = sc->s + sc->i;
    size_t left = sc->n - sc->i, p = 0;
    bool url = false;
    if (left > 8 && ascii_ieq(s, "https://", 8))
        p = 8, url = true;
    else if (left > 7 && ascii_ieq(s, "http://", 7))
        p = 7, url = true;
    if (left > 4 && ascii_ieq(s + p, "www.", 4))
        p += 4, url = true;
    /* a local part and '@': e-mail */
    size_t k = p;
    while (k < left && (host_char(s[k]) || s[k] == '_' || s[k] == '+'))
        k++;
    if (!url && k < left && s[k] == '@' && k > 0) {
        size_t h = k + 1, he = h;
        while (he < left && host_char(s[he]))
            he++;
        while (he > h && (s[he - 1] == '.' || s[he - 1] == '-'))
            he--;
        if (!memchr(s + h, '.', he - h))
            return false;
        emit_host(sc, s, k);
        const char *at = nr_sp_val(&sc->r->symbols, "at");
        emit_s(sc, at ? at : "@");
        emit_host(sc, s + h, he - h);
        sc->i += he;
        return true;
    }
    size_t he = p;
    while (he < left && host_char(s[he]))
        he++;
    while (he > p && (s[he - 1] == '.' || s[he - 1] == '-'))
        he--;
    if (!url) { /* a bare domain: "lemonde.fr", "example.com/page" */
        const char *dot = memrchr(s, '.', he);
        if (!dot || dot == s || !known_tld(sc, dot + 1, (size_t)(s + he - (dot + 1))))
            return false;
        for (size_t q = 0; q < he; q++)
            if (s[q] >= 'A' && s[q] <= 'Z')
                return false;
    }
    if (he == p)
        return false;
    emit_host(sc, s + p, he - p);
    /* the path is not read; trailing sentence punctuation stays */
    size_t e = he;
    while (e < left && !nr_is_space((unsigned char)s[e]) && s[e] != ' ' && s[e] != '\n')
        e++;
    while (e > he && strchr(".,;:!?)]}\"'", s[e - 1]))
        e--;
    while (e > he && (unsigned char)s[e - 1] >= 0x80 && (unsigned char)s[e - 1] < 0xC0 &&
           e - he >= 2 && !memcmp(s + e - 2, "\xC2\xBB", 2))
        e -= 2;
    sc->i += e;
    return true;
}

/* ---- symbols and emoji ---- */

static bool is_emoji(uint32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || c == 0x2B50 ||
           c == 0x2B55 || (c >= 0x2B1B && c <= 0x2B1C) || c == 0x3030 || c == 0x303D;
}

static bool try_emoji(scan *sc, uint32_t c) {
    if (!is_emoji(c))
        return false;
    size_t p = sc->i, l;
    char key[64];
    size_t kl = 0;
    /* the cluster: emoji, variation selectors, skin tones, joiners */
    while (p < sc->n) {
        uint32_t d = cp_at(sc, p, &l);
        bool part = (p == sc->i) || d == 0xFE0F || d == 0x200D || (d >= 0x1F3FB && d <= 0x1F3FF) ||
                    (is_emoji(d) && p > sc->i &&
                     (sc->s[p - 1] == '\x8D' || (d >= 0x1F1E6 && d <= 0x1F1FF)));
        if (!part)
            break;
        if (d != 0xFE0F && kl + l < sizeof key) {
            memcpy(key + kl, sc->s + p, l);
            kl += l;
        }
        p += l;
    }
    if (sc->ctx && sc->ctx->emoji == NR_EMOJI_NAME) {
        const nr_sp_entry *e = nr_sp_get(&sc->r->emoji, key, kl);
        if (!e) /* the base emoji without its modifiers */
            e = nr_sp_get(&sc->r->emoji, key, nr_utf8_decode(key, kl, &c));
        if (e) {
            emit_s(sc, e->val[0]);
            emit_end(sc, p);
            sc->i = p;
            return true;
        }
    }
    /* dropped: no double space where it stood */
    nr_buf *o = sc->out;
    if (!o->len || o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\n')
        p = skip_hspace(sc, p);
    if (p >= sc->n)
        while (o->len && o->data[o->len - 1] == ' ')
            o->data[--o->len] = '\0';
    sc->i = p;
    return true;
}

/* &, §, #, @, +, =, % ... from symbols.txt, with the context some need. */
static bool try_symbol(scan *sc, uint32_t c, size_t l) {
    size_t next = sc->i + l;
    uint32_t nc = cp_at(sc, next, NULL);
    bool prev_space = sc->i == 0 || sc->s[sc->i - 1] == ' ';
    const char *key = NULL;
    char kb[8];
    if (c == '#') {
        key = is_digit(nc) ? "number-sign" : nr_sp_is_letter(nc) ? "hashtag" : NULL;
    } else if (c == '@') {
        key = nr_sp_is_letter(nc) ? "@" : NULL;
    } else if (c == '+' || c == '=') {
        bool before = prev_space || (sc->i > 0 && is_digit((unsigned char)sc->s[sc->i - 1]));
        bool after = nc == ' ' || is_digit(nc);
        if (before && after) {
            kb[0] = (char)c, kb[1] = '\0';
            key = kb;
        }
    } else if (c >= 0x80 || c == '&' || c == '%') {
        memcpy(kb, sc->s + sc->i, l);
        kb[l] = '\0';
        key = kb;
    }
    const char *w = key ? nr_sp_val(&sc->r->symbols, key) : NULL;
    if (!w)
        return false;
    emit_s(sc, w);
    sc->i = next;
    emit_end(sc, next);
    return true;
}

/* ---- the pass ---- */

static void normalise_into(nr_ctx *ctx, const nr_speech_rules *r, const char *text, size_t len,
                           nr_buf *out) {
    scan sc = {.ctx = ctx,
               .r = r,
               .s = text,
               .n = len,
               .out = out,
               .prev_end = SIZE_MAX,
               .prev_word_end = SIZE_MAX};
    const char *speller = nr_sp_val(&r->numbers, "speller");
    sc.fr = speller && !strcmp(speller, "fr");
    while (sc.i < sc.n) {
        size_t l;
        uint32_t c = cp_at(&sc, sc.i, &l);
        uint32_t pc = 0;
        if (sc.i)
            nr_utf8_decode_back(sc.s, sc.i, &pc);
        bool token_start = !is_alnum(pc) && pc != '@' && pc != '.';
        if (c < 0x20 && c != '\n' && c != '\t') { /* control characters never reach eSpeak */
            nr_buf_addc(out, ' ');
            sc.i += l;
            continue;
        }
        if ((c == '[' || c == ']') && sc.i + 1 < sc.n && sc.s[sc.i + 1] == (char)c) {
            /* "[[...]]" is eSpeak's phoneme syntax: article text is text */
            nr_buf_addc(out, (char)c);
            while (sc.i < sc.n && sc.s[sc.i] == (char)c)
                sc.i++;
            continue;
        }
        if (token_start && (is_alnum(c) || c >= 0x80 || c == '#' || c == '&')) {
            size_t ml;
            const nr_sp_entry *e =
                nr_sp_match(&r->lexicon, sc.s + sc.i, sc.n - sc.i, &ml, accept_lexicon, &sc);
            if (e) {
                emit_s(&sc, e->val[0]);
                note_word(&sc, sc.i, sc.i + ml);
                sc.i += ml;
                emit_end(&sc, sc.i);
                continue;
            }
            if (is_alnum(c) && try_web(&sc))
                continue;
            e = nr_sp_match(&r->expansions, sc.s + sc.i, sc.n - sc.i, &ml, accept_expansion, &sc);
            if (e) {
                size_t start = sc.i;
                emit_s(&sc, e->val[0]);
                sc.i += ml;
                /* an abbreviation's full stop that also ended the sentence */
                if (sc.s[sc.i - 1] == '.' && skip_space(&sc, sc.i) >= sc.n)
                    nr_buf_addc(out, '.');
                note_word(&sc, start, sc.i);
                emit_end(&sc, sc.i);
                continue;
            }
        }
        if (is_digit(c)) {
            if (!(token_start && try_number(&sc))) {
                size_t e = digits_end(&sc, sc.i);
                copy_to(&sc, e);
            }
            sc.prev_end = SIZE_MAX;
            continue;
        }
        if (nr_sp_is_letter(c)) {
            if (token_start)
                do_word(&sc);
            else
                copy_to(&sc, letters_end(&sc, sc.i));
            continue;
        }
        if (c == '-' && nr_sp_is_letter(pc) && is_digit(cp_at(&sc, sc.i + 1, NULL)) &&
            !is_digit(cp_at(&sc, digits_end(&sc, sc.i + 1), NULL))) {
            nr_buf_addc(out, ' '); /* "COVID-19" without eSpeak's pause */
            sc.i++;
            continue;
        }
        if ((c == '+' || c == '(') && token_start && try_phone(&sc))
            continue;
        if ((c == '-' || c == 0x2212) && token_start && is_digit(cp_at(&sc, sc.i + l, NULL)) &&
            (sc.i == 0 || is_hspace(pc) || pc == '(' || pc == '\n')) {
            const char *minus = nr_sp_val(&r->symbols, "minus");
            if (minus) { /* eSpeak drops "-" before a number in French */
                emit_s(&sc, minus);
                nr_buf_addc(out, ' ');
                sc.i += l;
                continue;
            }
        }
        if (try_money_before(&sc) || try_emoji(&sc, c) || try_symbol(&sc, c, l))
            continue;
        if (c == '\'' || c == 0x2019) { /* "the '90s" */
            num m;
            if (parse_num(&sc, sc.i + l, &m) && m.ip_digits == 2) {
                size_t save = sc.i;
                sc.i += l;
                if (try_decade(&sc, &m))
                    continue;
                sc.i = save;
            }
        }
        copy_to(&sc, sc.i + l);
    }
}

char *nr_normalise_text(nr_ctx *ctx, const char *lang, const char *text, size_t len) {
    char base[16];
    nr_lang_base(lang && *lang ? lang : "en", base);
    const nr_speech_rules *r = nr_ctx_rules(ctx, "speech", lang && *lang ? lang : "en",
                                            nr_speech_rules_load, nr_speech_rules_free);
    nr_buf out;
    nr_buf_init(&out);
    if (r)
        normalise_into(ctx, r, text, len, &out);
    else
        nr_buf_add(&out, text, len);
    if (!nr_buf_ok(&out)) {
        nr_buf_free(&out);
        return NULL;
    }
    if (!out.data)
        nr_buf_add(&out, "", 0);
    return nr_buf_take(&out, NULL);
}

nr_status nr_normalise(nr_ctx *ctx, nr_doc *doc) {
    nr_buf out;
    nr_buf_init(&out);
    for (size_t b = 0; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        const char *lang = blk->lang && *blk->lang ? blk->lang : doc->lang[0] ? doc->lang : "en";
        const nr_speech_rules *r =
            nr_ctx_rules(ctx, "speech", lang, nr_speech_rules_load, nr_speech_rules_free);
        if (!r) {
            nr_buf_free(&out);
            return NR_E_NOMEM;
        }
        for (size_t s = 0; s < blk->n_sents; s++) {
            nr_sentence *sent = &blk->sents[s];
            for (size_t k = 0; k < sent->n_spans; k++) {
                nr_span *sp = &sent->spans[k];
                sp->spoken = NULL;
                if (sp->end <= sp->start || sp->end > doc->len)
                    continue;
                out.len = 0;
                normalise_into(ctx, r, doc->text + sp->start, sp->end - sp->start, &out);
                if (!nr_buf_ok(&out)) {
                    nr_buf_free(&out);
                    return nr_fail(ctx, NR_E_NOMEM, "out of memory normalising %s",
                                   doc->name ? doc->name : "the text");
                }
                if (out.len == sp->end - sp->start &&
                    !memcmp(out.data, doc->text + sp->start, out.len))
                    continue;
                sp->spoken = nr_arena_strndup(doc->arena, out.data ? out.data : "", out.len);
                if (!sp->spoken) {
                    nr_buf_free(&out);
                    return nr_fail(ctx, NR_E_NOMEM, "out of memory normalising %s",
                                   doc->name ? doc->name : "the text");
                }
            }
        }
    }
    nr_buf_free(&out);
    return NR_OK;
}
