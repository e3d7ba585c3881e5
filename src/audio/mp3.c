#include "mp3.h"

#include <lame.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    SEG_FRAMES = 256, /* frames a segment keeps: 6.7 s at 44.1 kHz */
    WARM_FRAMES = 2,  /* of the audio before a segment, encoded and dropped */
    TAIL_FRAMES = 2,  /* of the audio after it: its last frames see what follows */
    MAX_THREADS = 8,  /* each holds two segments (1.2 MB each) */
    TOC_SLOTS = 400,  /* frame offsets kept for the Info frame's seek table */
    CHUNK = 8192,     /* samples per call to LAME */
    TAG_MAX = 2048,   /* the largest Info frame (VBR at 8 kHz is 417 bytes at most) */
    LAME_EXT = 120,   /* from "Info" to the LAME extension: flags, counts, TOC, quality */
};

/* LAME's set-up fills tables shared by all its encoders: they are made
 * (and closed) one at a time. */
static pthread_mutex_t lame_lock = PTHREAD_MUTEX_INITIALIZER;

/* The settings narrate always used through libsndfile (mpeg_l3_encode.c:
 * in and out at RATE, mono, no automatic tags, CBR at the bitrate or VBR
 * at 10 - quality), with the bit reservoir off; TAG: LAME's Info frame. */
static lame_t lame_make(const nr_mp3_opts *o, bool tag) {
    pthread_mutex_lock(&lame_lock);
    lame_t l = lame_init();
    bool ok = l != NULL;
    if (ok) {
        lame_set_in_samplerate(l, o->rate);
        lame_set_num_channels(l, 1);
        lame_set_out_samplerate(l, o->rate);
        lame_set_write_id3tag_automatic(l, 0);
        lame_set_bWriteVbrTag(l, tag);
        lame_set_disable_reservoir(l, 1);
        if (!o->bitrate && o->quality >= 0) {
            lame_set_VBR(l, vbr_default);
            lame_set_VBR_quality(l, (float)(10 - o->quality));
        } else {
            lame_set_VBR(l, vbr_off);
            lame_set_brate(l, o->bitrate ? o->bitrate : 64);
        }
        ok = lame_init_params(l) >= 0;
    }
    if (!ok && l) {
        lame_close(l);
        l = NULL;
    }
    pthread_mutex_unlock(&lame_lock);
    return l;
}

static void lame_free(lame_t l) {
    if (!l)
        return;
    pthread_mutex_lock(&lame_lock);
    lame_close(l);
    pthread_mutex_unlock(&lame_lock);
}

int nr_mp3_frame_header(const uint8_t *p, size_t *bytes) {
    static const short kbps[2][16] = {
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}};
    static const int rates[3] = {44100, 48000, 32000};
    if (p[0] != 0xff || (p[1] & 0xe0) != 0xe0)
        return 0;
    int version = (p[1] >> 3) & 3; /* 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5 */
    int layer = (p[1] >> 1) & 3;   /* 1: Layer III */
    int bi = p[2] >> 4, si = (p[2] >> 2) & 3, pad = (p[2] >> 1) & 1;
    if (version == 1 || layer != 1 || bi == 0 || bi == 15 || si == 3)
        return 0;
    int lsf = version != 3;
    int rate = rates[si] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    *bytes = (size_t)((lsf ? 72 : 144) * kbps[lsf][bi] * 1000 / rate + pad);
    return lsf ? 576 : 1152;
}

/* ---- the stream's accounting: CRC, seek table, Info frame ---------------- */

/* CRC-16 with the polynomial x^16 + x^15 + x^2 + 1, bits reflected: the
 * LAME tag's, over its own bytes and over the music. */
static uint16_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void) {
    for (unsigned i = 0; i < 256; i++) {
        unsigned c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xA001 : c >> 1;
        crc_table[i] = (uint16_t)c;
    }
}

static uint16_t crc16(uint16_t crc, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        crc = (uint16_t)((crc >> 8) ^ crc_table[(crc ^ p[i]) & 0xff]);
    return crc;
}

typedef enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE } slot_state;

/* One segment's job: its audio in, its frames out. */
typedef struct slot {
    slot_state state;
    uint64_t seq;
    float *pcm; /* warm-up, segment, tail */
    size_t n;
    int warm;    /* leading frames to drop */
    size_t keep; /* frames to keep; SIZE_MAX: all (the last segment, flushed) */
    uint8_t *out;
    size_t out_len, out_cap;
    nr_status st; /* the worker's: NR_OK, NR_E_NOMEM or NR_E_ENGINE */
} slot;

