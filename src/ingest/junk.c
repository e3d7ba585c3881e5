/* junk.c: loading and matching the voices/<lang>/junk.txt and byline.txt
 * patterns. Matching is bounded: lines longer than NR_JUNK_MAX_BYTES are
 * never furniture, and word-count limits skip most patterns on body text. */
#include "junk.h"

#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/data.h"
#include "../util/buf.h"

#define NR_JUNK_MAX_BYTES 400
#define NR_FOLD_LIMIT 600

typedef struct pattern {
    regex_t re;
    char *regex;     /* the anchored regular expression, compiled on first use */
    int state;       /* 0 not compiled yet, 1 compiled, -1 does not compile */
    char *src;       /* the pattern as written */
    bool first[256]; /* the bytes a match can start with */
    char *lit;       /* a literal every match contains, or NULL */
    char **alts;     /* one of these literals is in every match, or NULL */
    size_t n_alts;
    char **heads; /* a whole-line match starts with one of these, or NULL */
    size_t n_heads;
    int last; /* the byte every match ends with, or -1 */
    const char *reason;
    size_t max_words; /* 0 = any */
    bool caps, end, credit;
    /* split_tail: the pattern is A X{lo,hi}, RE holds A alone */
    bool split;
    size_t lo, hi;
    bool tail[256]; /* the bytes X matches */
} pattern;

struct nr_junk_rules {
    nr_vec pats;    /* pattern */
    nr_vec byline;  /* pattern */
    nr_vec roles;   /* pattern: a writer's role on the line under a byline */
    nr_vec reasons; /* char *, owned */
    /* by first byte B of a line, the indices into pats of the patterns that
       may match it (first[B], or matching at the end), in order: [from[B],
       from[B + 1]) of by_first */
    uint32_t *by_first;
    size_t from[257];
};

/* A folded code point is at most this many bytes (decompositions of one
 * code point are short; longer ones are cut). */
#define NR_FOLD_MAX 24

typedef struct folder {
    char *s;
    size_t *map;
    size_t len, cap;
    size_t spaces; /* spaces written: the words are one more */
    bool space;
} folder;

/* Writes the space that a run of white space before ORIG left pending
 * (none at the start, none past the scratch). */
static inline void put_space(folder *f, size_t orig) {
    if (f->space && f->len > 0 && f->len < f->cap) {
        if (f->map)
            f->map[f->len] = orig;
        f->s[f->len++] = ' ';
        f->spaces++;
    }
    f->space = false;
}

static inline void put(folder *f, const char *bytes, size_t n, size_t orig) {
    put_space(f, orig);
    for (size_t k = 0; k < n && f->len < f->cap; k++) {
        if (f->map)
            f->map[f->len] = orig;
        f->s[f->len++] = bytes[k];
    }
}

/* What a code point folds to: up to 8 pieces, each a space (N = 0) or
 * the UTF-8 bytes of a folded code point; LOWER: it is a small letter. */
typedef struct fold_piece {
    unsigned char n;
    char b[4];
} fold_piece;

typedef struct fold_form {
    unsigned char n_pieces;
    bool lower;
    fold_piece pieces[8];
} fold_form;

/* The folded form of CP (not ASCII): its decomposition without case,
 * marks or format characters, spaces lumped. */
static void fold_form_of(int32_t cp, fold_form *ff) {
    utf8proc_int32_t out[8];
    int last = 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char(cp, out, 8,
                                UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT |
                                    UTF8PROC_LUMP | UTF8PROC_DECOMPOSE,
                                &last);
    if (n < 0 || n > 8) {
        out[0] = cp;
        n = 1;
    }
    ff->n_pieces = 0;
    ff->lower = utf8proc_get_property(cp)->category == UTF8PROC_CATEGORY_LL;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        int32_t c = out[i];
        const utf8proc_property_t *p = utf8proc_get_property(c);
        fold_piece *pc = &ff->pieces[ff->n_pieces];
        if (c == ' ' || c == '\t' || c == '\n' || p->category == UTF8PROC_CATEGORY_ZS) {
            pc->n = 0;
            ff->n_pieces++;
            continue;
        }
        if (p->category == UTF8PROC_CATEGORY_CF || p->category == UTF8PROC_CATEGORY_MN)
            continue;
        pc->n = (unsigned char)utf8proc_encode_char(c, (uint8_t *)pc->b);
        ff->n_pieces++;
    }
}

/* The folded forms of U+0080..U+07FF (the accented Latin letters, Greek,
 * Cyrillic...), computed once per process: news text is full of them. */
