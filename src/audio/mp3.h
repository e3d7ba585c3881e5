/* mp3.h: MP3 encoding on several cores, with LAME.
 *
 * One LAME stream runs on one core, and at narrate's settings LAME costs
 * several times what the synthesis does; so the audio is cut into segments
 * of whole frames and each segment is encoded by its own LAME encoder on a
 * worker thread. The bit reservoir is off, so every frame is
 * self-contained, and every encoder has the same delay: frame i of an
 * encoder started at sample a (a multiple of the frame size) is frame
 * a / frame_size + i of one encoder started at 0. Each segment's encoder
 * is fed WARM frames of the audio before the segment (its filterbank and
 * psychoacoustic state then match a whole-stream encoder's) and a little
 * after it; its warm-up frames are dropped and exactly the segment's
 * frames are kept, in order: the same bytes whatever the number of threads.
 * The same settings can also run as one stream, without segments (the
 * baseline bench_speed_encode measures).
 *
 * The stream starts with an Info (CBR) or Xing (VBR) frame carrying the
 * LAME tag, made by LAME and completed at the end for the whole stream:
 * frame and byte counts, seek table, encoder delay and padding (players
 * trim them: the samples that went in come out), CRCs. Memory is bounded:
 * at most two segments per thread are in flight. */
#ifndef NR_MP3_H
#define NR_MP3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/ctx.h"

/* Receives the stream's bytes, in order, from the thread that calls
 * nr_mp3_write and nr_mp3_finish. Anything but NR_OK stops the encoding. */
typedef nr_status (*nr_mp3_write_fn)(void *user, const uint8_t *p, size_t n);

typedef struct nr_mp3_opts {
    int rate;        /* Hz, of the input and the stream */
    int bitrate;     /* kbit/s, CBR; 0 = VBR when quality >= 0, else 64 */
    double quality;  /* 0 (worst)..10 (best) for VBR; < 0 = CBR */
    int threads;     /* encoders at once; 0 = one per processor */
    bool one_stream; /* one encoder, no segments (the speed baseline) */
    bool info_frame; /* the Info frame first (a seekable output only) */
} nr_mp3_opts;

typedef struct nr_mp3 nr_mp3;

/* An encoder writing through WRITE; nothing is written yet but the Info
 * frame's placeholder. NR_E_ARG when LAME refuses the rate or bitrate. */
nr_status nr_mp3_new(nr_ctx *ctx, const nr_mp3_opts *o, nr_mp3_write_fn write, void *user,
                     nr_mp3 **out);
/* Encodes N mono samples in [-1, 1]; may wait for a worker. */
nr_status nr_mp3_write(nr_mp3 *m, const float *pcm, size_t n);
/* Encodes what is left and writes every frame. *TAG (*TAG_LEN bytes, owned
 * by M) is then the final Info frame, to be written over the placeholder
 * (the first bytes written), or NULL without one. */
nr_status nr_mp3_finish(nr_mp3 *m, const uint8_t **tag, size_t *tag_len);
/* Stops the workers (what is queued is dropped) and frees M; NULL is fine. */
void nr_mp3_free(nr_mp3 *m);

/* The frame size (samples) of the MPEG frame header at P, and its length
 * in bytes in *BYTES; 0 when P is not a Layer III frame header. For
 * checks and tests. */
int nr_mp3_frame_header(const uint8_t *p, size_t *bytes);

#endif
