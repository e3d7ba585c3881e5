/* pcaudio.c: a stand-in for libpcaudio, loaded before eSpeak NG.
 *
 * libespeak-ng links libpcaudio for its own audio output, and libpcaudio
 * links PulseAudio, which brings D-Bus, X11, systemd and libgcrypt: some
 * twenty libraries whose loading and relocation cost four fifths of the
 * time eSpeak NG takes to load (about 12 ms of CPU on the development VM),
 * before the first audio. narrate runs eSpeak in synchronous mode and plays
 * through PortAudio, so eSpeak never opens an audio device. This library
 * has libpcaudio's soname and API, and every device it is asked for is
 * missing; src/util/lazylib.c loads it (from a copy compiled into
 * libnarrate) before eSpeak NG, whose dependency on libpcaudio.so.0 then
 * resolves to it. It is built apart from libnarrate, as a module. */
#include <stddef.h>

#define STANDIN __attribute__((visibility("default")))

struct audio_object;

/* No device: eSpeak reports that it cannot play, which narrate never asks. */
STANDIN struct audio_object *create_audio_device_object(const char *device,
                                                        const char *application_name,
                                                        const char *description);
STANDIN struct audio_object *create_audio_device_object(const char *device,
                                                        const char *application_name,
                                                        const char *description) {
    (void)device, (void)application_name, (void)description;
    return NULL;
}

/* The rest is never reached without an object; each fails if it is. */
STANDIN int audio_object_open(struct audio_object *object, int format, unsigned rate,
                              unsigned channels);
STANDIN int audio_object_open(struct audio_object *object, int format, unsigned rate,
                              unsigned channels) {
    (void)object, (void)format, (void)rate, (void)channels;
    return -1;
}

STANDIN void audio_object_close(struct audio_object *object);
STANDIN void audio_object_close(struct audio_object *object) { (void)object; }

STANDIN void audio_object_destroy(struct audio_object *object);
STANDIN void audio_object_destroy(struct audio_object *object) { (void)object; }

STANDIN int audio_object_write(struct audio_object *object, const void *data, size_t bytes);
STANDIN int audio_object_write(struct audio_object *object, const void *data, size_t bytes) {
    (void)object, (void)data, (void)bytes;
    return -1;
}

STANDIN int audio_object_drain(struct audio_object *object);
STANDIN int audio_object_drain(struct audio_object *object) {
    (void)object;
    return -1;
}

STANDIN int audio_object_flush(struct audio_object *object);
STANDIN int audio_object_flush(struct audio_object *object) {
    (void)object;
    return -1;
}

STANDIN const char *audio_object_strerror(struct audio_object *object, int error);
STANDIN const char *audio_object_strerror(struct audio_object *object, int error) {
    (void)object, (void)error;
    return "no audio output in narrate's eSpeak NG";
}
