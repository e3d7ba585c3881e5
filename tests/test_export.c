/* Tests of the podcast export: formats, loudness, tags, transcripts,
 * chapters, atomic files, and the batch's pieces (names, shards, feed).
 * The bars are measured the way anyone would: libsndfile decodes the file,
 * libebur128 measures it. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio/export.h"
#include "audio/file_sink.h"
#include "audio/id3.h"
#include "audio/loudness.h"
#include "audio/resample.h"
#include "batch/batch.h"
#include "check.h"
#include "core/doc.h"
#include "narrate.h"
#include "slurp.h"

static int entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void empty_dir(const char *dir) {
    DIR *d = opendir(dir);
    char p[512];
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
}

static double duration_of(const char *path) {
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return -1;
    /* count what decodes, not what the header claims */
    float buf[4096];
    sf_count_t n, total = 0;
    while ((n = sf_read_float(sf, buf, 4096)) > 0)
        total += n;
    sf_close(sf);
    return (double)total / info.samplerate;
}

/* ---- pure pieces ----------------------------------------------------------- */

static void test_formats(void) {
    static const struct {
        const char *path;
        const char *want; /* format name, NULL = none */
    } cases[] = {
        {"a.wav", "wav"},   {"a.WAV", "wav"},     {"a.flac", "flac"},   {"a.ogg", "vorbis"},
        {"a.opus", "opus"}, {"dir/a.mp3", "mp3"}, {"/dev/full", "wav"}, {"a.xyz", NULL},
        {"a.b/c", "wav"},   {"a.m4a", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const nr_format *f = nr_format_for_path(cases[i].path);
        if (cases[i].want)
            CHECK(f && !strcmp(f->name, cases[i].want), "%s: %s", cases[i].path,
                  f ? f->name : "none");
        else
            CHECK(!f, "%s: no format", cases[i].path);
    }
    static const struct {
        const char *fmt;
        int rate;
        bool ok;
    } rates[] = {{"opus", 48000, true}, {"opus", 44100, false}, {"opus", 22050, false},
                 {"mp3", 44100, true},  {"mp3", 22050, true},   {"mp3", 96000, false},
                 {"flac", 96000, true}, {"wav", 22050, true},   {"vorbis", 7000, false}};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        CHECK((nr_format_rate_problem(nr_format_find(rates[i].fmt), rates[i].rate) == NULL) ==
                  rates[i].ok,
              "%s at %d Hz", rates[i].fmt, rates[i].rate);
    static const char *const stems[][2] = {{"out/ep.mp3", "out/ep"},
                                           {"ep", "ep"},
                                           {"a.b/ep.opus", "a.b/ep"},
                                           {"ep.v1.wav", "ep.v1"},
                                           {"ep.txt", "ep.txt"}};
    for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
        char out[64];
        nr_export_stem(stems[i][0], out, sizeof out);
        CHECK_STR(out, stems[i][1]);
    }
}

