/* live.h: the output device, through PortAudio, for the player.
 *
 * PortAudio's ALSA and JACK start-up chatter is kept off the user's
 * terminal. The stream is opened for blocking writes with a short latency
 * (about 50 ms), so what the player drops on a command is never far from
 * being heard. */
#ifndef NR_LIVE_H
#define NR_LIVE_H

#include <portaudio.h>
#include <signal.h>
#include <stdio.h>

#include "../core/ctx.h"
#include "narrate.h"

/* Starts PortAudio and opens a mono int16 stream at RATE on DEVICE (a name or
 * part of one; NULL = the default output), not yet started. NR_E_DEVICE, with
 * a message that suggests -o, when there is no such device or it fails. On
 * failure PortAudio is terminated again. */
nr_status nr_live_open(nr_ctx *ctx, const char *device, int rate, PaStream **out);
/* Closes the stream and terminates PortAudio. */
void nr_live_close(PaStream *stream);

nr_status nr_live_list_devices(nr_ctx *ctx, FILE *out);

/* Plays DOC from sentence FROM and waits until it ends or *STOP is set
 * (then NR_E_ABORTED): nr_play, over the player. */
nr_status nr_live_play(nr_narrator *nr, const nr_document *doc, size_t from, const char *device,
                       volatile sig_atomic_t *stop);

#endif
