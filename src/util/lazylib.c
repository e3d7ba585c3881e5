/* lazylib.c: libraries loaded on first use.
 *
 * Loading and relocating a shared library costs the process time before
 * main, and some of narrate's are heavy: libxml2 pulls in ICU and the C++
 * runtime, PortAudio pulls in JACK and Berkeley DB. None of them is needed
 * before the first audio of a plain-text article, and PortAudio is needed in
 * a background thread only. So these functions are defined here under the
 * libraries' own names, with the prototypes of the libraries' headers: the
 * first call loads the library (dlopen, by the soname CMake found at build
 * time: NR_LAZY_<lib>) and every call goes through the real function. The
 * callers are unchanged; the build links none of these libraries.
 *
 * When a library cannot be loaded, a function answers as the library does
 * for a failure it reports (NULL, an error code), so the caller's message
 * shows; functions that only take what a successful call returned are never
 * reached then.
 *
 * eSpeak NG is needed for the first audio, but loading it costs the process
 * most of its start-up, in PulseAudio's libraries that libpcaudio links: it
 * is loaded here, in the thread that starts the engine while the article is
 * analysed, with a stand-in for libpcaudio (src/standin/pcaudio.c). PortAudio
 * is loaded with a stand-in for libjack when no JACK server runs
 * (src/standin/jack.c). */
#include <alsa/asoundlib.h>
#include <dirent.h>
#include <dlfcn.h>
#include <ebur128.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <md4c.h>
#include <portaudio.h>
#include <pthread.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <uchardet.h>
#include <unistd.h>

typedef struct lazy_lib {
    const char *soname;
    pthread_once_t once;
    void *handle; /* NULL when the library cannot be loaded */
} lazy_lib;

#define LIB(var, soname) static lazy_lib var = {soname, PTHREAD_ONCE_INIT, NULL};
LIB(lib_xml2, NR_LAZY_xml2)
LIB(lib_md4c, NR_LAZY_md4c)
LIB(lib_uchardet, NR_LAZY_uchardet)
LIB(lib_portaudio, NR_LAZY_portaudio)
LIB(lib_soxr, NR_LAZY_soxr)
LIB(lib_ebur128, NR_LAZY_ebur128)
LIB(lib_espeak, NR_LAZY_espeak_ng)
LIB(lib_sndfile, NR_LAZY_sndfile)
LIB(lib_asound, NR_LAZY_asound)

/* pthread_once takes no argument: one opener per library. */
#define OPENER(var)                                                                                \
    static void open_##var(void) { var.handle = dlopen(var.soname, RTLD_NOW | RTLD_LOCAL); }
OPENER(lib_xml2)
OPENER(lib_md4c)
OPENER(lib_uchardet)
OPENER(lib_soxr)
OPENER(lib_ebur128)
OPENER(lib_sndfile)
OPENER(lib_asound)

/* The stand-ins' bytes (generated/<name>_standin.c, from src/standin/). */
extern const unsigned char nr_pcaudio_standin[], nr_jack_standin[];
extern const size_t nr_pcaudio_standin_len, nr_jack_standin_len;

/* Loads a stand-in from its copy in memory, so that no path has to be known
 * in the build tree, installed, or for the tests; returns its handle, NULL
 * when it cannot be loaded (no memfd, a system that refuses to map one
 * executable), and then the real library is. Once it is loaded, the dynamic
 * loader answers a need of the soname it stands for with it (a loaded
 * library's soname matches). */
