/* narrate: the command. Options in, public API calls, exit status out;
 * everything else lives in libnarrate. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export_opts.h"
#include "listen.h"
#include "narrate.h"

/* Exit statuses, documented in --help, README.md and narrate.1. */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,     /* the speech engine or the system failed */
    EXIT_USAGE = 2,    /* bad option or option value */
    EXIT_INPUT = 3,    /* the article cannot be read, or is not text */
    EXIT_OUTPUT = 4,   /* the output cannot be written */
    EXIT_DEVICE = 5,   /* no audio output device */
    EXIT_DATA = 6,     /* a voices, cast or lexicon file is malformed */
    EXIT_SIGNAL = 130, /* interrupted (SIGINT, SIGTERM) */
};

static const char usage_text[] =
    "Usage: narrate [OPTION]... [ARTICLE]\n"
    "Read an article aloud, or into an audio file.\n"
    "ARTICLE is a text, HTML or Markdown file; '-' or a pipe reads standard input.\n"
    "With no ARTICLE, narrate reads its built-in sample article.\n"
    "\n"
    "  -o, --output FILE     write the narration to FILE (.wav, .flac, .ogg, .opus, .mp3)\n"
    "      --plan            print the narration plan as JSON (narrate-plan/1)\n"
    "  -v, --voice NAME      eSpeak NG voice for the narrator, e.g. fr+m3\n"
    "  -l, --lang CODE       language of the article, e.g. fr, en-us (default: detected)\n"
    "  -s, --rate WPM        speaking rate in words per minute, 80..900 (default 175)\n"
    "  -p, --pitch N         narrator's pitch, 0..99 (default 50)\n"
    "      --voices DIR      use voice profiles and language tables from DIR first\n"
    "      --cast FILE       voices for named speakers (see docs/cast.md)\n"
    "      --keep-lang       never switch to another language's pronunciation\n"
    "      --emoji MODE      drop (default) or name emoji\n"
    "      --code MODE       skip (default: announced once) or read code blocks\n"
    "      --max-input BYTES largest input accepted (default 16777216 held whole;\n"
    "                        plain text, read in windows: 1073741824)\n"
    "  -j, --jobs N          synthesise with N processes and encode MP3 on N threads,\n"
    "                        1..64 (default: one per core)\n"
    "      --device NAME     play on the output device NAME\n"
    "      --list-devices    list audio output devices\n"
    "      --resume          continue where the last run on this article stopped\n"
    "      --from N          start at sentence N (1 is the first)\n"
    "      --from-text WORDS start at the first sentence holding WORDS\n"
    "      --no-display      do not show the sentences while playing\n"
    "      --plain           show them as plain lines, for screen readers\n"
    "      --list-voices     list eSpeak NG voices\n"
    "  -q, --quiet           do not play; print nothing but errors\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "While playing: space pause, right/left next/previous sentence, down/up\n"
    "next/previous paragraph, +/- faster/slower, r repeat, q quit, ? help.\n"
    "The place in each article is kept in $XDG_STATE_HOME/narrate.\n"
    "\n"
    "Exit status: 0 success, 1 engine or system failure, 2 bad option, 3 unreadable\n"
    "or empty input, 4 output not writable, 5 no audio device, 6 malformed voices\n"
    "data, 130 interrupted.\n";

static nr_narrator *narrator;
static volatile sig_atomic_t signalled;

static void on_signal(int sig) {
    if (signalled) { /* a second signal: leave now, without a partial file */
        nr_cleanup_on_signal();
        nr_cli_listen_restore_terminal();
        _exit(EXIT_SIGNAL);
    }
    signalled = sig;
    nr_interrupt(narrator);
}

static int exit_for(nr_status st, bool output_phase) {
    switch (st) {
    case NR_OK:
        return EXIT_OK;
    case NR_E_ARG:
    case NR_E_VOICE:
        return EXIT_USAGE;
    case NR_E_INPUT:
    case NR_E_TOO_LARGE:
        return EXIT_INPUT;
    case NR_E_IO:
        return output_phase ? EXIT_OUTPUT : EXIT_INPUT;
    case NR_E_FORMAT:
        return EXIT_OUTPUT;
    case NR_E_DEVICE:
        return EXIT_DEVICE;
    case NR_E_DATA:
        return EXIT_DATA;
    case NR_E_ABORTED:
        return EXIT_SIGNAL;
    default:
        return EXIT_FAIL;
    }
}

