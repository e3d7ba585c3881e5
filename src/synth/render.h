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
#include <stdint.h>

#include "../core/ctx.h"
#include "../core/doc.h"
#include "narrate.h"

/* A chunk, the unit a worker process renders, groups whole blocks up to
 * about NR_CHUNK_BYTES of text; a longer block is cut every
 * NR_CHUNK_SENTENCES sentences. Past the first NR_CHUNK_SMALL_TEXT bytes of
 * a document, chunks may be twice as large: each costs a fork and its page
 * faults, while a live start or seek synthesises its chunk from the start,
 * so the first part of an article (the whole of most) keeps small ones. */
#define NR_CHUNK_BYTES 2048
#define NR_CHUNK_SENTENCES 24
#define NR_CHUNK_SMALL_TEXT 16384

/* Renders from sentence FROM (0-based, reading order) to the end through FN.
 * STOP, when not NULL, is polled; setting it ends rendering with
 * NR_E_ABORTED. Synthesis runs in ctx->jobs worker processes (workers.h);
 * FN is called in the calling thread, in order. Every chunk starts from
 * the engine's initial state, so a sentence has the same samples in every
 * render, from whatever sentence it starts, with any number of workers. */
nr_status nr_render_doc(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_audio_fn fn, void *user,
                        volatile sig_atomic_t *stop);

/* The first sentence of the chunk that holds SENTENCE. A render from any
 * sentence starts its synthesis there and drops what comes before the
 * sentence, so that its samples are exactly those a full render has from
 * that sentence on; from a chunk start, nothing is synthesised in vain. */
size_t nr_render_chunk_start(const nr_doc *doc, size_t sentence);

/* The same, for a stream made of several documents rendered one after the
 * other: event samples count from *SAMPLE, which is advanced. */
nr_status nr_render_doc_at(nr_ctx *ctx, const nr_doc *doc, size_t from, nr_audio_fn fn, void *user,
                           volatile sig_atomic_t *stop, uint64_t *sample);

/* The pause after block BLK when NEXT follows it, in ms; and silence of MS
 * ms as a render writes it (with its NR_EV_PAUSE event), counted from
 * *SAMPLE, which is advanced. A render of several documents (the windows
 * of a streamed input, core/stream.h) puts between them the pause that one
 * document would have between their blocks. */
int nr_render_block_pause(const nr_doc *doc, const nr_block *blk, const nr_block *next);
nr_status nr_render_pause(int ms, nr_audio_fn fn, void *user, volatile sig_atomic_t *stop,
                          uint64_t *sample);

/* Total number of sentences of DOC. */
size_t nr_doc_sentence_count(const nr_doc *doc);

#endif
