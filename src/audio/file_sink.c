#include "file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "mp3.h"

static const nr_format formats[NR_FMT_COUNT] = {
    {NR_FMT_WAV, "wav", ".wav", "audio/wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0, false},
    {NR_FMT_FLAC, "flac", ".flac", "audio/flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 0, false},
    {NR_FMT_VORBIS, "vorbis", ".ogg", "audio/ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, true},
    {NR_FMT_OPUS, "opus", ".opus", "audio/ogg", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, true},
    {NR_FMT_MP3, "mp3", ".mp3", "audio/mpeg", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100,
     true},
};

const nr_format *nr_format_find(const char *name) {
    if (!name)
        return NULL;
    if (*name == '.')
        name++;
    for (int i = 0; i < NR_FMT_COUNT; i++)
        if (!strcasecmp(name, formats[i].name) || !strcasecmp(name, formats[i].ext + 1))
            return &formats[i];
    if (!strcasecmp(name, "oga"))
        return &formats[NR_FMT_VORBIS];
    return NULL;
}

const nr_format *nr_format_for_path(const char *path) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) /* no extension, or a device: WAV */
        return &formats[NR_FMT_WAV];
    return nr_format_find(dot);
}

const char *nr_format_rate_problem(const nr_format *fmt, int rate) {
    static const int opus[] = {8000, 12000, 16000, 24000, 48000, 0};
    static const int mp3[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 0};
    const int *ok = fmt->id == NR_FMT_OPUS ? opus : fmt->id == NR_FMT_MP3 ? mp3 : NULL;
    if (!ok)
        return rate >= 8000 && rate <= 192000 ? NULL : "8000..192000";
    for (; *ok; ok++)
        if (*ok == rate)
            return NULL;
    return fmt->id == NR_FMT_OPUS ? "8000, 12000, 16000, 24000 or 48000"
                                  : "8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100 "
                                    "or 48000";
}

/* The encoder's view of the file: it starts after the ID3 tag. */
typedef struct vfile {
    int fd;
    sf_count_t base;
    int err;            /* errno of the first failed write */
    off_t synced, sent; /* written back from the start up to SYNCED; written, SENT */
} vfile;

/* Starts writing back what was written since the last call, every
 * WRITEBACK bytes, without waiting: an hour of audio is hundreds of MB,
 * and the fsync before the file is renamed into place then has only the
 * last of them to wait for. Not a regular file: nothing to do. */
enum { WRITEBACK = 8 << 20 };
static void start_writeback(vfile *v, sf_count_t n) {
    v->sent += (off_t)n;
    if (v->sent - v->synced < WRITEBACK)
        return;
    if (sync_file_range(v->fd, v->synced, v->sent - v->synced, SYNC_FILE_RANGE_WRITE) == 0)
        v->synced = v->sent;
    else
        v->synced = (off_t)1 << 62; /* unsupported here: never again */
}

struct nr_file_sink {
    nr_ctx *ctx;
    SNDFILE *sf; /* every format but MP3 */
    nr_mp3 *mp3; /* MP3: LAME on several cores (mp3.h) */
    nr_out *out;
    vfile vf;
};

static sf_count_t v_len(void *u) {
    vfile *v = u;
    struct stat st;
    return fstat(v->fd, &st) == 0 ? st.st_size - v->base : -1;
}

static sf_count_t v_seek(sf_count_t off, int whence, void *u) {
    vfile *v = u;
    off_t r = lseek(v->fd, whence == SEEK_SET ? off + v->base : off, whence);
    return r < 0 ? -1 : r - v->base;
}

static sf_count_t v_read(void *p, sf_count_t n, void *u) {
    vfile *v = u;
    ssize_t r = read(v->fd, p, (size_t)n);
    return r < 0 ? 0 : r;
}

static sf_count_t v_write(const void *p, sf_count_t n, void *u) {
    vfile *v = u;
    const char *c = p;
    sf_count_t done = 0;
    while (done < n) {
        ssize_t w = write(v->fd, c + done, (size_t)(n - done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!v->err)
                v->err = w < 0 ? errno : ENOSPC;
            break;
        }
        done += w;
    }
    start_writeback(v, done);
    return done;
}

static sf_count_t v_tell(void *u) {
    vfile *v = u;
    off_t r = lseek(v->fd, 0, SEEK_CUR);
    return r < 0 ? -1 : r - v->base;
}

/* libsndfile says "System error : No space left on device."; users get
 * "PATH: cannot write: No space left on device". */
static nr_status sf_fail(nr_ctx *ctx, const char *path, SNDFILE *sf, int err, nr_status st) {
    const char *msg = err ? strerror(err) : sf_strerror(sf);
    const char *colon = strstr(msg, " : ");
    char clean[200];
    snprintf(clean, sizeof clean, "%s", colon ? colon + 3 : msg);
    size_t n = strlen(clean);
    if (n && clean[n - 1] == '.')
        clean[n - 1] = '\0';
    return nr_fail(ctx, st, "%s: cannot write: %s", path, clean);
}

static void set_tags(SNDFILE *sf, const nr_tags *t) {
    if (!t)
        return;
    const struct {
        int id;
        const char *v;
    } map[] = {{SF_STR_TITLE, t->title},     {SF_STR_ARTIST, t->author},
               {SF_STR_ALBUM, t->show},      {SF_STR_DATE, t->date},
               {SF_STR_COMMENT, t->comment}, {SF_STR_SOFTWARE, "narrate " NR_VERSION}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].v && *map[i].v)
            sf_set_string(sf, map[i].id, map[i].v);
}