static void *load_standin(const char *soname, const unsigned char *bytes, size_t len) {
    int fd = memfd_create(soname, MFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, bytes + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    void *h = done == len ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    /* The dynamic loader knows a library by the path it was opened by, and
       dlopen of a path it knows returns that library. Closed, this
       descriptor's number would be the next memfd's, and the other
       stand-in, loaded by another thread or later, would be handed this
       one: its library would then load the real one (PulseAudio's or
       JACK's libraries, 7-15 ms). So it stays open while the stand-in is
       loaded. */
    if (!h)
        close(fd);
    return h;
}

/* Whether a JACK server may answer: JACK 2's sockets (/dev/shm/jack_NAME_UID_N),
 * JACK 1's folder (/dev/shm/jack-UID), a server named in the environment, or
 * PipeWire, whose libjack can stand for JACK's. */
static bool jack_may_run(void) {
    if (getenv("JACK_DEFAULT_SERVER"))
        return true;
    const char *run = getenv("XDG_RUNTIME_DIR");
    char path[512];
    snprintf(path, sizeof path, "%s/pipewire-0", run ? run : "");
    if (run && access(path, F_OK) == 0)
        return true;
    char uid_mid[32], uid_dir[32];
    snprintf(uid_mid, sizeof uid_mid, "_%u_", (unsigned)getuid());
    snprintf(uid_dir, sizeof uid_dir, "jack-%u", (unsigned)getuid());
    DIR *shm = opendir("/dev/shm");
    bool seen = false;
    for (struct dirent *e; shm && !seen && (e = readdir(shm));)
        seen = !strcmp(e->d_name, uid_dir) ||
               (!strncmp(e->d_name, "jack_", 5) && strstr(e->d_name, uid_mid) &&
                strncmp(e->d_name, "jack_db", 7));
    if (shm)
        closedir(shm);
    return seen;
}

/* PortAudio with the libjack stand-in when no JACK server runs; with the
 * real libjack when one may, or when PortAudio will not load beside the
 * stand-in (a PortAudio that calls more of JACK). */
static void open_lib_portaudio(void) {
    void *jack =
        jack_may_run() ? NULL : load_standin("libjack.so.0", nr_jack_standin, nr_jack_standin_len);
    lib_portaudio.handle = dlopen(lib_portaudio.soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib_portaudio.handle && jack) {
        dlclose(jack);
        lib_portaudio.handle = dlopen(lib_portaudio.soname, RTLD_NOW | RTLD_LOCAL);
    }
}

/* eSpeak NG with the libpcaudio stand-in; with the real libpcaudio when
 * eSpeak will not load beside the stand-in (one that calls more of it). */
static void open_lib_espeak(void) {
    void *pcaudio = load_standin("libpcaudio.so.0", nr_pcaudio_standin, nr_pcaudio_standin_len);
    lib_espeak.handle = dlopen(lib_espeak.soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib_espeak.handle && pcaudio) {
        dlclose(pcaudio);
        lib_espeak.handle = dlopen(lib_espeak.soname, RTLD_NOW | RTLD_LOCAL);
    }
}

/* The address of NAME in LIB, loading LIB the first time; NULL when either
 * is missing. *CACHE keeps the answer for the next calls. */
static void *resolve(lazy_lib *lib, void (*opener)(void), const char *name, void **cache) {
    void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (fn)
        return fn;
    pthread_once(&lib->once, opener);
    fn = lib->handle ? dlsym(lib->handle, name) : NULL;
    if (fn)
        __atomic_store_n(cache, fn, __ATOMIC_RELEASE);
    return fn;
}

/* Defines NAME with the header's prototype: RET NAME PARAMS calls the real
 * function with ARGS, or gives FAIL when it cannot be loaded. */
#define LAZY(var, ret, name, params, args, fail)                                                   \
    ret name params {                                                                              \
        static void *cache;                                                                        \
        __typeof__(name) *real;                                                                    \
        *(void **)&real = resolve(&var, open_##var, #name, &cache);                                \
        if (!real)                                                                                 \
            return fail;                                                                           \
        return real args;                                                                          \
    }
/* The same for a function that returns nothing. */
#define LAZY_VOID(var, name, params, args)                                                         \
    void name params {                                                                             \
        static void *cache;                                                                        \
        __typeof__(name) *real;                                                                    \
        *(void **)&real = resolve(&var, open_##var, #name, &cache);                                \
        if (real)                                                                                  \
            real args;                                                                             \
    }

/* ---- libxml2: HTML articles ---------------------------------------------- */

LAZY(lib_xml2, htmlDocPtr, htmlReadMemory,
     (const char *buffer, int size, const char *URL, const char *encoding, int options),
     (buffer, size, URL, encoding, options), NULL)
LAZY(lib_xml2, const htmlEntityDesc *, htmlEntityLookup, (const xmlChar *name), (name), NULL)
LAZY(lib_xml2, xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *doc), (doc), NULL)
LAZY_VOID(lib_xml2, xmlFreeDoc, (xmlDocPtr cur), (cur))

/* ---- md4c: Markdown articles --------------------------------------------- */

LAZY(lib_md4c, int, md_parse,
     (const MD_CHAR *text, MD_SIZE size, const MD_PARSER *parser, void *userdata),
     (text, size, parser, userdata), -1)

/* ---- uchardet: articles not in UTF-8 ------------------------------------- */

LAZY(lib_uchardet, uchardet_t, uchardet_new, (void), (), NULL)
LAZY_VOID(lib_uchardet, uchardet_delete, (uchardet_t ud), (ud))
LAZY(lib_uchardet, int, uchardet_handle_data, (uchardet_t ud, const char *data, size_t len),
     (ud, data, len), -1)
LAZY_VOID(lib_uchardet, uchardet_data_end, (uchardet_t ud), (ud))
LAZY(lib_uchardet, const char *, uchardet_get_charset, (uchardet_t ud), (ud), "")

/* ---- PortAudio: the sound device ----------------------------------------- */

LAZY(lib_portaudio, PaError, Pa_Initialize, (void), (), paInternalError)
LAZY(lib_portaudio, PaError, Pa_Terminate, (void), (), paNotInitialized)
LAZY(lib_portaudio, const char *, Pa_GetErrorText, (PaError errorCode), (errorCode),
     "PortAudio cannot be loaded (" NR_LAZY_portaudio ")")
LAZY(lib_portaudio, PaDeviceIndex, Pa_GetDeviceCount, (void), (), paNotInitialized)
LAZY(lib_portaudio, PaDeviceIndex, Pa_GetDefaultOutputDevice, (void), (), paNoDevice)
LAZY(lib_portaudio, const PaDeviceInfo *, Pa_GetDeviceInfo, (PaDeviceIndex device), (device), NULL)
LAZY(lib_portaudio, PaError, Pa_OpenStream,
     (PaStream * *stream, const PaStreamParameters *inputParameters,
      const PaStreamParameters *outputParameters, double sampleRate, unsigned long framesPerBuffer,
      PaStreamFlags streamFlags, PaStreamCallback *streamCallback, void *userData),
     (stream, inputParameters, outputParameters, sampleRate, framesPerBuffer, streamFlags,
      streamCallback, userData),
     paNotInitialized)
LAZY(lib_portaudio, PaError, Pa_CloseStream, (PaStream * stream), (stream), paNotInitialized)
LAZY(lib_portaudio, PaError, Pa_StartStream, (PaStream * stream), (stream), paNotInitialized)
LAZY(lib_portaudio, PaError, Pa_StopStream, (PaStream * stream), (stream), paNotInitialized)
LAZY(lib_portaudio, PaError, Pa_AbortStream, (PaStream * stream), (stream), paNotInitialized)
LAZY(lib_portaudio, PaError, Pa_WriteStream,
     (PaStream * stream, const void *buffer, unsigned long frames), (stream, buffer, frames),
     paNotInitialized)

/* ---- soxr: resampling for export ----------------------------------------- */

LAZY(lib_soxr, soxr_io_spec_t, soxr_io_spec, (soxr_datatype_t itype, soxr_datatype_t otype),
     (itype, otype), (soxr_io_spec_t){.e = "libsoxr cannot be loaded"})
LAZY(lib_soxr, soxr_quality_spec_t, soxr_quality_spec, (unsigned long recipe, unsigned long flags),
     (recipe, flags), (soxr_quality_spec_t){.e = "libsoxr cannot be loaded"})
static soxr_t soxr_missing(soxr_error_t *error) {
    if (error)
        *error = "libsoxr cannot be loaded (" NR_LAZY_soxr ")";
    return NULL;
}
LAZY(lib_soxr, soxr_t, soxr_create,
     (double input_rate, double output_rate, unsigned num_channels, soxr_error_t *error,
      const soxr_io_spec_t *io_spec, const soxr_quality_spec_t *quality_spec,
      const soxr_runtime_spec_t *runtime_spec),
     (input_rate, output_rate, num_channels, error, io_spec, quality_spec, runtime_spec),
     soxr_missing(error))
LAZY(lib_soxr, soxr_error_t, soxr_process,
     (soxr_t resampler, soxr_in_t in, size_t ilen, size_t *idone, soxr_out_t out, size_t olen,
      size_t *odone),
     (resampler, in, ilen, idone, out, olen, odone), "libsoxr cannot be loaded")
LAZY_VOID(lib_soxr, soxr_delete, (soxr_t resampler), (resampler))

/* ---- libebur128: loudness for export ------------------------------------- */

LAZY(lib_ebur128, ebur128_state *, ebur128_init,
     (unsigned int channels, unsigned long samplerate, int mode), (channels, samplerate, mode),
     NULL)
LAZY_VOID(lib_ebur128, ebur128_destroy, (ebur128_state * *st), (st))
LAZY(lib_ebur128, int, ebur128_add_frames_short,
     (ebur128_state * st, const short *src, size_t frames), (st, src, frames), EBUR128_ERROR_NOMEM)
LAZY(lib_ebur128, int, ebur128_add_frames_float,
     (ebur128_state * st, const float *src, size_t frames), (st, src, frames), EBUR128_ERROR_NOMEM)
LAZY(lib_ebur128, int, ebur128_loudness_global, (ebur128_state * st, double *out), (st, out),
     EBUR128_ERROR_NOMEM)
LAZY(lib_ebur128, int, ebur128_sample_peak,
     (ebur128_state * st, unsigned int channel_number, double *out), (st, channel_number, out),
     EBUR128_ERROR_NOMEM)
LAZY(lib_ebur128, int, ebur128_true_peak,
     (ebur128_state * st, unsigned int channel_number, double *out), (st, channel_number, out),
     EBUR128_ERROR_NOMEM)

/* ---- eSpeak NG: the speech engine ------------------------------------------ */

#define ESPEAK_MISSING "eSpeak NG cannot be loaded (" NR_LAZY_espeak_ng ")"
LAZY_VOID(lib_espeak, espeak_ng_InitializePath, (const char *path), (path))
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_Initialize, (espeak_ng_ERROR_CONTEXT * context),
     (context), ENS_NOT_INITIALIZED)
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_InitializeOutput,
     (espeak_ng_OUTPUT_MODE output_mode, int buffer_length, const char *device),
     (output_mode, buffer_length, device), ENS_NOT_INITIALIZED)
