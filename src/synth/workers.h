/* workers.h: synthesis in worker processes, reassembled in order.
 *
 * eSpeak NG is one engine per process (ESPEAK_NOTES.md 2.6), so parallel
 * synthesis means processes. The renderer cuts the document into chunks
 * (a block, or a run of its sentences); each chunk is rendered by a process
 * forked from the started engine (nr_engine_fork), which sends its audio and
 * events back over a pipe and exits. The parent delivers the chunks strictly
 * in order through the caller's nr_audio_fn, so the caller sees exactly the
 * calls a serial render would make, with samples counted from the start of
 * the stream.
 *
 * Buffering is bounded: at most JOBS workers run at once, at most 2 x JOBS
 * chunks are in flight, and a chunk that is not yet due is buffered up to a
 * fixed number of bytes, after which its worker waits on its full pipe.
 * The caller's callback runs in the calling thread while the workers
 * synthesise ahead, so encoding a file overlaps with synthesis. */
#ifndef NR_WORKERS_H
#define NR_WORKERS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"
#include "narrate.h"

/* COUNT sentences in reading order from sentence FIRST of block BLOCK (they
 * may run on into the following blocks); SENTENCE is the reading order
 * index of the first one. */
typedef struct nr_chunk {
    size_t block, first, count;
    size_t sentence;
} nr_chunk;

/* Renders CHUNK in a worker through EMIT, samples counted from the chunk's
 * start. Runs in the child process only. */
typedef nr_status (*nr_chunk_fn)(nr_ctx *ctx, const void *arg, const nr_chunk *chunk,
                                 nr_audio_fn emit, void *emit_user);

/* Renders CHUNKS[0..N) with up to JOBS workers (JOBS <= 0: one per core) and
 * delivers them in order through FN. *SAMPLE is the stream position of the
 * first chunk's first sample; it is advanced by what was delivered. STOP,
 * when set, ends the run with NR_E_ABORTED. Every worker is reaped before
 * this returns, whatever the outcome. A worker that dies (eSpeak crashing
 * on some text) gives NR_E_ENGINE naming the sentence. */
nr_status nr_workers_run(nr_ctx *ctx, int jobs, const nr_chunk *chunks, size_t n,
                         nr_chunk_fn render, const void *arg, nr_audio_fn fn, void *user,
                         volatile sig_atomic_t *stop, uint64_t *sample);

/* The number of processors this process may run on (at least 1). */
int nr_workers_default_jobs(void);

#endif