static void test_names_and_shards(void) {
    static const char *const names[][2] = {{"in/Article One.html", "Article-One"},
                                           {"a/b/c.md", "c"},
                                           {"x.tar.txt", "x.tar"},
                                           {"été?.txt", "été-"},
                                           {".hidden.txt", "_hidden"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char out[64];
        nr_episode_name(names[i][0], out, sizeof out);
        CHECK_STR(out, names[i][1]);
    }
    static const struct {
        const char *s;
        bool ok;
        int k, n;
    } shards[] = {{"1/4", true, 1, 4},   {"4/4", true, 4, 4},  {"0/4", false, 0, 0},
                  {"5/4", false, 0, 0},  {"1/0", false, 0, 0}, {"a/b", false, 0, 0},
                  {"2/3x", false, 0, 0}, {"1/1", true, 1, 1}};
    for (size_t i = 0; i < sizeof shards / sizeof shards[0]; i++) {
        int k = 0, n = 0;
        bool ok = nr_parse_shard(shards[i].s, &k, &n);
        CHECK(ok == shards[i].ok && (!ok || (k == shards[i].k && n == shards[i].n)), "shard %s",
              shards[i].s);
    }
    /* every name lands in exactly one shard, and the split is not lopsided */
    int count[5] = {0};
    for (int i = 0; i < 500; i++) {
        char name[32];
        snprintf(name, sizeof name, "article-%d", i);
        int in = 0;
        for (int k = 1; k <= 5; k++)
            if (nr_in_shard(name, k, 5))
                in++, count[k - 1]++;
        CHECK(in == 1, "%s is in %d shards", name, in);
    }
    for (int k = 0; k < 5; k++)
        CHECK(count[k] > 60 && count[k] < 140, "shard %d has %d of 500", k + 1, count[k]);
}

/* Finds frame ID in an ID3v2.3 tag; returns its body and size. */
static const uint8_t *id3_frame(const uint8_t *tag, size_t len, const char *id, size_t *size) {
    if (len < 10 || memcmp(tag, "ID3\x03", 4))
        return NULL;
    size_t end = 10 + ((size_t)tag[6] << 21 | (size_t)tag[7] << 14 | (size_t)tag[8] << 7 | tag[9]);
    for (size_t at = 10; at + 10 <= end && at + 10 <= len && tag[at];) {
        size_t n = (size_t)tag[at + 4] << 24 | (size_t)tag[at + 5] << 16 |
                   (size_t)tag[at + 6] << 8 | tag[at + 7];
        if (!memcmp(tag + at, id, 4)) {
            *size = n;
            return tag + at + 10;
        }
        at += 10 + n;
    }
    return NULL;
}

/* A Latin-1 or UTF-16 text frame's value, as UTF-8 for ASCII text. */
static void frame_text(const uint8_t *f, size_t n, char *out, size_t size) {
    size_t k = 0;
    if (n && f[0] == 0)
        for (size_t i = 1; i < n && k + 1 < size; i++)
            out[k++] = (char)f[i];
    else if (n >= 3 && f[0] == 1)
        for (size_t i = 3; i + 1 < n && k + 1 < size; i += 2)
            out[k++] = f[i + 1] ? '?' : (char)f[i];
    out[k] = '\0';
}

static void test_id3(void) {
    nr_tags t = {.title = "Un été à Kiev",
                 .author = "AFP",
                 .date = "2022-01-19",
                 .lang = "fr",
                 .source = "https://example.org/a"};
    nr_chapter ch[] = {{0, 10, "Intro"}, {10, 20.5, "Ωmega"}};
    nr_buf b;
    nr_buf_init(&b);
    nr_id3_build(&b, &t, ch, 2);
    const uint8_t *tag = (const uint8_t *)b.data;
    size_t n;
    char text[64];
    const uint8_t *f = id3_frame(tag, b.len, "TIT2", &n);
    CHECK(f && f[0] == 0 && n == 1 + 13, "TIT2 in Latin-1, 13 characters");
    f = id3_frame(tag, b.len, "TPE1", &n);
    frame_text(f, f ? n : 0, text, sizeof text);
    CHECK_STR(text, "AFP");
    f = id3_frame(tag, b.len, "TYER", &n);
    frame_text(f, f ? n : 0, text, sizeof text);
    CHECK_STR(text, "2022");
    f = id3_frame(tag, b.len, "TDAT", &n);
    frame_text(f, f ? n : 0, text, sizeof text);
    CHECK_STR(text, "1901");
    f = id3_frame(tag, b.len, "CTOC", &n);
    CHECK(f && !memcmp(f, "toc\0\x03\x02", 6), "CTOC: top-level, ordered, two entries");
    f = id3_frame(tag, b.len, "CHAP", &n);
    CHECK(f && !memcmp(f, "chp0\0\0\0\0\0\0\0\x27\x10", 13), "first CHAP from 0 to 10000 ms");
    CHECK(f && memmem(f, n, "TIT2", 4), "CHAP has a TIT2 title");
    CHECK(id3_frame(tag, b.len, "WOAS", &n) != NULL, "a URL source is WOAS");
    nr_buf_free(&b);
}

/* A loud sine through the limiter stays under the ceiling. */
static void test_limiter(void) {
    enum { RATE = 22050, N = RATE * 3 };
    float *in = malloc(N * sizeof *in), *out = malloc((N + 1024) * sizeof *out);
    for (int i = 0; i < N; i++) /* 5 kHz: inter-sample peaks above the samples */
        in[i] = (float)(0.9 * sin(2 * M_PI * 5000.0 * i / RATE + 0.3));
    nr_limiter *l = nr_limiter_new(RATE, -1.5);
    size_t k = nr_limiter_process(l, in, N, 2.0f, out);
    k += nr_limiter_flush(l, out + k);
    CHECK(k == N, "as many samples out as in: %zu", k);
    nr_meter *m = nr_meter_new(RATE, true);
    nr_meter_add(m, out, k);
    double tp = nr_meter_peak_db(m);
    CHECK(tp <= -1.45 && tp > -3, "+5 dB sine limited to %.2f dBTP (ceiling -1.5)", tp);
    nr_meter_free(m);
    nr_limiter_free(l);
    free(in);
    free(out);
}

static void test_resampler(void) {
    static const int rates[][2] = {{22050, 44100}, {22050, 48000}, {22050, 22050}};
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    float in[1000] = {0};
    for (size_t r = 0; r < 3; r++) {
        nr_resampler *rs;
        CHECK(nr_resampler_new(&ctx, rates[r][0], rates[r][1], &rs) == NR_OK, "new");
        size_t total = 0, n;
        const float *out;
        for (int i = 0; i < 22; i++) { /* 22,000 samples */
            nr_resampler_process(rs, in, 1000, &out, &n);
            total += n;
        }
        nr_resampler_process(rs, NULL, 0, &out, &n);
        total += n;
        double want = 22000.0 * rates[r][1] / rates[r][0];
        CHECK(fabs((double)total - want) <= 1, "%d -> %d: %zu samples, want %.0f", rates[r][0],
              rates[r][1], total, want);
        nr_resampler_free(rs);
    }
    nr_ctx_fini(&ctx);
}

/* ---- exports of the French sample ---------------------------------------- */

/* Cue times "HH:MM:SS.mmm" in seconds. */
static double cue_time(const char *s) {
    int h, m, sec, ms;
    char sep;
    return sscanf(s, "%d:%d:%d%c%d", &h, &m, &sec, &sep, &ms) == 5
               ? h * 3600.0 + m * 60.0 + sec + ms / 1000.0
               : -1;
}

/* Does CUE (VTT-escaped, maybe with a <v> tag) equal a sentence of DOC? */
static bool is_sentence(nr_document *doc, const char *cue) {
    char plain[4096];
    size_t k = 0;
    if (!strncmp(cue, "<v ", 3) && strchr(cue, '>'))
        cue = strchr(cue, '>') + 1;
    for (const char *c = cue; *c && k + 1 < sizeof plain; c++) {
        if (!strncmp(c, "&amp;", 5))
            plain[k++] = '&', c += 4;
        else if (!strncmp(c, "&lt;", 4))
            plain[k++] = '<', c += 3;
        else if (!strncmp(c, "&gt;", 4))
            plain[k++] = '>', c += 3;
        else
            plain[k++] = *c;
    }
    plain[k] = '\0';
    for (size_t i = 0; i < nr_document_sentence_count(doc); i++) {
        size_t len;
        const char *s = nr_document_sentence(doc, i, &len);
        if (len != k)
            continue;
        bool same = true;
        for (size_t j = 0; j < len && same; j++)
            same = (s[j] == '\n' || s[j] == '\t' || s[j] == '\r' ? ' ' : s[j]) == plain[j];
        if (same)
            return true;
    }
    return false;
}

static void check_vtt(nr_document *doc, const char *path, double audio_end) {
    char *vtt = slurp(path, NULL);
    CHECK(vtt && !strncmp(vtt, "WEBVTT\n", 7), "%s starts with WEBVTT", path);
    if (!vtt)
        return;
    double last_end = 0, first = -1;
    int cues = 0, ordered = 1, sentences = 1;
    for (char *line = strtok(vtt, "\n"); line; line = strtok(NULL, "\n")) {
        char *arrow = strstr(line, " --> ");
        if (!arrow)
            continue;
        double a = cue_time(line), b = cue_time(arrow + 5);
        if (first < 0)
            first = a;
        if (a < last_end - 1e-9 || b <= a)
            ordered = 0;
        last_end = b;
        cues++;
        char *text = strtok(NULL, "\n");
        if (!text || !is_sentence(doc, text)) {
            if (sentences)
                fprintf(stderr, "not a sentence of the plan: %s\n", text ? text : "(none)");
            sentences = 0;
        }
    }
    CHECK(cues > 10, "%d cues", cues);
    CHECK(ordered, "cues in order, not overlapping");
    CHECK(sentences, "each cue is one sentence of the plan");
    CHECK(fabs(last_end - audio_end) <= 0.05, "last cue ends at %.3f s, audio at %.3f s", last_end,
          audio_end);
    free(vtt);
}

static void check_chapters(const char *path) {
    json_t *j = json_load_file(path, 0, NULL);
    CHECK(j && json_is_string(json_object_get(j, "version")), "%s has a version", path);
    json_t *ch = json_object_get(j, "chapters");
    CHECK(json_array_size(ch) >= 1, "at least one chapter");
    double prev = -1;
    int increasing = 1;
    for (size_t i = 0; i < json_array_size(ch); i++) {
        double t = json_number_value(json_object_get(json_array_get(ch, i), "startTime"));
        if (t <= prev)
            increasing = 0;
        prev = t;
    }
    CHECK(increasing, "startTime increases");
    json_decref(j);
}

static void check_words(const char *path) {
    json_t *j = json_load_file(path, 0, NULL);
    json_t *w = json_object_get(j, "words");
    CHECK(json_array_size(w) > 100, "%zu words timed", json_array_size(w));
    double prev = -1;
    int ok = 1;
    for (size_t i = 0; i < json_array_size(w); i++) {
        json_t *e = json_array_get(w, i);
        double a = json_number_value(json_object_get(e, "start"));
        double b = json_number_value(json_object_get(e, "end"));
        if (a < prev || b < a || !json_is_string(json_object_get(e, "text")))
            ok = 0;
        prev = a;
    }
    CHECK(ok, "words in order, each with its text and an end after its start");
    json_decref(j);
}

typedef struct stopper {
    nr_narrator *nr;
    double at;
} stopper;

static void stop_at(void *user, double f) {
    stopper *s = user;
    if (f >= s->at)
        nr_interrupt(s->nr);
}

static void test_exports(const char *dir) {
    nr_narrator *nr;
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    size_t len;
    const char *text = nr_sample_article(&len);
    nr_document *doc;
    CHECK(nr_document_from_memory(nr, text, len, "sample", &doc) == NR_OK, "sample: %s",
          nr_narrator_error(nr));
    /* the attribution names the speaker of the quotation; here by hand,
       as a later stage would */
    nr_doc *d = (nr_doc *)nr_document_doc(doc);
    for (size_t i = 1; i < d->speakers.len; i++)
        if (!NR_SPEAKER(d, i).name)
            NR_SPEAKER(d, i).name = "Antony Blinken";
    /* two paragraphs made headings, as an HTML or Markdown article has them:
       a chapter each, after the title's */
    const char *heading_titles[2] = {NULL, NULL};
    for (size_t b = 3, k = 0; b < d->blocks.len && k < 2; b += 4)
        if (NR_BLOCK(d, b).kind == NR_BLOCK_PARAGRAPH && NR_BLOCK(d, b).n_sents) {
            NR_BLOCK(d, b).kind = NR_BLOCK_HEADING;
            NR_BLOCK(d, b).level = 2;
            heading_titles[k++] = d->text + NR_BLOCK(d, b).start;
        }
    nr_set_export_option(nr, "author", "AFP");
    nr_set_export_option(nr, "date", "2022-01-19");
    static const struct {
        const char *file;
        double target;
    } cases[] = {{"ep.wav", -16}, {"ep.flac", -16}, {"ep.ogg", -16}, {"ep.opus", -16},
                 {"ep.mp3", -16}, {"q.flac", -23},  {"q.mp3", -19}};
    double mp3_encoded = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], lufs_s[16];
        snprintf(path, sizeof path, "%s/%s", dir, cases[i].file);
        snprintf(lufs_s, sizeof lufs_s, "%g", cases[i].target);
        nr_set_export_option(nr, "loudness", lufs_s);
        nr_export_result r;
        nr_status st = nr_export_document(nr, doc, path, &r);
        CHECK(st == NR_OK, "%s: %s", path, nr_narrator_error(nr));
        double lufs = 0, peak = 0;
        nr_ctx ctx;
        nr_ctx_init(&ctx);
        CHECK(nr_measure_file(&ctx, path, &lufs, &peak) == NR_OK, "%s reads back", path);
        nr_ctx_fini(&ctx);
        CHECK(fabs(lufs - cases[i].target) <= 0.5, "%s: %.2f LUFS, target %g", cases[i].file, lufs,
              cases[i].target);
        CHECK(peak <= -1.0, "%s: true peak %.2f dBTP", cases[i].file, peak);
        printf("%-8s %6.2f LUFS %6.2f dBTP %8.3f s %7llu bytes\n", cases[i].file, lufs, peak,
               r.seconds, (unsigned long long)r.bytes);
        if (!strcmp(cases[i].file, "ep.mp3"))
            mp3_encoded = r.seconds;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/ep.mp3", dir);
    double mp3_seconds = duration_of(path);
    /* the encoder's delay and padding are trimmed on reading (LAME's info
       frame, after our ID3 tag): the samples that went in come out */
    CHECK(fabs(mp3_seconds - mp3_encoded) < 0.001, "MP3 reads back as %.3f s, %.3f s went in",
          mp3_seconds, mp3_encoded);
    size_t mlen;
    uint8_t *mp3 = (uint8_t *)slurp(path, &mlen);
    size_t n;
    char text_v[256];
    const uint8_t *f = mp3 ? id3_frame(mp3, mlen, "TIT2", &n) : NULL;
    frame_text(f, f ? n : 0, text_v, sizeof text_v);
    CHECK(f && strstr(text_v, "Antony Blinken"),
          "MP3 starts with an ID3v2 tag whose TIT2 is the "
          "title: %s",
          text_v);
    f = mp3 ? id3_frame(mp3, mlen, "TPE1", &n) : NULL;
    frame_text(f, f ? n : 0, text_v, sizeof text_v);
    CHECK_STR(text_v, "AFP");
    f = mp3 ? id3_frame(mp3, mlen, "TYER", &n) : NULL;
    frame_text(f, f ? n : 0, text_v, sizeof text_v);
    CHECK_STR(text_v, "2022");
    CHECK(mp3 && id3_frame(mp3, mlen, "CHAP", &n), "MP3 has CHAP frames");
    free(mp3);

    snprintf(path, sizeof path, "%s/ep.vtt", dir);
    check_vtt(doc, path, mp3_seconds); /* ep.vtt is ep.mp3's: the last ep.* */
    char *vtt = slurp(path, NULL);
    CHECK(vtt && strstr(vtt, "<v Antony Blinken>"), "the speaker is the cue's voice");
    free(vtt);
    snprintf(path, sizeof path, "%s/ep.srt", dir);
    char *srt = slurp(path, NULL);
    CHECK(srt && !strncmp(srt, "1\n00:00:00,000 --> ", 19), "SRT numbered, comma in times");
    free(srt);
    snprintf(path, sizeof path, "%s/ep.chapters.json", dir);
    check_chapters(path);
    json_t *cj = json_load_file(path, 0, NULL);
    json_t *chs = json_object_get(cj, "chapters");
    /* the chapters are the title and headings of the plan, in order */
    size_t want = 0, k = 0;
    int same = 1;
    for (size_t b = 0; b < d->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(d, b);
        if ((blk->kind != NR_BLOCK_TITLE && blk->kind != NR_BLOCK_HEADING) || !blk->n_sents)
            continue;
        want++;
        const char *t = json_string_value(json_object_get(json_array_get(chs, k++), "title"));
        if (!t || strncmp(d->text + blk->start, t, strlen(t)))
            same = 0;
    }
    CHECK(want >= 3 && json_array_size(chs) == want,
          "a chapter per heading and the title: %zu, want %zu", json_array_size(chs), want);
    CHECK(same, "each chapter is titled by its heading");
    for (size_t i = 0; i < 2; i++) {
        int found = 0;
        for (size_t c = 0; c < json_array_size(chs); c++) {
            const char *t = json_string_value(json_object_get(json_array_get(chs, c), "title"));
            found |= t && heading_titles[i] && !strncmp(heading_titles[i], t, strlen(t));
        }
        CHECK(found, "the new heading %zu is a chapter", i);
    }
    json_decref(cj);
    snprintf(path, sizeof path, "%s/ep.words.json", dir);
    check_words(path);

    /* an interrupted export leaves nothing, not even a temporary file */
    empty_dir(dir);
    stopper s = {nr, 0.5};
    nr_set_progress(nr, stop_at, &s);
    snprintf(path, sizeof path, "%s/stopped.mp3", dir);
    nr_status st = nr_export_document(nr, doc, path, NULL);
    CHECK(st == NR_E_ABORTED, "stopped halfway: %s", nr_narrator_error(nr));
    CHECK(entries(dir) == 0, "nothing left after an interruption: %d files", entries(dir));
    nr_set_progress(nr, NULL, NULL);
    nr_narrator_free(nr); /* a fresh narrator: the stop flag stays set on the old one */
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    /* a rate Opus cannot take: an error, no file */
    nr_set_export_option(nr, "sample-rate", "44100");
    snprintf(path, sizeof path, "%s/bad.opus", dir);
    CHECK(nr_render_to_file(nr, doc, path) == NR_E_ARG, "Opus at 44.1 kHz refused: %s",
          nr_narrator_error(nr));
    CHECK(entries(dir) == 0, "nothing left after a refused export");
    /* bad option values */
    static const char *const bad[][2] = {
        {"loudness", "loud"}, {"loudness", "-100"}, {"true-peak", "1"},     {"sample-rate", "44.1"},
        {"bitrate", "1000"},  {"format", "aac"},    {"date", "19/01/2022"}, {"nonsense", "1"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(nr_set_export_option(nr, bad[i][0], bad[i][1]) == NR_E_ARG, "%s=%s refused",
              bad[i][0], bad[i][1]);
    nr_document_free(doc);
    nr_narrator_free(nr);
}

static void test_feed(const char *dir) {
    nr_episode eps[2] = {{.bytes = 1234567, .duration = 61.4}, {.bytes = 42, .duration = 3600.6}};
    snprintf(eps[0].name, sizeof eps[0].name, "a");
    snprintf(eps[0].audio, sizeof eps[0].audio, "a.mp3");
    snprintf(eps[0].type, sizeof eps[0].type, "audio/mpeg");
    snprintf(eps[0].title, sizeof eps[0].title, "Fish & \"chips\" <now>\x01");
    snprintf(eps[0].date, sizeof eps[0].date, "2022-01-19");
    eps[1] = eps[0];
    snprintf(eps[1].name, sizeof eps[1].name, "b");
    snprintf(eps[1].audio, sizeof eps[1].audio, "b.mp3");
    eps[1].bytes = 42;
    eps[1].duration = 3600.6;
    char path[512];
    snprintf(path, sizeof path, "%s/feed.xml", dir);
    FILE *f = fopen(path, "w");
    nr_feed_info info = {.title = "Show", .base_url = "https://x.org/pod", .self = "feed.xml"};
    nr_feed_write(f, &info, eps, 2);
    fclose(f);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    CHECK(system(cmd) == 0, "the feed is well-formed XML");
    char *xml = slurp(path, NULL);
    CHECK(xml && strstr(xml, "url=\"https://x.org/pod/a.mp3\" length=\"1234567\" "
                             "type=\"audio/mpeg\""),
          "enclosure with URL, exact length and type");
    CHECK(xml && strstr(xml, "<pubDate>Wed, 19 Jan 2022 00:00:00 +0000</pubDate>"),
          "RFC 822 pubDate");
    CHECK(xml && strstr(xml, "<itunes:duration>3601</itunes:duration>"), "duration in seconds");
    free(xml);
    unlink(path);
}

int main(void) {
    char dir[] = "/tmp/nr-test-exportXXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    test_formats();
    test_names_and_shards();
    test_id3();
    test_limiter();
    test_resampler();
    test_feed(dir);
    test_exports(dir);
    empty_dir(dir);
    rmdir(dir);
    return check_done("test_export");
}
