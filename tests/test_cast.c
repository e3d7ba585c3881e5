/* test_cast.c: voices for the narrator and the speakers, table-driven.
 *
 * Speakers are added by hand (name, gender) so casting is tested apart from
 * attribution: pools by gender, a voice that never repeats the narrator's
 * or another speaker's, the same cast on every run, the user's --cast file
 * and --voices folder, and pauses from the profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cast/cast.h"
#include "check.h"
#include "core/ctx.h"
#include "core/doc.h"

typedef struct spk {
    const char *name;
    nr_gender gender;
} spk;

static nr_doc *doc_with(const char *lang, const spk *s, size_t n) {
    nr_doc *doc = nr_doc_new("x", 1, "t");
    snprintf(doc->lang, sizeof doc->lang, "%s", lang);
    nr_vec_push(&doc->speakers); /* the narrator's place */
    for (size_t i = 0; i < n; i++) {
        nr_speaker *sp = nr_vec_push(&doc->speakers);
        char id[32];
        snprintf(id, sizeof id, "s%zu", i + 1);
        sp->id = nr_arena_strdup(doc->arena, id);
        sp->name = s[i].name;
        sp->gender = s[i].gender;
    }
    return doc;
}

static bool same(const nr_voice *a, const nr_voice *b) {
    return !strcmp(a->espeak, b->espeak) && a->pitch == b->pitch;
}

