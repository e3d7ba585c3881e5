/* seg_rules.c: loading the segmenter's tables from voices/<lang>/. */
#include "seg_rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../util/utf8.h"

struct nr_word_slot {
    uint32_t hash;
    uint32_t len;
    size_t off; /* into pool; len 0 = empty slot */
    int value;
};

static uint32_t hash_bytes(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void wordset_free(nr_wordset *set) {
    free(set->slots);
    free(set->pool);
    memset(set, 0, sizeof *set);
}

static struct nr_word_slot *wordset_find(const nr_wordset *set, const char *s, size_t n,
                                         uint32_t h) {
    if (!set->cap)
        return NULL;
    for (size_t i = h & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        struct nr_word_slot *sl = &set->slots[i];
        if (!sl->len)
            return sl;
        if (sl->hash == h && sl->len == n && !memcmp(set->pool + sl->off, s, n))
            return sl;
    }
}

static bool wordset_grow(nr_wordset *set) {
    size_t cap = set->cap ? set->cap * 2 : 64;
    struct nr_word_slot *old = set->slots;
    size_t old_cap = set->cap;
    set->slots = calloc(cap, sizeof *set->slots);
    if (!set->slots) {
        set->slots = old;
        return false;
    }
    set->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].len)
            continue;
        struct nr_word_slot *sl =
            wordset_find(set, set->pool + old[i].off, old[i].len, old[i].hash);
        *sl = old[i];
    }
    free(old);
    return true;
}

/* Adds S (N bytes) with VALUE; a later entry replaces an earlier one. */
static bool wordset_add(nr_wordset *set, const char *s, size_t n, int value) {
    if (n == 0 || n > 200)
        return true;
    if ((set->count + 1) * 2 > set->cap && !wordset_grow(set))
        return false;
    uint32_t h = hash_bytes(s, n);
    struct nr_word_slot *sl = wordset_find(set, s, n, h);
    if (sl->len) {
        sl->value = value;
        return true;
    }
    if (set->pool_len + n > set->pool_cap) {
        size_t cap = set->pool_cap ? set->pool_cap * 2 : 1024;
        while (cap < set->pool_len + n)
            cap *= 2;
        char *p = realloc(set->pool, cap);
        if (!p)
            return false;
        set->pool = p;
        set->pool_cap = cap;
    }
    memcpy(set->pool + set->pool_len, s, n);
    *sl =
        (struct nr_word_slot){.hash = h, .len = (uint32_t)n, .off = set->pool_len, .value = value};
    set->pool_len += n;
    set->count++;
    return true;
}

static int wordset_get(const nr_wordset *set, const char *s, size_t n) {
    if (!set->count || n == 0 || n > 200)
        return 0;
    struct nr_word_slot *sl = wordset_find(set, s, n, hash_bytes(s, n));
    return sl && sl->len ? sl->value : 0;
}

bool nr_wordset_has(const nr_wordset *set, const char *s, size_t n) {
    return wordset_get(set, s, n) != 0;
}

size_t nr_seg_fold(const char *s, size_t n, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, n - i, &cp);
        i += l;
        if (cp < 0x80) {
            if (o + 1 >= cap)
                break;
            out[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            continue;
        }
        char enc[4];
        size_t el = nr_utf8_encode((uint32_t)utf8proc_tolower((utf8proc_int32_t)cp), enc);
        if (o + el >= cap)
            break;
        memcpy(out + o, enc, el);
        o += el;
    }
    out[o] = '\0';
    return o;
}

nr_abbr_kind nr_seg_abbr(const nr_seg_rules *r, const char *word, size_t n) {
    int v = wordset_get(&r->abbr_exact, word, n);
    if (v)
        return (nr_abbr_kind)v;
    uint32_t c;
    if (nr_utf8_decode(word, n, &c) + 1 >= n)
        return NR_ABBR_NONE; /* "m." is not "M." */
    char folded[256];
    size_t fl = nr_seg_fold(word, n, folded, sizeof folded);
    return (nr_abbr_kind)wordset_get(&r->abbr_folded, folded, fl);
}

typedef struct loader {
    nr_seg_rules *r;
    nr_ctx *ctx;
    const char *file;
    nr_wordset *list; /* the current [section] of segment.ini, when it is a list */
    bool ok;
} loader;

/* One line of abbreviations.txt: "WORD [title|number]". */
static bool abbr_line(void *user, const char *line, size_t len, int lineno) {
    loader *ld = user;
    size_t w = 0;
    while (w < len && line[w] != ' ' && line[w] != '\t')
        w++;
    size_t k = w;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
    nr_abbr_kind kind = NR_ABBR_GENERAL;
    if (len - k == 5 && !memcmp(line + k, "title", 5))
        kind = NR_ABBR_TITLE;
    else if (len - k == 6 && !memcmp(line + k, "number", 6))
        kind = NR_ABBR_NUMBER;
    else if (k < len) {
        nr_fail(ld->ctx, NR_E_DATA, "%s:%d: unknown abbreviation kind '%.*s'", ld->file, lineno,
                (int)(len - k), line + k);
        return ld->ok = false;
    }
    char folded[256];
    size_t fl = nr_seg_fold(line, w, folded, sizeof folded);
    if (!wordset_add(&ld->r->abbr_exact, line, w, kind) ||
        !wordset_add(&ld->r->abbr_folded, folded, fl, kind)) {
        nr_fail(ld->ctx, NR_E_NOMEM, "out of memory");
        return ld->ok = false;
    }
    return true;
}

