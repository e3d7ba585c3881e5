#include "live.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <portaudio.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../synth/engine.h"
#include "../util/forkgate.h"
#include "../util/heap.h"

/* Runs FN with stderr pointed at /dev/null: ALSA and JACK print on fd 2
 * when PortAudio probes for devices, and users must not see it. */
static PaError quietly(PaError (*fn)(void *), void *arg) {
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, 2);
    PaError e = fn(arg);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (null >= 0)
        close(null);
    return e;
}

/* ALSA's own messages (a device that fails mid-play, probing) never reach
 * the user: narrate says what went wrong in its own words. */
static void alsa_silent(const char *file, int line, const char *fn, int err, const char *fmt, ...) {
    (void)file, (void)line, (void)fn, (void)err, (void)fmt;
}

struct nr_out {
    PaStream *pa;
    bool pa_started;
    char error[160]; /* why the last write failed */
};

static PaError pa_init(void *arg) {
    (void)arg;
    setenv("JACK_NO_START_SERVER", "1", 0);
    snd_lib_error_set_handler(alsa_silent);
    return Pa_Initialize();
}

typedef struct opener {
    PaStreamParameters params;
    PaStream *stream;
    int rate;
} opener;

static PaError pa_open(void *arg) {
    opener *o = arg;
    return Pa_OpenStream(&o->stream, NULL, &o->params, o->rate, paFramesPerBufferUnspecified,
                         paClipOff | paDitherOff, NULL, NULL);
}

/* An exact name first, then the first device whose name contains NAME. */
static PaDeviceIndex find_device(const char *name) {
    if (!name)
        return Pa_GetDefaultOutputDevice();
    int n = Pa_GetDeviceCount();
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (d && d->maxOutputChannels > 0 && d->name && !strcmp(d->name, name))
            return i;
    }
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (d && d->maxOutputChannels > 0 && d->name && strstr(d->name, name))
            return i;
    }
    return paNoDevice;
}

/* ---- warming up -------------------------------------------------------- */

/* PortAudio's start-up probes every ALSA device and JACK (tens of
 * milliseconds, more on a loaded machine), and eSpeak NG loads its data: both
 * can run while the article is read and analysed. One warm-up per process. */
static struct {
    pthread_mutex_t lock;
    bool active;
    pthread_t device_thread, engine_thread;
    bool have_device_thread, have_engine_thread;
    char *device; /* NULL = the default */
    int rate;
    nr_out *stream; /* opened, not started; NULL if it failed */
} warm = {.lock = PTHREAD_MUTEX_INITIALIZER};

static nr_status open_now(nr_ctx *ctx, const char *device, int rate, nr_out **out);

/* Heap filled by each thread of the start before it works (util/heap.h).
 * Larger fills (1.5 or 2 MB for the analysis, 1.5 MB for eSpeak's start)
 * or a smaller one for eSpeak (768 kB) gave the same first audio, within
 * the noise of 101 runs (docs/speed.md, session 6). */
enum { PREFILL_MAIN = 1 << 20, PREFILL_ENGINE = 1 << 20, PREFILL_DEVICE = 512 << 10 };

static void *warm_device(void *arg) {
    (void)arg;
    nr_heap_prefill(PREFILL_DEVICE);
    nr_ctx ctx;
    memset(&ctx, 0, sizeof ctx); /* a failure is reported again by the real open */
    open_now(&ctx, warm.device, warm.rate, &warm.stream);
    return NULL;
}

static void *warm_engine(void *arg) {
    (void)arg;
    nr_heap_prefill(PREFILL_ENGINE);
    nr_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    if (nr_engine_start(&ctx) != NR_OK)
        return NULL;
    nr_engine_preload_voices(); /* here, beside the analysis, not in its cast */
    nr_engine_load_expected();  /* the article's voice, as soon as it is known */
    return NULL;
}

/* A warm-up thread is inside the fork gate for its whole life (forkgate.h):
 * the synthesis forks once it has been joined. */
static bool start(pthread_t *t, void *(*fn)(void *)) {
    nr_fork_guard_enter();
    if (pthread_create(t, NULL, fn, NULL) == 0)
        return true;
    nr_fork_guard_leave();
    return false;
}

static void join(pthread_t t) {
    pthread_join(t, NULL);
    nr_fork_guard_leave();
}

/* Joins the warm-up threads still running, the engine's no longer waiting
 * for a voice the analysis did not name; warm.lock is held. */
static void join_all(void) {
    nr_engine_expect(NULL);
    if (warm.have_engine_thread)
        join(warm.engine_thread);
    if (warm.have_device_thread)
        join(warm.device_thread);
    warm.have_engine_thread = warm.have_device_thread = false;
}

void nr_warm_up(const char *device) {
    pthread_mutex_lock(&warm.lock);
    bool first = !warm.active;
    if (first) {
        warm.active = true;
        nr_engine_expect_begin();
        warm.device = device ? strdup(device) : NULL;
        warm.rate = nr_engine_sample_rate();
        warm.have_engine_thread = start(&warm.engine_thread, warm_engine);
        warm.have_device_thread =
            (!device || warm.device) && start(&warm.device_thread, warm_device);
    }
    pthread_mutex_unlock(&warm.lock);
    if (first) /* for the caller's analysis, which comes next */
        nr_heap_prefill(PREFILL_MAIN);
}

/* Joins the warm-up threads; with TAKE, hands over the stream if it was
 * opened for DEVICE at RATE, else closes it. */
