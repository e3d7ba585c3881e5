/* test_player.c: what live listening relies on without a sound device:
 * rates that sound even across eSpeak's switch at 450 wpm, head documents
 * that are the start of the whole, and where blocks start. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/rate.h"
#include "check.h"
#include "narrate.h"
#include "slurp.h"
#include "synth/engine.h"

static double samples;
static int count(void *user, const int16_t *pcm, size_t n, const nr_engine_word *w, size_t nw) {
    (void)user, (void)pcm, (void)w, (void)nw;
    samples += (double)n;
    return 0;
}

static double duration(const nr_voice *v, const char *text) {
    nr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    samples = 0;
    CHECK(nr_engine_speak(&ctx, v, 1.0f, text, count, NULL) == NR_OK, "%s", ctx.err);
    return samples;
}

/* Steps of 25 wpm around 450 each sound about 25/425..25/500 faster than the
 * last (5..6 %), where eSpeak's own rates jump by -3 % or +5 % at 450. The
 * heard speed is measured on another text than the curve's. */
static void test_even_steps(void) {
    static const struct {
        const char *voice, *calib, *text;
    } cases[] = {
        {"en",
         "The council voted on Tuesday to extend the rail line north of the city, a project that "
         "officials say will cost more than two billion dollars and take a decade to finish.",
         "Residents who spoke at the meeting were divided, some praising the plan and others "
         "warning that the noise and the traffic would change their neighbourhood for good."},
        {"fr",
         "Le conseil a voté mardi le prolongement de la ligne au nord de la ville, un projet qui "
         "coûtera plus de deux milliards et prendra une dizaine d'années selon les élus.",
         "Les habitants venus à la réunion étaient partagés, les uns saluant le projet, les autres "
         "craignant que le bruit et la circulation ne changent leur quartier pour de bon."},
    };
    nr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    CHECK(nr_engine_start(&ctx) == NR_OK, "%s", ctx.err);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        nr_voice v = {.rate = 175, .pitch = 50, .range = 50, .volume = 100};
        snprintf(v.espeak, sizeof v.espeak, "%s", cases[c].voice);
        nr_rate_curve curve;
        CHECK(nr_rate_calibrate(&v, cases[c].calib, 175, &curve, NULL, NULL), "%s: calibration",
              cases[c].voice);
        v.rate = 175;
        double base = duration(&v, cases[c].text);
        double prev = 0;
        for (int wpm = 400; wpm <= 500; wpm += 25) {
            v.rate = nr_rate_espeak(&curve, wpm);
            double heard = 175 * base / duration(&v, cases[c].text);
            if (prev > 0) {
                double step = heard / prev - 1;
                CHECK(step > 0.035 && step < 0.085,
                      "%s: %d wpm (eSpeak %d) sounds %.1f %% faster than %d wpm, want ~%.1f %%",
                      cases[c].voice, wpm, v.rate, step * 100, wpm - 25, 2500.0 / (wpm - 25));
            }
            prev = heard;
        }
        CHECK(nr_rate_espeak(&curve, 175) >= 170 && nr_rate_espeak(&curve, 175) <= 180,
              "%s: the base rate maps to itself (%d)", cases[c].voice, nr_rate_espeak(&curve, 175));
        CHECK(nr_rate_heard(&curve, 900) >= 800, "%s: 800 wpm is within reach (max %.0f)",
              cases[c].voice, nr_rate_heard(&curve, 900));
    }
    nr_rate_curve none = {0};
    CHECK(nr_rate_espeak(&none, 300) == 300 && nr_rate_espeak(&none, 1000) == 900,
          "no curve: the identity, clamped");
}

/* A head document's sentences are the whole's first sentences, same numbers,
 * same text, and it is shorter: for every corpus article and head size. */
static void test_heads(nr_narrator *nr) {
    const char *shared = getenv("SHARED");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/articles", shared ? shared : "../../shared");
    DIR *d = opendir(dir);
    CHECK(d != NULL, "cannot open %s", dir);
    if (!d)
        return;
    int partial = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".txt") || !strcmp(e->d_name, "README.md"))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        nr_document *full = NULL;
        if (!text || nr_document_from_memory(nr, text, len, e->d_name, &full) != NR_OK) {
            CHECK(0, "%s: %s", e->d_name, nr_narrator_error(nr));
            free(text);
            continue;
        }
        static const size_t heads[] = {600, 1500, 3000};
        for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
            nr_document *head = NULL;
            CHECK(nr_document_head_from_memory(nr, text, len, e->d_name, heads[h], &head) == NR_OK,
                  "%s", nr_narrator_error(nr));
            if (!head)
                continue;
            size_t hn = nr_document_sentence_count(head), fn = nr_document_sentence_count(full);
            if (nr_document_partial(head)) {
                partial++;
                CHECK(hn < fn, "%s @%zu: head has %zu sentences, whole %zu", e->d_name, heads[h],
                      hn, fn);
                for (size_t i = 0; i < hn && i < fn; i++) {
                    size_t a, b;
                    const char *x = nr_document_sentence(head, i, &a);
                    const char *y = nr_document_sentence(full, i, &b);
                    CHECK(a == b && !memcmp(x, y, a), "%s @%zu: sentence %zu differs: %.*s | %.*s",
                          e->d_name, heads[h], i, (int)a, x, (int)b, y);
                }
                CHECK(!strcmp(nr_document_lang(head), nr_document_lang(full)),
                      "%s @%zu: language %s, whole %s", e->d_name, heads[h], nr_document_lang(head),
                      nr_document_lang(full));
            } else {
                CHECK(hn == fn, "%s @%zu: whole input, yet %zu sentences, not %zu", e->d_name,
                      heads[h], hn, fn);
            }
            nr_document_free(head);
        }
        nr_document_free(full);
        free(text);
    }
    closedir(d);
    CHECK(partial > 10, "only %d partial heads: the table tests little", partial);
}

/* Block starts: the first sentence of each block, in order. */
static void test_block_start(nr_narrator *nr) {
    size_t len;
    const char *text = nr_sample_article(&len);
    nr_document *doc = NULL;
    CHECK(nr_document_from_memory(nr, text, len, "sample", &doc) == NR_OK, "sample");
    if (!doc)
        return;
    size_t n = nr_document_sentence_count(doc);
    for (size_t i = 0; i < n; i++) {
        size_t b = nr_document_block_of(doc, i), s = nr_document_block_start(doc, b);
        CHECK(s <= i && nr_document_block_of(doc, s) == b &&
                  (s == 0 || nr_document_block_of(doc, s - 1) != b),
              "sentence %zu: block %zu starts at %zu", i, b, s);
    }
    CHECK(nr_document_block_kind(doc, nr_document_block_of(doc, 0)) != NULL, "a kind");
    CHECK(nr_document_block_kind(doc, 100000) == NULL, "no block, no kind");
    nr_document_free(doc);
}

int main(void) {
    nr_narrator *nr = NULL;
    if (nr_narrator_new(&nr) != NR_OK)
        return 1;
    test_even_steps();
    test_heads(nr);
    test_block_start(nr);
    nr_narrator_free(nr);
    return check_done("test_player");
}
