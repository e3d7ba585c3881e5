/* junk.c: loading and matching the voices/<lang>/junk.txt and byline.txt
 * patterns. Matching is bounded: lines longer than NR_JUNK_MAX_BYTES are
 * never furniture, and word-count limits skip most patterns on body text. */
#include "junk.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../core/data.h"
#include "../util/buf.h"

#define NR_JUNK_MAX_BYTES 400

typedef struct pattern {
    regex_t re;
    const char *reason;
    size_t max_words; /* 0 = any */
    bool caps, end, credit;
} pattern;

struct nr_junk_rules {
    nr_vec pats;    /* pattern */
    nr_vec byline;  /* pattern */
    nr_vec reasons; /* char *, owned */
};

/* Appends the folded form of CP, remembering that it came from ORIG. */
static void fold_cp(nr_buf *b, nr_vec *map, int32_t cp, size_t orig, bool *space) {
    utf8proc_int32_t out[16];
    int last = 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char(cp, out, 16,
                                UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPAT |
                                    UTF8PROC_LUMP | UTF8PROC_DECOMPOSE,
                                &last);
    if (n < 0 || n > 16) {
        out[0] = cp;
        n = 1;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        int32_t c = out[i];
        const utf8proc_property_t *p = utf8proc_get_property(c);
        bool sp = c == ' ' || c == '\t' || c == '\n' || p->category == UTF8PROC_CATEGORY_ZS;
        if (sp) {
            *space = true;
            continue;
        }
        if (p->category == UTF8PROC_CATEGORY_CF || p->category == UTF8PROC_CATEGORY_MN)
            continue;
        if (*space && b->len > 0) {
            nr_buf_addc(b, ' ');
            size_t *m = nr_vec_push(map);
            if (m)
                *m = orig;
        }
        *space = false;
        uint8_t enc[4];
        utf8proc_ssize_t l = utf8proc_encode_char(c, enc);
        for (utf8proc_ssize_t k = 0; k < l; k++) {
            nr_buf_addc(b, (char)enc[k]);
            size_t *m = nr_vec_push(map);
            if (m)
                *m = orig;
        }
    }
}

bool nr_fold(const char *s, size_t n, nr_folded *out) {
    memset(out, 0, sizeof *out);
    nr_buf b;
    nr_buf_init(&b);
    nr_vec map;
    nr_vec_init(&map, sizeof(size_t));
    bool space = false;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l =
            utf8proc_iterate((const uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0) {
            cp = 0xFFFD;
            l = 1;
        }
        if (utf8proc_get_property(cp)->category == UTF8PROC_CATEGORY_LL)
            out->has_lower = true;
        fold_cp(&b, &map, cp, i, &space);
        i += (size_t)l;
    }
    size_t *m = nr_vec_push(&map);
    if (m)
        *m = n;
    if (!nr_buf_ok(&b) || map.len != b.len + 1) {
        nr_buf_free(&b);
        nr_vec_free(&map);
        return false;
    }
    out->len = b.len;
    out->s = nr_buf_take(&b, NULL);
    if (!out->s) {
        out->s = calloc(1, 1);
        if (!out->s) {
            nr_vec_free(&map);
            return false;
        }
    }
    out->map = map.data;
    out->words = out->len ? 1 : 0;
    for (size_t i = 0; i < out->len; i++)
        out->words += out->s[i] == ' ';
    return true;
}

void nr_folded_free(nr_folded *f) {
    if (!f)
        return;
    free(f->s);
    free(f->map);
    memset(f, 0, sizeof *f);
}

static void rules_free(void *p) {
    nr_junk_rules *r = p;
    if (!r)
        return;
    for (size_t i = 0; i < r->pats.len; i++)
        regfree(&NR_VEC_AT(&r->pats, pattern, i).re);
    for (size_t i = 0; i < r->byline.len; i++)
        regfree(&NR_VEC_AT(&r->byline, pattern, i).re);
    for (size_t i = 0; i < r->reasons.len; i++)
        free(NR_VEC_AT(&r->reasons, char *, i));
    nr_vec_free(&r->pats);
    nr_vec_free(&r->byline);
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

/* Compiles one pattern line, anchored to the whole line or to its end. */
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
    int rc = regcomp(&p->re, src.data, REG_EXTENDED | REG_ICASE | (end ? 0 : REG_NOSUB));
    nr_buf_free(&src);
    if (rc != 0) {
        ld->into->len--;
        ld->ok = false;
        nr_fail(ld->ctx, NR_E_DATA, "voices/%s:%d: the pattern does not compile", ld->path, lineno);
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
    if (len > 10 && !memcmp(line, "max-words ", 10)) {
        ld->max_words = (size_t)strtoul(line + 10, NULL, 10);
        return true;
    }
    return add_pattern(ld, line, len, lineno);
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
    for (size_t i = 0; i < r->pats.len; i++) {
        const pattern *p = &NR_VEC_AT(&r->pats, pattern, i);
        if ((p->max_words && f->words > p->max_words && !p->end) || (p->caps && f->has_lower))
            continue;
        regmatch_t m[1];
        if (regexec(&p->re, f->s, p->end ? 1 : 0, p->end ? m : NULL, 0) != 0)
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
        *at = f->map[s];
        return NR_JUNK_CREDIT_END;
    }
    return NR_JUNK_NONE;
}

bool nr_junk_is_byline(const nr_junk_rules *r, const nr_folded *f) {
    if (!r || f->len == 0 || f->len > 200 || f->words > 16)
        return false;
    for (size_t i = 0; i < r->byline.len; i++)
        if (regexec(&NR_VEC_AT(&r->byline, pattern, i).re, f->s, 0, NULL, 0) == 0)
            return true;
    return false;
}
