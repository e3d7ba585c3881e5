/* Tests of the MP3 encoder cut into segments (audio/mp3.h): the stream
 * decodes (libsndfile through mpg123, as anyone would) to exactly the
 * samples that went in; the seams between segments are as clean as the
 * rest (no click, gap or repeated frame: against the source, the frames
 * around each seam are as close as one whole-stream encoder's); the Info
 * frame's counts, delay, padding and CRCs describe the stream. */
#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <unistd.h>

#include "audio/mp3.h"
#include "check.h"

enum { SEG = 256 * 1152 }; /* samples of a segment at 44.1 kHz (mp3.c) */

typedef struct stream {
    uint8_t *p;
    size_t len, cap;
} stream;

static nr_status append(void *user, const uint8_t *p, size_t n) {
    stream *s = user;
    if (s->len + n > s->cap) {
        s->cap = (s->len + n) * 2;
        s->p = realloc(s->p, s->cap);
    }
    memcpy(s->p + s->len, p, n);
    s->len += n;
    return NR_OK;
}

/* Speech-like test audio: voiced syllables whose pitch glides (harmonics
 * up to 4 kHz), noise bursts like fricatives, pauses. */
static float *make_audio(size_t n, int rate) {
    float *x = malloc((n ? n : 1) * sizeof *x);
    uint32_t seed = 12345;
    double phase = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate, syl = fmod(t, 0.25) / 0.25;
        int kind = (int)(t / 0.25) % 5;
        double f0 = 110 + 40 * sin(2 * M_PI * 0.7 * t);
        phase += 2 * M_PI * f0 / rate;
        double v = 0;
        if (kind < 3) {
            for (int h = 1; h * f0 < 4000; h++)
                v += sin(h * phase) / h;
            v *= 0.25 * sin(M_PI * syl);
        } else if (kind == 3) {
            seed = seed * 1664525u + 1013904223u;
            v = 0.15 * ((double)(seed >> 8) / (1 << 24) - 0.5) * sin(M_PI * syl);
        }
        x[i] = (float)v;
    }
    return x;
}

static uint16_t crc16_bitwise(uint16_t crc, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1 ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
    }
    return crc;
}

