#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nr_rule_cache {
    nr_rule_cache *next;
    char module[32];
    char lang[16];
    void *rules;
    nr_rules_free_fn free_fn;
};

nr_status nr_ctx_init(nr_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
    ctx->pitch = -1;
    ctx->max_input = (size_t)16 << 20; /* 16 MiB: ~0.5 GB and ~30 s at most (docs/limits.md) */
    ctx->max_stream = (size_t)1 << 30; /* 1 GiB of plain text, read in windows (stream.h) */
    ctx->window = (size_t)1 << 20;
    ctx->emoji = NR_EMOJI_DROP;
    ctx->data = nr_data_new(NULL);
    return ctx->data ? NR_OK : NR_E_NOMEM;
}

static void free_rules(nr_ctx *ctx) {
    for (nr_rule_cache *c = ctx->rules, *next; c; c = next) {
        next = c->next;
        if (c->free_fn)
            c->free_fn(c->rules);
        free(c);
    }
    ctx->rules = NULL;
}

void nr_ctx_fini(nr_ctx *ctx) {
    free_rules(ctx);
    nr_data_free(ctx->data);
    ctx->data = NULL;
}

nr_status nr_ctx_copy(nr_ctx *copy, const nr_ctx *ctx) {
    *copy = *ctx;
    copy->err[0] = '\0';
    copy->rules = NULL;
    copy->data = nr_data_copy(ctx->data);
    return copy->data ? NR_OK : NR_E_NOMEM;
}

void nr_ctx_set_data(nr_ctx *ctx, nr_data *data) {
    free_rules(ctx);
    nr_data_free(ctx->data);
    ctx->data = data;
}

nr_status nr_fail(nr_ctx *ctx, nr_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err, sizeof ctx->err, fmt, ap);
    va_end(ap);
    return st;
}

void *nr_ctx_rules(nr_ctx *ctx, const char *module, const char *lang, nr_rules_load_fn load,
                   nr_rules_free_fn free_fn) {
    for (nr_rule_cache *c = ctx->rules; c; c = c->next)
        if (!strcmp(c->module, module) && !strcmp(c->lang, lang))
            return c->rules;
    nr_rule_cache *c = calloc(1, sizeof *c);
    if (!c) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    void *rules = load(ctx, lang);
    if (!rules) {
        free(c);
        return NULL;
    }
    snprintf(c->module, sizeof c->module, "%s", module);
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    c->rules = rules;
    c->free_fn = free_fn;
    c->next = ctx->rules;
    ctx->rules = c;
    return rules;
}

void nr_lang_base(const char *lang, char out[16]) {
    size_t i = 0;
    for (; lang && lang[i] && lang[i] != '-' && lang[i] != '_' && i < 15; i++) {
        char c = lang[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[i] = '\0';
}
