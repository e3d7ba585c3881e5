/* export_opts.c: export, podcast and batch options, progress bar. */
#include "export_opts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char nr_cli_export_help[] =
    "\n"
    "Export (podcast-ready files; see docs/export.md):\n"
    "      --format F        wav, flac, vorbis, opus or mp3 (default: from -o's extension)\n"
    "      --sample-rate HZ  output rate (default 44100 for MP3 and Vorbis, 48000 for\n"
    "                        Opus, 22050 for WAV and FLAC)\n"
    "      --bitrate KBPS    MP3 (constant bitrate, default 64) and Opus (default 48)\n"
    "      --quality Q       0..10: Vorbis (default 4), MP3 with variable bitrate\n"
    "      --loudness LUFS   integrated loudness target (default -16), or 'off'\n"
    "      --true-peak DBTP  true peak ceiling (default -1)\n"
    "      --title, --author, --show, --date YYYY-MM-DD, --source URL   metadata\n"
    "      --no-transcripts  no .vtt, .srt and .words.json beside the audio\n"
    "      --no-chapters     no .chapters.json and .chapters.vtt beside the audio\n"
    "\n"
    "Batch (several ARTICLEs or folders, one episode each):\n"
    "      --out-dir DIR     write the episodes into DIR (default format mp3)\n"
    "  -j, --jobs N          export N articles at a time, each in its own process\n"
    "      --shard K/N       make only this machine's share, K of N (1 <= K <= N)\n"
    "      --force           remake episodes that are up to date\n"
    "      --feed FILE       write an RSS 2.0 podcast feed of every episode in DIR\n"
    "      --base-url URL    where DIR is published (for the feed's links)\n"
    "      --feed-title, --feed-description, --feed-author, --feed-image URL,\n"
    "      --feed-category, --feed-link   the feed's channel\n";

/* An option and where it goes: the narrator's export settings, the
 * batch's, or a flag. */
typedef enum { TO_EXPORT, TO_BATCH, TO_OUT_DIR, FLAG_EXPORT_OFF, FLAG_FORCE } target;

typedef struct opt {
    const char *name;
    target to;
    const char *key; /* the setting's name */
} opt;

static const opt opts[] = {
    {"format", TO_EXPORT, "format"},
    {"sample-rate", TO_EXPORT, "sample-rate"},
    {"bitrate", TO_EXPORT, "bitrate"},
    {"quality", TO_EXPORT, "quality"},
    {"loudness", TO_EXPORT, "loudness"},
    {"true-peak", TO_EXPORT, "true-peak"},
    {"title", TO_EXPORT, "title"},
    {"author", TO_EXPORT, "author"},
    {"show", TO_EXPORT, "show"},
    {"date", TO_EXPORT, "date"},
    {"source", TO_EXPORT, "source"},
    {"no-transcripts", FLAG_EXPORT_OFF, "transcripts"},
    {"no-chapters", FLAG_EXPORT_OFF, "chapters"},
    {"out-dir", TO_OUT_DIR, NULL},
    {"shard", TO_BATCH, "shard"},
    {"force", FLAG_FORCE, "force"},
    {"feed", TO_BATCH, "feed"},
    {"base-url", TO_BATCH, "base-url"},
    {"feed-title", TO_BATCH, "feed-title"},
    {"feed-description", TO_BATCH, "feed-description"},
    {"feed-author", TO_BATCH, "feed-author"},
    {"feed-image", TO_BATCH, "feed-image"},
    {"feed-category", TO_BATCH, "feed-category"},
    {"feed-link", TO_BATCH, "feed-link"},
};
enum { N_OPTS = sizeof opts / sizeof opts[0], MAX_SETTINGS = 64 };

typedef struct setting {
    const opt *o;
    const char *value;
} setting;

static setting settings[MAX_SETTINGS];
static int n_settings;
static const char *out_dir;
static bool batch_wanted;

static const opt *find(const char *arg, const char **value) {
    *value = NULL;
    if (strncmp(arg, "--", 2))
        return NULL;
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (int i = 0; i < N_OPTS; i++)
        if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len)) {
            *value = eq ? eq + 1 : NULL;
            return &opts[i];
        }
    return NULL;
}

static bool takes_value(const opt *o) {
    return o->to == TO_EXPORT || o->to == TO_BATCH || o->to == TO_OUT_DIR;
}