#define NR_FOLD_MEMO 0x800
static fold_form fold_memo[NR_FOLD_MEMO];
static pthread_once_t fold_memo_once = PTHREAD_ONCE_INIT;

static void fold_memo_fill(void) {
    for (int32_t cp = 0x80; cp < NR_FOLD_MEMO; cp++)
        fold_form_of(cp, &fold_memo[cp]);
}

/* Appends the folded form of CP, remembering that it came from ORIG;
 * *LOWER is set when CP is a small letter. */
static void fold_cp(folder *f, int32_t cp, size_t orig, bool *lower) {
    if (cp < 0x80) {
        char c = (char)cp;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            f->space = true;
        else
            put(f, &(char){(char)(c >= 'A' && c <= 'Z' ? c + 32 : c)}, 1, orig);
        *lower |= c >= 'a' && c <= 'z';
        return;
    }
    fold_form local;
    const fold_form *ff = &local;
    if (cp < NR_FOLD_MEMO && pthread_once(&fold_memo_once, fold_memo_fill) == 0)
        ff = &fold_memo[cp];
    else
        fold_form_of(cp, &local);
    *lower |= ff->lower;
    for (size_t i = 0; i < ff->n_pieces; i++) {
        if (ff->pieces[i].n == 0)
            f->space = true;
        else
            put(f, ff->pieces[i].b, ff->pieces[i].n, orig);
    }
}

bool nr_fold(const char *s, size_t n, nr_folded *out) { return nr_fold_ex(s, n, out, true); }

/* Appends the run of ASCII bytes other than white space that starts at
 * S[I], lower-cased, and returns its end: most of a line in a Latin script,
 * copied without fold_cp's per-code-point work. As put() does, what does
 * not fit in the scratch is left out. */
static size_t fold_ascii_run(folder *f, const char *s, size_t i, size_t n, bool *lower) {
    put_space(f, i);
    char *o = f->s + f->len, *end = f->s + f->cap;
    size_t *map = f->map;
    unsigned any_lower = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        any_lower |= (unsigned)(c - 'a') < 26u;
        if (o < end) {
            if (map)
                map[o - f->s] = i;
            *o++ = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
        }
    }
    f->len = (size_t)(o - f->s);
    *lower |= any_lower != 0;
    return i;
}

/* nr_fold_ex, the folded text allocated from POOL when not NULL. */
static bool fold(const char *s, size_t n, nr_folded *out, bool with_map, nr_arena *pool) {
    memset(out, 0, sizeof *out);
    size_t look = n > NR_FOLD_LIMIT ? 0 : n;
    char scratch[NR_FOLD_LIMIT * 3 + NR_FOLD_MAX + 1];
    folder f = {0};
    f.cap = look * 3 + NR_FOLD_MAX;
    f.s = scratch;
    if (with_map && !(f.map = malloc((f.cap + 1) * sizeof *f.map)))
        return false;
    for (size_t i = 0; i < look;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            i = fold_ascii_run(&f, s, i, look, &out->has_lower);
            continue;
        }
        utf8proc_int32_t cp = c;
        utf8proc_ssize_t l = 1;
        if (c >= 0x80) {
            l = utf8proc_iterate((const uint8_t *)s + i, (utf8proc_ssize_t)(look - i), &cp);
            if (l <= 0) {
                cp = 0xFFFD;
                l = 1;
            }
        }
        fold_cp(&f, cp, i, &out->has_lower);
        i += (size_t)l;
    }
    out->s = pool ? nr_arena_strndup(pool, f.s, f.len) : malloc(f.len + 1);
    if (!out->s) {
        free(f.map);
        return false;
    }
    out->pooled = pool != NULL;
    if (!pool) {
        memcpy(out->s, f.s, f.len);
        out->s[f.len] = 0;
    }
    out->len = f.len;
    if (f.map) {
        f.map[f.len] = n;
        size_t *m2 = realloc(f.map, (f.len + 1) * sizeof *f.map);
        out->map = m2 ? m2 : f.map;
    }
    if (look) {
        out->words = out->len ? f.spaces + 1 : 0;
    } else {
        /* too long to be anything but body text: only its size is kept */
        out->has_lower = true;
        bool in = false;
        for (size_t i = 0; i < n; i++) {
            bool sp = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
            out->words += !sp && !in;
            in = !sp;
        }
    }
    return true;
}

