#include "engine.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/forkgate.h"
#include "../util/utf8.h"

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static int engine_state; /* 0 not started, 1 running, -1 failed */
static char engine_error[256];
static int engine_rate = 22050;
/* The voice eSpeak has loaded: selecting a voice reloads its language's
 * dictionary, so a run in the same voice as the last one skips that. */
static char loaded_voice[64];

/* The URI callback answers "not available" for every <audio src>, so eSpeak
 * never opens a file or runs a program because of text (ESPEAK_NOTES 2.6). */
static int refuse_uri(int type, const char *uri, const char *base) {
    (void)type, (void)uri, (void)base;
    return 1;
}

typedef struct speak_job {
    nr_engine_pcm_fn fn;
    void *user;
    const size_t *cp_to_byte; /* code point index -> byte offset */
    size_t n_cp;
    uint64_t delivered;
    nr_vec words;
    int stopped;
} speak_job;

static int synth_cb(short *wav, int n, espeak_EVENT *ev) {
    speak_job *job = ev ? ev->user_data : NULL;
    if (!job)
        return 0;
    job->words.len = 0;
    for (; ev && ev->type != espeakEVENT_LIST_TERMINATED; ev++) {
        if (ev->type != espeakEVENT_WORD || ev->text_position <= 0 || ev->length <= 0)
            continue;
        size_t cp = (size_t)ev->text_position - 1, cpe = cp + (size_t)ev->length;
        if (cp >= job->n_cp)
            continue;
        if (cpe > job->n_cp)
            cpe = job->n_cp;
        nr_engine_word *w = nr_vec_push(&job->words);
        if (!w)
            break;
        uint64_t s = ev->sample > 0 ? (uint64_t)ev->sample : 0;
        uint64_t limit = job->delivered + (uint64_t)(n > 0 ? n : 0);
        w->sample = s > limit ? limit : s; /* sonic overshoots (2.2) */
        w->start = job->cp_to_byte[cp];
        w->end = job->cp_to_byte[cpe];
    }
    if (!wav)
        return 0;
    if (n <= 0 && job->words.len == 0)
        return 0;
    int stop = job->fn(job->user, wav, n > 0 ? (size_t)n : 0, job->words.data, job->words.len);
    job->delivered += (uint64_t)(n > 0 ? n : 0);
    if (stop)
        job->stopped = 1;
    return stop ? 1 : 0;
}

nr_status nr_engine_start(nr_ctx *ctx) {
    pthread_mutex_lock(&engine_lock);
    if (engine_state == 0) {
        engine_state = -1;
        espeak_ng_InitializePath(NULL);
        espeak_ng_ERROR_CONTEXT ectx = NULL;
        espeak_ng_STATUS st = espeak_ng_Initialize(&ectx);
        if (st == ENS_OK)
            st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 100, NULL);
        if (st == ENS_OK) {
            espeak_SetSynthCallback(synth_cb);
            espeak_SetUriCallback(refuse_uri);
            engine_rate = espeak_ng_GetSampleRate();
            engine_state = 1;
        } else {
            char msg[200];
            espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
            snprintf(engine_error, sizeof engine_error, "eSpeak NG did not start: %s", msg);
            espeak_ng_ClearErrorContext(&ectx);
        }
    }
    int state = engine_state;
    pthread_mutex_unlock(&engine_lock);
    if (state != 1)
        return nr_fail(ctx, NR_E_ENGINE, "%s", engine_error);
    return NR_OK;
}

int nr_engine_sample_rate(void) { return engine_rate; }

int nr_engine_fork(void) {
    /* A child must never write what the parent's stdio buffers hold (a
       transcript's first lines): anything that flushes them at its exit,
       such as valgrind's libc clean-up on _exit, would write them twice. */
    fflush(NULL);
    nr_forkgate_close();
    pthread_mutex_lock(&engine_lock);
    pid_t pid = fork();
    if (pid == 0) { /* only this thread exists here: the lock is ours to reset */
        pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
        engine_lock = fresh;
        nr_forkgate_open(true);
        return 0;
    }
    int e = errno;
    pthread_mutex_unlock(&engine_lock);
    nr_forkgate_open(false);
    errno = e;
    return (int)pid;
}

