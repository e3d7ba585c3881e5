/* ctx.h: what every pipeline stage is handed: settings, data, rule caches
 * and the place to leave an error message.
 *
 * A stage that fails calls nr_fail() and returns its status; the message
 * reaches the user as "narrate: NAME: message", so it names what is wrong
 * in the input or the data, in a short phrase without a final period. */
#ifndef NR_CTX_H
#define NR_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"
#include "narrate.h"

typedef enum nr_emoji_mode { NR_EMOJI_DROP, NR_EMOJI_NAME } nr_emoji_mode;

typedef struct nr_rule_cache nr_rule_cache;

typedef struct nr_ctx {
    nr_data *data;
    char err[512];
    /* settings */
    char lang[16];     /* forced language, "" = detect */
    char voice[64];    /* forced narrator voice, "" = from the cast */
    int rate;          /* 0 = profile default */
    int pitch;         /* -1 = profile default */
    size_t max_input;  /* largest input held whole: HTML, Markdown, one paragraph */
    size_t max_stream; /* largest plain text read window by window (stream.h) */
    size_t window;     /* bytes of plain text analysed at a time (stream.h) */
    bool keep_lang;    /* never let eSpeak switch language inside a text */
    nr_emoji_mode emoji;
    bool read_code;       /* read code blocks instead of announcing them */
    char cast_file[1024]; /* "" = none */
    int jobs;             /* synthesis worker processes; 0 = one per processor */
    nr_rule_cache *rules;
} nr_ctx;

/* Fills CTX with defaults; the data folder is the built-in one. */
nr_status nr_ctx_init(nr_ctx *ctx);
void nr_ctx_fini(nr_ctx *ctx);

/* COPY gets CTX's settings and data folder, with rule caches, an error
 * message and files read of its own: a context for stages run on another
 * thread while CTX is in use (nothing in it is shared). nr_ctx_fini it. */
nr_status nr_ctx_copy(nr_ctx *copy, const nr_ctx *ctx);

/* Replaces the data folder; rules loaded from the old one are dropped. */
void nr_ctx_set_data(nr_ctx *ctx, nr_data *data);

/* Records a message (printf-style) and returns ST, for "return nr_fail(...)". */
nr_status nr_fail(nr_ctx *ctx, nr_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Per-language rules, loaded once per context and kept until nr_ctx_fini.
 * MODULE names the table set ("segment", "speech", ...). LOAD builds the
 * rules for LANG from ctx->data (never NULL for a language without tables:
 * it returns empty rules); it returns NULL only on failure, after nr_fail. */
typedef void *(*nr_rules_load_fn)(nr_ctx *ctx, const char *lang);
typedef void (*nr_rules_free_fn)(void *rules);
void *nr_ctx_rules(nr_ctx *ctx, const char *module, const char *lang, nr_rules_load_fn load,
                   nr_rules_free_fn free_fn);

/* The primary subtag of LANG in lower case ("en-US" -> "en") into OUT. */
void nr_lang_base(const char *lang, char out[16]);

#endif
