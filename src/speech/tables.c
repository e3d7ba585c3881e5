/* tables.c: parsing voices/<lang>/ tables and the user's lexicon into keyed
 * tables. A malformed line is skipped rather than fatal: a linguist's typo
 * must not silence the narrator. */
#include "tables.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "../util/buf.h"
#include "../util/utf8.h"

/* Beyond ASCII (nr_sp_is_letter has it inline). */
bool nr_sp_is_letter_u(uint32_t cp) {
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME);
}

bool nr_sp_is_upper_u(uint32_t cp) {
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

/* FNV-1a over the key: exact tables. */
static size_t hash_key(const char *k, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h % NR_SP_BUCKETS;
}

/* Prefix tables bucket on the first byte, folded to lower case for ASCII;
 * Latin-1 capitals share their lead byte with the small letters. */
static size_t first_bucket(const char *k) {
    unsigned char c = (unsigned char)k[0];
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c | 0x20);
    return c;
}

/* True when KEY has no capital letter: it then matches in any case. */
static bool all_lower(const char *k, size_t n) {
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += nr_utf8_decode(k + i, n - i, &cp);
        if (nr_sp_is_upper(cp))
            return false;
    }
    return true;
}

static void table_add(nr_sp_table *t, nr_sp_entry *e) {
    size_t b = t->prefix ? first_bucket(e->key) : hash_key(e->key, e->klen);
    nr_sp_entry **pp = &t->bucket[b];
    if (t->prefix) /* longest first, so "av. J.-C." wins over "av." */
        while (*pp && (*pp)->klen >= e->klen)
            pp = &(*pp)->next;
    e->next = *pp;
    *pp = e;
    t->count++;
}

const nr_sp_entry *nr_sp_get(const nr_sp_table *t, const char *k, size_t n) {
    if (!n)
        return NULL;
    for (const nr_sp_entry *e = t->bucket[hash_key(k, n)]; e; e = e->next)
        if (e->klen == n && !memcmp(e->key, k, n))
            return e;
    return NULL;
}

const char *nr_sp_val(const nr_sp_table *t, const char *k) {
    const nr_sp_entry *e = nr_sp_get(t, k, strlen(k));
    return e ? e->val[0] : NULL;
}

/* Compares KEY with the text at S in KEY's case rule; returns the length
 * matched in S, or 0. */
static size_t key_matches(const nr_sp_entry *e, const char *s, size_t n) {
    if (!e->icase) /* the second byte first: most keys of a bucket differ there */
        return (e->klen <= n && (e->klen < 2 || e->key[1] == s[1]) && !memcmp(e->key, s, e->klen))
                   ? e->klen
                   : 0;
    size_t i = 0, j = 0;
    while (i < e->klen) {
        if (j >= n)
            return 0;
        uint32_t a, b;
        i += nr_utf8_decode(e->key + i, e->klen - i, &a);
        j += nr_utf8_decode(s + j, n - j, &b);
        if (a != b && (uint32_t)utf8proc_tolower((utf8proc_int32_t)b) != a)
            return 0;
    }
    return j;
}

const nr_sp_entry *nr_sp_match(const nr_sp_table *t, const char *s, size_t n, size_t *len,
                               nr_sp_accept_fn accept, void *user) {
    if (!n)
        return NULL;
    for (const nr_sp_entry *e = t->bucket[first_bucket(s)]; e; e = e->next) {
        size_t m = key_matches(e, s, n);
        if (!m)
            continue;
        uint32_t last, next = 0;
        nr_utf8_decode_back(s, m, &last);
        if (m < n)
            nr_utf8_decode(s + m, n - m, &next);
        /* a key ending in a letter or digit must end a word */
        bool wordy = nr_sp_is_letter(last) || (last >= '0' && last <= '9');
        if (wordy && (nr_sp_is_letter(next) || (next >= '0' && next <= '9')))
            continue;
        if (!wordy && nr_sp_is_letter(next) && last == '.')
            continue; /* "St.Louis" is not an abbreviation we can trust */
        if (accept && !accept(user, e, m))
            continue;
        *len = m;
        return e;
    }
    return NULL;
}

/* ---- loading ---- */

typedef struct load_state {
    nr_speech_rules *r;
    nr_sp_table *t;
    bool lexicon; /* lines are KEY = VALUE or KEY<TAB>VALUE; phonemes allowed */
    bool user;    /* from the user's own file: [[phonemes]] entries allowed */
} load_state;

static nr_sp_when parse_when(const char *s, size_t n) {
    if (n == 11 && !memcmp(s, "before-name", 11))
        return NR_WHEN_BEFORE_NAME;
    if (n == 10 && !memcmp(s, "after-name", 10))
        return NR_WHEN_AFTER_NAME;
    if (n == 13 && !memcmp(s, "before-number", 13))
        return NR_WHEN_BEFORE_NUMBER;
    if (n == 12 && !memcmp(s, "after-number", 12))
        return NR_WHEN_AFTER_NUMBER;
    return NR_WHEN_ALWAYS;
}

