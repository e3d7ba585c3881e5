/* Unit tests of src/core/stream.c: a text analysed in many windows gives the
 * sentences, quotations and speakers (ids and voices) it gives in one. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/ctx.h"
#include "core/narrator.h"
#include "core/stream.h"
#include "narrate.h"
#include "util/buf.h"

/* What a reader hears: every sentence's place, every quotation's place,
 * id, speaker and voice, one line each, in reading order. */
typedef struct listing {
    nr_buf text;
    size_t windows, whole;
} listing;

static const char *id_of(const nr_doc *doc, int i) {
    return i >= 0 && (size_t)i < doc->speakers.len ? NR_SPEAKER(doc, i).id : "-";
}

static nr_status collect(void *user, const nr_window *w) {
    listing *l = user;
    if (!w->doc)
        return NR_OK;
    l->windows++;
    l->whole += w->whole;
    const nr_doc *doc = w->doc;
    for (size_t b = 0; b < doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++) {
            const nr_sentence *se = &blk->sents[i];
            nr_buf_printf(&l->text, "S %zu %zu\n", se->start + doc->offset, se->end + doc->offset);
            for (size_t k = 0; k < se->n_spans; k++) {
                const nr_span *sp = &se->spans[k];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                const nr_voice *v = &NR_SPEAKER(doc, sp->voice).voice;
                nr_buf_printf(&l->text, "Q %zu %zu quote=%d speaker=%s voice=%s %s/%d/%d emb=%d\n",
                              sp->start + doc->offset, sp->end + doc->offset, sp->quote,
                              id_of(doc, sp->speaker), id_of(doc, sp->voice), v->espeak, v->pitch,
                              v->rate, sp->embedded);
            }
        }
    }
    return NR_OK;
}

static nr_status list_file(nr_narrator *nr, const char *path, size_t window, listing *l) {
    nr_buf_init(&l->text);
    l->windows = l->whole = 0;
    nr_narrator_ctx(nr)->window = window;
    return nr_stream_file(nr, path, collect, l);
}

/* The first line where A and B differ, for the message. */
static void first_difference(const char *a, const char *b, char *out, size_t size) {
    size_t line = 1, i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        line += a[i] == '\n';
    size_t s = i;
    while (s > 0 && a[s - 1] != '\n')
        s--;
    snprintf(out, size, "line %zu: '%.80s' against '%.80s'", line, a + s, b + s);
}

static void write_file(const char *path, const char *s, size_t n) {
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(s, 1, n, f) == n, "write %s", path);
    if (f)
        fclose(f);
}

/* Appends the file at PATH to OUT. */
static bool slurp(const char *path, nr_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char chunk[4096];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
        nr_buf_add(out, chunk, n);
    fclose(f);
    return nr_buf_ok(out);
}

/* The French news articles of the corpus, one after the other. The
 * interview (fr-06) is left out: read as one document, its dash turns take
 * a speaker of the article before it, which windows, forgetting it, do
 * not; and windows smaller than 4 KB let a pronoun's antecedent fall out
 * of the context (docs/limits.md). */
static bool corpus_text(nr_buf *out) {
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../../shared";
    static const char *const names[] = {"fr-01-sncf-greve",      "fr-02-marseille-fouilles",
                                        "fr-03-pesticides-ue",   "fr-04-otan-munitions",
                                        "fr-05-centre-de-sante", "fr-afp-blinken"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/corpus/articles/%s.txt", shared, names[i]);
        if (slurp(path, out))
            nr_buf_adds(out, "\n\n");
    }
    return out->len > 10000;
}

static void test_windows_match_one(nr_narrator *nr, const char *dir) {
    nr_buf in;
    nr_buf_init(&in);
    CHECK(corpus_text(&in), "the French corpus articles are readable (SHARED)");
    char path[512];
    snprintf(path, sizeof path, "%s/corpus.txt", dir);
    write_file(path, in.data, in.len);
    listing one, many;
    CHECK(list_file(nr, path, 1 << 24, &one) == NR_OK, "one window: %s", nr_narrator_error(nr));
    CHECK(one.whole == 1 && one.windows == 1, "read whole");
    CHECK(one.text.len > 1000 && strstr(one.text.data, "Q "), "quotations listed");
    static const size_t sizes[] = {4096, 9000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        CHECK(list_file(nr, path, sizes[k], &many) == NR_OK, "windows: %s", nr_narrator_error(nr));
        CHECK(many.whole == 0 && many.windows > in.len / (sizes[k] * 3), "%zu windows of %zu bytes",
              many.windows, sizes[k]);
        char diff[256] = "";
        if (one.text.data && many.text.data && strcmp(one.text.data, many.text.data))
            first_difference(one.text.data, many.text.data, diff, sizeof diff);
        CHECK(one.text.data && many.text.data && !strcmp(one.text.data, many.text.data),
              "windows of %zu bytes hear what one does: %s", sizes[k], diff);
        nr_buf_free(&many.text);
    }
    nr_buf_free(&one.text);
    nr_buf_free(&in);
}