bool nr_fold_ex(const char *s, size_t n, nr_folded *out, bool with_map) {
    return fold(s, n, out, with_map, NULL);
}

bool nr_fold_in(nr_arena *pool, const char *s, size_t n, nr_folded *out) {
    return fold(s, n, out, false, pool);
}

void nr_folded_free(nr_folded *f) {
    if (!f)
        return;
    if (!f->pooled)
        free(f->s);
    free(f->map);
    memset(f, 0, sizeof *f);
}

/* Frees the patterns of V and V itself. */
static void patterns_free(nr_vec *v) {
    for (size_t i = 0; i < v->len; i++) {
        pattern *q = &NR_VEC_AT(v, pattern, i);
        if (q->state == 1)
            regfree(&q->re);
        free(q->regex);
        free(q->src);
        free(q->lit);
        for (size_t k = 0; k < q->n_alts; k++)
            free(q->alts[k]);
        free(q->alts);
        for (size_t k = 0; k < q->n_heads; k++)
            free(q->heads[k]);
        free(q->heads);
    }
    nr_vec_free(v);
}

static void rules_free(void *p) {
    nr_junk_rules *r = p;
    if (!r)
        return;
    patterns_free(&r->pats);
    patterns_free(&r->byline);
    patterns_free(&r->roles);
    free(r->by_first);
    for (size_t i = 0; i < r->reasons.len; i++)
        free(NR_VEC_AT(&r->reasons, char *, i));
    nr_vec_free(&r->reasons);
    free(r);
}

typedef struct loader {
    nr_ctx *ctx;
    nr_junk_rules *r;
    nr_vec *into;
    const char *path;
    const char *reason;
    size_t max_words;
    bool ok;
} loader;

/* The bytes a match of the ERE element sequence S[0..N) can start with,
 * into SET; returns true when the sequence can match the empty string.
 * Anything this reading does not follow opens the set to every byte. */
static bool first_seq(const char *s, size_t n, bool set[256]);

/* The index of the ']' that closes the bracket expression opening at S[I]
 * (a ']' first in it, after any '^', is one of its bytes); N if none. */
static size_t bracket_close(const char *s, size_t n, size_t i) {
    size_t j = i + 1;
    if (j < n && s[j] == '^')
        j++;
    if (j < n && s[j] == ']')
        j++;
    while (j < n && s[j] != ']')
        j++;
    return j;
}

/* The end of the element that starts at S[I] (a group, a bracket, an
 * escape or one byte), quantifier excluded. A group ends at the first ')'
 * among its elements, each nested group being stepped over whole. */
static size_t element_end(const char *s, size_t n, size_t i) {
    if (s[i] == '\\')
        return i + 2 <= n ? i + 2 : n;
    if (s[i] == '[') {
        size_t j = bracket_close(s, n, i);
        return j < n ? j + 1 : n;
    }
    if (s[i] == '(') {
        size_t j = i + 1;
        while (j < n && s[j] != ')')
            j = element_end(s, n, j);
        return j < n ? j + 1 : n;
    }
    return i + 1;
}

/* The end of the inside of the group S[I..E) (E from element_end): before
 * its ')', or E when the group is not closed. */
static size_t group_inner_end(const char *s, size_t i, size_t e) {
    return e > i + 1 && s[e - 1] == ')' ? e - 1 : e;
}

/* The index of the first '|' of S[0..N) outside every group (N if none):
 * element_end steps over groups, brackets and escapes whole. */
static size_t top_bar(const char *s, size_t n) {
    for (size_t j = 0; j < n; j = element_end(s, n, j))
        if (s[j] == '|')
            return j;
    return n;
}

static void all_bytes(bool set[256]) {
    for (int c = 0; c < 256; c++)
        set[c] = true;
}