struct nr_mp3 {
    nr_ctx *ctx;
    nr_mp3_opts o;
    nr_mp3_write_fn write;
    void *user;
    int fs; /* samples per frame */
    /* what went in and what was written (audio frames, not the Info frame) */
    uint64_t samples, frames, bytes;
    uint16_t crc;
    uint64_t toc[TOC_SLOTS]; /* byte offset of frame k * toc_every */
    size_t toc_n, toc_every;
    uint8_t tag[TAG_MAX]; /* LAME's Info frame, completed at the end */
    size_t tag_len, tag_at, delay;
    /* one stream (one thread) */
    lame_t one;
    uint8_t *pend; /* its output short of a whole frame */
    size_t pend_len, pend_cap;
    /* segments */
    int threads, started;
    float *acc; /* the next segment's audio, warm-up first */
    size_t acc_len;
    int acc_warm;
    slot *slots;
    int n_slots;
    uint64_t queued, written;
    pthread_t tid[MAX_THREADS];
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    bool quit;
};

static void note_frame(nr_mp3 *m, const uint8_t *p, size_t len) {
    if (m->frames % m->toc_every == 0) {
        if (m->toc_n == TOC_SLOTS) { /* full: every other offset, twice as far apart */
            for (size_t i = 0; i < TOC_SLOTS / 2; i++)
                m->toc[i] = m->toc[2 * i];
            m->toc_n = TOC_SLOTS / 2;
            m->toc_every *= 2;
        }
        if (m->frames % m->toc_every == 0)
            m->toc[m->toc_n++] = m->bytes;
    }
    m->crc = crc16(m->crc, p, len);
    m->frames++;
    m->bytes += len;
}

/* Writes the whole frames of P (LEN bytes) after the first SKIP, at most
 * KEEP of them; *USED: the bytes of whole frames seen (a partial frame at
 * the end stays). */
static nr_status emit_frames(nr_mp3 *m, const uint8_t *p, size_t len, size_t skip, size_t keep,
                             size_t *used) {
    size_t at = 0, from = 0, index = 0, kept = 0;
    while (at + 4 <= len && kept < keep) {
        size_t size;
        if (!nr_mp3_frame_header(p + at, &size))
            return nr_fail(m->ctx, NR_E_ENGINE, "MP3 encoding: LAME wrote something not a frame");
        if (at + size > len)
            break;
        if (index++ < skip)
            from = at + size;
        else
            note_frame(m, p + at, size), kept++;
        at += size;
    }
    *used = at;
    if (keep != SIZE_MAX ? kept < keep : index < skip)
        return nr_fail(m->ctx, NR_E_ENGINE, "MP3 encoding: a segment came out short");
    return at > from ? m->write(m->user, p + from, at - from) : NR_OK;
}