static uint32_t be(const uint8_t *p, int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* X (N samples) encoded with O, the Info frame in place: *LEN bytes, of
 * which the Info frame *TAG_LEN; NULL when encoding fails. */
static uint8_t *encode(const float *x, size_t n, nr_mp3_opts o, size_t *len, size_t *tag_len,
                       const char *what) {
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    stream s = {0};
    nr_mp3 *m;
    nr_status st = nr_mp3_new(&ctx, &o, append, &s, &m);
    /* fed in uneven pieces, as the export's resampler gives them */
    for (size_t at = 0, k = 1000; st == NR_OK && at < n; at += k, k = k * 7 % 9973 + 1)
        st = nr_mp3_write(m, x + at, at + k > n ? n - at : k);
    const uint8_t *tag = NULL;
    *tag_len = 0;
    if (st == NR_OK)
        st = nr_mp3_finish(m, &tag, tag_len);
    CHECK(st == NR_OK, "%s: encodes: %s", what, ctx.err);
    CHECK(tag && *tag_len <= s.len, "%s: an Info frame", what);
    if (st == NR_OK && tag)
        memcpy(s.p, tag, *tag_len);
    nr_mp3_free(m);
    nr_ctx_fini(&ctx);
    if (st != NR_OK || !tag) {
        free(s.p);
        return NULL;
    }
    *len = s.len;
    return s.p;
}

/* Encodes X (N samples) with O into a file in DIR and decodes it: the
 * decoded samples (*N_OUT), NULL when anything fails. Checks the Info
 * frame against the stream on the way. */
static float *round_trip(const char *dir, const float *x, size_t n, nr_mp3_opts o, size_t *n_out,
                         const char *what) {
    size_t tag_len;
    stream s = {0};
    s.p = encode(x, n, o, &s.len, &tag_len, what);
    if (!s.p)
        return NULL;
    /* the stream is whole frames, counted and summed as the tag says */
    size_t frames = 0, at = tag_len, size = 0;
    int fs = 0;
    while (at + 4 <= s.len && (fs = nr_mp3_frame_header(s.p + at, &size)) && at + size <= s.len)
        at += size, frames++;
    CHECK(at == s.len, "%s: whole frames to the end (%zu of %zu bytes)", what, at, s.len);
    int lsf = ((s.p[1] >> 3) & 3) != 3;
    size_t x_at = 4 + (lsf ? 9 : 17), ext = x_at + 120;
    CHECK(!memcmp(s.p + x_at, o.quality >= 0 && !o.bitrate ? "Xing" : "Info", 4),
          "%s: Info for CBR, Xing for VBR", what);
    CHECK(be(s.p + x_at + 8, 4) == frames, "%s: the tag counts %u frames, the stream has %zu", what,
          be(s.p + x_at + 8, 4), frames);
    CHECK(be(s.p + x_at + 12, 4) == s.len, "%s: bytes", what);
    uint32_t dp = be(s.p + ext + 21, 3);
    size_t delay = dp >> 12, padding = dp & 0xfff;
    CHECK(fs && delay + n + padding == frames * (size_t)fs,
          "%s: delay %zu + %zu samples + padding %zu = %zu frames of %d", what, delay, n, padding,
          frames, fs);
    CHECK(be(s.p + ext + 32, 2) == crc16_bitwise(0, s.p + tag_len, s.len - tag_len),
          "%s: music CRC", what);
    CHECK(be(s.p + ext + 34, 2) == crc16_bitwise(0, s.p, ext + 34), "%s: tag CRC", what);

    char path[512];
    snprintf(path, sizeof path, "%s/t.mp3", dir);
    FILE *f = fopen(path, "wb");
    fwrite(s.p, 1, s.len, f);
    fclose(f);
    free(s.p);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    CHECK(sf != NULL, "%s: libsndfile reads it: %s", what, sf_strerror(NULL));
    size_t cap = n + 100000, got = 0;
    float *y = calloc(cap, sizeof *y);
    for (sf_count_t r; sf && got < cap && (r = sf_read_float(sf, y + got, 4096)) > 0;)
        got += (size_t)r;
    sf_close(sf);
    unlink(path);
    *n_out = got;
    return y;
}

/* Every length decodes to itself, one stream or in segments, including
 * lengths at a segment's edges. */
static void test_lengths(const char *dir) {
    static const size_t lens[] = {1, 1151, 1152, 1153, SEG - 1, SEG, SEG + 1, 2 * SEG + 5000};
    float *x = make_audio(2 * SEG + 5000, 44100);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        for (int threads = 0; threads <= 3; threads += 3) {
            char what[64];
            snprintf(what, sizeof what, "%zu samples, %s", lens[i],
                     threads ? "3 threads" : "one stream");
            nr_mp3_opts o = {.rate = 44100,
                             .quality = -1,
                             .threads = threads,
                             .one_stream = !threads,
                             .info_frame = true};
            size_t got = 0;
            float *y = round_trip(dir, x, lens[i], o, &got, what);
            CHECK(y && got == lens[i], "%s: %zu samples decoded", what, got);
            free(y);
        }
    free(x);
}

/* Error energy of Y against X over [A, B). */
static double err(const float *x, const float *y, size_t a, size_t b) {
    double e = 0;
    for (size_t i = a; i < b; i++)
        e += (double)(y[i] - x[i]) * (y[i] - x[i]);
    return e;
}

/* The seams: around each, the segmented stream is as close to the source
 * as one stream is; a click, a gap or a repeated frame would be far off. */
static void test_seams(const char *dir) {
    size_t n = 5 * SEG + 777, n1 = 0, n3 = 0;
    float *x = make_audio(n, 44100);
    nr_mp3_opts o = {.rate = 44100, .quality = -1, .one_stream = true, .info_frame = true};
    float *one = round_trip(dir, x, n, o, &n1, "one stream");
    o = (nr_mp3_opts){.rate = 44100, .quality = -1, .threads = 3, .info_frame = true};
    float *seg = round_trip(dir, x, n, o, &n3, "segments");
    CHECK(one && seg && n1 == n && n3 == n, "both decode whole: %zu, %zu of %zu", n1, n3, n);
    if (one && seg && n1 == n && n3 == n) {
        double sig = 0;
        for (size_t i = 0; i < n; i++)
            sig += (double)x[i] * x[i];
        double snr1 = 10 * log10(sig / err(x, one, 0, n)),
               snr3 = 10 * log10(sig / err(x, seg, 0, n));
        printf("SNR against the source: one stream %.2f dB, segments %.2f dB\n", snr1, snr3);
        CHECK(snr1 > 15 && snr3 > snr1 - 0.5, "segments %.2f dB, one stream %.2f dB", snr3, snr1);
        for (size_t k = 1; k * SEG + 3 * 1152 <= n; k++) {
            size_t a = k * SEG - 3 * 1152, b = k * SEG + 3 * 1152;
            double e1 = err(x, one, a, b), e3 = err(x, seg, a, b);
            double worst = 0;
            for (size_t i = a; i < b; i++)
                worst = fmax(worst, fabs(seg[i] - x[i]) - fabs(one[i] - x[i]));
            printf("seam %zu: error %.3g (one stream %.3g), worst extra %.4f\n", k, e3, e1, worst);
            CHECK(e3 <= 1.5 * e1 + 1e-6, "seam %zu: error %.3g, one stream's %.3g", k, e3, e1);
            CHECK(worst < 0.05, "seam %zu: a sample %.4f further off than one stream's", k, worst);
        }
    }
    free(one), free(seg), free(x);
}

/* The bytes do not depend on the number of threads: the segments are the
 * same and each is encoded alone. */
static void test_threads(void) {
    size_t n = 3 * SEG + 4321, len[3] = {0}, tag_len;
    float *x = make_audio(n, 44100);
    uint8_t *b[3];
    for (int i = 0; i < 3; i++) {
        nr_mp3_opts o = {.rate = 44100, .quality = -1, .threads = 1 << i, .info_frame = true};
        b[i] = encode(x, n, o, &len[i], &tag_len, "threads");
    }
    for (int i = 1; i < 3; i++)
        CHECK(b[0] && b[i] && len[i] == len[0] && !memcmp(b[0], b[i], len[0]),
              "%d threads write the bytes of one", 1 << i);
    for (int i = 0; i < 3; i++)
        free(b[i]);
    free(x);
}

/* VBR (a Xing frame) and MPEG-2 rates (576-sample frames) in segments. */
static void test_modes(const char *dir) {
    static const struct {
        int rate, bitrate;
        double quality;
    } modes[] = {{44100, 0, 6}, {22050, 64, -1}, {22050, 0, 4}, {48000, 128, -1}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        size_t n = 3 * SEG / 2 + 99, got = 0;
        float *x = make_audio(n, modes[i].rate);
        nr_mp3_opts o = {.rate = modes[i].rate,
                         .bitrate = modes[i].bitrate,
                         .quality = modes[i].quality,
                         .threads = 2,
                         .info_frame = true};
        char what[64];
        snprintf(what, sizeof what, "%d Hz, %d kbit/s, quality %g", modes[i].rate, modes[i].bitrate,
                 modes[i].quality);
        float *y = round_trip(dir, x, n, o, &got, what);
        CHECK(y && got == n, "%s: %zu of %zu samples decoded", what, got, n);
        double sig = 0, e = y && got == n ? err(x, y, 0, n) : 1e30;
        for (size_t k = 0; k < n; k++)
            sig += (double)x[k] * x[k];
        CHECK(10 * log10(sig / e) > 10, "%s: SNR %.1f dB", what, 10 * log10(sig / e));
        free(x), free(y);
    }
}

int main(void) {
    char dir[] = "/tmp/nr-test-mp3XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    test_lengths(dir);
    test_seams(dir);
    test_threads();
    test_modes(dir);
    rmdir(dir);
    return check_done("test_mp3");
}