/* Validated voice names, so each is checked against eSpeak's lists once. */
typedef struct known_voice {
    struct known_voice *next;
    char name[64];
    bool ok;
} known_voice;
static known_voice *known_voices;

/* The names eSpeak accepts, read once per process: each espeak_ListVoices
 * call rescans every voice file, which made checking a cast's voices cost
 * as much as the first sentence. NAMES[1] holds the variants, NAMES[0] the
 * voices (file names, identifiers and language codes), each as
 * "\nname\n...". */
static nr_buf voice_names[2];
static bool voice_names_read[2];

static void read_names(bool variant) {
    nr_buf *b = &voice_names[variant];
    nr_buf_init(b);
    nr_buf_addc(b, '\n');
    espeak_VOICE spec = {0};
    spec.languages = "variant";
    const espeak_VOICE **list = espeak_ListVoices(variant ? &spec : NULL);
    for (size_t i = 0; list && list[i]; i++) {
        const char *id = list[i]->identifier; /* "roa/fr", "!v/m3" */
        if (!id || !strncmp(id, "mb/", 3))
            continue;
        const char *slash = strrchr(id, '/');
        nr_buf_printf(b, "%s\n%s\n", slash ? slash + 1 : id, id);
        for (const char *langs = variant ? NULL : list[i]->languages; langs && *langs;) {
            langs++; /* priority byte; then language codes such as "en-us" */
            nr_buf_printf(b, "%s\n", langs);
            langs += strlen(langs) + 1;
        }
    }
    voice_names_read[variant] = nr_buf_ok(b);
}

/* eSpeak NG selects a voice named by its language ("fr", "en+m3") from the
 * list of every voice, which it builds by reading all of its ~130 voice files
 * (5 ms, before the first audio, and again in the zygote's copy when the
 * list was never built); a voice named by its file ("roa/fr") is loaded at
 * once. Its list would pick, for such a name, the voice file under lang/
 * called NAME (case aside): so the names are turned into those files.
 * LANG_FILES holds "\nfamily/file\n" for every voice file one folder down
 * lang/, read once. */
static nr_buf lang_files;
static bool lang_files_read;

