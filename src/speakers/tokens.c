/* tokens.c: sentences into tokens for attribution. */
#include "tokens.h"

#include <string.h>
#include <utf8proc.h>

#include "../util/buf.h"
#include "../util/utf8.h"

static bool is_letter(uint32_t cp) {
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || (c == UTF8PROC_CATEGORY_ND);
}

static bool is_upper(uint32_t cp) {
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

static bool is_apostrophe(uint32_t cp) { return cp == '\'' || cp == 0x2019; }

/* Quotation marks and dashes are not words and not useful punctuation. */
static bool is_mark(uint32_t cp) {
    return cp == '"' || cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
           cp == 0x2018 || cp == 0x2039 || cp == 0x203A;
}

/* Lower-cases [a, b) of S into the arena, apostrophes folded to '. */
static char *lower_copy(nr_arena *ar, const char *s, size_t a, size_t b, size_t *len) {
    char *out = nr_arena_alloc(ar, (b - a) * 2 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    while (a < b) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + a, b - a, &cp);
        if (is_apostrophe(cp))
            cp = '\'';
        cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
        o += nr_utf8_encode(cp, out + o);
        a += l;
    }
    out[o] = '\0';
    *len = o;
    return out;
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
    nr_vec *v;
} tok_state;

static nr_tok *push_tok(tok_state *st, nr_tok_kind k, size_t a, size_t b) {
    nr_tok *t = nr_vec_push(st->v);
    if (!t)
        return NULL;
    t->kind = k;
    t->start = a;
    t->end = b;
    t->span = -1;
    t->low = lower_copy(st->doc->arena, st->doc->text, a, b, &t->low_len);
    if (!t->low)
        return NULL;
    uint32_t cp;
    nr_utf8_decode(st->doc->text + a, b - a, &cp);
    t->cap = is_upper(cp);
    size_t letters = 0, uppers = 0;
    for (size_t i = a; i < b;) {
        size_t l = nr_utf8_decode(st->doc->text + i, b - i, &cp);
        if (is_letter(cp) && !(cp >= '0' && cp <= '9')) {
            letters++;
            uppers += is_upper(cp);
        }
        i += l;
    }
    t->allcaps = letters >= 2 && letters == uppers;
    return t;
}

/* The end of the word that starts at I, before END; splits a French
 * elision after its apostrophe and keeps an abbreviation's period. */
static size_t word_end(tok_state *st, size_t i, size_t end) {
    const char *s = st->doc->text;
    size_t j = i, letters = 0;
    bool dotted = false;
    while (j < end) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + j, end - j, &cp);
        if (is_letter(cp)) {
            letters++;
        } else if ((cp == '-' || is_apostrophe(cp) || cp == '.') && j + l < end) {
            uint32_t nx;
            nr_utf8_decode(s + j + l, end - j - l, &nx);
            if (!is_letter(nx))
                break;
            if (is_apostrophe(cp)) {
                char buf[32];
                size_t n = 0;
                char *low = lower_copy(st->doc->arena, s, i, j, &n);
                if (low && n < sizeof buf && elision(low, n))
                    return j + l;
            }
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

bool nr_tokenise(nr_doc *doc, const nr_sentence *se, const nr_lexicon *lx, nr_tok **out,
                 size_t *n) {
    nr_vec v;
    nr_vec_init(&v, sizeof(nr_tok));
    tok_state st = {doc, lx, &v};
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
            size_t l = nr_utf8_decode(doc->text + i, sp->end - i, &cp);
            if (nr_is_space(cp) || is_mark(cp) || is_apostrophe(cp)) {
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
    *n = v.len;
    *out = ok ? nr_arena_memdup(doc->arena, v.data, v.len, sizeof(nr_tok)) : NULL;
    nr_vec_free(&v);
    return ok && (*n == 0 || *out);
}

bool nr_tok_is(const nr_tok *t, const char *w) {
    return t->kind == NR_TOK_WORD && !strcmp(t->low, w);
}