/* First bytes of one element; true when it can match empty. */
static bool first_elem(const char *s, size_t i, size_t e, bool set[256]) {
    char c = s[i];
    if (c == '(') { /* the first bytes of each of its alternatives */
        size_t in_end = group_inner_end(s, i, element_end(s, e, i));
        bool nullable = false;
        for (size_t a = i + 1;;) {
            size_t b = a + top_bar(s + a, in_end - a);
            nullable |= first_seq(s + a, b - a, set);
            if (b >= in_end)
                return nullable;
            a = b + 1;
        }
    }
    if (c == '[') {
        size_t j = i + 1;
        if (j < e && s[j] == '^') {
            all_bytes(set);
            return false;
        }
        for (; j + 1 < e; j++) {
            if (j + 2 < e - 1 && s[j + 1] == '-') {
                for (int k = (unsigned char)s[j]; k <= (unsigned char)s[j + 2]; k++)
                    set[k] = true;
                j += 2;
            } else if (s[j] == '[') {
                all_bytes(set); /* a class like [:alpha:] */
                return false;
            } else {
                set[(unsigned char)s[j]] = true;
            }
        }
        return false;
    }
    if (c == '.') {
        all_bytes(set);
        return false;
    }
    if (c == '\\') {
        char x = i + 1 < e ? s[i + 1] : 0;
        if (x == 'b' || x == 'B' || x == '<' || x == '>' || x == '`' || x == '\'')
            return true;
        if (x == 'w' || x == 'W' || x == 's' || x == 'S' || !x)
            all_bytes(set);
        else
            set[(unsigned char)x] = true;
        return false;
    }
    if (c == '^' || c == '$')
        return true;
    set[(unsigned char)c] = true;
    return false;
}

static bool first_seq(const char *s, size_t n, bool set[256]) {
    for (size_t i = 0; i < n;) {
        if (s[i] == '|') { /* a top-level alternative: its own sequence */
            return first_seq(s + i + 1, n - i - 1, set) || true;
        }
        size_t e = element_end(s, n, i);
        bool nullable = first_elem(s, i, e, set);
        if (e < n && (s[e] == '?' || s[e] == '*' || (s[e] == '{' && e + 1 < n && s[e + 1] == '0')))
            nullable = true;
        /* skip the quantifier */
        if (e < n && (s[e] == '?' || s[e] == '*' || s[e] == '+'))
            e++;
        else if (e < n && s[e] == '{') {
            while (e < n && s[e] != '}')
                e++;
            e += e < n;
        }
        if (!nullable) {
            /* a later top-level '|' still adds its alternative */
            size_t j = e + top_bar(s + e, n - e);
            return j < n && first_seq(s + j + 1, n - j - 1, set);
        }
        i = e;
    }
    return true;
}

/* The first-byte set of a whole pattern: every byte when it can be empty. */
static void first_set(const char *s, size_t n, bool set[256]) {
    memset(set, 0, 256);
    if (first_seq(s, n, set))
        all_bytes(set);
}

/* A byte that stands for itself in an ERE. */
static bool plain(char c) { return !strchr(".[]()|*+?{}^$\\", c); }

/* True when S[0..N) has an alternation '|' outside every group. */
static bool top_alternation(const char *s, size_t n) { return top_bar(s, n) < n; }

/* What a match must contain, for a cheap test before the regex: the
 * longest run of literal bytes outside groups and not quantified, and the
 * alternatives of the first unquantified group made only of literals. */
static bool literals(const char *s, size_t n, pattern *p) {
    size_t best_a = 0, best_n = 0;
    for (size_t i = 0; i < n;) {
        size_t e = element_end(s, n, i);
        bool quantified = e < n && strchr("?*+{", s[e]);
        if (s[i] == '(' && !quantified && !p->alts) {
            /* literal-only alternatives? */
            bool ok = true;
            for (size_t j = i + 1; j + 1 < e && ok; j++)
                ok = plain(s[j]) || s[j] == '|';
            if (ok && e - i > 2) {
                size_t count = 1;
                for (size_t j = i + 1; j + 1 < e; j++)
                    count += s[j] == '|';
                p->alts = calloc(count, sizeof *p->alts);
                if (!p->alts)
                    return false;
                size_t a = i + 1;
                for (size_t j = i + 1; j < e; j++) {
                    if (j == e - 1 || s[j] == '|') {
                        if (!(p->alts[p->n_alts++] = strndup(s + a, j - a)))
                            return false;
                        a = j + 1;
                    }
                }
            }
        }
        /* a run of plain literals, each unquantified */
        size_t a = i, k = i;
        while (k < n && plain(s[k]) && !(k + 1 < n && strchr("?*+{", s[k + 1])))
            k++;
        if (k - a > best_n)
            best_a = a, best_n = k - a;
        if (k > i) {
            i = k;
            continue;
        }
        i = e;
        if (i < n && (s[i] == '?' || s[i] == '*' || s[i] == '+'))
            i++;
        else if (i < n && s[i] == '{') {
            while (i < n && s[i] != '}')
                i++;
            i += i < n;
        }
    }
    if (top_alternation(s, n)) { /* then nothing is required */
        for (size_t k = 0; k < p->n_alts; k++)
            free(p->alts[k]);
        free(p->alts);
        p->alts = NULL;
        p->n_alts = 0;
        return true;
    }
    if (best_n && !(p->lit = strndup(s + best_a, best_n)))
        return false;
    return true;
}

