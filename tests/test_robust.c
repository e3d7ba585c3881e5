/* Robustness (issue 9), in process:
 * - the inputs that crash eSpeak NG 1.51 (ESPEAK_NOTES.md 2.7), after the
 *   sanitiser, are spoken by the real engine without killing the process;
 * - text is never markup: SSML, <audio src>, [[phonemes]] and U+0001 reach
 *   eSpeak as plain text and the URI callback is never asked for a file;
 * - every file in tests/data/hostile/ (fuzzer crashes and hand-made hostile
 *   inputs) goes through the whole analysis and the plan without harm. */
#include <dirent.h>
#include <espeak-ng/speak_lib.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/ctx.h"
#include "narrate.h"
#include "slurp.h"
#include "synth/engine.h"
#include "util/buf.h"
#include "util/utf8.h"

static int count_samples(void *user, const int16_t *pcm, size_t n, const nr_engine_word *w,
                         size_t n_w) {
    (void)pcm, (void)w, (void)n_w;
    *(size_t *)user += n;
    return 0;
}

/* Says TEXT through the sanitiser, as the renderer does. */
static nr_status say(nr_ctx *ctx, const char *voice, const char *text, size_t *samples) {
    char *safe = nr_engine_sanitize(text, strlen(text), NULL);
    if (!safe)
        return NR_E_NOMEM;
    nr_voice v = {"", 175, 50, 50, 100};
    snprintf(v.espeak, sizeof v.espeak, "%s", voice);
    *samples = 0;
    nr_status st = nr_engine_speak(ctx, &v, 1.0f, safe, count_samples, samples);
    free(safe);
    return st;
}

static void repeat(nr_buf *b, const char *unit, int n, const char *sep) {
    for (int i = 0; i < n; i++) {
        nr_buf_adds(b, unit);
        nr_buf_adds(b, sep);
    }
}

/* Each of these aborted eSpeak NG 1.51 when given as is (measured here). */
static void test_crash_vectors(nr_ctx *ctx) {
    static const struct {
        const char *unit, *sep;
        int n;
    } vectors[] = {
        {"a.", "", 300},                /* dotted letters, no spaces */
        {"A.", "", 120},                /* upper case */
        {"a.a.", " ", 200},             /* chained across spaces */
        {"a.a.a.a.a.a.a.a.", " ", 40},  /* 8-letter chunks */
        {"a.a.a.a.a.a.a.a.", ", ", 40}, /* chained across commas */
        {"a.a.a.a.a.a.a.a.", "; ", 40}, /* and semicolons */
        {"a.a.a.a.a.a.a.a.", "! ", 40}, /* and exclamation marks */
        {"a.a.", ",", 200},             /* commas without spaces */
        {"\xC3\xA9.", " ", 300},
        {"\xD0\xB6.\xD0\xB6.\xD0\xB6.\xD0\xB6.", ", ", 80},
        /* Cyrillic */                            /* a non-ASCII letter */
        {"s's's's's's's's's's's", "'s", 30},      /* stacked 's */
        {"a\xE2\x80\x99s", "\xE2\x80\x99s", 100}, /* stacked curly 's */
        {"x", "", 10000},                         /* a 10 000-letter word */
        {"Hello\x01", "\x01", 50},                /* eSpeak's command byte */
    };
    nr_buf b;
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++) {
        nr_buf_init(&b);
        repeat(&b, vectors[i].unit, vectors[i].n, vectors[i].sep);
        size_t samples = 0;
        nr_status st = say(ctx, "en", b.data, &samples);
        CHECK(st == NR_OK && samples > 0, "vector %zu (%.20s x %d): status %d, %zu samples", i,
              vectors[i].unit, vectors[i].n, st, samples);
        nr_buf_free(&b);
    }
    /* the same in French, whose rules differ */
    nr_buf_init(&b);
    repeat(&b, "a.a.a.a.", 60, ", ");
    size_t samples = 0;
    CHECK(say(ctx, "fr", b.data, &samples) == NR_OK && samples > 0, "French dotted chain");
    nr_buf_free(&b);
}