int nr_cli_export_parse(int *argc, char **argv) {
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *value;
        const opt *o = !strcmp(argv[i], "--") ? NULL : find(argv[i], &value);
        if (!strcmp(argv[i], "--")) { /* the rest is not options */
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!o) {
            argv[out++] = argv[i];
            continue;
        }
        if (takes_value(o) && !value) {
            if (i + 1 >= *argc) {
                fprintf(stderr,
                        "narrate: --%s needs a value\n"
                        "Try 'narrate --help' for more information.\n",
                        o->name);
                return 2;
            }
            value = argv[++i];
        } else if (!takes_value(o) && value) {
            fprintf(stderr,
                    "narrate: --%s takes no value\n"
                    "Try 'narrate --help' for more information.\n",
                    o->name);
            return 2;
        }
        if (o->to == TO_OUT_DIR)
            out_dir = value;
        else if (n_settings < MAX_SETTINGS)
            settings[n_settings++] = (setting){o, value};
        if (o->to == TO_OUT_DIR || !strcmp(o->name, "feed"))
            batch_wanted = true;
    }
    argv[out] = NULL;
    *argc = out;
    return -1;
}

bool nr_cli_batch_wanted(void) { return batch_wanted; }

/* ---- progress ------------------------------------------------------------ */

typedef struct bar {
    struct timespec start;
    bool drawn;
} bar;

static double since(const struct timespec *t) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* "[#########...........]  45%  0:12 left", redrawn in place. */
static void draw(void *user, double f) {
    bar *b = user;
    if (f >= 1.0) {
        if (b->drawn)
            fputs("\r\033[K", stderr);
        b->drawn = false;
        return;
    }
    double el = since(&b->start);
    char left[32] = "";
    if (f > 0.02 && el > 1.0) {
        long s = (long)(el * (1 - f) / f + 0.5);
        snprintf(left, sizeof left, "  %ld:%02ld left", s / 60, s % 60);
    }
    char cells[31];
    int n = (int)(f * 30);
    for (int i = 0; i < 30; i++)
        cells[i] = i < n ? '#' : '.';
    cells[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%%%s\033[K", cells, (int)(f * 100), left);
    fflush(stderr);
    b->drawn = true;
}

static bar the_bar;

/* --jobs N: for a batch, articles at a time; for one article, the
 * synthesis worker processes (nr_set_jobs). */
static nr_status set_synthesis_jobs(nr_narrator *nr, const char *v) {
    char *end;
    long n = strtol(v, &end, 10);
    bool ok = end != v && !*end && n >= 1 && n <= 64;
    return nr_set_jobs(nr, ok ? (int)n : -1); /* -1: refused, with the message */
}

nr_status nr_cli_export_apply(nr_narrator *nr, bool quiet) {
    for (int i = 0; i < n_settings; i++) {
        const setting *s = &settings[i];
        nr_status st = NR_OK;
        if (s->o->to == TO_EXPORT)
            st = nr_set_export_option(nr, s->o->key, s->value);
        else if (s->o->to == TO_BATCH && !strcmp(s->o->key, "jobs"))
            st = set_synthesis_jobs(nr, s->value); /* one article: its synthesis workers */
        else if (s->o->to == FLAG_EXPORT_OFF)
            st = nr_set_export_option(nr, s->o->key, "0");
        if (st != NR_OK)
            return st;
    }
    if (!quiet && isatty(2)) {
        clock_gettime(CLOCK_MONOTONIC, &the_bar.start);
        nr_set_progress(nr, draw, &the_bar);
    }
    return NR_OK;
}

/* ---- batch --------------------------------------------------------------- */

static void on_article(void *user, const char *input, const char *output, nr_batch_outcome oc,
                       nr_status st, const char *detail, size_t done, size_t total) {
    bool tty = *(bool *)user;
    if (oc == NR_BATCH_FAILED) {
        if (tty)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "narrate: %s: %s\n", input, *detail ? detail : nr_strerror(st));
    } else if (tty) {
        fprintf(stderr, "\r\033[K[%zu/%zu] %s %s", done, total, output,
                oc == NR_BATCH_SKIPPED ? "(up to date)" : "");
    }
    if (tty && done == total)
        fputc('\n', stderr);
}

nr_status nr_cli_batch_run(nr_narrator *nr, char **inputs, int n, bool quiet) {
    nr_batch *b = NULL;
    nr_status st = nr_batch_new(nr, out_dir ? out_dir : ".", &b);
    /* --jobs (main.c) is the narrator's: in a batch, articles at a time */
    for (int i = 0; i < n_settings && st == NR_OK; i++) {
        const setting *s = &settings[i];
        if (s->o->to == TO_BATCH)
            st = nr_batch_set(b, s->o->key, s->value);
        else if (s->o->to == FLAG_FORCE)
            st = nr_batch_set(b, "force", "1");
    }
    for (int i = 0; i < n && st == NR_OK; i++)
        st = nr_batch_add(b, inputs[i]);
    bool tty = !quiet && isatty(2);
    if (st == NR_OK)
        st = nr_batch_run(b, on_article, &tty);
    nr_batch_free(b);
    return st;
}