/* The literal bytes S[0..N) starts with: plain bytes, up to one that a
 * quantifier makes optional. */
static size_t leading_literal(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && plain(s[i]) && !(i + 1 < n && strchr("?*+{", s[i + 1])))
        i++;
    return i;
}

/* What cheaply rules a line out before the regex, read from the pattern
 * S[0..N): the literal starts of a whole-line match (each alternative of a
 * leading group, or the pattern's own first bytes) and the byte a match
 * ends with (the pattern's last element, a literal byte). A pattern these
 * readings do not follow gets no such test. */
static bool heads_and_last(const char *s, size_t n, pattern *p) {
    p->last = -1;
    if (!n || top_alternation(s, n))
        return true;
    size_t slashes = 0;
    for (size_t j = n - 1; j > 0 && s[j - 1] == '\\'; j--)
        slashes++;
    unsigned char c = (unsigned char)s[n - 1];
    if (slashes % 2 == 0 && plain((char)c))
        p->last = c;
    else if (slashes % 2 == 1 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
             !(c >= '0' && c <= '9') && !strchr("<>`'", c))
        p->last = c; /* an escaped punctuation byte: "\)" */
    size_t lead = leading_literal(s, n);
    if (lead) {
        p->heads = calloc(1, sizeof *p->heads);
        if (!p->heads || !(p->heads[0] = strndup(s, lead)))
            return false;
        p->n_heads = 1;
        return true;
    }
    size_t e = element_end(s, n, 0);
    if (s[0] != '(' || (e < n && strchr("?*+{", s[e])))
        return true;
    /* the alternatives of the leading group, split at its own '|' */
    size_t in_end = group_inner_end(s, 0, e), from[64], to[64], k = 0;
    for (size_t a = 1;; a = to[k - 1] + 1) {
        if (k == 64)
            return true;
        size_t b = a + top_bar(s + a, in_end - a);
        if (!leading_literal(s + a, b - a))
            return true; /* an alternative without a literal start */
        from[k] = a, to[k++] = b;
        if (b >= in_end)
            break;
    }
    p->heads = calloc(k, sizeof *p->heads);
    if (!p->heads)
        return false;
    for (size_t i = 0; i < k; i++) {
        if (!(p->heads[i] = strndup(s + from[i], leading_literal(s + from[i], to[i] - from[i]))))
            return false;
        p->n_heads++;
    }
    return true;
}

/* True when F passes the pattern's cheap tests (literal starts, last byte). */
static bool may_match(const pattern *p, const nr_folded *f) {
    if (p->last >= 0 && (unsigned char)f->s[f->len - 1] != p->last)
        return false;
    if (!p->heads || p->end)
        return true;
    for (size_t k = 0; k < p->n_heads; k++) {
        const char *h = p->heads[k];
        /* the first two bytes before the call: they tell most heads apart */
        if (h[0] && (h[0] != f->s[0] || (h[1] && h[1] != f->s[1])))
            continue;
        if (!strncmp(f->s, h, strlen(h)))
            return true;
    }
    return false;
}

/* Brackets and parentheses pair up, outside bracket expressions and
 * escapes: the mistakes a hand-edited pattern file makes. Groups nest at
 * most 32 deep, which keeps the readings above (recursive) shallow. A
 * repetition is not repeated again ("m++", "a*{2}"): POSIX leaves that
 * undefined, and glibc's regcomp takes gigabytes over a run of them. */
static bool well_formed(const char *s, size_t n) {
    int depth = 0;
    bool repeated = false; /* the element before is a repetition */
    for (size_t i = 0; i < n; i++) {
        bool quantifier = s[i] == '*' || s[i] == '+' || s[i] == '?' || s[i] == '{';
        if (quantifier && repeated)
            return false;
        repeated = quantifier;
        if (s[i] == '{') {
            while (i < n && s[i] != '}')
                i++;
            if (i >= n)
                return false;
        } else if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[') {
            if ((i = bracket_close(s, n, i)) >= n)
                return false;
        } else {
            depth += s[i] == '(';
            depth -= s[i] == ')';
            if (depth < 0 || depth > 32)
                return false;
        }
    }
    return depth == 0;
}