/* "voice=s1 fr+m1/40/170" of the listing line at AT, into OUT. */
static void voice_field(const char *at, char *out, size_t size) {
    const char *v = at ? strstr(at, "voice=") : NULL;
    if (v) {
        const char *e = strstr(v, " emb");
        snprintf(out, size, "%.*s", e ? (int)(e - v) : 0, v);
    }
}

/* A speaker quoted in the first window and again many windows later keeps
 * the id and voice it was given first; a new speaker continues the ids. */
static void test_speaker_kept(nr_narrator *nr, const char *dir) {
    nr_buf in;
    nr_buf_init(&in);
    nr_buf_adds(&in, "« Nous ne céderons pas », a déclaré Hélène Marchetti, ministre des "
                     "Transports.\n\n« Le dialogue reste ouvert », a ajouté Paul Girard.\n\n");
    for (int i = 0; i < 300; i++)
        nr_buf_printf(&in,
                      "Le trafic reste perturbé sur la ligne %d ce matin, selon la "
                      "direction régionale.\n\n",
                      i + 1);
    nr_buf_adds(&in, "« Rien n'est réglé », a répété Hélène Marchetti devant la presse.\n\n"
                     "« Nous attendons des actes », a répondu Sophie Lenoir.\n\n");
    char path[512];
    snprintf(path, sizeof path, "%s/speakers.txt", dir);
    write_file(path, in.data, in.len);
    listing l;
    CHECK(list_file(nr, path, 2048, &l) == NR_OK, "windows: %s", nr_narrator_error(nr));
    CHECK(l.windows > 5, "%zu windows", l.windows);
    const char *t = l.text.data ? l.text.data : "";
    const char *first = strstr(t, "speaker=s1 ");
    const char *again = first ? strstr(first + 1, "speaker=s1 ") : NULL;
    CHECK(first && again, "Hélène Marchetti is s1 in the first window and the last: %s", t);
    char v1[96] = "", v2[96] = "";
    voice_field(first, v1, sizeof v1);
    voice_field(again, v2, sizeof v2);
    CHECK(v1[0] && !strcmp(v1, v2), "the same voice both times: '%s', '%s'", v1, v2);
    CHECK(strstr(t, "speaker=s2 ") && strstr(t, "speaker=s3 ") && !strstr(t, "speaker=s4 "),
          "Paul Girard s2, Sophie Lenoir s3, nobody else: %s", t);
    nr_buf_free(&l.text);
    nr_buf_free(&in);
}

/* A paragraph longer than what may be held at once is refused, and so is
 * a text over the stream's limit; a text of one window is read whole. */
static void test_limits(nr_narrator *nr, const char *dir) {
    char path[512];
    snprintf(path, sizeof path, "%s/long.txt", dir);
    nr_buf in;
    nr_buf_init(&in);
    for (int i = 0; i < 2000; i++)
        nr_buf_adds(&in, "Une phrase de plus dans un paragraphe sans fin. ");
    write_file(path, in.data, in.len);
    nr_ctx *ctx = nr_narrator_ctx(nr);
    size_t max_input = ctx->max_input;
    ctx->max_input = 50000;
    listing l;
    CHECK(list_file(nr, path, 4096, &l) == NR_E_TOO_LARGE, "a paragraph over max_input");
    CHECK(strstr(nr_narrator_error(nr), "limit of 50000 bytes"), "names the limit: %s",
          nr_narrator_error(nr));
    nr_buf_free(&l.text);
    ctx->max_input = max_input;
    size_t max_stream = ctx->max_stream;
    ctx->max_stream = 60000;
    CHECK(list_file(nr, path, 4096, &l) == NR_E_TOO_LARGE, "over max_stream");
    nr_buf_free(&l.text);
    ctx->max_stream = max_stream;
    CHECK(list_file(nr, path, 1 << 20, &l) == NR_OK && l.whole == 1, "one window: read whole");
    nr_buf_free(&l.text);
    nr_buf_free(&in);
}

