#include "file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct nr_file_sink {
    nr_ctx *ctx;
    SNDFILE *sf;
    char *path;
    char tmp[4096];
    int slot;
    bool direct; /* the target is a device or pipe: written in place */
};

/* Temporary names of the open sinks, for nr_file_sink_cleanup_all. */
enum { MAX_SINKS = 16 };
static char *volatile open_tmp[MAX_SINKS];

/* libsndfile says "System error : No space left on device."; users get
 * "PATH: cannot write: No space left on device". */
static nr_status sf_fail(nr_ctx *ctx, const char *path, SNDFILE *sf, nr_status st) {
    const char *msg = sf_strerror(sf);
    const char *colon = strstr(msg, " : ");
    char clean[200];
    snprintf(clean, sizeof clean, "%s", colon ? colon + 3 : msg);
    size_t n = strlen(clean);
    if (n && clean[n - 1] == '.')
        clean[n - 1] = '\0';
    return nr_fail(ctx, st, "%s: cannot write: %s", path, clean);
}

static int format_for(const char *path) {
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) /* no extension, or a device: WAV */
        return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    if (!strcasecmp(dot, ".wav"))
        return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    return 0;
}

nr_status nr_file_sink_open(nr_ctx *ctx, const char *path, int rate, nr_file_sink **out) {
    *out = NULL;
    int format = format_for(path);
    if (!format) {
        const char *dot = strrchr(path, '.');
        return nr_fail(ctx, NR_E_FORMAT, "%s: cannot write %s files (use .wav)", path, dot);
    }
    nr_file_sink *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    s->ctx = ctx;
    /* A device or pipe (/dev/full, a FIFO) cannot be replaced by a rename:
       write to it in place. */
    struct stat st_target;
    s->direct = stat(path, &st_target) == 0 && !S_ISREG(st_target.st_mode);
    if (s->direct && S_ISDIR(st_target.st_mode)) {
        free(s->path);
        free(s);
        return nr_fail(ctx, NR_E_IO, "%s: is a directory", path);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(s->tmp, sizeof s->tmp, "%s/.%s.narrate-XXXXXX", dirname(dir), base);
    int fd = s->direct ? open(path, O_WRONLY | O_CLOEXEC) : mkstemp(s->tmp);
    if (fd < 0) {
        nr_status st =
            nr_fail(ctx, NR_E_IO, "%s: cannot create the file: %s", path, strerror(errno));
        free(s->path);
        free(s);
        return st;
    }
    if (!s->direct) { /* mkstemp makes 0600; a finished file gets the usual mode */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = format};
    s->sf = sf_open_fd(fd, SFM_WRITE, &info, 1);
    if (!s->sf) {
        nr_status st = sf_fail(ctx, path, NULL, s->direct ? NR_E_IO : NR_E_FORMAT);
        close(fd);
        if (!s->direct)
            unlink(s->tmp);
        free(s->path);
        free(s);
        return st;
    }
    s->slot = -1;
    for (int i = 0; i < MAX_SINKS && !s->direct; i++)
        if (!open_tmp[i]) {
            open_tmp[i] = s->tmp;
            s->slot = i;
            break;
        }
    *out = s;
    return NR_OK;
}

static nr_status write_error(nr_file_sink *s) { return sf_fail(s->ctx, s->path, s->sf, NR_E_IO); }

nr_status nr_file_sink_write(nr_file_sink *s, const int16_t *pcm, size_t n) {
    if (n == 0)
        return NR_OK;
    if (sf_write_short(s->sf, pcm, (sf_count_t)n) != (sf_count_t)n)
        return write_error(s);
    return NR_OK;
}

nr_status nr_file_sink_close(nr_file_sink *s, bool commit) {
    if (!s)
        return NR_OK;
    nr_status st = NR_OK;
    if (commit) {
        sf_write_sync(s->sf);
        if (sf_error(s->sf) != SF_ERR_NO_ERROR)
            st = write_error(s);
    }
    if (sf_close(s->sf) != 0 && commit && st == NR_OK)
        st = nr_fail(s->ctx, NR_E_IO, "%s: cannot finish the file", s->path);
    if (!s->direct && commit && st == NR_OK && rename(s->tmp, s->path) != 0)
        st = nr_fail(s->ctx, NR_E_IO, "%s: cannot create the file: %s", s->path, strerror(errno));
    if (!s->direct && (!commit || st != NR_OK))
        unlink(s->tmp);
    if (s->slot >= 0)
        open_tmp[s->slot] = NULL;
    free(s->path);
    free(s);
    return st;
}

void nr_file_sink_cleanup_all(void) {
    for (int i = 0; i < MAX_SINKS; i++) {
        char *p = open_tmp[i];
        if (p)
            unlink(p);
    }
}