LAZY_VOID(lib_espeak, espeak_SetSynthCallback, (t_espeak_callback * SynthCallback), (SynthCallback))
LAZY_VOID(lib_espeak, espeak_SetUriCallback, (int (*UriCallback)(int, const char *, const char *)),
          (UriCallback))
LAZY(lib_espeak, int, espeak_ng_GetSampleRate, (void), (), 22050)
/* The one message eSpeak gives when it is not there at all. */
static void espeak_missing_message(char *buffer, size_t length) {
    if (buffer && length)
        snprintf(buffer, length, "%s", ESPEAK_MISSING);
}
void espeak_ng_GetStatusCodeMessage(espeak_ng_STATUS status, char *buffer, size_t length) {
    static void *cache;
    __typeof__(espeak_ng_GetStatusCodeMessage) *real;
    *(void **)&real =
        resolve(&lib_espeak, open_lib_espeak, "espeak_ng_GetStatusCodeMessage", &cache);
    if (real)
        real(status, buffer, length);
    else
        espeak_missing_message(buffer, length);
}
LAZY_VOID(lib_espeak, espeak_ng_ClearErrorContext, (espeak_ng_ERROR_CONTEXT * context), (context))
LAZY(lib_espeak, const espeak_VOICE **, espeak_ListVoices, (espeak_VOICE * voice_spec),
     (voice_spec), NULL)
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_SetVoiceByName, (const char *name), (name),
     ENS_NOT_INITIALIZED)
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_SetVoiceByProperties, (espeak_VOICE * voice_selector),
     (voice_selector), ENS_NOT_INITIALIZED)