static void read_lang_files(void) {
    lang_files_read = true;
    nr_buf_init(&lang_files);
    nr_buf_addc(&lang_files, '\n');
    const char *data = NULL;
    espeak_Info(&data);
    char path[1024];
    snprintf(path, sizeof path, "%s/lang", data ? data : "");
    DIR *top = data ? opendir(path) : NULL;
    for (struct dirent *f; top && (f = readdir(top));) {
        if (f->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/lang/%s", data, f->d_name);
        DIR *family = opendir(path); /* NULL for a voice file at the top */
        for (struct dirent *v; family && (v = readdir(family));)
            if (v->d_name[0] != '.')
                nr_buf_printf(&lang_files, "%s/%s\n", f->d_name, v->d_name);
        if (family)
            closedir(family);
    }
    if (top)
        closedir(top);
}

/* The voice file under lang/ that eSpeak's list would pick for NAME ("fr+m3"
 * gives "roa/fr") into FILE; false when there is no such file, or several
 * (the list decides then). */
static bool lang_file(const char *name, char *file, size_t size) {
    size_t base = strcspn(name, "+");
    if (base == 0 || base > 40 || memchr(name, '/', base))
        return false;
    if (!lang_files_read)
        read_lang_files();
    const char *hit = NULL, *list = lang_files.data ? lang_files.data : "";
    for (const char *at = strchr(list, '\n'); at && at[1]; at = strchr(at + 1, '\n')) {
        const char *line = at + 1, *end = strchr(line, '\n'),
                   *slash = memchr(line, '/', (size_t)(end - line));
        if (!slash || (size_t)(end - slash - 1) != base || strncasecmp(slash + 1, name, base))
            continue;
        if (hit)
            return false;
        hit = line;
    }
    size_t len = hit ? (size_t)(strchr(hit, '\n') - hit) : 0;
    if (!hit || len >= size)
        return false;
    snprintf(file, size, "%.*s", (int)len, hit);
    return true;
}

/* Loads the voice file FILE (under lang/) with VARIANT ("+m3" or ""). eSpeak
 * lower-cases a voice's name before it looks for the file, so a file with
 * capitals ("gmw/en-US") is loaded through a path that has none: that of a
 * descriptor open on it (/proc/self/fd/N). */
static espeak_ng_STATUS set_voice_file(const char *file, const char *variant) {
    char path[128];
    bool upper = false;
    for (const char *c = file; *c; c++)
        upper = upper || isupper((unsigned char)*c);
    if (!upper) {
        snprintf(path, sizeof path, "%s%s", file, variant);
        return espeak_ng_SetVoiceByName(path);
    }
    const char *data = NULL;
    espeak_Info(&data);
    char full[1024];
    snprintf(full, sizeof full, "%s/lang/%s", data ? data : "", file);
    int fd = data ? open(full, O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0)
        return ENS_VOICE_NOT_FOUND;
    snprintf(path, sizeof path, "/proc/self/fd/%d%s", fd, variant);
    espeak_ng_STATUS st = espeak_ng_SetVoiceByFile(path); /* not found without /proc */
    close(fd);
    return st;
}

/* espeak_ng_SetVoiceByName through the voice's file where there is one.
 * A language code that is no voice's name ("zh", which Mandarin and
 * Cantonese both list) is chosen as eSpeak's own command line chooses it,
 * by properties; its variant ("zh+f2") then goes on the chosen voice. */
static espeak_ng_STATUS set_voice(const char *name) {
    char file[128];
    size_t base = strcspn(name, "+");
    if (lang_file(name, file, sizeof file) && set_voice_file(file, name + base) == ENS_OK)
        return ENS_OK;
    espeak_ng_STATUS es = espeak_ng_SetVoiceByName(name);
    if (es == ENS_OK || base == 0 || base >= 40 || memchr(name, '/', base))
        return es;
    char lang[40];
    snprintf(lang, sizeof lang, "%.*s", (int)base, name);
    espeak_VOICE spec = {.languages = lang};
    if (espeak_ng_SetVoiceByProperties(&spec) != ENS_OK)
        return es;
    espeak_VOICE *v = espeak_GetCurrentVoice();
    if (!v || !v->identifier || !name[base])
        return v && v->identifier ? ENS_OK : es;
    snprintf(file, sizeof file, "%s%s", v->identifier, name + base);
    return espeak_ng_SetVoiceByName(file);
}

void nr_engine_preload_voices(void) {
    pthread_mutex_lock(&engine_lock);
    if (engine_state == 1 && !lang_files_read)
        read_lang_files();
    pthread_mutex_unlock(&engine_lock);
}

/* The voice the analysis will ask for first: see engine.h. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t named;
    bool open; /* between nr_engine_expect_begin and the voice or the end */
    char voice[64];
} expected = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, ""};

void nr_engine_expect_begin(void) {
    pthread_mutex_lock(&expected.lock);
    expected.open = true;
    expected.voice[0] = '\0';
    pthread_mutex_unlock(&expected.lock);
}

void nr_engine_expect(const char *voice) {
    pthread_mutex_lock(&expected.lock);
    if (expected.open) {
        snprintf(expected.voice, sizeof expected.voice, "%s", voice ? voice : "");
        expected.open = false;
        pthread_cond_broadcast(&expected.named);
    }
    pthread_mutex_unlock(&expected.lock);
}

static bool voice_ok_locked(const char *name);

void nr_engine_load_expected(void) {
    pthread_mutex_lock(&expected.lock);
    while (expected.open)
        pthread_cond_wait(&expected.named, &expected.lock);
    char voice[64];
    snprintf(voice, sizeof voice, "%s", expected.voice);
    expected.voice[0] = '\0';
    pthread_mutex_unlock(&expected.lock);
    if (!voice[0])
        return;
    pthread_mutex_lock(&engine_lock);
    /* only ahead of the analysis: a voice it loaded already stays */
    if (engine_state == 1 && !loaded_voice[0])
        voice_ok_locked(voice);
    pthread_mutex_unlock(&engine_lock);
}

/* The quick answers, which spare the scan of every voice file in the
 * common case: a variant is a file of voices/!v/ under eSpeak's data
 * folder, a base voice is one eSpeak selects. Only a miss (a differently
 * cased name, an unknown one) falls back to the full lists. */
