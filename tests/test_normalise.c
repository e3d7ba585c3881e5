/* test_normalise.c: normalisation for the ear, table-driven.
 *
 * tests/data/normalise/<lang>.tsv: INPUT<TAB>EXPECTED[<TAB>OPTIONS], where
 * EXPECTED is the spoken text and OPTIONS a comma list of keep_lang,
 * emoji=name. "\t" and "\n" are not needed; "\\" is never used.
 *
 * tests/data/normalise/<lang>.phonemes.tsv: INPUT<TAB>REFERENCE[<TAB>OPTIONS]:
 * the phonemes eSpeak makes of normalise(INPUT) must equal those it makes of
 * REFERENCE, a phrase written out by hand as a person would say it ("M.
 * Blinken" against "Monsieur Blinken"). A REFERENCE starting with "!"
 * instead lists phoneme fragments that must NOT occur ("!(en)"), one per
 * space; one starting with "+" fragments that must all occur. Stress
 * marks and word gaps are ignored in all comparisons. This proves eSpeak now says the right thing,
 * not just that our text matches a string.
 *
 * Also checked: nr_normalise over a document fills span->spoken only where
 * the text changes; the user lexicon from $XDG_CONFIG_HOME; random mixtures
 * of forms give valid UTF-8 with no control characters and no "[[". */
#include <espeak-ng/speak_lib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/core/ctx.h"
#include "../src/core/doc.h"
#include "../src/speech/normalise.h"
#include "../src/util/utf8.h"
#include "slurp.h"

static int failures, checks;

typedef void (*row_fn)(nr_ctx *ctx, const char *lang, const char *in, const char *want,
                       const char *opts, int lineno);

/* Calls FN for each row of FILE; returns the number of rows. */
static int each_row(const char *file, nr_ctx *ctx, const char *lang, row_fn fn) {
    size_t len;
    char *text = slurp(file, &len);
    if (!text) {
        printf("FAIL cannot read %s\n", file);
        failures++;
        return 0;
    }
    int rows = 0, lineno = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        if (!*line || *line == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            printf("FAIL %s:%d: no TAB\n", file, lineno);
            failures++;
            continue;
        }
        *tab = '\0';
        char *want = tab + 1, *opts = strchr(want, '\t');
        if (opts)
            *opts++ = '\0';
        nr_ctx_fini(ctx);
        nr_ctx_init(ctx);
        ctx->keep_lang = opts && strstr(opts, "keep_lang");
        ctx->emoji = opts && strstr(opts, "emoji=name") ? NR_EMOJI_NAME : NR_EMOJI_DROP;
        fn(ctx, lang, line, want, opts, lineno);
        rows++;
    }
    free(text);
    return rows;
}

static void check_text(nr_ctx *ctx, const char *lang, const char *in, const char *want,
                       const char *opts, int lineno) {
    (void)opts;
    char *got = nr_normalise_text(ctx, lang, in, strlen(in));
    checks++;
    if (!got || strcmp(got, want)) {
        printf("FAIL %s:%d: \"%s\"\n   want \"%s\"\n    got \"%s\"\n", lang, lineno, in, want,
               got ? got : "(null)");
        failures++;
    }
    free(got);
}