/* Bitrate and quality through libsndfile's one knob, the compression level
 * in [0, 1], whose meaning each codec defines (ogg_opus.c, ogg_vorbis.c in
 * libsndfile 1.2). */
static void set_quality(SNDFILE *sf, const nr_format *fmt, const nr_encode_opts *eo) {
    double level = -1;
    if (fmt->id == NR_FMT_OPUS) {
        level = 1.0 - ((eo->bitrate ? eo->bitrate : 48) * 1000.0 - 6000.0) / 250000.0;
    } else if (fmt->id == NR_FMT_VORBIS) {
        level = 1.0 - (eo->quality >= 0 ? eo->quality : 4) / 10.0;
    } else if (fmt->id == NR_FMT_FLAC) {
        level = 0.5;
    }
    if (level >= 0) {
        level = level < 0 ? 0 : level > 1 ? 1 : level;
        sf_command(sf, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
    }
}

/* The MP3 encoder's output: after the ID3 tag, through the same file. */
static nr_status mp3_out(void *user, const uint8_t *p, size_t n) {
    nr_file_sink *s = user;
    if (v_write(p, (sf_count_t)n, &s->vf) != (sf_count_t)n || s->vf.err)
        return sf_fail(s->ctx, s->out->path, NULL, s->vf.err ? s->vf.err : ENOSPC, NR_E_IO);
    return NR_OK;
}

/* MP3 through LAME directly rather than libsndfile: on several cores
 * (mp3.h), with the settings libsndfile gave LAME (CBR at the bitrate,
 * 64 kbit/s by default, or VBR at the quality). The Info frame goes first
 * when the file can be rewritten there, as libsndfile did. */
static nr_status open_mp3(nr_file_sink *s, int rate, const nr_encode_opts *eo) {
    nr_mp3_opts mo = {.rate = rate,
                      .bitrate = eo->bitrate,
                      .quality = eo->bitrate ? -1 : eo->quality,
                      .threads = eo->threads,
                      .one_stream = eo->one_stream,
                      .info_frame = lseek(s->vf.fd, 0, SEEK_CUR) >= 0};
    return nr_mp3_new(s->ctx, &mo, mp3_out, s, &s->mp3);
}

nr_status nr_file_sink_open_ex(nr_ctx *ctx, const char *path, const nr_format *fmt, int rate,
                               const nr_encode_opts *eo, nr_file_sink **out) {
    static const nr_encode_opts none = {.quality = -1};
    *out = NULL;
    if (!eo)
        eo = &none;
    const char *why = nr_format_rate_problem(fmt, rate);
    if (why)
        return nr_fail(ctx, NR_E_ARG, "%s: %s cannot be written at %d Hz (use %s)", path, fmt->name,
                       rate, why);
    nr_file_sink *s = calloc(1, sizeof *s);
    if (!s)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    s->ctx = ctx;
    nr_status st = nr_out_open(ctx, path, &s->out);
    if (st != NR_OK) {
        free(s);
        return st;
    }
    if (fmt->id == NR_FMT_MP3 && eo->id3_len)
        st = nr_out_write(ctx, s->out, eo->id3, eo->id3_len);
    s->vf = (vfile){.fd = s->out->fd, .base = fmt->id == NR_FMT_MP3 ? (sf_count_t)eo->id3_len : 0};
    SF_VIRTUAL_IO vio = {v_len, v_seek, v_read, v_write, v_tell};
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = fmt->sf_format};
    if (st == NR_OK && fmt->id == NR_FMT_MP3)
        st = open_mp3(s, rate, eo);
    else if (st == NR_OK && !(s->sf = sf_open_virtual(&vio, SFM_WRITE, &info, &s->vf)))
        st = sf_fail(ctx, path, NULL, s->vf.err, s->out->direct ? NR_E_IO : NR_E_FORMAT);
    if (st != NR_OK) {
        nr_out_discard(s->out);
        free(s);
        return st;
    }
    if (s->mp3) {
        *out = s;
        return NR_OK;
    }
    /* a resampled or limited sample a hair over full scale must clip, not wrap */
    sf_command(s->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
    set_tags(s->sf, eo->tags);
    set_quality(s->sf, fmt, eo);
    *out = s;
    return NR_OK;
}

nr_status nr_file_sink_open(nr_ctx *ctx, const char *path, int rate, nr_file_sink **out) {
    const nr_format *fmt = nr_format_for_path(path);
    if (!fmt) {
        *out = NULL;
        return nr_fail(ctx, NR_E_FORMAT,
                       "%s: cannot write %s files (use .wav, .flac, .ogg, .opus or .mp3)", path,
                       strrchr(path, '.'));
    }
    return nr_file_sink_open_ex(ctx, path, fmt, rate, NULL, out);
}

static nr_status write_error(nr_file_sink *s) {
    return sf_fail(s->ctx, s->out->path, s->sf, s->vf.err, NR_E_IO);
}

nr_status nr_file_sink_write(nr_file_sink *s, const int16_t *pcm, size_t n) {
    if (n == 0)
        return NR_OK;
    if (s->mp3) {
        float f[4096];
        nr_status st = NR_OK;
        for (size_t done = 0, k; st == NR_OK && done < n; done += k) {
            k = n - done < 4096 ? n - done : 4096;
            for (size_t i = 0; i < k; i++)
                f[i] = pcm[done + i] / 32768.0f;
            st = nr_mp3_write(s->mp3, f, k);
        }
        return st;
    }
    if (sf_write_short(s->sf, pcm, (sf_count_t)n) != (sf_count_t)n || s->vf.err)
        return write_error(s);
    return NR_OK;
}

nr_status nr_file_sink_write_float(nr_file_sink *s, const float *pcm, size_t n) {
    if (n == 0)
        return NR_OK;
    if (s->mp3)
        return nr_mp3_write(s->mp3, pcm, n);
    if (sf_write_float(s->sf, pcm, (sf_count_t)n) != (sf_count_t)n || s->vf.err)
        return write_error(s);
    return NR_OK;
}

nr_status nr_file_sink_rewrite_head(nr_file_sink *s, const uint8_t *p, size_t n) {
    if ((sf_count_t)n != s->vf.base)
        return nr_fail(s->ctx, NR_E_ARG, "%s: the new tag does not fit", s->out->path);
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(s->vf.fd, p + done, n - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return nr_fail(s->ctx, NR_E_IO, "%s: cannot write the tag: %s", s->out->path,
                           w < 0 ? strerror(errno) : "short write");
        done += (size_t)w;
    }
    return NR_OK;
}

/* The MP3's last frames, then its Info frame over the placeholder. */
static nr_status finish_mp3(nr_file_sink *s) {
    const uint8_t *tag;
    size_t len;
    nr_status st = nr_mp3_finish(s->mp3, &tag, &len);
    for (size_t done = 0; st == NR_OK && done < len;) {
        ssize_t w =
            pwrite(s->vf.fd, tag + done, len - done, (off_t)(s->vf.base + (sf_count_t)done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            st = nr_fail(s->ctx, NR_E_IO, "%s: cannot write: %s", s->out->path,
                         w < 0 ? strerror(errno) : "short write");
        else
            done += (size_t)w;
    }
    nr_mp3_free(s->mp3);
    s->mp3 = NULL;
    return st;
}

nr_status nr_file_sink_finish(nr_file_sink *s) {
    if (s->mp3)
        return finish_mp3(s);
    if (!s->sf)
        return NR_OK;
    nr_status st = NR_OK;
    sf_write_sync(s->sf);
    if (sf_error(s->sf) != SF_ERR_NO_ERROR || s->vf.err)
        st = write_error(s);
    if (sf_close(s->sf) != 0 && st == NR_OK)
        st = nr_fail(s->ctx, NR_E_IO, "%s: cannot finish the file", s->out->path);
    s->sf = NULL;
    if (st == NR_OK && s->vf.err)
        st = sf_fail(s->ctx, s->out->path, NULL, s->vf.err, NR_E_IO);
    return st;
}

const char *nr_file_sink_temp_path(const nr_file_sink *s) {
    return s->out->direct ? NULL : s->out->tmp;
}

nr_status nr_file_sink_close(nr_file_sink *s, bool commit) {
    if (!s)
        return NR_OK;
    nr_status st = NR_OK;
    if (commit)
        st = nr_file_sink_finish(s);
    else if (s->sf)
        sf_close(s->sf);
    nr_mp3_free(s->mp3);
    if (commit && st == NR_OK)
        st = nr_out_commit(s->ctx, s->out);
    else
        nr_out_discard(s->out);
    free(s);
    return st;
}

void nr_file_sink_cleanup_all(void) { nr_out_cleanup_all(); }
