/* lexicon.c: the attribution word lists, a small open-addressing hash table
 * per list, filled from voices/<lang>/. */
#include "lexicon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct lx_entry {
    char *key;
    size_t len;
    uint64_t hash;
    unsigned tag;
} lx_entry;

typedef struct lx_table {
    lx_entry *slots;
    size_t cap, len;
} lx_table;

/* A form of the merged table: what every list says of it. */
typedef struct lx_form {
    const char *key; /* borrowed from the lists' tables */
    size_t len;
    uint64_t hash;
    nr_lx_word w;
} lx_form;

struct nr_lexicon {
    lx_table lists[NR_LX_COUNT];
    lx_table heads[NR_LX_COUNT]; /* the starts of entries of several words, up to
                                    and with a space or an apostrophe */
    lx_form *forms;              /* every key of lists and heads, open addressing */
    size_t forms_cap;
};

static const char *const lx_files[NR_LX_COUNT] = {
    "speech-verbs",    "person-titles",     "role-nouns",     "pronouns",    "determiners",
    "source-markers",  "org-words",         "function-words", "given-names", "impersonal",
    "name-connectors", "addressee-markers", "prepositions",   "copulas",     "participle-endings",
};

/* Lists whose every word is an entry, with no tags. */
static bool lx_word_list(nr_lx_list l) {
    return l == NR_LX_VERBS || l == NR_LX_FUNCTION || l == NR_LX_IMPERSONAL ||
           l == NR_LX_ADDRESSEE || l == NR_LX_PREPOSITIONS || l == NR_LX_COPULAS;
}

static uint64_t lx_hash_more(uint64_t h, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static uint64_t lx_hash(const char *s, size_t n) {
    return lx_hash_more(1469598103934665603ull, s, n);
}

uint64_t nr_lexicon_hash(const char *s, size_t n) { return lx_hash(s, n); }

static bool lx_grow(lx_table *t) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    lx_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].key)
            continue;
        size_t k = t->slots[i].hash & (cap - 1);
        while (slots[k].key)
            k = (k + 1) & (cap - 1);
        slots[k] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return true;
}