/* eSpeak's phonemes for TEXT in the current voice, one string. */
static void phonemes(const char *text, char *out, size_t cap) {
    const void *p = text;
    size_t o = 0;
    out[0] = '\0';
    while (p) {
        const char *ph = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, 0);
        if (!ph)
            break;
        int n = snprintf(out + o, cap - o, "%s%s", o ? " " : "", ph);
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

/* Drops stress marks and word gaps: "d'Y s'A~" and "dYs'A~" are the same
 * sounds (digits and words get different stress marks in eSpeak). */
static void strip_stress(char *s) {
    char *o = s;
    for (; *s; s++)
        if (*s != '\'' && *s != ',' && *s != ' ' && *s != '\n')
            *o++ = *s;
    *o = '\0';
}

static void check_phonemes(nr_ctx *ctx, const char *lang, const char *in, const char *want,
                           const char *opts, int lineno) {
    (void)opts;
    char *got = nr_normalise_text(ctx, lang, in, strlen(in));
    static char a[4096], b[4096];
    phonemes(got ? got : "", a, sizeof a);
    strip_stress(a);
    checks++;
    bool ok;
    if (want[0] == '!' || want[0] == '+') {
        bool must = want[0] == '+';
        ok = true;
        char frag[256];
        snprintf(frag, sizeof frag, "%s", want + 1);
        for (char *t = strtok(frag, " "); t; t = strtok(NULL, " "))
            if (strip_stress(t), !strstr(a, t) == must)
                ok = false;
        snprintf(b, sizeof b, "%s %s", must ? "all of" : "none of", want + 1);
    } else {
        phonemes(want, b, sizeof b);
        strip_stress(b);
        ok = !strcmp(a, b);
    }
    if (!ok) {
        printf("FAIL %s phonemes:%d: \"%s\" -> \"%s\"\n   want [%s]\n    got [%s]\n", lang, lineno,
               in, got ? got : "(null)", b, a);
        failures++;
    }
    free(got);
}

/* A document of two spans: only the changed one gets spoken text. */
static void check_document(void) {
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    const char *text = "M. Blinken est venu. Il est parti.";
    nr_doc *doc = nr_doc_new(text, strlen(text), "doc");
    snprintf(doc->lang, sizeof doc->lang, "fr");
    nr_block *b = nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 0, doc->len);
    b->sents = nr_arena_alloc(doc->arena, 2 * sizeof *b->sents);
    b->n_sents = 2;
    size_t cut = 20;
    for (int s = 0; s < 2; s++) {
        nr_sentence *se = &b->sents[s];
        se->start = s ? cut + 1 : 0;
        se->end = s ? doc->len : cut;
        se->spans = nr_arena_alloc(doc->arena, sizeof *se->spans);
        se->n_spans = 1;
        se->spans[0].start = se->start;
        se->spans[0].end = se->end;
    }
    checks += 2;
    if (nr_normalise(&ctx, doc) != NR_OK || !b->sents[0].spans[0].spoken ||
        strcmp(b->sents[0].spans[0].spoken, "Monsieur Blinken est venu.")) {
        printf("FAIL document: first span spoken = %s\n",
               b->sents[0].spans[0].spoken ? b->sents[0].spans[0].spoken : "(null)");
        failures++;
    }
    if (b->sents[1].spans[0].spoken) {
        printf("FAIL document: unchanged span has spoken text\n");
        failures++;
    }
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);
}

/* The user's lexicon ($XDG_CONFIG_HOME/narrate/lexicon-fr.txt) wins, on
 * word boundaries, with its case rule; phoneme entries are not passed on. */
static void check_user_lexicon(void) {
    char dir[] = "/tmp/narrate-lexXXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp\n");
        failures++;
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/narrate", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/narrate/lexicon-fr.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("# test\nBlinken = Blinkène\nkiev\tKiyiv\nBoryspil = [[bo'rispil]]\nla paix = la pè\n",
          f);
    fclose(f);
    const char *old = getenv("XDG_CONFIG_HOME");
    char *saved = old ? strdup(old) : NULL;
    setenv("XDG_CONFIG_HOME", dir, 1);
    static const char *const rows[][2] = {
        {"M. Blinken à Kiev", "Monsieur Blinkène à Kiyiv"},
        {"Blinkens", "Blinkens"},
        {"KIEV et kiev", "Kiyiv et Kiyiv"},
        {"blinken", "blinken"},
        {"à Boryspil", "à Boryspil"},
        {"la paix, la paixx", "la pè, la paixx"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        nr_ctx ctx;
        nr_ctx_init(&ctx);
        check_text(&ctx, "fr", rows[i][0], rows[i][1], NULL, (int)(1000 + i));
        nr_ctx_fini(&ctx);
    }
    if (saved) {
        setenv("XDG_CONFIG_HOME", saved, 1);
        free(saved);
    } else
        unsetenv("XDG_CONFIG_HOME");
    remove(path);
    snprintf(path, sizeof path, "%s/narrate", dir);
    rmdir(path);
    rmdir(dir);
}

/* Random mixtures of the forms the recognisers look for: the output of
 * valid UTF-8 must be valid UTF-8, without control characters or "[[". */