/* "narrate: NAME: message", one line. */
/* S on stderr with control characters as '?': a file name holding a
 * newline must not break the one-line message. */
static void put_clean(const char *s) {
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7F ? '?' : *s, stderr);
}

static int fail(const char *name, nr_status st, bool output_phase) {
    nr_warm_up_wait(); /* standard error is ours again */
    const char *detail = nr_narrator_error(narrator);
    if (!*detail)
        detail = nr_strerror(st);
    fputs("narrate: ", stderr);
    if (name) {
        put_clean(name);
        fputs(": ", stderr);
    }
    put_clean(detail);
    fputc('\n', stderr);
    return exit_for(st, output_phase);
}

static bool parse_int(const char *s, long lo, long hi, int *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

typedef struct options {
    const char *output, *voice, *lang, *voices, *cast, *device, *emoji, *code, *input;
    char **inputs; /* every ARTICLE given (a batch takes several) */
    int n_inputs;
    int rate, pitch;
    int jobs; /* 0 = default */
    size_t max_input;
    bool plan, quiet, list_voices, list_devices, keep_lang;
    nr_listen_opts listen; /* live playback: --resume, --from, --from-text, display */
} options;

enum {
    OPT_PLAN = 256,
    OPT_VOICES,
    OPT_CAST,
    OPT_DEVICE,
    OPT_LIST_DEVICES,
    OPT_LIST_VOICES,
    OPT_VERSION,
    OPT_KEEP_LANG,
    OPT_EMOJI,
    OPT_CODE,
    OPT_MAX_INPUT,
    OPT_RESUME,
    OPT_FROM,
    OPT_FROM_TEXT,
    OPT_NO_DISPLAY,
    OPT_PLAIN,
    OPT_JOBS = 'j'
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "narrate: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'narrate --help' for more information.\n");
    return EXIT_USAGE;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, options *o) {
    static const struct option longs[] = {{"output", required_argument, 0, 'o'},
                                          {"plan", no_argument, 0, OPT_PLAN},
                                          {"voice", required_argument, 0, 'v'},
                                          {"lang", required_argument, 0, 'l'},
                                          {"rate", required_argument, 0, 's'},
                                          {"pitch", required_argument, 0, 'p'},
                                          {"voices", required_argument, 0, OPT_VOICES},
                                          {"cast", required_argument, 0, OPT_CAST},
                                          {"device", required_argument, 0, OPT_DEVICE},
                                          {"list-devices", no_argument, 0, OPT_LIST_DEVICES},
                                          {"list-voices", no_argument, 0, OPT_LIST_VOICES},
                                          {"quiet", no_argument, 0, 'q'},
                                          {"help", no_argument, 0, 'h'},
                                          {"version", no_argument, 0, OPT_VERSION},
                                          {"keep-lang", no_argument, 0, OPT_KEEP_LANG},
                                          {"emoji", required_argument, 0, OPT_EMOJI},
                                          {"code", required_argument, 0, OPT_CODE},
                                          {"max-input", required_argument, 0, OPT_MAX_INPUT},
                                          {"jobs", required_argument, 0, OPT_JOBS},
                                          {"resume", no_argument, 0, OPT_RESUME},
                                          {"from", required_argument, 0, OPT_FROM},
                                          {"from-text", required_argument, 0, OPT_FROM_TEXT},
                                          {"no-display", no_argument, 0, OPT_NO_DISPLAY},
                                          {"plain", no_argument, 0, OPT_PLAIN},
                                          {0, 0, 0, 0}};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:v:l:s:p:qhj:", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (!*optarg) /* else the sidecar files were written as ".srt", ".vtt"... */
                return usage_error("-o: the file name is empty");
            o->output = optarg;
            break;
        case OPT_PLAN:
            o->plan = true;
            break;
        case 'v':
            o->voice = optarg;
            break;
        case 'l':
            o->lang = optarg;
            break;
        case 's':
            if (!parse_int(optarg, 80, 900, &o->rate))
                return usage_error("--rate: '%s' is not a rate in words per minute (80..900)",
                                   optarg);
            break;
        case 'p':
            if (!parse_int(optarg, 0, 99, &o->pitch))
                return usage_error("--pitch: '%s' is not a pitch (0..99)", optarg);
            break;
        case OPT_VOICES:
            o->voices = optarg;
            break;
        case OPT_CAST:
            o->cast = optarg;
            break;
        case OPT_DEVICE:
            o->device = optarg;
            break;
        case OPT_LIST_DEVICES:
            o->list_devices = true;
            break;
        case OPT_LIST_VOICES:
            o->list_voices = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(nr_cli_export_help, stdout);
            return EXIT_OK;
        case OPT_VERSION:
            printf("narrate %s\n", NR_VERSION);
            return EXIT_OK;
        case OPT_KEEP_LANG:
            o->keep_lang = true;
            break;
        case OPT_EMOJI:
            if (strcmp(optarg, "drop") && strcmp(optarg, "name"))
                return usage_error("--emoji: '%s' is not 'drop' or 'name'", optarg);
            o->emoji = optarg;
            break;
        case OPT_CODE:
            if (strcmp(optarg, "skip") && strcmp(optarg, "read"))
                return usage_error("--code: '%s' is not 'skip' or 'read'", optarg);
            o->code = optarg;
            break;
        case OPT_MAX_INPUT: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || v == 0 || optarg[0] == '-')
                return usage_error("--max-input: '%s' is not a number of bytes", optarg);
            o->max_input = (size_t)v;
            break;
        }
        case OPT_JOBS:
            if (!parse_int(optarg, 1, 64, &o->jobs))
                return usage_error("--jobs: '%s' is not a number of processes (1..64)", optarg);
            break;
        case OPT_RESUME:
            o->listen.resume = true;
            break;
        case OPT_FROM: {
            int n;
            if (!parse_int(optarg, 1, INT_MAX, &n))
                return usage_error("--from: '%s' is not a sentence number (1 is the first)",
                                   optarg);
            o->listen.from = n;
            break;
        }
        case OPT_FROM_TEXT:
            o->listen.from_text = optarg;
            break;
        case OPT_NO_DISPLAY:
            o->listen.no_display = true;
            break;
        case OPT_PLAIN:
            o->listen.plain = true;
            break;
        case ':':
            return usage_error("%s needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = argc - optind;
    if (optind + 1 < argc && !nr_cli_batch_wanted())
        return usage_error("one article at a time; got '%s' and '%s'", argv[optind],
                           argv[optind + 1]);
    o->input = optind < argc ? argv[optind] : NULL;
    return -1;
}