static bool is_yes(const char *v, size_t n) {
    return (n == 3 && !memcmp(v, "yes", 3)) || (n == 4 && !memcmp(v, "true", 4)) ||
           (n == 1 && v[0] == '1');
}

/* A "key = value" line of the [sentence] or [quotes] section. */
static bool ini_setting(loader *ld, const char *line, size_t len, int lineno) {
    const char *eq = memchr(line, '=', len);
    if (!eq) {
        nr_fail(ld->ctx, NR_E_DATA, "%s:%d: expected 'key = value'", ld->file, lineno);
        return false;
    }
    size_t kl = (size_t)(eq - line);
    while (kl && (line[kl - 1] == ' ' || line[kl - 1] == '\t'))
        kl--;
    const char *v = eq + 1;
    size_t vl = len - (size_t)(v - line);
    while (vl && (*v == ' ' || *v == '\t'))
        v++, vl--;
#define KEY(s) (kl == sizeof(s) - 1 && !memcmp(line, s, kl))
    if (KEY("abbreviation_break"))
        ld->r->starters_only = vl == 8 && !memcmp(v, "starters", 8);
    else if (KEY("ordinal_digits"))
        ld->r->ordinal_digits = atoi(v);
    else if (KEY("incises"))
        ld->r->incises = is_yes(v, vl);
    else if (KEY("dash_dialogue"))
        ld->r->dash_dialogue = is_yes(v, vl);
    else if (KEY("low_quotes"))
        ld->r->low_quotes = is_yes(v, vl);
    else {
        nr_fail(ld->ctx, NR_E_DATA, "%s:%d: unknown setting '%.*s'", ld->file, lineno, (int)kl,
                line);
        return false;
    }
#undef KEY
    return true;
}

/* One line of segment.ini: a [section], a setting, or words of a list. */
static bool ini_line(void *user, const char *line, size_t len, int lineno) {
    loader *ld = user;
    if (line[0] == '[') {
        const char *name = line + 1;
        size_t n = len >= 2 ? len - 2 : 0;
#define SEC(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
        ld->list = SEC("starters")        ? &ld->r->starters
                   : SEC("continuations") ? &ld->r->continuations
                   : SEC("incise_verbs")  ? &ld->r->incise_verbs
                   : SEC("incise_aux")    ? &ld->r->incise_aux
                   : SEC("ellipsis_keep") ? &ld->r->ellipsis_keep
                   : SEC("appositions")   ? &ld->r->appositions
                                          : NULL;
        if (!ld->list && !SEC("sentence") && !SEC("quotes")) {
            nr_fail(ld->ctx, NR_E_DATA, "%s:%d: unknown section '%.*s'", ld->file, lineno, (int)n,
                    name);
            return ld->ok = false;
        }
#undef SEC
        return true;
    }
    if (!ld->list)
        return ld->ok = ini_setting(ld, line, len, lineno);
    for (size_t i = 0; i < len;) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        size_t w = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        if (i > w && !wordset_add(ld->list, line + w, i - w, 1)) {
            nr_fail(ld->ctx, NR_E_NOMEM, "out of memory");
            return ld->ok = false;
        }
    }
    return true;
}

static void rules_free(void *p) {
    nr_seg_rules *r = p;
    if (!r)
        return;
    nr_wordset *sets[] = {&r->abbr_exact,   &r->abbr_folded, &r->starters,      &r->continuations,
                          &r->incise_verbs, &r->incise_aux,  &r->ellipsis_keep, &r->appositions};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        wordset_free(sets[i]);
    free(r);
}

static void *rules_load(nr_ctx *ctx, const char *lang) {
    nr_seg_rules *r = calloc(1, sizeof *r);
    if (!r) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    loader ld = {.r = r, .ctx = ctx, .ok = true};
    size_t len;
    const char *text = nr_data_get_lang(ctx->data, lang, "abbreviations.txt", &len);
    ld.file = "abbreviations.txt";
    if (text)
        nr_data_each_line(text, len, abbr_line, &ld);
    text = nr_data_get_lang(ctx->data, lang, "segment.ini", &len);
    ld.file = "segment.ini";
    if (ld.ok && text)
        nr_data_each_line(text, len, ini_line, &ld);
    if (!ld.ok) {
        rules_free(r);
        return NULL;
    }
    return r;
}

const nr_seg_rules *nr_seg_rules_get(nr_ctx *ctx, const char *lang) {
    /* a language without tables borrows the English ones: Mr., U.S., etc. */
    size_t len;
    if (!lang || !lang[0] || !nr_data_get_lang(ctx->data, lang, "segment.ini", &len))
        lang = "en";
    return nr_ctx_rules(ctx, "segment", lang, rules_load, rules_free);
}