/* Splits LINE into up to 5 TAB-separated fields (runs of TABs count as
 * one); a lexicon line may use " = " instead. Returns the field count. */
static int split_fields(const char *line, size_t len, bool lexicon, const char *f[5],
                        size_t fl[5]) {
    int nf = 0;
    size_t i = 0;
    if (lexicon && !memchr(line, '\t', len)) {
        for (size_t k = 0; k + 3 <= len; k++)
            if (!memcmp(line + k, " = ", 3)) {
                size_t a = k, b = k + 3;
                while (a > 0 && line[a - 1] == ' ')
                    a--;
                while (b < len && line[b] == ' ')
                    b++;
                f[0] = line, fl[0] = a, f[1] = line + b, fl[1] = len - b;
                return (a && b < len) ? 2 : 0;
            }
        return 0;
    }
    while (i < len && nf < 5) {
        size_t s = i;
        while (i < len && line[i] != '\t')
            i++;
        size_t e = i;
        while (e > s && line[e - 1] == ' ')
            e--;
        while (s < e && line[s] == ' ')
            s++;
        f[nf] = line + s, fl[nf] = e - s, nf++;
        while (i < len && line[i] == '\t')
            i++;
    }
    return nf;
}

static bool load_line(void *user, const char *line, size_t len, int lineno) {
    (void)lineno;
    load_state *st = user;
    const char *f[5];
    size_t fl[5];
    if (!nr_utf8_valid(line, len) || memchr(line, '\0', len))
        return true; /* not UTF-8 text: a line that cannot be read is skipped */
    int nf = split_fields(line, len, st->lexicon, f, fl);
    if (nf < 1 || !fl[0])
        return true;
    nr_sp_entry *e = nr_arena_alloc(st->r->arena, sizeof *e);
    if (!e)
        return false;
    e->key = nr_arena_strndup(st->r->arena, f[0], fl[0]);
    e->klen = fl[0];
    for (int k = 0; k < 4; k++)
        e->val[k] = (k + 1 < nf) ? nr_arena_strndup(st->r->arena, f[k + 1], fl[k + 1]) : "";
    if (!e->key || !e->val[0])
        return false;
    if (st->t == &st->r->expansions && nf >= 3)
        e->when = parse_when(f[2], fl[2]);
    if (st->lexicon) {
        e->icase = all_lower(e->key, e->klen);
        size_t vl = strlen(e->val[0]);
        if (vl >= 4 && !memcmp(e->val[0], "[[", 2) && !memcmp(e->val[0] + vl - 2, "]]", 2)) {
            if (!st->user)
                return true; /* phonemes only from the user's own files */
            e->phonemes = true;
        }
        if (!*e->val[0])
            return true;
    }
    table_add(st->t, e);
    return true;
}

static bool load_text(nr_speech_rules *r, nr_sp_table *t, const char *text, size_t len,
                      bool lexicon, bool user) {
    load_state st = {r, t, lexicon, user};
    return nr_data_each_line(text, len, load_line, &st);
}

static bool load_file(nr_ctx *ctx, nr_speech_rules *r, nr_sp_table *t, const char *name,
                      bool lexicon) {
    size_t len;
    const char *text = nr_data_get_lang(ctx->data, r->lang, name, &len);
    return !text || load_text(r, t, text, len, lexicon, false);
}

/* The user's lexicon: $XDG_CONFIG_HOME/narrate/lexicon-<lang>.txt, else
 * ~/.config/narrate/; the full tag first ("en-us"), then the base ("en"). */
static bool load_user_lexicon(nr_speech_rules *r, const char *tag) {
    char path[1024];
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/narrate/lexicon-%s.txt", xdg, tag);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/narrate/lexicon-%s.txt", home, tag);
    else
        return true;
    /* only a regular file: a FIFO would block the open, a device never end */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return true;
    FILE *fp = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "rb") : NULL;
    if (!fp) {
        close(fd);
        return true;
    }
    nr_buf b;
    nr_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len < ((size_t)16 << 20))
        nr_buf_add(&b, chunk, n);
    fclose(fp);
    bool ok = nr_buf_ok(&b) && load_text(r, &r->lexicon, b.data ? b.data : "", b.len, true, true);
    nr_buf_free(&b);
    return ok;
}

