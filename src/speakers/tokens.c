/* tokens.c: sentences into tokens for attribution. */
#include "tokens.h"

#include <string.h>
#include <utf8proc.h>

#include "../util/buf.h"
#include "../util/utf8.h"

/* Letters and digits; ASCII without a table look-up. */
static bool is_letter(uint32_t cp) {
    if (cp < 0x80)
        return (cp | 0x20) - 'a' < 26 || cp - '0' < 10;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || (c == UTF8PROC_CATEGORY_ND);
}

static bool is_upper(uint32_t cp) {
    if (cp < 0x80)
        return cp - 'A' < 26;
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

static bool is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }

/* The code point at S[I] (before END) and its length: nr_utf8_decode,
 * without a call for ASCII. */
static inline size_t next_cp(const char *s, size_t i, size_t end, uint32_t *cp) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    return nr_utf8_decode(s + i, end - i, cp);
}

/* Quotation marks and dashes are not words and not useful punctuation. */
static bool is_mark(uint32_t cp) {
    return cp == '"' || cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
           cp == 0x2018 || cp == 0x2039 || cp == 0x203A;
}

/* Appends [a, b) of S to OUT in lower case, apostrophes folded to ',
 * then a NUL; returns the length without the NUL. Counts into LU[0] the
 * letters (digits excluded) and into LU[1] the upper-case ones; *HASH is
 * nr_lexicon_hash of what was written, computed on the way. */
static size_t lower_into(nr_buf *out, const char *s, size_t a, size_t b, size_t lu[2],
                         uint64_t *hash) {
    if (!nr_buf_reserve(out, (b - a) * 2 + 1))
        return 0;
    char *o = out->data + out->len, *o0 = o;
    size_t letters = 0, upper = 0;
    uint64_t h = nr_lexicon_hash("", 0);
    while (a < b) {
        unsigned char c = (unsigned char)s[a];
        if (c < 0x80) {
            bool up = (unsigned)(c - 'A') < 26u;
            letters += up || (unsigned)(c - 'a') < 26u;
            upper += up;
            *o = (char)(up ? c | 0x20 : c);
            h = (h ^ (unsigned char)*o++) * 1099511628211ull; /* FNV-1a, as nr_lexicon_hash */
            a++;
            continue;
        }
        uint32_t cp;
        size_t l = nr_utf8_decode(s + a, b - a, &cp);
        if (is_letter(cp)) {
            letters++;
            upper += is_upper(cp);
        }
        if (is_apostrophe(cp))
            cp = '\'';
        cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
        size_t w = nr_utf8_encode(cp, o);
        for (size_t k = 0; k < w; k++)
            h = (h ^ (unsigned char)o[k]) * 1099511628211ull;
        o += w;
        a += l;
    }
    *o = '\0';
    size_t n = (size_t)(o - o0);
    out->len += n + 1;
    lu[0] += letters;
    lu[1] += upper;
    *hash = h;
    return n;
}

static bool elision(const char *low, size_t n) {
    static const char *const el[] = {"l", "d",  "j",     "m",      "n",      "s",      "t",
                                     "c", "qu", "jusqu", "lorsqu", "puisqu", "presqu", NULL};
    for (int i = 0; el[i]; i++)
        if (strlen(el[i]) == n && !memcmp(el[i], low, n))
            return true;
    return false;
}

typedef struct tok_state {
    nr_doc *doc;
    const nr_lexicon *lx;
    nr_tok_scratch *sc;
} tok_state;

/* Looks word T up in every list once: its lower-case form LOW and the
 * bytes as written, which are most often LOW itself. */
static void look_up(tok_state *st, nr_tok *t, const char *low) {
    const char *text = st->doc->text + t->start;
    size_t n = t->end - t->start;
    t->lw = nr_lexicon_word(st->lx, low, t->low_len, t->low_hash);
    t->tw = n == t->low_len && !memcmp(text, low, n)
                ? t->lw
                : nr_lexicon_word(st->lx, text, n, nr_lexicon_hash(text, n));
}

/* Appends a token; its lower-case form goes to the scratch text (the
 * pointer is set once the sentence is done, the text being growable). */