static nr_out *warm_join(bool take, const char *device, int rate) {
    pthread_mutex_lock(&warm.lock);
    nr_out *s = NULL;
    join_all();
    if (warm.stream) {
        bool same =
            (!device && !warm.device) || (device && warm.device && !strcmp(device, warm.device));
        if (take && same && rate == warm.rate)
            s = warm.stream;
        else
            nr_live_close(warm.stream);
        warm.stream = NULL;
    }
    free(warm.device);
    warm.device = NULL;
    pthread_mutex_unlock(&warm.lock);
    return s;
}

void nr_warm_up_wait(void) {
    pthread_mutex_lock(&warm.lock);
    join_all();
    pthread_mutex_unlock(&warm.lock);
}

nr_status nr_live_open(nr_ctx *ctx, const char *device, int rate, nr_out **out) {
    nr_fork_guard_enter();
    *out = warm_join(true, device, rate);
    nr_status st = *out ? NR_OK : open_now(ctx, device, rate, out);
    nr_fork_guard_leave();
    return st;
}

/* DEVICE through PortAudio. */
static nr_status open_portaudio(nr_ctx *ctx, const char *device, int rate, PaStream **out) {
    *out = NULL;
    if (quietly(pa_init, NULL) != paNoError)
        return nr_fail(ctx, NR_E_DEVICE, "cannot start PortAudio; use -o FILE to write a file");
    PaDeviceIndex dev = find_device(device);
    if (dev == paNoDevice) {
        Pa_Terminate();
        if (device)
            return nr_fail(ctx, NR_E_DEVICE,
                           "no audio output device named '%s' (see --list-devices; "
                           "use -o FILE to write a file)",
                           device);
        return nr_fail(ctx, NR_E_DEVICE, "no audio output device; use -o FILE to write a file");
    }
    const PaDeviceInfo *info = Pa_GetDeviceInfo(dev);
    opener o = {.rate = rate};
    o.params.device = dev;
    o.params.channelCount = 1;
    o.params.sampleFormat = paInt16;
    double low = info ? info->defaultLowOutputLatency : 0.05;
    o.params.suggestedLatency = low > 0.05 ? low : 0.05;
    PaError e = quietly(pa_open, &o);
    if (e != paNoError) {
        if (o.stream)
            Pa_CloseStream(o.stream);
        Pa_Terminate();
        return nr_fail(ctx, NR_E_DEVICE,
                       "cannot open the audio device (%s); use -o FILE to write a file",
                       Pa_GetErrorText(e));
    }
    *out = o.stream;
    return NR_OK;
}

/* Every device goes through PortAudio (the project's audio layer). */
static nr_status open_now(nr_ctx *ctx, const char *device, int rate, nr_out **out) {
    *out = NULL;
    nr_out *o = calloc(1, sizeof *o);
    if (!o)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    nr_status st = open_portaudio(ctx, device, rate, &o->pa);
    if (st != NR_OK) {
        free(o);
        return st;
    }
    *out = o;
    return NR_OK;
}

void nr_live_close(nr_out *o) {
    if (!o)
        return;
    if (o->pa) {
        Pa_CloseStream(o->pa);
        Pa_Terminate();
    }
    free(o);
}

int nr_live_write(nr_out *o, const int16_t *pcm, size_t n) {
    PaError e = paNoError;
    if (!o->pa_started) {
        e = Pa_StartStream(o->pa);
        o->pa_started = e == paNoError;
    }
    if (e == paNoError)
        e = Pa_WriteStream(o->pa, pcm, (unsigned long)n);
    if (e == paOutputUnderflowed)
        return NR_OUT_UNDERRUN;
    if (e != paNoError) {
        snprintf(o->error, sizeof o->error, "%s", Pa_GetErrorText(e));
        return NR_OUT_FAILED;
    }
    return NR_OUT_OK;
}

void nr_live_stop(nr_out *o) {
    if (o->pa_started) {
        Pa_StopStream(o->pa);
        o->pa_started = false;
    }
}

void nr_live_abort(nr_out *o) {
    if (o->pa_started) {
        Pa_AbortStream(o->pa);
        o->pa_started = false;
    }
}

const char *nr_live_error(const nr_out *o) { return o->error; }

nr_status nr_live_list_devices(nr_ctx *ctx, FILE *out) {
    if (quietly(pa_init, NULL) != paNoError)
        return nr_fail(ctx, NR_E_DEVICE, "cannot start PortAudio");
    int n = Pa_GetDeviceCount();
    PaDeviceIndex def = Pa_GetDefaultOutputDevice();
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (d && d->maxOutputChannels > 0)
            fprintf(out, "%d\t%s%s\n", i, d->name, i == def ? "\t(default)" : "");
    }
    Pa_Terminate();
    return ferror(out) ? NR_E_IO : NR_OK;
}

nr_status nr_live_play(nr_narrator *nr, const nr_document *doc, size_t from, const char *device,
                       volatile sig_atomic_t *stop) {
    nr_player *p = NULL;
    nr_status st = nr_player_new(nr, doc, device, &p);
    if (st == NR_OK)
        st = nr_player_start(p, from);
    while (st == NR_OK) {
        nr_player_state s = nr_player_get_state(p);
        if (s == NR_PLAYER_DONE)
            break;
        if (s == NR_PLAYER_FAILED) {
            st = nr_player_status(p);
            break;
        }
        if (stop && *stop) {
            st = NR_E_ABORTED;
            break;
        }
        struct pollfd pfd = {.fd = nr_player_fd(p), .events = POLLIN};
        poll(&pfd, 1, 50);
    }
    nr_player_free(p);
    return st;
}