static void check_random(void) {
    static const char *const toks[] = {"1",
                                       "12",
                                       "2024",
                                       "0",
                                       " ",
                                       ".",
                                       ",",
                                       "/",
                                       "-",
                                       "\xE2\x80\x93",
                                       ":",
                                       "h",
                                       "e",
                                       "er",
                                       "s",
                                       "'",
                                       "\xE2\x80\x99",
                                       "\xE2\x82\xAC",
                                       "$",
                                       "M",
                                       "M\xE2\x82\xAC",
                                       "%",
                                       "\xC2\xB0"
                                       "C",
                                       "km/h",
                                       "@",
                                       "#",
                                       "+",
                                       "=",
                                       "&",
                                       "[[",
                                       "]]",
                                       "XIX",
                                       "IV",
                                       "Louis",
                                       "M.",
                                       "St.",
                                       "No.",
                                       "i.e.",
                                       "AFP",
                                       "OTAN",
                                       "NGOs",
                                       "www.",
                                       "https://",
                                       "a.b",
                                       "x@y.fr",
                                       "\xF0\x9F\x98\x80",
                                       "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",
                                       "\xE2\x80\x8D",
                                       "\xEF\xB8\x8F",
                                       "Blinken",
                                       "av. J.-C.",
                                       "a.m.",
                                       "\x01",
                                       "\xC3\xA9",
                                       "L'",
                                       "(",
                                       "+33",
                                       "\xC2\xA0",
                                       "\xC2\xAB",
                                       "1 000",
                                       "3,5",
                                       "4.5",
                                       "bn",
                                       "McX",
                                       "Wash"};
    size_t nt = sizeof toks / sizeof toks[0];
    uint32_t seed = 12345;
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    ctx.keep_lang = true;
    ctx.emoji = NR_EMOJI_NAME;
    char in[512];
    int bad = 0;
    for (int i = 0; i < 4000; i++) {
        size_t n = 0;
        int k = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 14;
        for (int j = 0; j < k; j++) {
            const char *t = toks[((seed = seed * 1103515245u + 12345u) >> 16) % nt];
            size_t tl = strlen(t);
            memcpy(in + n, t, tl);
            n += tl;
        }
        const char *lang = (i & 1) ? "fr" : "en";
        char *out = nr_normalise_text(&ctx, lang, in, n);
        checks++;
        if (!out || !nr_utf8_valid(out, strlen(out)) || strstr(out, "[[") || strchr(out, 1)) {
            if (bad++ < 5)
                printf("FAIL random %s: \"%.*s\" -> \"%s\"\n", lang, (int)n, in,
                       out ? out : "(null)");
            failures++;
        }
        free(out);
    }
    nr_ctx_fini(&ctx);
}

int main(void) {
    setlocale(LC_ALL, "");
    /* the tables only: never the lexicon of whoever runs the tests */
    setenv("XDG_CONFIG_HOME", "/nonexistent/narrate-test", 1);
    const char *td = getenv("TESTDATA");
    char path[1024];
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    static const char *const langs[] = {"fr", "en", "en-gb", "de", "es", "it"};
    int min_rows[] = {150, 150, 0, 0, 0, 0};
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/normalise/%s.tsv", td ? td : "data", langs[i]);
        FILE *probe = fopen(path, "r");
        if (!probe && !min_rows[i])
            continue;
        if (probe)
            fclose(probe);
        int rows = each_row(path, &ctx, langs[i], check_text);
        if (rows < min_rows[i]) {
            printf("FAIL %s: %d cases, want at least %d\n", langs[i], rows, min_rows[i]);
            failures++;
        }
        printf("%s: %d cases\n", langs[i], rows);
    }
    /* eSpeak, as the synthesiser uses it */
    if (espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0) < 0) {
        printf("FAIL eSpeak did not initialise\n");
        failures++;
    } else {
        static const char *const plangs[][2] = {{"fr", "fr"}, {"en", "en-us"}};
        for (int i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "%s/normalise/%s.phonemes.tsv", td ? td : "data",
                     plangs[i][0]);
            espeak_SetVoiceByName(plangs[i][1]);
            int rows = each_row(path, &ctx, plangs[i][0], check_phonemes);
            printf("%s: %d phoneme cases\n", plangs[i][0], rows);
        }
        espeak_Terminate();
    }
    nr_ctx_fini(&ctx);
    check_document();
    check_user_lexicon();
    check_random();
    printf("test_normalise: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