static nr_tok *push_tok(tok_state *st, nr_tok_kind k, size_t a, size_t b) {
    nr_tok *t = nr_vec_push(&st->sc->toks);
    if (!t)
        return NULL;
    t->kind = k;
    t->start = a;
    t->end = b;
    t->span = -1;
    size_t lu[2] = {0, 0};
    t->low_len = lower_into(&st->sc->low, st->doc->text, a, b, lu, &t->low_hash);
    if (nr_buf_ok(&st->sc->low)) {
        const char *low = st->sc->low.data + st->sc->low.len - t->low_len - 1;
        if (k == NR_TOK_WORD)
            look_up(st, t, low);
    }
    uint32_t cp;
    next_cp(st->doc->text, a, b, &cp);
    t->cap = is_upper(cp);
    t->allcaps = lu[0] >= 2 && lu[0] == lu[1];
    return t;
}

/* True when the lower-case form of [a, b) of S is a French elision. */
static bool elided(tok_state *st, const char *s, size_t a, size_t b) {
    nr_buf *low = &st->sc->low;
    size_t mark = low->len;
    size_t lu[2] = {0, 0};
    uint64_t h;
    size_t n = lower_into(low, s, a, b, lu, &h);
    bool el = nr_buf_ok(low) && n < 32 && elision(low->data + mark, n);
    low->len = mark;
    return el;
}

/* The end of the word that starts at I, before END; splits a French
 * elision after its apostrophe and keeps an abbreviation's period. */
static size_t word_end(tok_state *st, size_t i, size_t end) {
    const char *s = st->doc->text;
    size_t j = i, letters = 0;
    bool dotted = false;
    while (j < end) {
        uint32_t cp;
        size_t l = next_cp(s, j, end, &cp);
        if (is_letter(cp)) {
            letters++;
        } else if ((cp == '-' || is_apostrophe(cp) || cp == '.') && j + l < end) {
            uint32_t nx;
            next_cp(s, j + l, end, &nx);
            if (!is_letter(nx))
                break;
            if (is_apostrophe(cp) && elided(st, s, i, j))
                return j + l;
            dotted |= cp == '.';
        } else {
            break;
        }
        j += l;
    }
    if (j < end && s[j] == '.') {
        char buf[40];
        size_t n = j + 1 - i;
        bool keep = dotted || letters == 1;
        if (!keep && n < sizeof buf) {
            memcpy(buf, s + i, n);
            keep = nr_lexicon_find(st->lx, NR_LX_TITLES, buf, n) != 0 ||
                   nr_lexicon_find(st->lx, NR_LX_ORGS, buf, n) != 0;
        }
        if (keep)
            j++;
    }
    return j;
}

void nr_tok_scratch_init(nr_tok_scratch *sc) {
    nr_vec_init(&sc->toks, sizeof(nr_tok));
    nr_buf_init(&sc->low);
}

void nr_tok_scratch_free(nr_tok_scratch *sc) {
    nr_vec_free(&sc->toks);
    nr_buf_free(&sc->low);
}

bool nr_tokenise(nr_doc *doc, const nr_sentence *se, const nr_lexicon *lx, nr_tok_scratch *sc,
                 nr_tok **out, size_t *n) {
    sc->toks.len = 0;
    sc->low.len = 0;
    tok_state st = {doc, lx, sc};
    bool ok = true;
    for (size_t k = 0; k < se->n_spans && ok; k++) {
        const nr_span *sp = &se->spans[k];
        if (sp->kind == NR_SPAN_QUOTE) {
            nr_tok *t = push_tok(&st, NR_TOK_QUOTE, sp->start, sp->end);
            ok = t != NULL;
            if (t)
                t->span = (int)k;
            continue;
        }
        size_t i = sp->start;
        while (i < sp->end && ok) {
            uint32_t cp;
            size_t l = next_cp(doc->text, i, sp->end, &cp);
            if (cp == ' ' || nr_is_space(cp) || is_mark(cp) || is_apostrophe(cp)) {
                i += l;
            } else if (is_letter(cp)) {
                size_t j = word_end(&st, i, sp->end);
                ok = push_tok(&st, NR_TOK_WORD, i, j) != NULL;
                i = j;
            } else {
                ok = push_tok(&st, NR_TOK_PUNCT, i, i + l) != NULL;
                i += l;
            }
        }
    }
    ok = ok && nr_buf_ok(&sc->low);
    nr_tok *toks = sc->toks.data;
    for (size_t k = 0, at = 0; ok && k < sc->toks.len; k++) { /* the lower-case forms, in order */
        toks[k].low = sc->low.data + at;
        at += toks[k].low_len + 1;
    }
    *n = ok ? sc->toks.len : 0;
    *out = ok ? toks : NULL;
    return ok;
}
bool nr_tok_is(const nr_tok *t, const char *w) {
    return t->kind == NR_TOK_WORD && !strcmp(t->low, w);
}