LAZY(lib_espeak, espeak_VOICE *, espeak_GetCurrentVoice, (void), (), NULL)
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_SetVoiceByFile, (const char *filename), (filename),
     ENS_NOT_INITIALIZED)
LAZY(lib_espeak, const char *, espeak_Info, (const char **path_data), (path_data), "")
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_SetParameter,
     (espeak_PARAMETER parameter, int value, int relative), (parameter, value, relative),
     ENS_NOT_INITIALIZED)
LAZY(lib_espeak, espeak_ng_STATUS, espeak_ng_Synthesize,
     (const void *text, size_t size, unsigned int position, espeak_POSITION_TYPE position_type,
      unsigned int end_position, unsigned int flags, unsigned int *unique_identifier,
      void *user_data),
     (text, size, position, position_type, end_position, flags, unique_identifier, user_data),
     ENS_NOT_INITIALIZED)

/* ---- libsndfile: audio files (export, and reading them back) ------------- */

#define SNDFILE_MISSING "libsndfile cannot be loaded (" NR_LAZY_sndfile ")"
LAZY(lib_sndfile, SNDFILE *, sf_open, (const char *path, int mode, SF_INFO *sfinfo),
     (path, mode, sfinfo), NULL)
LAZY(lib_sndfile, SNDFILE *, sf_open_virtual,
     (SF_VIRTUAL_IO * sfvirtual, int mode, SF_INFO *sfinfo, void *user_data),
     (sfvirtual, mode, sfinfo, user_data), NULL)
