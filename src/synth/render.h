/* render.h: a document into one stream of audio and events.
 *
 * Reading order is the plan's: blocks, sentences, and inside a sentence runs
 * of spans that share a voice (so a narrator's clause with an embedded
 * quotation keeps its intonation). Pauses are silence written here, not
 * eSpeak markup. Each run fades in and out over a few milliseconds, so a
 * voice switch inside a sentence never clicks. The stream is a pure function
 * of the document and settings: live playback and a file get the same
 * samples. */
#ifndef NR_RENDER_H
#define NR_RENDER_H

#include <signal.h>

#include "../core/ctx.h"
#include "../core/doc.h"
#include "narrate.h"

/* Renders from sentence FROM (0-based, reading order) to the end through FN.
 * STOP, when not NULL, is polled; setting it ends rendering with
 * NR_E_ABORTED. */
nr_status nr_render_doc(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_audio_fn fn, void *user,
                        volatile sig_atomic_t *stop);

/* Total number of sentences of DOC. */
size_t nr_doc_sentence_count(const nr_doc *doc);

#endif
