/* web.c: web addresses, e-mail addresses, symbols and emoji, as a person
 * would say them: a URL by its site's name only ("lemonde point fr"). */
#include <string.h>

#include "scan.h"

static bool host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

static bool known_tld(const nr_scan *sc, const char *t, size_t n);

/* A label of a host or address: short unpronounceable ones ("afp", "bbc")
 * are spelled, like acronyms; top-level domains stay as written. */
static void emit_label(nr_scan *sc, const char *w, size_t n) {
    char up[8];
    bool letters = n <= 4;
    for (size_t k = 0; k < n && letters; k++) {
        letters = (w[k] | 0x20) >= 'a' && (w[k] | 0x20) <= 'z';
        if (letters)
            up[k] = (char)(w[k] & ~0x20);
    }
    if (!letters || n < 2 || known_tld(sc, w, n) || nr_sc_pronounceable(up, n)) {
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
static void emit_host(nr_scan *sc, const char *h, size_t n) {
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

static bool known_tld(const nr_scan *sc, const char *t, size_t n) {
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

/* "jean.dupont@afp.fr" (the local part is S[0, K), '@' at K): every part
 * said, "jean point dupont arobase A.F.P point fr". */
static bool try_email(nr_scan *sc, const char *s, size_t k, size_t left) {
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

/* A URL from its host at S[P] (after "https://" or "www."), or a bare
 * domain with a known top-level domain: the site's name only. */
static bool try_url(nr_scan *sc, const char *s, size_t p, size_t left, bool url) {
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
    /* the path is not read; it ends at a space or any non-ASCII character
     * (a no-break space, a closing guillemet), and sentence punctuation
     * after it stays */
    size_t e = he;
    while (e < left && (unsigned char)s[e] > ' ' && (unsigned char)s[e] < 0x80)
        e++;
    while (e > he && strchr(".,;:!?)]}\"'", s[e - 1]))
        e--;
    sc->i += e;
    return true;
}

/* URLs are said by their site's name only ("lemonde point fr"); e-mail
 * addresses in full, as a person reads them. */
/* Finds, once per run of address characters, where it ends and where its
 * last '.' or '@' is: a token after that cannot start an address, so a long
 * run ("a-a-a-...") costs one scan, not one per token. */
static void scan_run(nr_scan *sc) {
    size_t e = sc->i;
    sc->web_last_mark = SIZE_MAX;
    while (e < sc->n && (host_char(sc->s[e]) || sc->s[e] == '_' || sc->s[e] == '+' ||
                         sc->s[e] == '@' || sc->s[e] == ':' || sc->s[e] == '/')) {
        if (sc->s[e] == '.' || sc->s[e] == '@')
            sc->web_last_mark = e;
        e++;
    }
    sc->web_run_end = e;
}

bool nr_sc_web(nr_scan *sc) {
    if (sc->i >= sc->web_run_end)
        scan_run(sc);
    if (sc->web_last_mark == SIZE_MAX || sc->web_last_mark < sc->i)
        return false; /* no '.' or '@' ahead in this run: a plain word */
    const char *s = sc->s + sc->i;
    size_t left = sc->n - sc->i, p = 0;
    bool url = false;
    if (left > 8 && ascii_ieq(s, "https://", 8))
        p = 8, url = true;
    else if (left > 7 && ascii_ieq(s, "http://", 7))
        p = 7, url = true;
    if (left > 4 && ascii_ieq(s + p, "www.", 4))
        p += 4, url = true;
    size_t k = p, cap = left < p + 256 ? left : p + 256; /* no address is longer */
    bool dotted = false;
    while (k < cap && (host_char(s[k]) || s[k] == '_' || s[k] == '+')) {
        dotted |= s[k] == '.' && k + 1 < left && host_char(s[k + 1]) && s[k + 1] != '.';
        k++;
    }
    if (k == cap && cap < left)
        return false;
    bool at = k < left && s[k] == '@';
    if (!url && !dotted && !at)
        return false;
    if (!url && at && k > 0)
        return try_email(sc, s, k, left);
    return try_url(sc, s, p, left, url);
}

/* ---- symbols and emoji ---- */

static bool is_emoji(uint32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || c == 0x2B50 ||
           c == 0x2B55 || (c >= 0x2B1B && c <= 0x2B1C) || c == 0x3030 || c == 0x303D;
}

bool nr_sc_emoji(nr_scan *sc, uint32_t c) {
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
bool nr_sc_symbol(nr_scan *sc, uint32_t c, size_t l) {
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