/* Pulls the number speller's words out of numbers.txt. */
static void index_numbers(nr_speech_rules *r) {
    char k[32];
    for (int i = 0; i < 20; i++) {
        snprintf(k, sizeof k, "%d", i);
        r->units_w[i] = nr_sp_val(&r->numbers, k);
    }
    for (int i = 2; i < 10; i++) {
        snprintf(k, sizeof k, "%d", i * 10);
        r->tens_w[i] = nr_sp_val(&r->numbers, k);
    }
    for (int i = 1; i <= 12; i++) {
        snprintf(k, sizeof k, "month-%d", i);
        r->month[i] = nr_sp_val(&r->numbers, k);
    }
    r->hundred = nr_sp_val(&r->numbers, "100");
    r->thousand = nr_sp_val(&r->numbers, "1000");
    const nr_sp_entry *m = nr_sp_get(&r->numbers, "1000000", 7);
    const nr_sp_entry *g = nr_sp_get(&r->numbers, "1000000000", 10);
    r->million[0] = m ? m->val[0] : NULL;
    r->million[1] = m && *m->val[1] ? m->val[1] : r->million[0];
    r->billion[0] = g ? g->val[0] : NULL;
    r->billion[1] = g && *g->val[1] ? g->val[1] : r->billion[0];
    r->has_numwords = r->hundred && r->thousand && r->million[0];
    for (int i = 0; i < 20 && r->has_numwords; i++)
        r->has_numwords = r->units_w[i] != NULL;
    for (int i = 2; i < 10 && r->has_numwords; i++)
        r->has_numwords = r->tens_w[i] != NULL;
    const char *order = nr_sp_val(&r->numbers, "date-order");
    r->dmy = !order || strcmp(order, "mdy") != 0;
    /* regions that read day first although the language's default is not */
    const char *dash = strchr(r->lang, '-');
    const char *regions = nr_sp_val(&r->numbers, "date-order-dmy-regions");
    if (dash && regions) {
        char region[8] = {0};
        for (size_t i = 0; i < 7 && dash[1 + i]; i++)
            region[i] = (char)(dash[1 + i] | 0x20);
        const char *p = strstr(regions, region);
        size_t rl = strlen(region);
        if (p && (p == regions || p[-1] == ' ') && (p[rl] == ' ' || p[rl] == '\0'))
            r->dmy = true;
    }
}

/* Fills F from the keys of respelling table T. */
static void index_respell(const nr_sp_table *t, nr_sp_filter *f) {
    for (size_t b = 0; b < NR_SP_BUCKETS; b++)
        for (const nr_sp_entry *e = t->bucket[b]; e; e = e->next) {
            const unsigned char *k = (const unsigned char *)e->key;
            if (k[0] == '=')
                f->whole = true;
            else if (k[0] == '^' && e->klen > 1)
                f->start[k[1]] = true;
            else if (k[e->klen - 1] == '$' && e->klen > 1)
                f->end[k[e->klen - 2]] = true;
            else
                f->any[k[0]] = true;
        }
}

void *nr_speech_rules_load(nr_ctx *ctx, const char *lang) {
    nr_speech_rules *r = calloc(1, sizeof *r);
    if (!r || !(r->arena = nr_arena_new())) {
        free(r);
        nr_fail(ctx, NR_E_NOMEM, "out of memory loading the speech tables for %s", lang);
        return NULL;
    }
    snprintf(r->lang, sizeof r->lang, "%s", lang);
    for (char *p = r->lang; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p | 0x20);
    nr_lang_base(lang, r->base);
    r->expansions.prefix = r->lexicon.prefix = true;
    bool ok = load_file(ctx, r, &r->expansions, "expansions.txt", false) &&
              load_file(ctx, r, &r->acronyms, "acronyms.txt", false) &&
              load_file(ctx, r, &r->numbers, "numbers.txt", false) &&
              load_file(ctx, r, &r->currency, "currency.txt", false) &&
              load_file(ctx, r, &r->units, "units.txt", false) &&
              load_file(ctx, r, &r->symbols, "symbols.txt", false) &&
              load_file(ctx, r, &r->emoji, "emoji.txt", false) &&
              load_file(ctx, r, &r->keeplang, "keep-lang.txt", false) &&
              load_file(ctx, r, &r->respell, "respell.txt", false) &&
              /* the user's entries first: among equal keys the first added wins */
              (!strcmp(r->base, r->lang) || load_user_lexicon(r, r->lang)) &&
              load_user_lexicon(r, r->base) && load_file(ctx, r, &r->lexicon, "lexicon.txt", true);
    if (!ok) {
        nr_speech_rules_free(r);
        nr_fail(ctx, NR_E_NOMEM, "out of memory loading the speech tables for %s", lang);
        return NULL;
    }
    index_numbers(r);
    const char *speller = nr_sp_val(&r->numbers, "speller");
    const char *dc = nr_sp_val(&r->numbers, "decimal-comma");
    r->fr = speller && !strcmp(speller, "fr");
    r->dcomma = r->fr || (dc && !strcmp(dc, "yes"));
    for (size_t b = 0; b < NR_SP_BUCKETS; b++)
        for (const nr_sp_entry *e = r->currency.bucket[b]; e; e = e->next)
            r->currency_first[(unsigned char)e->key[0]] = true;
    index_respell(&r->keeplang, &r->keeplang_f);
    index_respell(&r->respell, &r->respell_f);
    return r;
}

void nr_speech_rules_free(void *rules) {
    nr_speech_rules *r = rules;
    if (!r)
        return;
    nr_arena_free(r->arena);
    free(r);
}
