/* lang.c: language identification by function words, then n-grams. */
#include "lang.h"

#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include <utf8proc.h>

#include "../core/data.h"
#include "../util/buf.h"
#include "../util/utf8.h"

#define NR_LANG_MAX 32
#define NR_LANG_LOOK 65536 /* bytes of text looked at */

typedef struct word {
    const char *w;  /* folded, NUL-terminated, owned by the rules */
    uint32_t langs; /* bit i: langs[i] has it */
} word;

/* A word as written and what the lists say of it: folding a word with
 * accents costs an allocation, and news text repeats its words. */
#define NR_LANG_CACHE 2048
typedef struct seen {
    char raw[64];
    size_t len; /* 0 = empty slot */
    const word *w;
} seen;

typedef struct lang_rules {
    char langs[NR_LANG_MAX][16];
    size_t n_langs;
    word *words;
    size_t n_words;
    uint32_t *slots;  /* open addressing: index + 1 into words, 0 = empty */
    uint32_t *hashes; /* hash() of each word, compared before the word */
    size_t n_slots;   /* a power of two */
    void *textcat;    /* NULL when libexttextcat's data is missing */
    bool textcat_tried;
    seen *cache; /* NR_LANG_CACHE slots, direct-mapped; NULL = no cache */
} lang_rules;

static void rules_free(void *p) {
    lang_rules *r = p;
    if (!r)
        return;
    for (size_t i = 0; i < r->n_words; i++)
        free((char *)r->words[i].w);
    free(r->words);
    free(r->slots);
    free(r->hashes);
    free(r->cache);
    if (r->textcat)
        textcat_Done(r->textcat);
    free(r);
}

/* Lower case without marks, as tokens are compared. ASCII (most stop
 * words and tokens) only needs its capitals lowered: utf8proc's mapping took
 * a tenth of the analysis of an article's head, for the stop words alone. */
static char *fold_word(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80 && s[i])
        i++;
    if (i == n) {
        char *a = malloc(n + 1);
        for (size_t k = 0; a && k < n; k++)
            a[k] = s[k] >= 'A' && s[k] <= 'Z' ? (char)(s[k] - 'A' + 'a') : s[k];
        if (a)
            a[n] = '\0';
        return a;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t l = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
    if (l < 0) {
        free(out);
        return NULL;
    }
    return (char *)out;
}

static uint32_t hash(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The entry for folded word W whose hash() is H, or NULL. */
static const word *lookup_hashed(const lang_rules *r, const char *w, uint32_t h) {
    if (!r->n_slots)
        return NULL;
    for (size_t i = h & (r->n_slots - 1);; i = (i + 1) & (r->n_slots - 1)) {
        uint32_t k = r->slots[i];
        if (!k)
            return NULL;
        if (r->hashes[k - 1] == h && !strcmp(r->words[k - 1].w, w))
            return &r->words[k - 1];
    }
}

static const word *lookup(const lang_rules *r, const char *w) {
    return lookup_hashed(r, w, hash(w));
}

/* The entry for the word TOK (TL bytes, not ASCII) as written, folded
 * first; NULL when it is not listed (or folding ran out of memory). */
static const word *lookup_raw(lang_rules *r, const char *tok, size_t tl) {
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < tl; k++)
        h = (h ^ (unsigned char)tok[k]) * 16777619u;
    seen *c = r->cache ? &r->cache[h & (NR_LANG_CACHE - 1)] : NULL;
    if (c && c->len == tl && !memcmp(c->raw, tok, tl))
        return c->w;
    char *f = fold_word(tok, tl);
    const word *w = f ? lookup(r, f) : NULL;
    free(f);
    if (c && f && tl <= sizeof c->raw) {
        memcpy(c->raw, tok, tl);
        c->len = tl;
        c->w = w;
    }
    return w;
}

static int word_cmp(const void *a, const void *b) {
    return strcmp(((const word *)a)->w, ((const word *)b)->w);
}

typedef struct wl {
    nr_vec *v;
    uint32_t bit;
    bool ok;
} wl;

static bool add_word(void *user, const char *line, size_t len, int lineno) {
    (void)lineno;
    wl *x = user;
    char *f = fold_word(line, len);
    word *w = f ? nr_vec_push(x->v) : NULL;
    if (!w) {
        free(f);
        x->ok = false;
        return false;
    }
    w->w = f;
    w->langs = x->bit;
    return true;
}

