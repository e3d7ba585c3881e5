/* live.h: playback through PortAudio while synthesis runs ahead.
 *
 * A synthesis thread renders the document into a bounded ring buffer (about
 * two seconds); the calling thread writes from it to the device, so the
 * first sentence plays while the rest is still being synthesised. What the
 * device receives is exactly the rendered stream. PortAudio's ALSA and JACK
 * start-up chatter is kept off the user's terminal. */
#ifndef NR_LIVE_H
#define NR_LIVE_H

#include <signal.h>
#include <stdio.h>

#include "../core/ctx.h"
#include "../core/doc.h"

/* Plays DOC from sentence FROM on DEVICE (a name or part of one; NULL =
 * the default output). NR_E_DEVICE when no output device can be opened. */
nr_status nr_live_play(nr_ctx *ctx, const nr_doc *doc, size_t from, const char *device,
                       volatile sig_atomic_t *stop);

nr_status nr_live_list_devices(nr_ctx *ctx, FILE *out);

#endif
