/* bench_speed_encode IN.wav OUT.mp3: the "synthesis, then encoding"
 * baseline the pipelined MP3 export is compared with. It encodes a WAV file
 * of the engine's audio as `narrate --loudness off -o x.mp3` does, with the
 * same code and settings (resample.h: libsoxr to the MP3 default rate;
 * file_sink.h and mp3.h: LAME at the default bitrate, bit reservoir off),
 * but after the synthesis rather than during it, and as one LAME stream
 * (one thread, not cut into segments). Prints the seconds it took. */
#include <sndfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "../src/audio/file_sink.h"
#include "../src/audio/resample.h"
#include "../src/core/ctx.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads IN through the resampler into the sink. */
static nr_status encode(SNDFILE *in, nr_resampler *rs, nr_file_sink *sink) {
    static float buf[1 << 16];
    nr_status st = NR_OK;
    const float *out;
    size_t n_out;
    sf_count_t n;
    while (st == NR_OK && (n = sf_read_float(in, buf, (sf_count_t)(sizeof buf / sizeof *buf))) > 0)
        if ((st = nr_resampler_process(rs, buf, (size_t)n, &out, &n_out)) == NR_OK)
            st = nr_file_sink_write_float(sink, out, n_out);
    if (st == NR_OK && (st = nr_resampler_process(rs, NULL, 0, &out, &n_out)) == NR_OK)
        st = nr_file_sink_write_float(sink, out, n_out);
    return st;
}

int main(int argc, char **argv) {
    if (argc != 3) { /* run.sh runs every program: this one is bench_speed.sh's tool */
        printf("bench_speed_encode IN.wav OUT.mp3: used by bench_speed.sh\n");
        return 0;
    }
    double t0 = now_s();
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 1;
    SF_INFO in_info = {0};
    SNDFILE *in = sf_open(argv[1], SFM_READ, &in_info);
    if (!in) {
        fprintf(stderr, "bench: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    const nr_format *fmt = nr_format_for_path(argv[2]);
    int rate = fmt && fmt->default_rate ? fmt->default_rate : in_info.samplerate;
    nr_resampler *rs = NULL;
    nr_file_sink *sink = NULL;
    static const nr_encode_opts eo = {.quality = -1, .one_stream = true}; /* the defaults */
    nr_status st = fmt ? nr_resampler_new(&ctx, in_info.samplerate, rate, &rs)
                       : nr_fail(&ctx, NR_E_FORMAT, "%s: not a format narrate writes", argv[2]);
    if (st == NR_OK)
        st = nr_file_sink_open_ex(&ctx, argv[2], fmt, rate, &eo, &sink);
    if (st == NR_OK)
        st = encode(in, rs, sink);
    nr_status closed = nr_file_sink_close(sink, st == NR_OK);
    if (st == NR_OK)
        st = closed;
    nr_resampler_free(rs);
    sf_close(in);
    if (st != NR_OK)
        fprintf(stderr, "bench: %s\n", ctx.err);
    else
        printf("%.3f\n", now_s() - t0);
    nr_ctx_fini(&ctx);
    return st == NR_OK ? 0 : 1;
}