/* Where SRC (N bytes, as written) ends in X{lo,hi}, X being '.' or a
 * bracket expression without classes, at the top level of a pattern without
 * alternatives there: the length of what comes before X, and the bounds.
 * glibc's regex unrolls such a repetition into HI copies of X, and a
 * "[^.!?]{1,120}" cost milliseconds to compile and to run the first time
 * (its automaton is built as it goes), before an English article's first
 * audio; SIZE_MAX when the pattern is not of that form. */
static size_t split_tail(const char *s, size_t n, size_t *lo, size_t *hi) {
    if (n < 5 || s[n - 1] != '}')
        return SIZE_MAX;
    size_t q = n - 1;
    while (q > 0 && s[q - 1] != '{')
        q--;
    if (q < 2 || sscanf(s + q, "%zu,%zu}", lo, hi) != 2 || *lo > *hi || *hi < 8 || *hi > 1000)
        return SIZE_MAX;
    q--; /* the '{' */
    size_t x = SIZE_MAX;
    int depth = 0;
    for (size_t i = 0; i < q; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == '[') {
            size_t j = i + 1;
            if (j < q && s[j] == '^')
                j++;
            if (j < q && s[j] == ']')
                j++;
            while (j < q && s[j] != ']' && s[j] != '[')
                j++;
            if (j >= q || s[j] != ']')
                return SIZE_MAX;
            x = depth == 0 && j == q - 1 ? i : x;
            i = j;
            continue;
        }
        depth += s[i] == '(';
        depth -= s[i] == ')';
        if (s[i] == '|' && depth == 0)
            return SIZE_MAX;
        if (s[i] == '.' && depth == 0 && i == q - 1)
            x = i;
    }
    for (size_t i = q + 1; i < n - 1; i++) /* only digits and one comma inside */
        if (!(s[i] >= '0' && s[i] <= '9') && s[i] != ',')
            return SIZE_MAX;
    return depth == 0 ? x : SIZE_MAX;
}

/* Compiles P: as a whole, or as its head A with the bytes of its tail X
 * (split_tail), each byte tried against X alone. */
static int pattern_compile(pattern *p) {
    size_t len = strlen(p->src);
    size_t x = split_tail(p->src, len, &p->lo, &p->hi);
    if (x != SIZE_MAX) {
        char *one = NULL, *head = NULL;
        size_t xl = strcspn(p->src + x, "{");
        regex_t xr;
        if (asprintf(&one, "^%.*s$", (int)xl, p->src + x) < 0)
            one = NULL;
        if (asprintf(&head, "%s(%.*s)$", p->end ? "" : "^", (int)x, p->src) < 0)
            head = NULL;
        bool ok = one && head && regcomp(&xr, one, REG_EXTENDED | REG_NOSUB) == 0;
        for (int b = 1; ok && b < 256; b++) {
            char c[2] = {(char)b, '\0'};
            p->tail[b] = regexec(&xr, c, 0, NULL, 0) == 0;
        }
        if (ok)
            regfree(&xr);
        ok = ok && regcomp(&p->re, head, REG_EXTENDED | (p->end ? 0 : REG_NOSUB)) == 0;
        free(one);
        free(head);
        if (ok) {
            p->split = true;
            return 1;
        }
    }
    return regcomp(&p->re, p->regex, REG_EXTENDED | (p->end ? 0 : REG_NOSUB)) == 0 ? 1 : -1;
}

/* A split pattern against S: A must match S up to a tail of LO to HI bytes
 * of X (for an end pattern, A ends there, and the match starts where the
 * leftmost of those matches of A starts). */
static bool split_exec(const pattern *p, const char *s, size_t nm, regmatch_t *m) {
    size_t len = strlen(s), run = 0;
    while (run < len && p->tail[(unsigned char)s[len - 1 - run]])
        run++;
    if (run > p->hi)
        run = p->hi;
    char *buf = run >= p->lo ? malloc(len + 1) : NULL;
    regoff_t best = -1;
    for (size_t t = p->lo; buf && t <= run; t++) {
        size_t j = len - t;
        memcpy(buf, s, j);
        buf[j] = '\0';
        regmatch_t mm[1];
        if (regexec(&p->re, buf, nm ? 1 : 0, nm ? mm : NULL, 0) != 0)
            continue;
        if (!nm) {
            best = 0;
            break;
        }
        if (best < 0 || mm[0].rm_so < best)
            best = mm[0].rm_so;
    }
    free(buf);
    if (best >= 0 && nm) {
        m[0].rm_so = best;
        m[0].rm_eo = (regoff_t)len;
    }
    return best >= 0;
}