LAZY(lib_sndfile, int, sf_error, (SNDFILE * sndfile), (sndfile), SF_ERR_SYSTEM)
LAZY(lib_sndfile, const char *, sf_strerror, (SNDFILE * sndfile), (sndfile), SNDFILE_MISSING)
LAZY(lib_sndfile, int, sf_command, (SNDFILE * sndfile, int command, void *data, int datasize),
     (sndfile, command, data, datasize), 0)
LAZY(lib_sndfile, int, sf_set_string, (SNDFILE * sndfile, int str_type, const char *str),
     (sndfile, str_type, str), SF_ERR_SYSTEM)
LAZY(lib_sndfile, sf_count_t, sf_write_short,
     (SNDFILE * sndfile, const short *ptr, sf_count_t items), (sndfile, ptr, items), 0)
LAZY(lib_sndfile, sf_count_t, sf_read_float, (SNDFILE * sndfile, float *ptr, sf_count_t items),
     (sndfile, ptr, items), 0)
LAZY(lib_sndfile, sf_count_t, sf_write_float,
     (SNDFILE * sndfile, const float *ptr, sf_count_t items), (sndfile, ptr, items), 0)
LAZY(lib_sndfile, int, sf_close, (SNDFILE * sndfile), (sndfile), 0)
LAZY_VOID(lib_sndfile, sf_write_sync, (SNDFILE * sndfile), (sndfile))

/* ---- ALSA: its messages, silenced while PortAudio probes ------------------ */

LAZY(lib_asound, int, snd_lib_error_set_handler, (snd_lib_error_handler_t handler), (handler), 0)
