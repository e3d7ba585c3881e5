/* jack.c: a stand-in for libjack, loaded before PortAudio when no JACK
 * server runs.
 *
 * libportaudio links libjack, which brings Berkeley DB and the C++ runtime,
 * and PortAudio's start-up asks JACK for a client, which opens JACK's
 * metadata database: together more than a third of PortAudio's start-up
 * (src/audio/live.c), before the first audio. Without a server, all of it
 * ends in "no JACK", and PortAudio goes on without its JACK devices. This
 * library has libjack's soname and the functions PortAudio 19.6 calls, and
 * answers what libjack answers when no server runs: the client cannot be
 * opened. src/util/lazylib.c loads it only when no JACK server (nor
 * PipeWire, which can stand for one) shows, so with a server PortAudio
 * offers JACK's devices as before. Built apart from libnarrate, as a module;
 * no JACK header is needed: every handle is opaque, every enum an int. */
#include <stddef.h>
#include <stdint.h>

#define STANDIN __attribute__((visibility("default")))

typedef struct standin_handle standin_handle;

enum { JACK_FAILURE = 0x01, JACK_SERVER_FAILED = 0x20 };

/* The one call PortAudio's start-up makes: no server, so no client. */
STANDIN standin_handle *jack_client_open(const char *name, int options, int *status, ...);
STANDIN standin_handle *jack_client_open(const char *name, int options, int *status, ...) {
    (void)name, (void)options;
    if (status)
        *status = JACK_FAILURE | JACK_SERVER_FAILED;
    return NULL;
}

/* Sizes as JACK 2 gives them: PortAudio sizes its client name by them. */
STANDIN int jack_client_name_size(void);
STANDIN int jack_client_name_size(void) { return 64; }
STANDIN int jack_port_name_size(void);
STANDIN int jack_port_name_size(void) { return 320; }

STANDIN void jack_set_error_function(void (*fn)(const char *));
STANDIN void jack_set_error_function(void (*fn)(const char *)) { (void)fn; }

/* The rest takes a client, which never exists: each fails if reached. */
#define FAIL_INT(name)                                                                             \
    STANDIN int name(void);                                                                        \
    int name(void) { return -1; }
#define FAIL_PTR(name)                                                                             \
    STANDIN void *name(void);                                                                      \
    void *name(void) { return NULL; }
/* Frame counts and rates: none. */
#define FAIL_U32(name)                                                                             \
    STANDIN uint32_t name(void);                                                                   \
    uint32_t name(void) { return 0; }
FAIL_INT(jack_on_shutdown)
FAIL_INT(jack_connect)
FAIL_INT(jack_set_process_callback)
FAIL_INT(jack_deactivate)
FAIL_INT(jack_set_xrun_callback)
FAIL_INT(jack_activate)
FAIL_INT(jack_port_unregister)
FAIL_INT(jack_set_sample_rate_callback)
FAIL_INT(jack_client_close)
FAIL_INT(jack_port_disconnect)
FAIL_INT(jack_port_connected)
FAIL_PTR(jack_port_name)
FAIL_PTR(jack_port_by_name)
FAIL_PTR(jack_port_register)
FAIL_PTR(jack_port_get_buffer)
FAIL_PTR(jack_get_ports)
FAIL_PTR(jack_get_client_name)

FAIL_U32(jack_frame_time)
FAIL_U32(jack_get_sample_rate)
FAIL_U32(jack_get_buffer_size)
FAIL_U32(jack_port_get_latency)
