/* numwords.c: the number speller (see numwords.h). */
#include "numwords.h"

#include <stdio.h>
#include <string.h>

#define NR_MAX_SPELL 999999999999ull

static bool is_fr(const nr_speech_rules *r) {
    const char *s = nr_sp_val(&r->numbers, "speller");
    return s && !strcmp(s, "fr");
}

/* Drops a final 's' from what OUT ends with since MARK ("quatre-vingts
 * mille" is written "quatre-vingt mille"). */
static void drop_plural_s(nr_buf *out, size_t mark) {
    if (out->len > mark && out->data[out->len - 1] == 's') {
        size_t n = out->len - mark;
        if ((n >= 6 && !memcmp(out->data + out->len - 6, "vingts", 6)) ||
            (n >= 5 && !memcmp(out->data + out->len - 5, "cents", 5)))
            out->data[--out->len] = '\0';
    }
}

/* 0..99 in French. */
static void fr_below_100(const nr_speech_rules *r, unsigned n, nr_buf *out) {
    if (n < 20) {
        nr_buf_adds(out, r->units_w[n]);
        return;
    }
    unsigned t = n / 10, u = n % 10;
    if (t == 7 || t == 9) { /* soixante-dix, quatre-vingt-dix */
        const char *base = r->tens_w[t - 1];
        size_t bl = strlen(base);
        if (t == 9 && bl && base[bl - 1] == 's')
            bl--;
        nr_buf_add(out, base, bl);
        nr_buf_adds(out, (t == 7 && u == 1) ? " et " : "-");
        nr_buf_adds(out, r->units_w[10 + u]);
        return;
    }
    const char *tw = r->tens_w[t];
    size_t tl = strlen(tw);
    if (t == 8 && u && tl && tw[tl - 1] == 's')
        tl--; /* quatre-vingt-un */
    nr_buf_add(out, tw, tl);
    if (u == 1 && t != 8)
        nr_buf_adds(out, " et un");
    else if (u) {
        nr_buf_addc(out, '-');
        nr_buf_adds(out, r->units_w[u]);
    }
}

/* 0..999 in French; FINAL says nothing follows (plural "cents"). */
static void fr_below_1000(const nr_speech_rules *r, unsigned n, bool final, nr_buf *out) {
    unsigned h = n / 100, rest = n % 100;
    if (h) {
        if (h > 1) {
            nr_buf_adds(out, r->units_w[h]);
            nr_buf_addc(out, ' ');
        }
        nr_buf_adds(out, r->hundred);
        if (h > 1 && !rest && final)
            nr_buf_addc(out, 's');
        if (rest)
            nr_buf_addc(out, ' ');
    }
    if (rest || !h)
        fr_below_100(r, rest, out);
}

static void en_below_1000(const nr_speech_rules *r, unsigned n, nr_buf *out) {
    unsigned h = n / 100, rest = n % 100;
    if (h) {
        nr_buf_adds(out, r->units_w[h]);
        nr_buf_addc(out, ' ');
        nr_buf_adds(out, r->hundred);
        if (rest)
            nr_buf_addc(out, ' ');
    }
    if (rest < 20 && (rest || !h))
        nr_buf_adds(out, r->units_w[rest]);
    else if (rest >= 20) {
        nr_buf_adds(out, r->tens_w[rest / 10]);
        if (rest % 10) {
            nr_buf_addc(out, '-');
            nr_buf_adds(out, r->units_w[rest % 10]);
        }
    }
}

bool nr_sp_cardinal(const nr_speech_rules *r, uint64_t n, nr_buf *out) {
    if (!r->has_numwords || n > NR_MAX_SPELL)
        return false;
    bool fr = is_fr(r);
    unsigned parts[4] = {(unsigned)(n / 1000000000ull), (unsigned)(n / 1000000 % 1000),
                         (unsigned)(n / 1000 % 1000), (unsigned)(n % 1000)};
    bool any = false;
    for (int i = 0; i < 4; i++) {
        unsigned p = parts[i];
        if (!p && (i < 3 || any))
            continue;
        if (any)
            nr_buf_addc(out, ' ');
        size_t mark = out->len;
        if (i == 2 && p == 1 && fr) {
            nr_buf_adds(out, r->thousand); /* "mille", not "un mille" */
            any = true;
            continue;
        }
        if (fr)
            fr_below_1000(r, p, i == 3, out);
        else
            en_below_1000(r, p, out);
        if (i < 3)
            drop_plural_s(out, mark);
        if (i == 0 || i == 1) {
            const char *const *w = i == 0 ? r->billion : r->million;
            nr_buf_addc(out, ' ');
            nr_buf_adds(out, w[(fr && p > 1) ? 1 : 0]);
        } else if (i == 2) {
            nr_buf_addc(out, ' ');
            nr_buf_adds(out, r->thousand);
        }
        any = true;
    }
    return true;
}