static nr_status apply_settings(nr_narrator *nr, const options *o) {
    nr_status st = NR_OK;
    if (o->voices && st == NR_OK)
        st = nr_set_voices_dir(nr, o->voices);
    if (o->lang && st == NR_OK)
        st = nr_set_lang(nr, o->lang);
    if (o->voice && st == NR_OK)
        st = nr_set_voice(nr, o->voice);
    if (o->rate && st == NR_OK)
        st = nr_set_rate(nr, o->rate);
    if (o->pitch >= 0 && st == NR_OK)
        st = nr_set_pitch(nr, o->pitch);
    if (o->cast && st == NR_OK)
        st = nr_set_cast_file(nr, o->cast);
    if (o->keep_lang && st == NR_OK)
        st = nr_set_option(nr, "keep-lang", "1");
    if (o->emoji && st == NR_OK)
        st = nr_set_option(nr, "emoji", o->emoji);
    if (o->code && st == NR_OK)
        st = nr_set_option(nr, "code", o->code);
    if (o->max_input && st == NR_OK)
        st = nr_set_max_input(nr, o->max_input);
    if (o->jobs && st == NR_OK)
        st = nr_set_jobs(nr, o->jobs);
    return st;
}

/* Standard input counts as the article when it is a pipe or a file. */
static bool stdin_is_piped(void) {
    struct stat st;
    return !isatty(0) && fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode));
}

static nr_status load(const options *o, nr_document **doc, const char **name) {
    if (o->input) {
        *name = o->input;
        return nr_document_from_file(narrator, o->input, doc);
    }
    if (stdin_is_piped()) {
        *name = "stdin";
        nr_status st = nr_document_from_file(narrator, "-", doc);
        /* an empty pipe with no article named: the user gets the sample */
        if (st != NR_E_INPUT || strcmp(nr_narrator_error(narrator), "the input is empty"))
            return st;
    }
    *name = "sample";
    size_t len;
    const char *text = nr_sample_article(&len);
    return nr_document_from_memory(narrator, text, len, "sample", doc);
}

static void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

static const options *the_options;