static void put_be(uint8_t *p, uint64_t v, int n) {
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* LAME's Info frame made for the whole stream: the template's settings,
 * this stream's counts, seek table, padding and CRCs. */
static void finish_tag(nr_mp3 *m) {
    uint8_t *t = m->tag;
    size_t x = m->tag_at + 8, ext = m->tag_at + LAME_EXT; /* after "Info" and the flags */
    uint64_t total = m->tag_len + m->bytes;
    put_be(t + x, m->frames, 4);
    put_be(t + x + 4, total, 4);
    for (int i = 0; i < 100; i++) { /* the offset at i % of the frames, in 256ths */
        size_t k = m->toc_n ? (size_t)(m->frames * (uint64_t)i / 100 / m->toc_every) : 0;
        if (k >= m->toc_n)
            k = m->toc_n ? m->toc_n - 1 : 0;
        uint64_t v = m->bytes && m->toc_n ? 256 * m->toc[k] / m->bytes : 0;
        t[x + 8 + i] = (uint8_t)(v > 255 ? 255 : v);
    }
    int64_t pad = (int64_t)(m->frames * (uint64_t)m->fs) - (int64_t)m->delay - (int64_t)m->samples;
    pad = pad < 0 ? 0 : pad > 4095 ? 4095 : pad;
    put_be(t + ext + 21, ((uint64_t)m->delay << 12) | (uint64_t)pad, 3);
    put_be(t + ext + 28, total, 4);
    put_be(t + ext + 32, m->crc, 2);
    put_be(t + ext + 34, crc16(0, t, ext + 34), 2);
}

/* The Info frame LAME makes for these settings (after a frame of silence),
 * where its fields are; tag_len stays 0 when it is not the layout known. */
static nr_status make_template(nr_mp3 *m) {
    lame_t l = lame_make(&m->o, true);
    if (!l)
        return nr_fail(m->ctx, NR_E_ARG, "MP3 cannot be encoded at %d Hz and %d kbit/s", m->o.rate,
                       m->o.bitrate ? m->o.bitrate : 64);
    m->fs = lame_get_framesize(l);
    m->delay = (size_t)lame_get_encoder_delay(l);
    float *zero = calloc((size_t)m->fs, sizeof *zero);
    uint8_t *buf = malloc(2 * TAG_MAX + 16384);
    bool ok = zero && buf && lame_encode_buffer_ieee_float(l, zero, NULL, m->fs, buf, 16384) >= 0 &&
              lame_encode_flush(l, buf, 16384) >= 0;
    size_t n = ok ? lame_get_lametag_frame(l, m->tag, sizeof m->tag) : 0;
    free(zero), free(buf);
    lame_free(l);
    if (!ok)
        return nr_fail(m->ctx, NR_E_NOMEM, "out of memory");
    size_t frame;
    if (n < 4 || n > sizeof m->tag || !nr_mp3_frame_header(m->tag, &frame) || frame != n)
        return NR_OK;
    int lsf = ((m->tag[1] >> 3) & 3) != 3, mono = (m->tag[3] >> 6) == 3;
    size_t at = 4 + (size_t)(lsf ? (mono ? 9 : 17) : (mono ? 17 : 32));
    if (at + LAME_EXT + 36 > n ||
        (memcmp(m->tag + at, "Info", 4) && memcmp(m->tag + at, "Xing", 4)) ||
        m->tag[at + 7] != 0x0f || memcmp(m->tag + at + LAME_EXT, "LAME", 4))
        return NR_OK;
    m->tag_at = at;
    m->tag_len = n;
    return NR_OK;
}

/* ---- one stream ----------------------------------------------------------- */

/* Feeds N samples to the one encoder (PCM NULL: flushes it) and writes its
 * whole frames. */
static nr_status one_encode(nr_mp3 *m, const float *pcm, size_t n) {
    do {
        size_t k = n < CHUNK ? n : CHUNK;
        size_t need = m->pend_len + k + k / 4 + 7200;
        if (need > m->pend_cap) {
            uint8_t *p = realloc(m->pend, need);
            if (!p)
                return nr_fail(m->ctx, NR_E_NOMEM, "out of memory");
            m->pend = p, m->pend_cap = need;
        }
        int room = (int)(m->pend_cap - m->pend_len);
        int r = pcm ? lame_encode_buffer_ieee_float(m->one, pcm, NULL, (int)k,
                                                    m->pend + m->pend_len, room)
                    : lame_encode_flush(m->one, m->pend + m->pend_len, room);
        if (r < 0)
            return nr_fail(m->ctx, NR_E_ENGINE, "MP3 encoding failed (LAME error %d)", r);
        m->pend_len += (size_t)r;
        size_t used;
        nr_status st = emit_frames(m, m->pend, m->pend_len, 0, SIZE_MAX, &used);
        if (st != NR_OK)
            return st;
        memmove(m->pend, m->pend + used, m->pend_len - used);
        m->pend_len -= used;
        if (pcm)
            pcm += k;
        n -= k;
    } while (n > 0);
    return NR_OK;
}

/* ---- segments --------------------------------------------------------------- */

/* Room in S's output for what K more samples (0: the flush) can make. */
static bool out_room(slot *s, size_t k) {
    size_t need = s->out_len + k + k / 4 + 7200; /* lame.h's bound */
    if (need <= s->out_cap)
        return true;
    uint8_t *p = realloc(s->out, need);
    if (!p)
        return false;
    s->out = p, s->out_cap = need;
    return true;
}

/* A worker's job: the slot's audio through a fresh encoder, flushed at
 * the end of the stream, all its output kept (the writer drops the
 * warm-up and what follows the segment; a segment short of frames is an
 * error there). */
static nr_status encode_slot(const nr_mp3 *m, slot *s) {
    lame_t l = lame_make(&m->o, false);
    if (!l)
        return NR_E_NOMEM;
    nr_status st = NR_OK;
    s->out_len = 0;
    for (size_t at = 0, k = 1; st == NR_OK && k > 0; at += k) {
        k = s->n - at < CHUNK ? s->n - at : CHUNK;
        if (!out_room(s, k)) {
            st = NR_E_NOMEM;
            break;
        }
        if (k == 0 && s->keep != SIZE_MAX)
            break; /* the tail has brought out the segment's frames: no flush */
        int room = (int)(s->out_cap - s->out_len);
        int r = k ? lame_encode_buffer_ieee_float(l, s->pcm + at, NULL, (int)k, s->out + s->out_len,
                                                  room)
                  : lame_encode_flush(l, s->out + s->out_len, room);
        if (r < 0)
            st = NR_E_ENGINE;
        else
            s->out_len += (size_t)r;
    }
    lame_free(l);
    return st;
}

static slot *next_queued(nr_mp3 *m) {
    slot *best = NULL;
    for (int i = 0; i < m->n_slots; i++)
        if (m->slots[i].state == SLOT_QUEUED && (!best || m->slots[i].seq < best->seq))
            best = &m->slots[i];
    return best;
}

static void *worker(void *arg) {
    nr_mp3 *m = arg;
    pthread_mutex_lock(&m->lock);
    for (;;) {
        slot *s;
        while (!m->quit && !(s = next_queued(m)))
            pthread_cond_wait(&m->work, &m->lock);
        if (m->quit)
            break;
        s->state = SLOT_BUSY;
        pthread_mutex_unlock(&m->lock);
        nr_status st = encode_slot(m, s);
        pthread_mutex_lock(&m->lock);
        s->st = st;
        s->state = SLOT_DONE;
        pthread_cond_signal(&m->done);
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

/* Writes the finished segments that are next in order; called with the
 * lock held, which is let go while writing (only this thread touches a
 * finished slot). */
static nr_status drain(nr_mp3 *m) {
    nr_status st = NR_OK;
    slot *s;
    while (st == NR_OK && (s = &m->slots[m->written % (uint64_t)m->n_slots])->state == SLOT_DONE) {
        pthread_mutex_unlock(&m->lock);
        size_t used;
        st = s->st == NR_E_NOMEM ? nr_fail(m->ctx, NR_E_NOMEM, "out of memory")
             : s->st != NR_OK    ? nr_fail(m->ctx, NR_E_ENGINE, "MP3 encoding failed (LAME)")
                              : emit_frames(m, s->out, s->out_len, (size_t)s->warm, s->keep, &used);
        pthread_mutex_lock(&m->lock);
        s->state = SLOT_FREE;
        m->written++;
    }
    return st;
}

static nr_status start_workers(nr_mp3 *m) {
    for (; m->started < m->threads; m->started++) {
        int err = pthread_create(&m->tid[m->started], NULL, worker, m);
        if (err && m->started == 0)
            return nr_fail(m->ctx, NR_E_NOMEM, "cannot start the MP3 encoders: %s", strerror(err));
        if (err)
            break; /* fewer workers: slower, still right */
    }
    return NR_OK;
}

/* Hands the accumulated audio to a worker as a segment whose warm-up
 * frames are dropped and KEEP frames kept (SIZE_MAX: all, the end). Waits
 * for a free slot, writing what is finished meanwhile. */
static nr_status dispatch(nr_mp3 *m, size_t keep) {
    nr_status st = m->started ? NR_OK : start_workers(m); /* after the synthesis has forked */
    if (st != NR_OK)
        return st;
    slot *s = &m->slots[m->queued % (uint64_t)m->n_slots];
    pthread_mutex_lock(&m->lock);
    while ((st = drain(m)) == NR_OK && s->state != SLOT_FREE)
        pthread_cond_wait(&m->done, &m->lock);
    pthread_mutex_unlock(&m->lock);
    if (st != NR_OK)
        return st;
    if (!s->pcm && !(s->pcm = malloc((size_t)(WARM_FRAMES + SEG_FRAMES + TAIL_FRAMES) *
                                     (size_t)m->fs * sizeof *s->pcm)))
        return nr_fail(m->ctx, NR_E_NOMEM, "out of memory");
    memcpy(s->pcm, m->acc, m->acc_len * sizeof *s->pcm);
    s->n = m->acc_len;
    s->warm = m->acc_warm;
    s->keep = keep;
    pthread_mutex_lock(&m->lock);
    s->seq = m->queued++;
    s->state = SLOT_QUEUED;
    pthread_cond_signal(&m->work);
    pthread_mutex_unlock(&m->lock);
    return NR_OK;
}

static nr_status seg_write(nr_mp3 *m, const float *pcm, size_t n) {
    size_t fs = (size_t)m->fs;
    while (n > 0) {
        size_t full = ((size_t)m->acc_warm + SEG_FRAMES + TAIL_FRAMES) * fs;
        size_t k = n < full - m->acc_len ? n : full - m->acc_len;
        memcpy(m->acc + m->acc_len, pcm, k * sizeof *pcm);
        m->acc_len += k, pcm += k, n -= k;
        if (m->acc_len < full)
            break;
        nr_status st = dispatch(m, SEG_FRAMES);
        if (st != NR_OK)
            return st;
        /* the next segment starts SEG_FRAMES on; its warm-up is the end of this one */
        size_t from = ((size_t)m->acc_warm + SEG_FRAMES - WARM_FRAMES) * fs;
        memmove(m->acc, m->acc + from, (m->acc_len - from) * sizeof *m->acc);
        m->acc_len -= from;
        m->acc_warm = WARM_FRAMES;
    }
    return NR_OK;
}

/* The last segment, then every segment written. */
static nr_status seg_finish(nr_mp3 *m) {
    nr_status st = dispatch(m, SIZE_MAX);
    pthread_mutex_lock(&m->lock);
    while (st == NR_OK && (st = drain(m)) == NR_OK && m->written < m->queued)
        pthread_cond_wait(&m->done, &m->lock);
    pthread_mutex_unlock(&m->lock);
    return st;
}

/* ---- the encoder ------------------------------------------------------------ */

nr_status nr_mp3_new(nr_ctx *ctx, const nr_mp3_opts *o, nr_mp3_write_fn write, void *user,
                     nr_mp3 **out) {
    pthread_once(&crc_once, crc_init);
    nr_mp3 *m = *out = calloc(1, sizeof *m);
    if (!m)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    *m = (nr_mp3){.ctx = ctx, .o = *o, .write = write, .user = user, .toc_every = 1};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    m->threads = o->threads > 0 ? o->threads : cpus > 0 ? (int)cpus : 1;
    m->threads = m->threads > MAX_THREADS ? MAX_THREADS : m->threads;
    nr_status st = make_template(m);
    if (st == NR_OK && o->one_stream && !(m->one = lame_make(&m->o, false)))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (st == NR_OK && !o->one_stream) {
        m->n_slots = 2 * m->threads;
        m->slots = calloc((size_t)m->n_slots, sizeof *m->slots);
        m->acc = malloc((size_t)(WARM_FRAMES + SEG_FRAMES + TAIL_FRAMES) * (size_t)m->fs *
                        sizeof *m->acc);
        if (!m->slots || !m->acc)
            st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
        pthread_mutex_init(&m->lock, NULL);
        pthread_cond_init(&m->work, NULL);
        pthread_cond_init(&m->done, NULL);
    }
    if (!o->info_frame)
        m->tag_len = 0;
    if (st == NR_OK && m->tag_len) /* the placeholder, completed at the end */
        st = write(user, m->tag, m->tag_len);
    if (st != NR_OK) {
        nr_mp3_free(m);
        *out = NULL;
    }
    return st;
}

nr_status nr_mp3_write(nr_mp3 *m, const float *pcm, size_t n) {
    m->samples += n;
    return m->one ? (n ? one_encode(m, pcm, n) : NR_OK) : seg_write(m, pcm, n);
}

nr_status nr_mp3_finish(nr_mp3 *m, const uint8_t **tag, size_t *tag_len) {
    *tag = NULL, *tag_len = 0;
    nr_status st = m->one ? one_encode(m, NULL, 0) : seg_finish(m);
    if (st != NR_OK)
        return st;
    if (m->tag_len) {
        finish_tag(m);
        *tag = m->tag, *tag_len = m->tag_len;
    }
    return NR_OK;
}

void nr_mp3_free(nr_mp3 *m) {
    if (!m)
        return;
    if (m->slots) {
        pthread_mutex_lock(&m->lock);
        m->quit = true;
        pthread_cond_broadcast(&m->work);
        pthread_mutex_unlock(&m->lock);
        for (int i = 0; i < m->started; i++)
            pthread_join(m->tid[i], NULL);
        for (int i = 0; i < m->n_slots; i++)
            free(m->slots[i].pcm), free(m->slots[i].out);
        pthread_mutex_destroy(&m->lock);
        pthread_cond_destroy(&m->work);
        pthread_cond_destroy(&m->done);
    }
    free(m->slots);
    free(m->acc);
    free(m->pend);
    lame_free(m->one);
    free(m);
}