/* Rewrites the last word of OUT (from MARK) by the table's KIND rules:
 * "KIND:word" replaces the whole word, else the longest "KIND-end:ending"
 * replaces its ending ("KIND-end:" is the default suffix). */
static void last_word_rule(const nr_speech_rules *r, const char *kind, nr_buf *out, size_t mark) {
    size_t s = out->len;
    while (s > mark && out->data[s - 1] != ' ' && out->data[s - 1] != '-')
        s--;
    char key[96];
    size_t wl = out->len - s;
    if (wl > 60)
        return;
    snprintf(key, sizeof key, "%s:%.*s", kind, (int)wl, out->data + s);
    const char *whole = nr_sp_val(&r->numbers, key);
    if (whole) {
        out->len = s;
        nr_buf_adds(out, whole);
        return;
    }
    for (size_t el = wl < 6 ? wl : 6;; el--) {
        snprintf(key, sizeof key, "%s-end:%.*s", kind, (int)el, out->data + out->len - el);
        const char *rep = nr_sp_val(&r->numbers, key);
        if (rep) {
            out->len -= el;
            nr_buf_adds(out, rep);
            return;
        }
        if (!el)
            return;
    }
}

bool nr_sp_ordinal(const nr_speech_rules *r, uint64_t n, bool fem, nr_buf *out) {
    if (!r->has_numwords || n > NR_MAX_SPELL || n == 0)
        return false;
    if (n == 1) {
        const char *w = nr_sp_val(&r->numbers, fem ? "ord-1f" : "ord-1");
        if (!w)
            w = nr_sp_val(&r->numbers, "ord-1");
        if (w) {
            nr_buf_adds(out, w);
            return true;
        }
    }
    size_t mark = out->len;
    nr_sp_cardinal(r, n, out);
    last_word_rule(r, "ord", out, mark);
    return true;
}

bool nr_sp_year(const nr_speech_rules *r, uint64_t n, nr_buf *out) {
    if (!r->has_numwords)
        return false;
    if (is_fr(r) || n < 1100 || n > 2099 || (n >= 2000 && n < 2010))
        return nr_sp_cardinal(r, n, out);
    unsigned hi = (unsigned)(n / 100), lo = (unsigned)(n % 100);
    nr_sp_cardinal(r, hi, out);
    nr_buf_addc(out, ' ');
    if (!lo) {
        nr_buf_adds(out, r->hundred);
    } else {
        if (lo < 10) {
            const char *oh = nr_sp_val(&r->numbers, "year-zero");
            nr_buf_adds(out, oh ? oh : r->units_w[0]);
            nr_buf_addc(out, ' ');
        }
        nr_sp_cardinal(r, lo, out);
    }
    return true;
}

bool nr_sp_decade(const nr_speech_rules *r, uint64_t n, bool short_form, nr_buf *out) {
    if (!r->has_numwords || n % 10)
        return false;
    size_t mark = out->len;
    if (short_form ? !nr_sp_cardinal(r, n % 100, out) : !nr_sp_year(r, n, out))
        return false;
    last_word_rule(r, "plural", out, mark);
    return true;
}

bool nr_sp_fraction(const nr_speech_rules *r, uint64_t num, uint64_t den, nr_buf *out) {
    if (!r->has_numwords || !num || den < 2 || den > NR_MAX_SPELL)
        return false;
    char key[32];
    snprintf(key, sizeof key, "frac-%llu", (unsigned long long)den);
    const nr_sp_entry *e = nr_sp_get(&r->numbers, key, strlen(key));
    if (num == 1 && nr_sp_val(&r->numbers, "frac-one"))
        nr_buf_adds(out, nr_sp_val(&r->numbers, "frac-one"));
    else
        nr_sp_cardinal(r, num, out);
    nr_buf_addc(out, ' ');
    if (e) {
        nr_buf_adds(out, (num > 1 && *e->val[1]) ? e->val[1] : e->val[0]);
        return true;
    }
    size_t w = out->len;
    nr_sp_ordinal(r, den, false, out);
    if (num > 1)
        last_word_rule(r, "plural", out, w);
    return true;
}