static void *rules_load(nr_ctx *ctx, const char *unused) {
    (void)unused;
    lang_rules *r = calloc(1, sizeof *r);
    if (!r) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    nr_vec v;
    nr_vec_init(&v, sizeof(word));
    bool ok = true;
    for (size_t i = 0; i < nr_embedded_count && ok && r->n_langs < NR_LANG_MAX; i++) {
        const char *path = nr_embedded_files[i].path, *slash = strchr(path, '/');
        if (!slash || strcmp(slash + 1, "stopwords.txt") || (size_t)(slash - path) >= 16)
            continue;
        size_t len;
        const char *text = nr_data_get(ctx->data, path, &len);
        if (!text)
            continue;
        memcpy(r->langs[r->n_langs], path, (size_t)(slash - path));
        wl x = {&v, 1u << r->n_langs, true};
        nr_data_each_line(text, len, add_word, &x);
        ok = x.ok;
        r->n_langs++;
    }
    /* merge duplicates: one entry per word, with every language's bit */
    word *ws = v.data;
    size_t n = 0;
    if (ok && v.len) {
        qsort(ws, v.len, sizeof *ws, word_cmp);
        for (size_t i = 0; i < v.len; i++) {
            if (n && !strcmp(ws[n - 1].w, ws[i].w)) {
                ws[n - 1].langs |= ws[i].langs;
                free((char *)ws[i].w);
            } else {
                ws[n++] = ws[i];
            }
        }
    }
    r->words = ws;
    r->n_words = ok ? n : v.len;
    if (!ok) {
        rules_free(r);
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    r->n_slots = 64;
    while (r->n_slots < r->n_words * 2)
        r->n_slots *= 2;
    r->slots = calloc(r->n_slots, sizeof *r->slots);
    r->hashes = malloc((r->n_words ? r->n_words : 1) * sizeof *r->hashes);
    r->cache = calloc(NR_LANG_CACHE, sizeof *r->cache); /* optional */
    if (!r->slots || !r->hashes) {
        rules_free(r);
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < r->n_words; i++) {
        r->hashes[i] = hash(r->words[i].w);
        size_t k = r->hashes[i] & (r->n_slots - 1);
        while (r->slots[k])
            k = (k + 1) & (r->n_slots - 1);
        r->slots[k] = (uint32_t)i + 1;
    }
    /* textcat's n-gram tables load on first use (tens of ms): most texts never need
       them, and a listener waits for the first sentence meanwhile */
    return r;
}

static lang_rules *rules_get(nr_ctx *ctx) {
    return nr_ctx_rules(ctx, "lang", "*", rules_load, rules_free);
}

/* libexttextcat's candidates as eSpeak codes ("en--utf8" -> "en"), best
 * first, into OUT (up to MAX); Scots is read as English. */
static size_t textcat_guess(lang_rules *r, const char *s, size_t n, char out[][16], size_t max) {
    if (!r->textcat && !r->textcat_tried) {
        r->textcat_tried = true;
        r->textcat =
            special_textcat_Init("/usr/share/libexttextcat/fpdb.conf", "/usr/share/libexttextcat/");
    }
    if (!r->textcat)
        return 0;
    const char *res = textcat_Classify(r->textcat, s, n < 4096 ? n : 4096);
    size_t k = 0;
    for (const char *p = res; p && *p == '[' && k < max;) {
        size_t i = 0;
        for (p++; *p && *p != '-' && *p != ']' && i < 15; p++)
            out[k][i++] = *p;
        out[k][i] = 0;
        if (!strcmp(out[k], "sco"))
            strcpy(out[k], "en");
        k += i > 0;
        while (*p && *p != ']')
            p++;
        if (*p == ']')
            p++;
    }
    return k;
}

static inline bool ascii_letter(unsigned char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }

/* Text mostly in Han characters is Chinese or Japanese, and the scripts
 * tell which: Japanese writes kana among its kanji, Chinese none. The
 * n-grams know Traditional Chinese poorly (libexttextcat gives up on it, or
 * says Japanese), so the scripts decide whenever the function words did not
 * (OUT->sure). Reads S[0, N). */
static void han_or_kana(const char *s, size_t n, nr_lang_guess *out) {
    if (out->sure)
        return;
    size_t kana = 0, han = 0, letters = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = (unsigned char)s[i];
        size_t l = cp < 0x80 ? 1 : nr_utf8_decode(s + i, n - i, &cp);
        if (cp < 0x80) {
            letters += ascii_letter((unsigned char)cp);
        } else {
            utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
            letters += cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
        }
        kana += cp >= 0x3040 && cp <= 0x30FF;
        han += (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
        i += l ? l : 1;
    }
    if (han + kana < 10 || (han + kana) * 2 <= letters)
        return;
    strcpy(out->code, kana * 10 >= han + kana ? "ja" : "zh");
}

/* nr_lang_detect, also counting in HH[0] the function words of language
 * HINT and in HH[1] those of the language with most (when HINT is not NULL). */
static bool detect_words(nr_ctx *ctx, const char *s, size_t n, const char *hint, nr_lang_guess *out,
                         size_t hh[2]) {
    memset(out, 0, sizeof *out);
    lang_rules *r = rules_get(ctx);
    if (!r)
        return false;
    if (n > NR_LANG_LOOK)
        n = NR_LANG_LOOK;
    size_t hits[NR_LANG_MAX] = {0};
    char tok[64], low[64]; /* the word as written; in lower case while it is ASCII */
    size_t tl = 0;
    bool ascii = true;
    uint32_t h = 2166136261u; /* hash() of low, as it grows */
    for (size_t i = 0; i <= n;) {
        /* a run of ASCII letters, the bulk of a Latin text, in a tight loop */
        while (i < n && ascii_letter((unsigned char)s[i]) && tl + 1 < sizeof tok) {
            unsigned char c = (unsigned char)s[i++];
            tok[tl] = (char)c;
            low[tl] = (char)(c <= 'Z' ? c + 32 : c);
            h = (h ^ (unsigned char)low[tl++]) * 16777619u;
        }
        uint32_t cp = ' ';
        size_t l = 1;
        bool letter;
        if (i < n && (unsigned char)s[i] < 0x80) {
            cp = (unsigned char)s[i];
            letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
        } else {
            l = i < n ? nr_utf8_decode(s + i, n - i, &cp) : 1;
            utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
            letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MN;
        }
        if (letter && tl + l < sizeof tok) {
            if (cp < 0x80) { /* ASCII words are folded here; others through utf8proc */
                tok[tl] = (char)cp;
                low[tl] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
                h = (h ^ (unsigned char)low[tl]) * 16777619u;
            } else {
                memcpy(tok + tl, s + i, l);
            }
            ascii &= cp < 0x80;
            tl += l;
        } else if (!letter && tl) {
            out->words++;
            /* an elided word keeps its apostrophe: French "l'", "qu'" */
            if ((cp == '\'' || cp == 0x2019) && tl + 1 < sizeof tok) {
                tok[tl] = low[tl] = '\'';
                h = (h ^ '\'') * 16777619u;
                tl++;
            }
            if (ascii)
                low[tl] = 0;
            const word *w = ascii ? lookup_hashed(r, low, h) : lookup_raw(r, tok, tl);
            for (size_t k = 0; w && k < r->n_langs; k++)
                hits[k] += (w->langs >> k) & 1;
            tl = 0, ascii = true, h = 2166136261u;
        } else if (!letter) {
            tl = 0, ascii = true, h = 2166136261u;
        }
        i += l;
    }
    for (size_t k = 0; hint && k < r->n_langs; k++)
        if (!strcmp(r->langs[k], hint))
            hh[0] = hits[k];
    size_t best = 0, second = 0;
    for (size_t k = 1; k < r->n_langs; k++)
        if (hits[k] > hits[best])
            best = k;
    for (size_t k = 0; k < r->n_langs; k++)
        if (k != best && hits[k] > second)
            second = hits[k];
    if (hint)
        hh[1] = hits[best];
    bool decided = r->n_langs && hits[best] >= 2 && hits[best] * 10 >= second * 13;
    if (decided && hits[best] * 7 < out->words && out->words >= 30) {
        /* few function words for a long text: a language without a list
         * (Czech read with Polish words) may be the n-grams' clear choice */
        char tc[8][16];
        size_t k = textcat_guess(r, s, n, tc, 8);
        bool listed = false;
        for (size_t l = 0; k && l < r->n_langs; l++)
            listed |= !strcmp(r->langs[l], tc[0]);
        if (k == 1 && !listed) {
            memcpy(out->code, tc[0], 16);
            return true;
        }
    }
    if (decided) {
        memcpy(out->code, r->langs[best], 16);
        out->hits = hits[best];
        out->sure = hits[best] >= 3 && hits[best] >= second * 2 && hits[best] * 5 >= out->words;
        return true;
    }
    /* the words do not decide: the first n-gram candidate among the
     * languages the words tie on, else the first candidate */
    char tc[8][16];
    size_t k = textcat_guess(r, s, n, tc, 8);
    for (size_t c = 0; c < k && !out->code[0]; c++)
        for (size_t l = 0; l < r->n_langs; l++)
            if (hits[l] && hits[l] == hits[best] && !strcmp(r->langs[l], tc[c]))
                memcpy(out->code, tc[c], 16);
    if (!out->code[0] && k)
        memcpy(out->code, tc[0], 16);
    else if (!out->code[0] && r->n_langs && hits[best] > 0)
        memcpy(out->code, r->langs[best], 16);
    out->hits = hits[best];
    return true;
}

static bool detect(nr_ctx *ctx, const char *s, size_t n, const char *hint, nr_lang_guess *out,
                   size_t hh[2]) {
    if (!detect_words(ctx, s, n, hint, out, hh))
        return false;
    han_or_kana(s, n < NR_LANG_LOOK ? n : NR_LANG_LOOK, out);
    return true;
}

bool nr_lang_detect(nr_ctx *ctx, const char *s, size_t n, nr_lang_guess *out) {
    return detect(ctx, s, n, NULL, out, NULL);
}

/* A declared language (<html lang>, og:locale) is two or three letters. */
static bool valid_code(const char *c) {
    size_t i = 0;
    while (c[i] >= 'a' && c[i] <= 'z')
        i++;
    return !c[i] && i >= 2 && i <= 3;
}

/* The language the page declares (in doc->lang on entry) is taken when the
 * text does not decide clearly: a short text, or one whose function words
 * are shared with the declared language (Danish and Norwegian). A text that
 * is clearly in another language overrides it (a template's lang="en"). */
static bool take_hint(const nr_lang_guess *g, const char *hint, const size_t hh[2]) {
    if (!valid_code(hint) || !strcmp(hint, g->code))
        return false;
    if (!g->code[0] || g->words < 12)
        return true;
    return !g->sure && hh[0] > 0 && hh[0] * 2 >= hh[1];
}

/* The document's language from its first NR_LANG_LOOK bytes (bylines and
 * captions aside), or the hint in doc->lang. */
static nr_status whole_lang(nr_ctx *ctx, nr_doc *doc) {
    char hint[16];
    nr_lang_base(doc->lang, hint);
    nr_buf all;
    nr_buf_init(&all);
    for (size_t i = 0; i < doc->blocks.len && all.len < NR_LANG_LOOK; i++) {
        nr_block *b = &NR_BLOCK(doc, i);
        if (b->kind == NR_BLOCK_BYLINE || b->kind == NR_BLOCK_CAPTION)
            continue;
        nr_buf_add(&all, doc->text + b->start, b->end - b->start);
        nr_buf_addc(&all, '\n');
    }
    if (!nr_buf_ok(&all)) {
        nr_buf_free(&all);
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    nr_lang_guess g;
    size_t hh[2] = {0, 0};
    bool ok = detect(ctx, all.data ? all.data : "", all.len, hint, &g, hh);
    nr_buf_free(&all);
    if (!ok)
        return NR_E_DATA;
    if (take_hint(&g, hint, hh))
        snprintf(doc->lang, sizeof doc->lang, "%s", hint);
    else
        snprintf(doc->lang, sizeof doc->lang, "%s", g.code[0] ? g.code : "en");
    return NR_OK;
}

nr_status nr_ingest_lang(nr_ctx *ctx, nr_doc *doc) {
    nr_status st = NR_OK;
    if (ctx->lang[0]) {
        snprintf(doc->lang, sizeof doc->lang, "%s", ctx->lang);
        st = rules_get(ctx) ? NR_OK : NR_E_DATA; /* the paragraphs' languages need them */
    } else if (!doc->continued || !doc->lang[0]) {
        st = whole_lang(ctx, doc);
    } /* else a later window of a stream keeps the first window's language */
    if (st != NR_OK)
        return st;
    char base[16];
    nr_lang_base(doc->lang, base);
    /* a paragraph in another language, when its words say so clearly */
    for (size_t i = 0; i < doc->blocks.len && !ctx->keep_lang; i++) {
        nr_block *b = &NR_BLOCK(doc, i);
        if (b->kind != NR_BLOCK_PARAGRAPH && b->kind != NR_BLOCK_QUOTE_BLOCK &&
            b->kind != NR_BLOCK_LIST_ITEM)
            continue;
        if (b->end - b->start < 60)
            continue;
        nr_lang_guess p;
        /* a paragraph's first few hundred bytes say its language */
        size_t len = b->end - b->start < 600 ? b->end - b->start : 600;
        if (!nr_lang_detect(ctx, doc->text + b->start, len, &p))
            return NR_E_DATA;
        if (p.sure && p.words >= 10 && p.code[0] && strcmp(p.code, base) != 0)
            b->lang = nr_arena_strdup(doc->arena, p.code);
    }
    return NR_OK;
}
