#include "live.h"

#include <fcntl.h>
#include <portaudio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../synth/engine.h"
#include "../synth/render.h"

enum { RING = 1 << 16 }; /* samples: about 3 s at 22050 Hz */

typedef struct ring {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int16_t data[RING];
    size_t head, tail; /* head - tail = samples waiting */
    bool done, cancel;
} ring;

typedef struct producer {
    nr_ctx *ctx;
    const nr_doc *doc;
    size_t from;
    volatile sig_atomic_t *stop;
    ring *r;
    nr_status status;
} producer;

static int push(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    (void)ev, (void)n_ev;
    ring *r = user;
    pthread_mutex_lock(&r->lock);
    while (n > 0 && !r->cancel) {
        while (r->head - r->tail == RING && !r->cancel)
            pthread_cond_wait(&r->changed, &r->lock);
        size_t room = RING - (r->head - r->tail);
        size_t k = n < room ? n : room;
        for (size_t i = 0; i < k; i++)
            r->data[(r->head + i) % RING] = pcm[i];
        r->head += k;
        pcm += k;
        n -= k;
        pthread_cond_broadcast(&r->changed);
    }
    int cancel = r->cancel;
    pthread_mutex_unlock(&r->lock);
    return cancel;
}

static void *produce(void *arg) {
    producer *p = arg;
    p->status = nr_render_doc(p->ctx, p->doc, p->from, push, p->r, p->stop);
    pthread_mutex_lock(&p->r->lock);
    p->r->done = true;
    pthread_cond_broadcast(&p->r->changed);
    pthread_mutex_unlock(&p->r->lock);
    return NULL;
}

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

static PaError pa_init(void *arg) {
    (void)arg;
    setenv("JACK_NO_START_SERVER", "1", 0);
    return Pa_Initialize();
}

typedef struct opener {
    PaStreamParameters params;
    PaStream *stream;
    int rate;
} opener;

static PaError pa_open(void *arg) {
    opener *o = arg;
    PaError e = Pa_OpenStream(&o->stream, NULL, &o->params, o->rate, paFramesPerBufferUnspecified,
                              paClipOff | paDitherOff, NULL, NULL);
    if (e == paNoError)
        e = Pa_StartStream(o->stream);
    return e;
}

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

static nr_status open_device(nr_ctx *ctx, const char *device, int rate, PaStream **out) {
    PaDeviceIndex dev = find_device(device);
    if (dev == paNoDevice) {
        if (device)
            return nr_fail(ctx, NR_E_DEVICE,
                           "no audio output device named '%s' (see --list-devices)", device);
        return nr_fail(ctx, NR_E_DEVICE, "no audio output device; use -o FILE to write a file");
    }
    const PaDeviceInfo *info = Pa_GetDeviceInfo(dev);
    opener o = {.rate = rate};
    o.params.device = dev;
    o.params.channelCount = 1;
    o.params.sampleFormat = paInt16;
    o.params.suggestedLatency = info ? info->defaultLowOutputLatency : 0.05;
    PaError e = quietly(pa_open, &o);
    if (e != paNoError) {
        if (o.stream)
            Pa_CloseStream(o.stream);
        return nr_fail(ctx, NR_E_DEVICE,
                       "cannot open the audio device (%s); use -o FILE to write a file",
                       Pa_GetErrorText(e));
    }
    *out = o.stream;
    return NR_OK;
}

/* Moves audio from the ring to the device until the producer is done. */
static nr_status drain(nr_ctx *ctx, ring *r, PaStream *stream, volatile sig_atomic_t *stop) {
    int16_t chunk[1024];
    for (;;) {
        pthread_mutex_lock(&r->lock);
        while (r->head == r->tail && !r->done)
            pthread_cond_wait(&r->changed, &r->lock);
        size_t n = r->head - r->tail;
        if (n > 1024)
            n = 1024;
        for (size_t i = 0; i < n; i++)
            chunk[i] = r->data[(r->tail + i) % RING];
        r->tail += n;
        bool finished = n == 0 && r->done;
        pthread_cond_broadcast(&r->changed);
        pthread_mutex_unlock(&r->lock);
        if (finished)
            return NR_OK;
        if (stop && *stop)
            return NR_E_ABORTED;
        PaError e = Pa_WriteStream(stream, chunk, (unsigned long)n);
        if (e != paNoError && e != paOutputUnderflowed)
            return nr_fail(ctx, NR_E_DEVICE, "the audio device failed: %s", Pa_GetErrorText(e));
    }
}

nr_status nr_live_play(nr_ctx *ctx, const nr_doc *doc, size_t from, const char *device,
                       volatile sig_atomic_t *stop) {
    nr_status st = nr_engine_start(ctx);
    if (st != NR_OK)
        return st;
    if (quietly(pa_init, NULL) != paNoError)
        return nr_fail(ctx, NR_E_DEVICE, "cannot start PortAudio; use -o FILE to write a file");
    PaStream *stream = NULL;
    st = open_device(ctx, device, nr_engine_sample_rate(), &stream);
    if (st != NR_OK) {
        Pa_Terminate();
        return st;
    }
    ring *r = calloc(1, sizeof *r);
    if (!r) {
        Pa_CloseStream(stream);
        Pa_Terminate();
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->changed, NULL);
    producer p = {ctx, doc, from, stop, r, NR_OK};
    pthread_t thread;
    if (pthread_create(&thread, NULL, produce, &p) != 0) {
        st = nr_fail(ctx, NR_E_NOMEM, "cannot start the synthesis thread");
    } else {
        st = drain(ctx, r, stream, stop);
        pthread_mutex_lock(&r->lock);
        r->cancel = true;
        pthread_cond_broadcast(&r->changed);
        pthread_mutex_unlock(&r->lock);
        pthread_join(thread, NULL);
        if (st == NR_OK)
            st = p.status;
    }
    if (st == NR_OK)
        Pa_StopStream(stream); /* plays what is queued */
    else
        Pa_AbortStream(stream);
    Pa_CloseStream(stream);
    Pa_Terminate();
    pthread_cond_destroy(&r->changed);
    pthread_mutex_destroy(&r->lock);
    free(r);
    return st;
}

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