/* Matches F against P, compiling P the first time it is needed. The rules
 * are shared read-only by their users; compiling in place is the one
 * mutation, and a context is used by one thread at a time. */
static bool pattern_exec(const pattern *cp, const char *s, size_t nm, regmatch_t *m) {
    pattern *p = (pattern *)cp;
    if (p->state == 0)
        p->state = pattern_compile(p);
    if (p->state != 1)
        return false;
    return p->split ? split_exec(p, s, nm, m) : regexec(&p->re, s, nm, m, 0) == 0;
}

/* Adds one pattern line, anchored to the whole line or to its end. */
static bool add_pattern(loader *ld, const char *line, size_t len, int lineno) {
    bool caps = false, end = false;
    for (;;) {
        if (len > 5 && !memcmp(line, "caps:", 5))
            caps = true, line += 5, len -= 5;
        else if (len > 4 && !memcmp(line, "end:", 4))
            end = true, line += 4, len -= 4;
        else
            break;
    }
    nr_buf src;
    nr_buf_init(&src);
    nr_buf_adds(&src, end ? "(" : "^(");
    nr_buf_add(&src, line, len);
    nr_buf_adds(&src, ")$");
    pattern *p = nr_vec_push(ld->into);
    if (!p || !nr_buf_ok(&src)) {
        nr_buf_free(&src);
        ld->ok = false;
        nr_fail(ld->ctx, NR_E_NOMEM, "out of memory");
        return false;
    }
    /* Compiling every language's patterns costs tens of milliseconds, most of
       them never reached past their prefilters: a listener would wait for
       that before the first sentence. Each pattern compiles on first use; a
       pattern that does not compile is checked here, cheaply, for balanced
       brackets and parentheses and repeated repetitions, and otherwise
       never matches. */
    if (!well_formed(line, len)) {
        nr_buf_free(&src);
        ld->into->len--;
        ld->ok = false;
        nr_fail(ld->ctx, NR_E_DATA, "voices/%s:%d: the pattern does not compile", ld->path, lineno);
        return false;
    }
    p->regex = nr_buf_take(&src, NULL);
    p->state = 0;
    p->src = strndup(line, len);
    first_set(line, len, p->first);
    if (!literals(line, len, p) || !heads_and_last(line, len, p)) {
        nr_fail(ld->ctx, NR_E_NOMEM, "out of memory");
        ld->ok = false;
        return false;
    }
    p->reason = ld->reason ? ld->reason : "page furniture";
    p->max_words = ld->max_words;
    p->caps = caps;
    p->end = end;
    p->credit = ld->reason && strstr(ld->reason, "credit") != NULL;
    return true;
}

/* One line of a junk.txt or byline.txt: a group, a limit or a pattern. */
static bool load_line(void *user, const char *line, size_t len, int lineno) {
    loader *ld = user;
    if (line[0] == '[' && line[len - 1] == ']') {
        char *reason = strndup(line + 1, len - 2);
        char **slot = reason ? nr_vec_push(&ld->r->reasons) : NULL;
        if (!slot) {
            free(reason);
            ld->ok = false;
            nr_fail(ld->ctx, NR_E_NOMEM, "out of memory");
            return false;
        }
        *slot = reason;
        ld->reason = reason;
        ld->max_words = 0;
        return true;
    }
    if (ld->into == &ld->r->byline && len > 5 && !memcmp(line, "role:", 5)) {
        nr_vec *keep = ld->into;
        ld->into = &ld->r->roles;
        bool ok = add_pattern(ld, line + 5, len - 5, lineno);
        ld->into = keep;
        return ok;
    }
    if (len > 10 && !memcmp(line, "max-words ", 10)) {
        ld->max_words = (size_t)strtoul(line + 10, NULL, 10);
        return true;
    }
    return add_pattern(ld, line, len, lineno);
}

/* Indexes the patterns by the first byte of the lines they may match, so
 * that a line is tried against a few of them, not all. False on
 * out-of-memory. */
static bool index_first(nr_junk_rules *r) {
    size_t n = r->pats.len, k = 0;
    if (!(r->by_first = malloc((n * 256 + 1) * sizeof *r->by_first)))
        return false;
    for (int b = 0; b < 256; b++) {
        r->from[b] = k;
        for (size_t i = 0; i < n; i++) {
            const pattern *p = &NR_VEC_AT(&r->pats, pattern, i);
            if (p->end || p->first[b])
                r->by_first[k++] = (uint32_t)i;
        }
    }
    r->from[256] = k;
    return true;
}