/* Exports PATH to DIR/NAME.wav with windows of WINDOW bytes; the audio and
 * the transcript into WAV and VTT. */
static nr_status export_into(nr_narrator *nr, const char *path, const char *dir, const char *name,
                             size_t window, nr_buf *wav, nr_buf *vtt) {
    char out[600];
    nr_narrator_ctx(nr)->window = window;
    snprintf(out, sizeof out, "%s/%s.wav", dir, name);
    nr_status st = nr_export_file(nr, path, out, NULL);
    CHECK(slurp(out, wav), "%s written", out);
    snprintf(out, sizeof out, "%s/%s.vtt", dir, name);
    CHECK(slurp(out, vtt), "%s written", out);
    return st;
}

/* An export window by window is the export of the whole: the same
 * transcript and the same pauses. Within a few samples only: a window
 * starts the engine afresh where one document's render, grouping short
 * paragraphs into one chunk, goes on (render.h). */
/* The lines of a WebVTT transcript but its timings, into OUT. */
static void cue_texts(const nr_buf *vtt, nr_buf *out) {
    const char *s = vtt->data ? vtt->data : "";
    for (const char *l = s; *l;) {
        size_t n = strcspn(l, "\n");
        if (!memmem(l, n, " --> ", 5))
            nr_buf_add(out, l, n + (l[n] == '\n'));
        l += n + (l[n] == '\n');
    }
}

static void test_export_windows(nr_narrator *nr, const char *dir) {
    nr_buf in;
    nr_buf_init(&in);
    nr_buf_adds(&in, "Les trains reprennent\n\n");
    for (int i = 0; i < 8; i++)
        nr_buf_printf(&in,
                      "« La ligne %d rouvre ce soir », a annoncé Hélène Marchetti. Le "
                      "trafic reste lent.\n\n",
                      i + 1);
    char path[512];
    snprintf(path, sizeof path, "%s/export.txt", dir);
    write_file(path, in.data, in.len);
    nr_set_export_option(nr, "loudness", "off");
    nr_buf wav1, vtt1, wav2, vtt2;
    nr_buf_init(&wav1), nr_buf_init(&vtt1), nr_buf_init(&wav2), nr_buf_init(&vtt2);
    CHECK(export_into(nr, path, dir, "one", 1 << 20, &wav1, &vtt1) == NR_OK, "one window: %s",
          nr_narrator_error(nr));
    CHECK(export_into(nr, path, dir, "many", 300, &wav2, &vtt2) == NR_OK, "windows: %s",
          nr_narrator_error(nr));
    size_t gap = wav1.len > wav2.len ? wav1.len - wav2.len : wav2.len - wav1.len;
    CHECK(wav1.len > 44 + 16000 && gap < 2 * 2205, "the same audio within 0.1 s: %zu and %zu bytes",
          wav1.len, wav2.len);
    nr_buf t1, t2;
    nr_buf_init(&t1), nr_buf_init(&t2);
    cue_texts(&vtt1, &t1);
    cue_texts(&vtt2, &t2);
    CHECK(t1.len > 100 && t1.len == t2.len && !memcmp(t1.data, t2.data, t1.len),
          "the same transcript:\n%.*s\nagainst\n%.*s", (int)t1.len, t1.data, (int)t2.len, t2.data);
    CHECK(strstr(t1.data ? t1.data : "", "<v Hélène Marchetti>"), "the speaker is named");
    nr_buf_free(&t1), nr_buf_free(&t2);
    nr_buf_free(&wav1), nr_buf_free(&vtt1), nr_buf_free(&wav2), nr_buf_free(&vtt2);
    nr_buf_free(&in);
}

/* A window may hold only blank lines (after a paragraph too long to leave
 * any context): it is skipped, and offsets go on counting it. */
static void test_blank_window(nr_narrator *nr, const char *dir) {
    nr_buf in;
    nr_buf_init(&in);
    nr_buf_adds(&in, "Le début.");
    for (int i = 0; i < 800; i++)
        nr_buf_adds(&in, " Une phrase de plus.");
    nr_buf_adds(&in, "\n\n");
    for (int i = 0; i < 3000; i++)
        nr_buf_adds(&in, " \n");
    size_t at = in.len;
    nr_buf_adds(&in, "La fin.\n");
    char path[512];
    snprintf(path, sizeof path, "%s/blank.txt", dir);
    write_file(path, in.data, in.len);
    listing l;
    CHECK(list_file(nr, path, 2048, &l) == NR_OK, "windows: %s", nr_narrator_error(nr));
    char want[64];
    snprintf(want, sizeof want, "S %zu %zu\n", at, at + strlen("La fin."));
    CHECK(l.windows >= 3 && l.text.data && strstr(l.text.data, want), "%zu windows; '%s' in %s",
          l.windows, want, l.text.data ? l.text.data + l.text.len - 40 : "");
    nr_buf_free(&l.text);
    nr_buf_free(&in);
}

