/* numforms.c: the forms that start with a digit or a currency sign, as
 * people say them: money, dates, times, telephone numbers, ordinals,
 * decades, fractions, ranges, units. Numbers themselves stay digits where
 * eSpeak reads them right; the words come from numwords.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numwords.h"
#include "scan.h"

static bool is_group_sep(const nr_scan *sc, uint32_t c) {
    if (sc->dcomma)
        return is_hspace(c) || c == '.';
    return c == ',';
}

/* Reads a number at POS: digits with group separators ("1 000", "1,000")
 * and a decimal part. Groups need 1-3 leading digits then exactly 3. */
bool nr_sc_parse_num(const nr_scan *sc, size_t pos, nr_num *m) {
    memset(m, 0, sizeof *m);
    m->start = pos;
    size_t e = digits_end(sc, pos);
    if (e == pos)
        return false;
    nr_buf tmp;
    nr_buf_init(&tmp);
    nr_buf_add(&tmp, sc->s + pos, e - pos);
    if (e - pos <= 3 && !(e - pos == 1 && sc->s[pos] == '0')) { /* "0 800" is no number */
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
    char dm = sc->dcomma ? ',' : '.';
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
static void emit_num(nr_scan *sc, const nr_num *m) {
    nr_buf *o = sc->out;
    emit_words(sc, "", 0);
    for (size_t k = m->start; k < (m->dec ? m->frac_start - 1 : m->end); k++)
        if (is_digit((unsigned char)sc->s[k]))
            nr_buf_addc(o, sc->s[k]);
    if (m->dec) {
        nr_buf_addc(o, sc->dcomma ? ',' : '.');
        nr_buf_add(o, sc->s + m->frac_start, m->frac_len);
    }
}

/* English "a $5m grant": after "a" the amount is an adjective, singular. */
static bool money_adjective(const nr_scan *sc, const nr_num *m) {
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
static bool singular(const nr_scan *sc, const nr_num *m) {
    if (sc->fr)
        return m->ip < 2;
    return m->ip == 1 && !m->dec;
}

/* A scale word or abbreviation at POS ("million", "bn", "M", "Md"):
 * its entry (singular, plural, link) and end. */
static const nr_sp_entry *scale_at(const nr_scan *sc, size_t pos, size_t *end) {
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
static const nr_sp_entry *currency_at(const nr_scan *sc, size_t pos, size_t *end) {
    size_t p = pos, ends[4];
    int k = 0;
    if (pos >= sc->n || !sc->r->currency_first[(unsigned char)sc->s[pos]])
        return NULL;
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
static void emit_money(nr_scan *sc, const nr_num *m, const nr_sp_entry *scale,
                       const nr_sp_entry *cur) {
    bool cents = !scale && m->dec && m->frac_len == 2 && *cur->val[0];
    if (cents) {
        nr_num whole = *m;
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
static bool try_money_after(nr_scan *sc, const nr_num *m) {
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
bool nr_sc_money_before(nr_scan *sc) {
    size_t e;
    const nr_sp_entry *cur = currency_at(sc, sc->i, &e);
    if (!cur)
        return false;
    size_t p = skip_hspace(sc, e);
    nr_num m;
    if (!nr_sc_parse_num(sc, p, &m))
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
bool nr_sc_ordinal_suffix(const nr_scan *sc, size_t pos, bool one, size_t *end, bool *fem,
                          bool *plural) {
    size_t e = letters_end(sc, pos);
    if (e == pos || e - pos > 6 || !boundary_at(sc, e))
        return false;
    char key[32];
    int kl = snprintf(key, sizeof key, "ordinal-suffix:%.*s", (int)(e - pos), sc->s + pos);
    const nr_sp_entry *x = nr_sp_get(&sc->r->numbers, key, (size_t)kl);
    if (!x)
        return false;
    *fem = x->val[0][0] == 'f';
    *plural = x->val[0][0] && x->val[0][1] == 'p';
    if (!strcmp(x->val[1], "one") && !one)
        return false; /* "1er", "Ier": never "2er" nor "Ver" */
    *end = e;
    return true;
}

bool nr_sc_emit_ordinal(nr_scan *sc, uint64_t v, bool fem, bool plural) {
    nr_buf w;
    nr_buf_init(&w);
    bool ok = nr_sp_ordinal(sc->r, v, fem, &w) && nr_buf_ok(&w);
    if (ok && plural)
        nr_buf_addc(&w, 's');
    if (ok)
        emit_words(sc, w.data, w.len);
    nr_buf_free(&w);
    return ok;
}

/* Emits a date from its parts; false when they are not a date. */
static bool emit_date(nr_scan *sc, unsigned d, unsigned mo, unsigned y) {
    const char *fmt = num_val(sc, y ? "date-format" : "date-format-short");
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

/* "le 22/11", "on 3/4": a day and month without a year, after the words of
 * "date-short-after", or where it cannot be a fraction (22/11). */
static bool emit_date(nr_scan *sc, unsigned d, unsigned mo, unsigned y);

static bool try_short_date(nr_scan *sc, size_t p, size_t a, size_t b) {
    if (!boundary_at(sc, b) || !num_val(sc, "date-format-short"))
        return false;
    unsigned x = (unsigned)parse_u64(sc->s + p, a - p),
             z = (unsigned)parse_u64(sc->s + a + 1, b - a - 1);
    unsigned d = sc->r->dmy ? x : z, mo = sc->r->dmy ? z : x;
    bool after = prev_word_in(sc, p, num_val(sc, "date-short-after"));
    if (!after && !(sc->r->dmy && x > z))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || !emit_date(sc, d, mo, 0))
        return false;
    sc->i = b;
    emit_end(sc, b);
    return true;
}

/* 2024-03-12, 12/03/2024, 3/12/24. */
static bool try_date(nr_scan *sc) {
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
    if (b - a - 1 < 1 || b - a - 1 > 2)
        return false;
    if ((b >= sc->n || sc->s[b] != sep) && sep == '/')
        return try_short_date(sc, p, a, b);
    if (b >= sc->n || sc->s[b] != sep)
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

/* The digit groups of a telephone number as written. */
typedef struct nr_phone {
    size_t g[12][2]; /* [start, end) of each group */
    int ng;
    bool plus, paren;
} nr_phone;

/* Reads digit groups separated by single spaces, dots or dashes, with an
 * optional "+" and "(area code)"; false when it cannot be a telephone. */
static bool scan_phone(const nr_scan *sc, nr_phone *ph) {
    size_t p = sc->i, digits = 0;
    memset(ph, 0, sizeof *ph);
    if (sc->s[p] == '+')
        ph->plus = true, p++;
    while (p < sc->n && ph->ng < 12) {
        if (sc->s[p] == '(' && !ph->paren && ph->ng == (ph->plus ? 1 : 0))
            ph->paren = true, p++;
        size_t e = digits_end(sc, p);
        if (e == p || e - p > 4)
            return false;
        ph->g[ph->ng][0] = p, ph->g[ph->ng][1] = e, ph->ng++;
        digits += e - p;
        p = e;
        if (p < sc->n && sc->s[p] == ')' && ph->paren)
            p++;
        size_t l;
        uint32_t c = cp_at(sc, p, &l);
        if (!(c == ' ' || c == '.' || c == '-' || c == 0xA0) || !is_digit(cp_at(sc, p + l, NULL)))
            break;
        p += l;
    }
    return ph->ng >= 3 && digits >= 8 && digits <= 15 && boundary_at(sc, ph->g[ph->ng - 1][1]);
}

/* Without "+" or "(": French pairs from 0 ("01 23 45 67 89"), French
 * special numbers ("0 800 123 456"), or the North American 3-3-4
 * ("555-123-4567", "1-800-555-0199"); never "1 000 000". */
static bool plain_phone(const nr_scan *sc, const nr_phone *ph) {
    size_t len[12];
    for (int k = 0; k < ph->ng; k++)
        len[k] = ph->g[k][1] - ph->g[k][0];
    bool pairs = ph->ng == 5 && sc->s[ph->g[0][0]] == '0';
    for (int k = 0; k < ph->ng && pairs; k++)
        pairs = len[k] == 2;
    int f = ph->ng == 4 && len[0] == 1 && sc->s[ph->g[0][0]] == '1';
    bool nanp = ph->ng == 3 + f && len[f] == 3 && len[f + 1] == 3 && len[f + 2] == 4 &&
                sc->s[ph->g[f][1]] != ' ';
    /* French special numbers: "0 800 123 456" */
    bool special = ph->ng == 4 && len[0] == 1 && sc->s[ph->g[0][0]] == '0' && len[1] == 3 &&
                   len[2] == 3 && len[3] == 3;
    return pairs || nanp || special;
}

/* Telephone numbers: "01 23 45 67 89", "+33 6 12 34 56 78", "(555) 123-4567".
 * French reads them in pairs, English digit by digit (numbers.txt
 * "phone-digits"); groups are separated by commas for the pauses. */
bool nr_sc_phone(nr_scan *sc) {
    nr_phone ph;
    if (!scan_phone(sc, &ph) || (!ph.plus && !ph.paren && !plain_phone(sc, &ph)))
        return false;
    const char *mode = num_val(sc, "phone-digits"), *plus = nr_sp_val(&sc->r->symbols, "+");
    bool single = mode && !strcmp(mode, "single");
    if (ph.plus)
        emit_s(sc, plus ? plus : "+");
    for (int k = 0; k < ph.ng; k++) {
        if (k)
            nr_buf_addc(sc->out, ',');
        size_t a = ph.g[k][0], b = ph.g[k][1];
        if (single)
            for (size_t d = a; d < b; d++)
                emit_words(sc, sc->s + d, 1);
        else if (b - a == 4) {
            emit_words(sc, sc->s + a, 2);
            emit_words(sc, sc->s + a + 2, 2);
        } else
            emit_words(sc, sc->s + a, b - a);
    }
    sc->i = ph.g[ph.ng - 1][1];
    emit_end(sc, sc->i);
    return true;
}

/* French times: "15 h 30", "15h", "9h05", "10:30", "24h/24" -> "15 heures
 * 30"; H is the "hour-word" entry (singular, plural). */
static bool try_time_words(nr_scan *sc, const nr_num *m, const nr_sp_entry *h) {
    size_t p = m->end, q = skip_hspace(sc, p), mins = 0, me = 0;
    if (q < sc->n && (sc->s[q] == 'h' || sc->s[q] == 'H') &&
        (q + 1 >= sc->n || !nr_sp_is_letter(cp_at(sc, q + 1, NULL)))) {
        size_t r = skip_hspace(sc, q + 1);
        me = digits_end(sc, r);
        mins = me - r;
        if (mins == 2 || mins == 1)
            q = r;
        else
            me = q + 1, mins = 0;
        if (mins && !boundary_at(sc, me))
            return false;
    } else if (p < sc->n && sc->s[p] == ':' && p == q) {
        me = digits_end(sc, p + 1);
        if (me - p - 1 != 2 || !boundary_at(sc, me))
            return false;
        mins = 2, q = p + 1;
    } else
        return false;
    emit_num(sc, m);
    emit_s(sc, m->ip < 2 ? h->val[0] : h->val[1]);
    uint64_t v = mins ? parse_u64(sc->s + q, mins) : 0;
    if (v) {
        char d[4];
        int dl = snprintf(d, sizeof d, "%llu", (unsigned long long)v);
        emit_words(sc, d, (size_t)dl);
    }
    const char *ratio = num_val(sc, "ratio-word");
    if (!mins && ratio && me + 1 < sc->n && sc->s[me] == '/' &&
        is_digit((unsigned char)sc->s[me + 1])) { /* "24h/24" */
        size_t de = digits_end(sc, me + 1);
        emit_s(sc, ratio);
        emit_words(sc, sc->s + me + 1, de - me - 1);
        me = de;
    }
    sc->i = me;
    emit_end(sc, me);
    return true;
}

/* English times: "10:30 a.m.", "7 pm": the digits as written (eSpeak reads
 * them right) and "A.M"/"P.M" spelled. */
static bool try_time_ampm(nr_scan *sc, const nr_num *m) {
    size_t p = m->end, e = p;
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
    emit_s(sc, which == 'a' ? "A.M" : "P.M");
    sc->i = q + ml;
    /* a.m. at the end of a sentence keeps the full stop */
    if (ml == 4 && skip_space(sc, sc->i) >= sc->n)
        nr_buf_addc(sc->out, '.');
    emit_end(sc, sc->i);
    return true;
}

/* Times: in words where the language has an "hour-word", else a.m./p.m. */
static bool try_time(nr_scan *sc, const nr_num *m) {
    if (m->dec || m->grouped || m->ip > 24)
        return false;
    const nr_sp_entry *h = nr_sp_get(&sc->r->numbers, "hour-word", 9);
    return h ? try_time_words(sc, m, h) : try_time_ampm(sc, m);
}

/* "1990s", "1990's" -> "nineteen nineties"; "90s" -> "nineties". */
bool nr_sc_decade(nr_scan *sc, const nr_num *m) {
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
static bool try_fraction(nr_scan *sc, const nr_num *m) {
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
static bool try_range(nr_scan *sc, const nr_num *m) {
    size_t p = m->end, l;
    size_t q = skip_hspace(sc, p);
    uint32_t c = cp_at(sc, q, &l);
    bool dash = c == 0x2013 || c == 0x2014;
    if (!(dash || (c == '-' && q == p)))
        return false;
    size_t r = dash ? skip_hspace(sc, q + l) : q + l;
    nr_num b;
    if (!nr_sc_parse_num(sc, r, &b) || m->dec || b.dec)
        return false;
    if (b.end < sc->n && (sc->s[b.end] == '-' || sc->s[b.end] == '/'))
        return false;
    if (!dash && b.ip <= m->ip)
        return false; /* "3-2", "50-50": scores and odds, not ranges */
    if (!dash && m->ip_digits == 4 && b.ip_digits == 4 && b.ip == m->ip + 1) {
        emit_num(sc, m); /* a season, "2023-2024": both years */
        nr_buf_addc(sc->out, ' ');
        sc->i = r;
        return true;
    }
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
static bool try_unit(nr_scan *sc, const nr_num *m) {
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
            /* "5 mi. away": the unit's own full stop, not the sentence's */
            if (e + 1 < sc->n && sc->s[e] == '.' && sc->s[e + 1] == ' ') {
                size_t q = skip_hspace(sc, e + 1);
                uint32_t nc = cp_at(sc, q, NULL);
                if (q < sc->n && nr_sp_is_letter(nc) && !nr_sp_is_upper(nc))
                    e++;
            }
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
bool nr_sc_number(nr_scan *sc) {
    if (try_date(sc) || nr_sc_phone(sc))
        return true;
    nr_num m;
    if (!nr_sc_parse_num(sc, sc->i, &m))
        return false;
    bool fem, plural;
    size_t e;
    if (!m.dec && !m.grouped && nr_sc_ordinal_suffix(sc, m.end, m.ip == 1, &e, &fem, &plural) &&
        nr_sc_emit_ordinal(sc, m.ip, fem, plural)) {
        sc->i = e;
        emit_end(sc, e);
        return true;
    }
    if (!m.dec && !m.grouped && m.ip_digits <= 2 && m.ip >= 1 && m.ip <= 31 &&
        (m.end >= sc->n || !strchr(":-/.,", sc->s[m.end]) || m.end + 1 >= sc->n ||
         sc->s[m.end + 1] == ' ') &&
        !(m.end < sc->n && (sc->s[m.end] == '-' || sc->s[m.end] == ':')) &&
        prev_word_in(sc, sc->i, num_val(sc, "day-ordinal-after")) &&
        nr_sp_is_upper(cp_at(sc, sc->prev_word_start, NULL)) && /* "May", not "may" */
        nr_sc_emit_ordinal(sc, m.ip, false, false)) {           /* "Jan. 5": "January fifth" */
        sc->i = m.end;
        emit_end(sc, m.end);
        return true;
    }
    size_t se;
    const nr_sp_entry *scale = scale_at(sc, m.end, &se);
    if (scale && (se - m.end >= 2 || m.dec) && !try_money_after(sc, &m)) {
        /* "7.7m cases", "£3bn" without the sign: glued scale abbreviations;
         * a single letter only after a decimal ("100m" is metres) */
        emit_num(sc, &m);
        emit_s(sc, singular(sc, &m) ? scale->val[0] : scale->val[1]);
        sc->i = se;
        emit_end(sc, se);
        return true;
    }
    if (scale && sc->i != m.start)
        return true; /* try_money_after took it */
    if (try_time(sc, &m) || nr_sc_decade(sc, &m) || try_fraction(sc, &m) ||
        try_money_after(sc, &m) || try_unit(sc, &m) || try_range(sc, &m))
        return true;
    if (m.grouped || m.dec) { /* plain digits for eSpeak */
        emit_num(sc, &m);
        sc->i = m.end;
        return true;
    }
    return false;
}