/* Each speaker's variant comes from the pool of their gender. */
static void test_pools(nr_ctx *ctx) {
    static const struct {
        const char *lang;
        nr_gender g;
        const char *prefix; /* the cast's eSpeak voice and the variant's kind */
    } cases[] = {
        {"fr", NR_GENDER_MALE, "fr+m"},    {"fr", NR_GENDER_FEMALE, "fr+f"},
        {"en", NR_GENDER_MALE, "en-us+m"}, {"en", NR_GENDER_FEMALE, "en-us+f"},
        {"de", NR_GENDER_FEMALE, "de+f"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spk s = {"X", cases[i].g};
        nr_doc *doc = doc_with(cases[i].lang, &s, 1);
        CHECK(nr_cast(ctx, doc) == NR_OK, "cast: %s", ctx->err);
        const char *v = NR_SPEAKER(doc, 1).voice.espeak;
        CHECK(!strncmp(v, cases[i].prefix, strlen(cases[i].prefix)), "%s %d: %s", cases[i].lang,
              cases[i].g, v);
        CHECK_STR(NR_SPEAKER(doc, 0).id, "narrator");
        CHECK(NR_SPEAKER(doc, 0).voice.espeak[0] && !strchr(NR_SPEAKER(doc, 0).voice.espeak, ' '),
              "narrator voice %s", NR_SPEAKER(doc, 0).voice.espeak);
        nr_doc_free(doc);
    }
}

/* More speakers than any pool holds: still no two alike, none like the
 * narrator, and the same voices on a second run. */
static void test_distinct(nr_ctx *ctx) {
    static const nr_gender mix[] = {NR_GENDER_MALE, NR_GENDER_MALE, NR_GENDER_FEMALE,
                                    NR_GENDER_UNKNOWN};
    spk s[24];
    for (size_t i = 0; i < 24; i++)
        s[i] = (spk){"X", mix[i % 4]};
    for (size_t n = 1; n <= 24; n += 23) {
        nr_doc *a = doc_with("fr", s, n), *b = doc_with("fr", s, n);
        CHECK(nr_cast(ctx, a) == NR_OK && nr_cast(ctx, b) == NR_OK, "cast");
        for (size_t i = 1; i <= n; i++) {
            CHECK(same(&NR_SPEAKER(a, i).voice, &NR_SPEAKER(b, i).voice), "run-to-run %zu", i);
            for (size_t k = 0; k < i; k++)
                CHECK(!same(&NR_SPEAKER(a, i).voice, &NR_SPEAKER(a, k).voice),
                      "%zu speakers: %zu and %zu share %s pitch %d", n, i, k,
                      NR_SPEAKER(a, i).voice.espeak, NR_SPEAKER(a, i).voice.pitch);
            int p = NR_SPEAKER(a, i).voice.pitch;
            CHECK(p >= 0 && p <= 99, "pitch %d", p);
        }
        nr_doc_free(a);
        nr_doc_free(b);
    }
}

/* A narrator voice forced to a pool's first voice: the speaker moves away. */
static void test_forced_narrator(nr_ctx *ctx) {
    spk s = {"X", NR_GENDER_MALE};
    nr_doc *doc = doc_with("fr", &s, 1);
    nr_cast(ctx, doc);
    nr_voice first = NR_SPEAKER(doc, 1).voice;
    nr_doc_free(doc);
    snprintf(ctx->voice, sizeof ctx->voice, "%s", first.espeak);
    doc = doc_with("fr", &s, 1);
    CHECK(nr_cast(ctx, doc) == NR_OK, "cast");
    CHECK_STR(NR_SPEAKER(doc, 0).voice.espeak, first.espeak);
    CHECK(strcmp(NR_SPEAKER(doc, 1).voice.espeak, first.espeak), "speaker %s",
          NR_SPEAKER(doc, 1).voice.espeak);
    nr_doc_free(doc);
    ctx->voice[0] = '\0';
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* The --cast file: by name part, by mention, narrator; errors name the file. */
static void test_user_cast(nr_ctx *ctx, const char *dir) {
    static const struct {
        const char *ini;
        nr_status st;
        const char *who;   /* speaker checked: name part */
        const char *voice; /* its eSpeak voice after casting, NULL = not checked */
        int pitch;         /* -1 = not checked */
    } cases[] = {
        {"[Blinken]\nvariant = m8\npitch = 20\n", NR_OK, "Blinken", "fr+m8", 20},
        {"[M. Blinken]\nvoice = fr+f4\n", NR_OK, "Blinken", "fr+f4", -1},
        {"[narrator]\nvoice = fr+m2\n[Nobody here]\nrate = 200\n", NR_OK, "narrator", "fr+m2", -1},
        {"[Marchetti]\nprofile = female-2\n", NR_OK, "Marchetti", "fr+f1", 62},
        {"[Blinken]\npitch = loud\n", NR_E_DATA, NULL, NULL, -1},
        {"[Blinken]\npitch = 120\n", NR_E_DATA, NULL, NULL, -1},
        {"[Blinken]\nprofile = no-such-profile\n", NR_E_DATA, NULL, NULL, -1},
        {"[Blinken]\nvoice = fr m3; rm\n", NR_E_DATA, NULL, NULL, -1},
        {"[Blinken]\ncolour = red\n", NR_E_DATA, NULL, NULL, -1},
    };
    spk s[] = {{"Antony Blinken", NR_GENDER_MALE}, {"Hélène Marchetti", NR_GENDER_FEMALE}};
    char path[512];
    snprintf(path, sizeof path, "%.400s/cast.ini", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(path, cases[i].ini);
        snprintf(ctx->cast_file, sizeof ctx->cast_file, "%s", path);
        nr_doc *doc = doc_with("fr", s, 2);
        const char *mention = "M. Blinken";
        NR_SPEAKER(doc, 1).mentions = &mention;
        NR_SPEAKER(doc, 1).n_mentions = 1;
        nr_status st = nr_cast(ctx, doc);
        CHECK(st == cases[i].st, "case %zu: status %d (%s)", i, st, ctx->err);
        if (st != NR_OK)
            CHECK(strstr(ctx->err, "cast.ini") != NULL, "message names the file: %s", ctx->err);
        for (size_t k = 0; cases[i].who && k < doc->speakers.len; k++) {
            const nr_speaker *sp = &NR_SPEAKER(doc, k);
            bool it = k == 0 ? !strcmp(cases[i].who, "narrator")
                             : sp->name && strstr(sp->name, cases[i].who);
            if (!it)
                continue;
            CHECK_STR(sp->voice.espeak, cases[i].voice);
            if (cases[i].pitch >= 0)
                CHECK(sp->voice.pitch == cases[i].pitch, "case %zu: pitch %d", i, sp->voice.pitch);
        }
        nr_doc_free(doc);
    }
    ctx->cast_file[0] = '\0';
    snprintf(ctx->cast_file, sizeof ctx->cast_file, "%.400s/missing.ini", dir);
    nr_doc *doc = doc_with("fr", s, 1);
    CHECK(nr_cast(ctx, doc) == NR_E_IO, "a missing cast file is an I/O error");
    nr_doc_free(doc);
    ctx->cast_file[0] = '\0';
}

/* --voices DIR: the user's profiles.ini and cast replace the built-in ones,
 * pauses included; a malformed one is a data error. */
static void test_voices_dir(const char *dir) {
    char sub[1100], path[1200];
    snprintf(sub, sizeof sub, "%s/voices", dir);
    mkdir(sub, 0755);
    snprintf(path, sizeof path, "%s/profiles.ini", sub);
    write_file(path, "[slow]\nvariant = m7\nrate = 120\npitch = 40\n"
                     "[pauses]\nsentence = 111\nparagraph = 222\nheading = 333\ntitle = 444\n"
                     "quote = 55\ntitle_rate = 0.8\n");
    snprintf(path, sizeof path, "%s/cast.ini", sub);
    write_file(path, "[cast]\nnarrator = slow\nmale = slow\n");
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    nr_data_free(ctx.data);
    ctx.data = nr_data_new(sub);
    spk s = {"X", NR_GENDER_MALE};
    nr_doc *doc = doc_with("xx", &s, 1);
    CHECK(nr_cast(&ctx, doc) == NR_OK, "cast: %s", ctx.err);
    CHECK(NR_SPEAKER(doc, 0).voice.rate == 120, "narrator rate %d", NR_SPEAKER(doc, 0).voice.rate);
    CHECK(doc->pauses.sentence == 111 && doc->pauses.paragraph == 222 &&
              doc->pauses.heading == 333 && doc->pauses.title == 444 && doc->pauses.quote == 55,
          "pauses %d %d %d %d %d", doc->pauses.sentence, doc->pauses.paragraph, doc->pauses.heading,
          doc->pauses.title, doc->pauses.quote);
    CHECK(doc->title_rate > 0.79f && doc->title_rate < 0.81f, "title rate %f", doc->title_rate);
    CHECK(!same(&NR_SPEAKER(doc, 1).voice, &NR_SPEAKER(doc, 0).voice),
          "one-voice pool: speaker still differs from the narrator");
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);

    snprintf(path, sizeof path, "%s/profiles.ini", sub);
    write_file(path, "[slow]\nspeed = fast\n");
    nr_ctx_init(&ctx);
    nr_data_free(ctx.data);
    ctx.data = nr_data_new(sub);
    doc = doc_with("fr", &s, 1);
    CHECK(nr_cast(&ctx, doc) == NR_E_DATA, "a bad profiles.ini is a data error");
    CHECK(strstr(ctx.err, "profiles.ini") != NULL, "message: %s", ctx.err);
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);
}

/* The built-in pauses keep the order the issue asks for. */
static void test_default_pauses(nr_ctx *ctx) {
    nr_doc *doc = doc_with("fr", NULL, 0);
    CHECK(nr_cast(ctx, doc) == NR_OK, "cast");
    const nr_pauses *p = &doc->pauses;
    CHECK(p->quote > 0 && p->quote < p->sentence && p->sentence < p->paragraph &&
              p->paragraph <= p->heading && p->heading <= p->title,
          "pauses quote %d < sentence %d < paragraph %d <= heading %d <= title %d", p->quote,
          p->sentence, p->paragraph, p->heading, p->title);
    CHECK(doc->title_rate < 1.0f, "title read slower: %f", doc->title_rate);
    nr_doc_free(doc);
}

int main(void) {
    char dir[] = "/tmp/narrate-cast.XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 2;
    test_pools(&ctx);
    test_distinct(&ctx);
    test_forced_narrator(&ctx);
    test_user_cast(&ctx, dir);
    test_default_pauses(&ctx);
    nr_ctx_fini(&ctx);
    test_voices_dir(dir);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("test_cast");
}