/* The plan of PATH in windows of WINDOW bytes with JOBS processes into
 * OUT, and the message of a failure into ERR. */
static nr_status plan_into(nr_narrator *nr, const char *path, size_t window, int jobs, nr_buf *out,
                           char *err, size_t size) {
    nr_narrator_ctx(nr)->window = window;
    nr_narrator_ctx(nr)->jobs = jobs;
    FILE *f = tmpfile();
    CHECK(f != NULL, "a temporary file");
    bool writing = false;
    nr_status st = f ? nr_stream_plan(nr, path, f, &writing) : NR_E_IO;
    if (f) {
        fflush(f);
        rewind(f);
        char chunk[4096];
        for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
            nr_buf_add(out, chunk, n);
        fclose(f);
    }
    snprintf(err, size, "%s", st == NR_OK ? "" : nr_narrator_error(nr));
    nr_narrator_ctx(nr)->jobs = 0;
    return st;
}

/* PATH's plan in windows of WINDOW bytes is the same byte for byte, with
 * the same outcome and message, whether a window is analysed on a thread
 * while the one before is written (--jobs 2) or after it (--jobs 1);
 * WANT is the outcome. */
static void same_plan(nr_narrator *nr, const char *path, size_t window, nr_status want) {
    nr_buf one, two;
    nr_buf_init(&one), nr_buf_init(&two);
    char e1[512], e2[512];
    nr_status s1 = plan_into(nr, path, window, 1, &one, e1, sizeof e1);
    nr_status s2 = plan_into(nr, path, window, 2, &two, e2, sizeof e2);
    CHECK(s1 == want && s2 == want, "%s in windows of %zu: status %d and %d, not %d (%s; %s)", path,
          window, s1, s2, want, e1, e2);
    CHECK(!strcmp(e1, e2), "the same message: '%s' and '%s'", e1, e2);
    char diff[256] = "";
    if (one.data && two.data && strcmp(one.data, two.data))
        first_difference(one.data, two.data, diff, sizeof diff);
    CHECK(one.len > 0 && one.len == two.len && !memcmp(one.data, two.data, one.len),
          "%s in windows of %zu: the same plan (%zu and %zu bytes): %s", path, window, one.len,
          two.len, diff);
    nr_buf_free(&one), nr_buf_free(&two);
}

/* Windows analysed while the one before is written give the plan one
 * after the other gives, and fail the same way midway: over the stream's
 * limit, or at a paragraph over what is held at once. */
static void test_plan_overlap(nr_narrator *nr, const char *dir) {
    nr_buf in;
    nr_buf_init(&in);
    CHECK(corpus_text(&in), "the French corpus articles are readable (SHARED)");
    char path[512];
    snprintf(path, sizeof path, "%s/overlap.txt", dir);
    write_file(path, in.data, in.len);
    static const size_t sizes[] = {2048, 9000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        same_plan(nr, path, sizes[k], NR_OK);
    nr_ctx *ctx = nr_narrator_ctx(nr);
    size_t max_stream = ctx->max_stream, max_input = ctx->max_input;
    ctx->max_stream = in.len / 2;
    same_plan(nr, path, 4096, NR_E_TOO_LARGE);
    ctx->max_stream = max_stream;
    for (int i = 0; i < 400; i++)
        nr_buf_adds(&in, "Une phrase de plus dans un paragraphe sans fin. ");
    write_file(path, in.data, in.len);
    ctx->max_input = 15000;
    same_plan(nr, path, 4096, NR_E_TOO_LARGE);
    ctx->max_input = max_input;
    nr_buf_free(&in);
}

int main(void) {
    char dir[] = "/tmp/narrate-stream-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "scratch folder");
    nr_narrator *nr = NULL;
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    test_windows_match_one(nr, dir);
    test_speaker_kept(nr, dir);
    test_limits(nr, dir);
    test_blank_window(nr, dir);
    test_plan_overlap(nr, dir);
    test_export_windows(nr, dir);
    nr_narrator_free(nr);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "clean up");
    return check_done("test_stream");
}
