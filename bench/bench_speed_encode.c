/* bench_speed_encode IN.wav OUT.mp3: encodes a WAV file to MP3 with
 * libsndfile (LAME), the "synthesis, then encoding" baseline the pipelined
 * MP3 export is compared with. Prints the seconds it took. */
#include <sndfile.h>
#include <stdio.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) { /* run.sh runs every program: this one is bench_speed.sh's tool */
        printf("bench_speed_encode IN.wav OUT.mp3: used by bench_speed.sh\n");
        return 0;
    }
    double t0 = now_s();
    SF_INFO in_info = {0};
    SNDFILE *in = sf_open(argv[1], SFM_READ, &in_info);
    if (!in) {
        fprintf(stderr, "bench: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    SF_INFO out_info = {.samplerate = in_info.samplerate,
                        .channels = in_info.channels,
                        .format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III};
    SNDFILE *out = sf_open(argv[2], SFM_WRITE, &out_info);
    if (!out) {
        fprintf(stderr, "bench: %s: %s\n", argv[2], sf_strerror(NULL));
        sf_close(in);
        return 1;
    }
    static short buf[1 << 16];
    sf_count_t n;
    while ((n = sf_read_short(in, buf, (sf_count_t)(sizeof buf / sizeof buf[0]))) > 0)
        sf_write_short(out, buf, n);
    sf_close(in);
    sf_close(out);
    printf("%.3f\n", now_s() - t0);
    return 0;
}