static bool quickly_found(const char *name, bool variant) {
    if (!variant) {
        bool ok = set_voice(name) == ENS_OK;
        /* eSpeak's voice is NAME now, as select_voice_locked leaves it: a
           selection of NAME next (the narrator's, after the cast's check)
           need not load it again */
        snprintf(loaded_voice, sizeof loaded_voice, "%s", ok ? name : "");
        return ok;
    }
    const char *data = NULL;
    espeak_Info(&data);
    if (!data || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return false;
    char path[1024];
    snprintf(path, sizeof path, "%s/voices/!v/%s", data, name);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool listed(const char *name, bool variant) {
    if (name[0] && quickly_found(name, variant))
        return true;
    if (!voice_names_read[variant])
        read_names(variant);
    if (!name[0] || strchr(name, '\n') || !voice_names[variant].data)
        return false;
    char key[80];
    snprintf(key, sizeof key, "\n%s\n", name);
    return strcasestr(voice_names[variant].data, key) != NULL;
}

static bool voice_ok_locked(const char *name) {
    for (known_voice *k = known_voices; k; k = k->next)
        if (!strcmp(k->name, name))
            return k->ok;
    char base[64];
    snprintf(base, sizeof base, "%s", name);
    char *plus = strchr(base, '+');
    if (plus)
        *plus++ = '\0';
    /* a base voice is checked (and loaded) once, not again for each variant */
    bool ok = base[0] && (plus ? voice_ok_locked(base) : listed(base, false)) &&
              (!plus || listed(plus, true));
    known_voice *k = calloc(1, sizeof *k);
    if (k) {
        snprintf(k->name, sizeof k->name, "%s", name);
        k->ok = ok;
        k->next = known_voices;
        known_voices = k;
    }
    return ok;
}

bool nr_engine_voice_ok(nr_ctx *ctx, const char *name) {
    if (nr_engine_start(ctx) != NR_OK)
        return false;
    pthread_mutex_lock(&engine_lock);
    bool ok = voice_ok_locked(name);
    pthread_mutex_unlock(&engine_lock);
    return ok;
}

nr_status nr_engine_list_voices(nr_ctx *ctx, FILE *out) {
    nr_status st = nr_engine_start(ctx);
    if (st != NR_OK)
        return st;
    pthread_mutex_lock(&engine_lock);
    const espeak_VOICE **list = espeak_ListVoices(NULL);
    for (size_t i = 0; list && list[i]; i++) {
        const char *id = list[i]->identifier;
        if (!id || !strncmp(id, "mb/", 3))
            continue;
        fprintf(out, "%s\t%s\n", list[i]->languages + 1, list[i]->name);
    }
    pthread_mutex_unlock(&engine_lock);
    return ferror(out) ? NR_E_IO : NR_OK;
}

static espeak_ng_STATUS select_voice_locked(const char *name) {
    if (!strcmp(loaded_voice, name))
        return ENS_OK;
    espeak_ng_STATUS es = set_voice(name);
    snprintf(loaded_voice, sizeof loaded_voice, "%s", es == ENS_OK ? name : "");
    return es;
}

nr_status nr_engine_prepare(nr_ctx *ctx, const char *voice, bool load) {
    nr_status st = nr_engine_start(ctx);
    if (st != NR_OK)
        return st;
    pthread_mutex_lock(&engine_lock);
    bool ok = voice_ok_locked(voice);
    if (ok && load)
        select_voice_locked(voice);
    pthread_mutex_unlock(&engine_lock);
    if (!ok)
        return nr_fail(ctx, NR_E_VOICE, "no such eSpeak NG voice: %s (see --list-voices)", voice);
    return NR_OK;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

nr_status nr_engine_speak(nr_ctx *ctx, const nr_voice *v, float rate_factor, const char *text,
                          nr_engine_pcm_fn fn, void *user) {
    nr_status st = nr_engine_start(ctx);
    if (st != NR_OK)
        return st;
    size_t len = strlen(text), n_cp = 0;
    size_t *cp_to_byte = malloc((len + 2) * sizeof *cp_to_byte);
    if (!cp_to_byte)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            cp_to_byte[n_cp++] = i;
    cp_to_byte[n_cp] = len;

    speak_job job = {.fn = fn, .user = user, .cp_to_byte = cp_to_byte, .n_cp = n_cp};
    nr_vec_init(&job.words, sizeof(nr_engine_word));
    pthread_mutex_lock(&engine_lock);
    if (!voice_ok_locked(v->espeak)) {
        pthread_mutex_unlock(&engine_lock);
        free(cp_to_byte);
        return nr_fail(ctx, NR_E_VOICE, "no such eSpeak NG voice: %s (see --list-voices)",
                       v->espeak);
    }
    espeak_ng_STATUS es = select_voice_locked(v->espeak);
    if (es == ENS_OK) {
        int rate = (int)((float)v->rate * rate_factor + 0.5f);
        espeak_ng_SetParameter(espeakRATE, clamp(rate, 80, 900), 0);
        espeak_ng_SetParameter(espeakPITCH, clamp(v->pitch, 0, 99), 0);
        espeak_ng_SetParameter(espeakRANGE, clamp(v->range, 0, 99), 0);
        espeak_ng_SetParameter(espeakVOLUME, clamp(v->volume, 0, 200), 0);
        es = espeak_ng_Synthesize(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &job);
    }
    pthread_mutex_unlock(&engine_lock);
    free(cp_to_byte);
    nr_vec_free(&job.words);
    if (job.stopped || es == ENS_SPEECH_STOPPED)
        return NR_E_ABORTED;
    if (es != ENS_OK) {
        char msg[200];
        espeak_ng_GetStatusCodeMessage(es, msg, sizeof msg);
        return nr_fail(ctx, NR_E_ENGINE, "eSpeak NG failed on voice %s: %s", v->espeak, msg);
    }
    return NR_OK;
}

/* ---- sanitising ------------------------------------------------------- */

typedef struct san {
    nr_buf out;
    nr_vec map; /* size_t per output byte */
    bool want_map;
} san;

static void emit(san *s, const char *p, size_t n, size_t from) {
    nr_buf_add(&s->out, p, n);
    if (!s->want_map)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t *m = nr_vec_push(&s->map);
        if (!m) {
            s->out.failed = true;
            return;
        }
        *m = from;
    }
}

/* A letter or digit of a script eSpeak reads as words. Narrow on purpose:
 * a letter missing here only makes the dotted-chain count below longer. */
static bool word_char(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x2AF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x4E00 && cp <= 0x9FFF);
}

char *nr_engine_sanitize(const char *text, size_t len, size_t **map) {
    san s;
    nr_buf_init(&s.out);
    nr_vec_init(&s.map, sizeof(size_t));
    s.want_map = map != NULL;
    size_t token = 0;  /* characters in the current token */
    size_t dotted = 0; /* "a." units in a chain; eSpeak chains them across spaces */
    size_t apos_s = 0; /* "'s" suffixes in a row */
    uint32_t prev = ' ';
    /* eSpeak chains "a." units across spaces and punctuation ("a.b. c.d.",
     * "a.,b."); a word (two letters in a row) or a letter before a space ends
     * the chain. Every rule below looks at the output, as eSpeak will. */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = nr_utf8_decode(text + i, len - i, &cp);
        bool space =
            nr_is_space(cp) || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD;
        if (space || token >= 64 || apos_s >= 8) { /* a space, or a token split */
            emit(&s, " ", 1, i);
            if (word_char(prev))
                dotted = 0;
            token = apos_s = 0;
            prev = ' ';
            if (space) {
                i += l;
                continue;
            }
        }
        bool unit = cp == '.' && prev != '.' && prev != ' ';
        if (word_char(cp) && word_char(prev))
            dotted = 0;
        if (unit && ++dotted > 16) { /* a chain of ~90 crashes 1.51: drop this dot */
            emit(&s, " ", 1, i);
            dotted = word_char(prev) ? 0 : 16;
            token = apos_s = 0;
            prev = ' ';
            i += l;
            continue;
        }
        if (cp == 's' && (prev == '\'' || prev == 0x2019))
            apos_s++;
        emit(&s, text + i, l, i);
        token++;
        prev = cp;
        i += l;
    }
    size_t *m = nr_vec_push(&s.map); /* the NUL maps to the end */
    if (m)
        *m = len;
    char *res = nr_buf_take(&s.out, NULL);
    if (!res) {
        res = calloc(1, 1);
    }
    if (map) {
        *map = s.map.data;
        if (!res || !*map) {
            free(res);
            free(*map);
            *map = NULL;
            return NULL;
        }
    } else {
        nr_vec_free(&s.map);
    }
    return res;
}