/* The languages that have ingest data: every built-in voices/<lang>/junk.txt. */
static void *rules_load(nr_ctx *ctx, const char *lang_unused) {
    (void)lang_unused;
    nr_junk_rules *r = calloc(1, sizeof *r);
    if (!r) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    nr_vec_init(&r->pats, sizeof(pattern));
    nr_vec_init(&r->byline, sizeof(pattern));
    nr_vec_init(&r->roles, sizeof(pattern));
    nr_vec_init(&r->reasons, sizeof(char *));
    bool ok = true;
    for (size_t i = 0; i < nr_embedded_count && ok; i++) {
        const char *path = nr_embedded_files[i].path;
        const char *slash = strchr(path, '/');
        if (!slash)
            continue;
        bool junk = !strcmp(slash + 1, "junk.txt"), byline = !strcmp(slash + 1, "byline.txt");
        if (!junk && !byline)
            continue;
        size_t len;
        const char *text = nr_data_get(ctx->data, path, &len);
        if (!text)
            continue;
        loader ld = {ctx, r, junk ? &r->pats : &r->byline, path, NULL, 0, true};
        nr_data_each_line(text, len, load_line, &ld);
        ok = ld.ok;
    }
    if (ok && !index_first(r)) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        ok = false;
    }
    if (!ok) {
        rules_free(r);
        return NULL;
    }
    return r;
}

const nr_junk_rules *nr_junk_rules_get(nr_ctx *ctx) {
    return nr_ctx_rules(ctx, "junk", "*", rules_load, rules_free);
}

nr_junk_kind nr_junk_match(const nr_junk_rules *r, const nr_folded *f, const char **reason,
                           size_t *at) {
    *reason = NULL;
    *at = 0;
    if (!r || f->len == 0 || f->len > NR_JUNK_MAX_BYTES)
        return NR_JUNK_NONE;
    char last = f->s[f->len - 1];
    bool sentence_end =
        last == '.' || last == '!' || last == '?' || last == '"' ||
        (f->len >= 2 && (unsigned char)f->s[f->len - 2] == 0xC2 && (unsigned char)last == 0xBB);
    unsigned char b = (unsigned char)f->s[0];
    for (size_t x = r->from[b]; x < r->from[b + 1]; x++) {
        const pattern *p = &NR_VEC_AT(&r->pats, pattern, r->by_first[x]);
        if ((!p->end && !p->first[b]) || (p->max_words && f->words > p->max_words && !p->end) ||
            (p->caps && f->has_lower) || (p->end && sentence_end) ||
            (!p->end && !p->max_words && f->words > 40))
            continue;
        if (!may_match(p, f))
            continue;
        if (p->lit && !strstr(f->s, p->lit))
            continue;
        if (p->alts) {
            size_t k = 0;
            while (k < p->n_alts && !strstr(f->s, p->alts[k]))
                k++;
            if (k == p->n_alts)
                continue;
        }
        regmatch_t m[1];
        if (!pattern_exec(p, f->s, p->end ? 1 : 0, p->end ? m : NULL))
            continue;
        *reason = p->reason;
        if (!p->end)
            return p->credit ? NR_JUNK_CREDIT : NR_JUNK_LINE;
        size_t s = (size_t)m[0].rm_so;
        if (s == 0)
            return NR_JUNK_CREDIT;
        /* an end credit follows a word boundary and leaves a caption of a few words */
        char before = f->s[s - 1];
        if ((before != ' ' && before != '.' && before != ')') || s < 12)
            continue;
        *at = s;
        return NR_JUNK_CREDIT_END;
    }
    return NR_JUNK_NONE;
}

bool nr_junk_is_byline(const nr_junk_rules *r, const nr_folded *f) {
    if (!r || f->len == 0 || f->len > 200 || f->words > 16)
        return false;
    for (size_t i = 0; i < r->byline.len; i++)
        if (pattern_exec(&NR_VEC_AT(&r->byline, pattern, i), f->s, 0, NULL))
            return true;
    return false;
}

bool nr_junk_is_role(const nr_junk_rules *r, const nr_folded *f) {
    if (!r || f->len == 0 || f->len > 120 || f->words > 8)
        return false;
    for (size_t i = 0; i < r->roles.len; i++)
        if (pattern_exec(&NR_VEC_AT(&r->roles, pattern, i), f->s, 0, NULL))
            return true;
    return false;
}