/* Another narrator with the same settings, for work beside the first. */
static nr_narrator *new_configured_narrator(void) {
    nr_narrator *nr = NULL;
    if (nr_narrator_new(&nr) != NR_OK)
        return NULL;
    if (apply_settings(nr, the_options) != NR_OK) {
        nr_narrator_free(nr);
        return NULL;
    }
    return nr;
}

/* Live playback: src/cli/listen.c. */
static int listen_live(const options *o) {
    nr_listen_opts lo = o->listen;
    lo.input = o->input;
    lo.device = o->device;
    the_options = o;
    nr_listen_result r = nr_cli_listen(narrator, new_configured_narrator, &lo, &signalled);
    if (r.status == NR_OK || r.reported)
        return exit_for(r.status, r.output_phase);
    return fail(r.name, r.status, r.output_phase);
}

static int run(const options *o) {
    nr_status st = apply_settings(narrator, o);
    if (st == NR_OK)
        st = nr_cli_export_apply(narrator, o->quiet);
    if (st != NR_OK)
        return fail(NULL, st, false);
    if (nr_cli_batch_wanted())
        return (st = nr_cli_batch_run(narrator, o->inputs, o->n_inputs, o->quiet))
                   ? fail(NULL, st, true)
                   : EXIT_OK;
    if (o->list_voices)
        return (st = nr_list_voices(narrator, stdout)) ? fail(NULL, st, true) : EXIT_OK;
    if (o->list_devices)
        return (st = nr_list_devices(narrator, stdout)) ? fail(NULL, st, true) : EXIT_OK;
    if (!o->plan && !o->output && !o->quiet)
        return listen_live(o);
    if ((o->plan || o->output) && (o->input || stdin_is_piped())) {
        /* plain text is read and said window by window */
        const char *in = o->input ? o->input : "-";
        int writing = 0;
        st = o->plan ? nr_plan_file(narrator, in, stdout, &writing)
                     : nr_export_file(narrator, in, o->output, &writing);
        if (st == NR_OK)
            return EXIT_OK;
        /* an empty pipe with no article named: the user gets the sample (load) */
        if (o->input || st != NR_E_INPUT ||
            strcmp(nr_narrator_error(narrator), "the input is empty"))
            return writing ? fail(o->plan ? "standard output" : NULL, st, true)
                           : fail(o->input ? o->input : "stdin", st, false);
    }
    nr_document *doc = NULL;
    const char *name = NULL;
    st = load(o, &doc, &name);
    if (st != NR_OK)
        return fail(name, st, false);
    int code = EXIT_OK;
    if (o->plan) {
        st = nr_document_write_plan(doc, stdout);
        if (st != NR_OK)
            code = fail("standard output", st, true);
    } else if (o->output) {
        st = nr_render_to_file(narrator, doc, o->output);
        if (st != NR_OK)
            code = fail(NULL, st, true);
    }
    nr_document_free(doc);
    return code;
}

/* Whether the command plays the article (run's last choice). */
static bool plays(const options *o) {
    return !o->plan && !o->output && !o->quiet && !o->list_voices && !o->list_devices &&
           !nr_cli_batch_wanted();
}

/* The text pipeline frees a window's memory (about 10 times its size) before
 * it analyses the next one; glibc's defaults give most of it back to the
 * kernel each time, and every window then pays page faults for fresh pages.
 * For --plan, which is all text pipeline, the command keeps freed memory for
 * reuse (the peak stays that of two windows; docs/speed.md); an export's
 * peak is the synthesis's, which this would raise. The library never
 * changes these process-wide settings for its embedders: only the command
 * does. */
static void keep_freed_memory(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's largest: blocks of a window stay on the heap */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int main(int argc, char **argv) {
    options o = {.pitch = -1};
    int code = nr_cli_export_parse(&argc, argv);
    if (code < 0)
        code = parse_options(argc, argv, &o);
    if (code >= 0)
        return code;
    if (o.plan)
        keep_freed_memory();
    if (plays(&o)) /* the engine and the device start first: the first audio needs both */
        nr_warm_up(o.device);
    if (nr_narrator_new(&narrator) != NR_OK) {
        nr_warm_up_wait();
        fprintf(stderr, "narrate: out of memory\n");
        return EXIT_FAIL;
    }
    install_signals();
    code = run(&o);
    nr_warm_up_wait(); /* a device still being opened is left whole, not half-made */
    nr_narrator_free(narrator);
    if (signalled)
        code = EXIT_SIGNAL;
    return code;
}