/* Random chains of dotted letters with every separator: none may abort. */
static void test_random_chains(nr_ctx *ctx) {
    static const char *const seps[] = {" ",  ", ",  "; ", ": ", "! ", "? ", ".. ",       " . ",
                                       "' ", "\" ", "( ", ") ", ",",  ";",  "\xC2\xBB ", "\n"};
    static const char *const letters[] = {"a", "A", "x", "1", "\xC3\xA9", "Z"};
    uint32_t seed = 12345;
    int ok = 0;
    for (int round = 0; round < 30; round++) {
        nr_buf b;
        nr_buf_init(&b);
        seed = seed * 1103515245u + 12345u;
        const char *letter = letters[(seed >> 16) % 6];
        int chunks = 10 + (int)((seed >> 8) % 50);
        for (int c = 0; c < chunks; c++) {
            seed = seed * 1103515245u + 12345u;
            int k = 1 + (int)((seed >> 16) % 20);
            for (int j = 0; j < k; j++) {
                nr_buf_adds(&b, letter);
                nr_buf_addc(&b, '.');
            }
            nr_buf_adds(&b, seps[(seed >> 8) % 16]);
        }
        size_t samples = 0;
        ok += say(ctx, "en", b.data, &samples) == NR_OK && samples > 0;
        nr_buf_free(&b);
    }
    CHECK(ok == 30, "%d of 30 random dotted chains spoken", ok);
}

static int uri_calls;
static int count_uri(int type, const char *uri, const char *base) {
    (void)type, (void)uri, (void)base;
    uri_calls++;
    return 1;
}

/* SSML and phoneme input are off: eSpeak never asks for the <audio> file. */
static void test_never_markup(nr_ctx *ctx) {
    CHECK(nr_engine_start(ctx) == NR_OK, "engine starts: %s", ctx->err);
    espeak_SetUriCallback(count_uri);
    static const char *const texts[] = {
        "<speak><audio src=\"/etc/passwd\">fallback</audio></speak>",
        "<audio src='file:///etc/shadow'/> and <voice name=\"en+f3\">x</voice><break time=\"9s\"/>",
        "[[h@l'oU]] [[a]] \x01"
        "80S \x01"
        "1M text",
        "&lt;audio src=&quot;/etc/passwd&quot;/&gt; &#1; &amp;",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t samples = 0;
        CHECK(say(ctx, "en", texts[i], &samples) == NR_OK && samples > 0, "markup text %zu", i);
    }
    CHECK(uri_calls == 0, "the URI callback was asked %d times", uri_calls);
    /* spoken as text: "<audio src=...>" takes longer than its fallback word alone */
    size_t as_text = 0, word = 0;
    say(ctx, "en", texts[0], &as_text);
    say(ctx, "en", "fallback", &word);
    CHECK(as_text > 2 * word, "markup is read out (%zu samples vs %zu for the word)", as_text,
          word);
}

static void test_sanitize_empty(void) {
    size_t *map = NULL;
    char *out = nr_engine_sanitize("", 0, &map);
    CHECK(out && out[0] == '\0' && map && map[0] == 0, "empty input gives an empty string");
    free(out);
    free(map);
}

/* Every fixture: analysed or refused with a message; the plan is printed;
 * each sentence sanitised holds no control byte. */
static void test_fixtures(void) {
    DIR *d = opendir("data/hostile");
    CHECK(d != NULL, "tests/data/hostile exists");
    if (!d)
        return;
    nr_narrator *nr = NULL;
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    size_t files = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !strncmp(e->d_name, "cast-", 5))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "data/hostile/%s", e->d_name);
        size_t len = 0;
        char *bytes = slurp(path, &len);
        if (!bytes)
            continue;
        files++;
        nr_document *doc = NULL;
        nr_status st = nr_document_from_memory(nr, bytes, len, e->d_name, &doc);
        CHECK(st == NR_OK || (st != NR_E_NOMEM && nr_narrator_error(nr)[0]),
              "%s: status %d without a message", e->d_name, st);
        if (doc) {
            FILE *out = fopen("/dev/null", "w");
            CHECK(out && nr_document_write_plan(doc, out) == NR_OK, "%s: plan", e->d_name);
            if (out)
                fclose(out);
            for (size_t i = 0; i < nr_document_sentence_count(doc); i++) {
                size_t n = 0;
                const char *s = nr_document_sentence(doc, i, &n);
                char *safe = nr_engine_sanitize(s, n, NULL);
                bool clean = safe && nr_utf8_valid(safe, strlen(safe));
                for (const char *p = safe; clean && *p; p++)
                    clean = (unsigned char)*p >= 0x20 && *p != 0x7F;
                CHECK(clean, "%s: sentence %zu sanitised is clean text", e->d_name, i);
                free(safe);
            }
        }
        nr_document_free(doc);
        free(bytes);
    }
    closedir(d);
    nr_narrator_free(nr);
    CHECK(files > 0, "fixtures read: %zu", files);
}

int main(void) {
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 1;
    test_sanitize_empty();
    test_crash_vectors(&ctx);
    test_random_chains(&ctx);
    test_never_markup(&ctx);
    test_fixtures();
    nr_ctx_fini(&ctx);
    return check_done("test_robust");
}