/* Adds KEY (N bytes) with TAG; a later entry for the same key wins. */
static bool lx_put(lx_table *t, const char *key, size_t n, unsigned tag) {
    if ((t->len + 1) * 2 > t->cap && !lx_grow(t))
        return false;
    uint64_t h = lx_hash(key, n);
    size_t k = h & (t->cap - 1);
    while (t->slots[k].key) {
        if (t->slots[k].hash == h && t->slots[k].len == n && !memcmp(t->slots[k].key, key, n)) {
            t->slots[k].tag = tag | NR_LX_PRESENT;
            return true;
        }
        k = (k + 1) & (t->cap - 1);
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return false;
    memcpy(copy, key, n);
    copy[n] = '\0';
    t->slots[k] = (lx_entry){copy, n, h, tag | NR_LX_PRESENT};
    t->len++;
    return true;
}

unsigned nr_lexicon_find_hashed(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n,
                                uint64_t h) {
    const lx_table *t = &lx->lists[list];
    if (!t->cap || !n)
        return 0;
    for (size_t k = h & (t->cap - 1); t->slots[k].key; k = (k + 1) & (t->cap - 1)) {
        const lx_entry *e = &t->slots[k];
        if (e->hash == h && e->len == n && !memcmp(e->key, s, n))
            return e->tag;
    }
    return 0;
}

unsigned nr_lexicon_find(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n) {
    return nr_lexicon_find_hashed(lx, list, s, n, lx_hash(s, n));
}

const nr_lx_word *nr_lexicon_word(const nr_lexicon *lx, const char *s, size_t n, uint64_t h) {
    static const nr_lx_word none;
    if (!lx || !lx->forms_cap || !n)
        return &none;
    for (size_t k = h & (lx->forms_cap - 1); lx->forms[k].key; k = (k + 1) & (lx->forms_cap - 1)) {
        const lx_form *f = &lx->forms[k];
        if (f->hash == h && f->len == n && !memcmp(f->key, s, n))
            return &f->w;
    }
    return &none;
}

bool nr_lexicon_has_head(const nr_lexicon *lx, nr_lx_list list, const char *s, size_t n,
                         const char *sep) {
    const lx_table *t = &lx->heads[list];
    size_t ls = strlen(sep), len = n + ls;
    if (!t->cap || !len)
        return false;
    uint64_t h = lx_hash_more(lx_hash(s, n), sep, ls);
    for (size_t k = h & (t->cap - 1); t->slots[k].key; k = (k + 1) & (t->cap - 1)) {
        const lx_entry *e = &t->slots[k];
        if (e->hash == h && e->len == len && !memcmp(e->key, s, n) && !memcmp(e->key + n, sep, ls))
            return true;
    }
    return false;
}

/* Records the heads of the entry KEY (N bytes): each start of it that ends
 * with a space or an apostrophe. */
static bool lx_put_heads(lx_table *heads, const char *key, size_t n) {
    for (size_t k = 1; k < n; k++)
        if ((key[k - 1] == ' ' || key[k - 1] == '\'') && !lx_put(heads, key, k, 0))
            return false;
    return true;
}

static unsigned lx_tag_word(const char *w, size_t n) {
    if (n == 1 && w[0] == 'm')
        return NR_LX_MALE;
    if (n == 1 && w[0] == 'f')
        return NR_LX_FEMALE;
    if (n == 4 && !memcmp(w, "last", 4))
        return NR_LX_LAST;
    if (n == 6 && !memcmp(w, "plural", 6))
        return NR_LX_PLURAL;
    if (n == 3 && !memcmp(w, "org", 3))
        return NR_LX_ORG;
    if (n == 5 && !memcmp(w, "indef", 5))
        return NR_LX_INDEF;
    return 0;
}

typedef struct lx_load {
    lx_table *table, *heads;
    nr_lx_list list;
    bool ok;
} lx_load;

/* One line: "form [tags]" (the form may hold spaces), or, for word lists,
 * any number of forms. */
static bool lx_line(void *user, const char *line, size_t len, int lineno) {
    (void)lineno;
    lx_load *ld = user;
    if (lx_word_list(ld->list)) {
        size_t i = 0;
        while (i < len) {
            while (i < len && (line[i] == ' ' || line[i] == '\t'))
                i++;
            size_t j = i;
            while (j < len && line[j] != ' ' && line[j] != '\t')
                j++;
            if (j > i && (!lx_put(ld->table, line + i, j - i, 0) ||
                          !lx_put_heads(ld->heads, line + i, j - i)))
                return ld->ok = false;
            i = j;
        }
        return true;
    }
    unsigned tag = 0;
    size_t end = len;
    for (;;) {
        size_t w = end;
        while (w > 0 && line[w - 1] != ' ' && line[w - 1] != '\t')
            w--;
        unsigned t = w > 0 ? lx_tag_word(line + w, end - w) : 0;
        if (!t)
            break;
        tag |= t;
        end = w;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
            end--;
    }
    if (end && (!lx_put(ld->table, line, end, tag) || !lx_put_heads(ld->heads, line, end)))
        return ld->ok = false;
    return true;
}

/* The merged form of KEY (N bytes, hash H), added when missing; the
 * table has room for every key of every list. */
static nr_lx_word *lx_form_at(nr_lexicon *lx, const char *key, size_t n, uint64_t h) {
    size_t k = h & (lx->forms_cap - 1);
    for (; lx->forms[k].key; k = (k + 1) & (lx->forms_cap - 1))
        if (lx->forms[k].hash == h && lx->forms[k].len == n && !memcmp(lx->forms[k].key, key, n))
            return &lx->forms[k].w;
    lx->forms[k] = (lx_form){.key = key, .len = n, .hash = h};
    return &lx->forms[k].w;
}

/* Fills the merged table from the lists and their heads; a head that ends
 * with a space also marks the form before the space. False on
 * out-of-memory. */
static bool lx_merge(nr_lexicon *lx) {
    size_t keys = 0;
    for (int l = 0; l < NR_LX_COUNT; l++)
        keys += lx->lists[l].len + 2 * lx->heads[l].len;
    lx->forms_cap = 64;
    while (lx->forms_cap < keys * 2)
        lx->forms_cap *= 2;
    if (!(lx->forms = calloc(lx->forms_cap, sizeof *lx->forms)))
        return false;
    for (int l = 0; l < NR_LX_COUNT; l++) {
        for (size_t i = 0; i < lx->lists[l].cap; i++) {
            const lx_entry *e = &lx->lists[l].slots[i];
            if (e->key)
                lx_form_at(lx, e->key, e->len, e->hash)->tag[l] = (uint8_t)e->tag;
        }
        for (size_t i = 0; i < lx->heads[l].cap; i++) {
            const lx_entry *e = &lx->heads[l].slots[i];
            if (!e->key)
                continue;
            lx_form_at(lx, e->key, e->len, e->hash)->head |= (uint16_t)(1u << l);
            if (e->len > 1 && e->key[e->len - 1] == ' ')
                lx_form_at(lx, e->key, e->len - 1, lx_hash(e->key, e->len - 1))->head_sp |=
                    (uint16_t)(1u << l);
        }
    }
    return true;
}

static void lx_free(void *p) {
    nr_lexicon *lx = p;
    if (!lx)
        return;
    for (int l = 0; l < NR_LX_COUNT; l++) {
        for (size_t i = 0; i < lx->lists[l].cap; i++)
            free(lx->lists[l].slots[i].key);
        free(lx->lists[l].slots);
        for (size_t i = 0; i < lx->heads[l].cap; i++)
            free(lx->heads[l].slots[i].key);
        free(lx->heads[l].slots);
    }
    free(lx->forms);
    free(lx);
}

static void *lx_load_lang(nr_ctx *ctx, const char *lang) {
    nr_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    for (int l = 0; l < NR_LX_COUNT; l++) {
        size_t len = 0;
        const char *text = nr_data_get_lang(ctx->data, lang, lx_files[l], &len);
        lx_load ld = {&lx->lists[l], &lx->heads[l], (nr_lx_list)l, true};
        if (text)
            nr_data_each_line(text, len, lx_line, &ld);
        if (!ld.ok) {
            lx_free(lx);
            nr_fail(ctx, NR_E_NOMEM, "out of memory");
            return NULL;
        }
    }
    if (!lx_merge(lx)) {
        lx_free(lx);
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    return lx;
}

const nr_lexicon *nr_lexicon_get(nr_ctx *ctx, const char *lang) {
    char base[16];
    nr_lang_base(lang && lang[0] ? lang : "en", base);
    return nr_ctx_rules(ctx, "speakers", base, lx_load_lang, lx_free);
}
