/* live.h: the output device, for the player.
 *
 * Every device goes through PortAudio, whose ALSA and JACK start-up chatter
 * is kept off the user's terminal; its start-up (probing every device, tens
 * of milliseconds) runs in a warm-up thread beside the analysis. The stream
 * is opened for blocking writes with a short latency (about 50 ms), so what
 * the player drops on a command is never far from being heard. */
#ifndef NR_LIVE_H
#define NR_LIVE_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/ctx.h"
#include "narrate.h"

/* An output stream: a PortAudio stream and why its last write failed. */
typedef struct nr_out nr_out;

/* Opens a mono int16 stream at RATE on DEVICE (a name or part of one, as
 * --list-devices prints; NULL = the default output), not yet started.
 * NR_E_DEVICE, with a message that suggests -o, when there is no such device
 * or it fails. */
nr_status nr_live_open(nr_ctx *ctx, const char *device, int rate, nr_out **out);
/* Closes the stream (and terminates PortAudio if it was used). */
void nr_live_close(nr_out *out);

/* Results of nr_live_write: written; written after the device had run dry
 * (an underrun); or failed (nr_live_error says why). */
enum { NR_OUT_OK = 0, NR_OUT_UNDERRUN = 1, NR_OUT_FAILED = -1 };
/* Writes N samples, blocking while the device is full. The stream starts
 * with the first write after nr_live_open or nr_live_stop. */
int nr_live_write(nr_out *out, const int16_t *pcm, size_t n);
/* Lets the device play what it holds, then stops. */
void nr_live_stop(nr_out *out);
/* Stops at once, dropping what the device holds. */
void nr_live_abort(nr_out *out);
/* Why the last write failed. */
const char *nr_live_error(const nr_out *out);

nr_status nr_live_list_devices(nr_ctx *ctx, FILE *out);

/* Plays DOC from sentence FROM and waits until it ends or *STOP is set
 * (then NR_E_ABORTED): nr_play, over the player. */
nr_status nr_live_play(nr_narrator *nr, const nr_document *doc, size_t from, const char *device,
                       volatile sig_atomic_t *stop);

#endif
