#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporary names of the open files, for nr_out_cleanup_all. Sized for
 * one episode's files (audio, three transcripts, two chapter files, the
 * metadata) several times over. */
enum { MAX_OPEN = 64 };
static char *volatile open_tmp[MAX_OPEN];

static void registry_add(nr_out *o) {
    o->slot = -1;
    for (int i = 0; i < MAX_OPEN && !o->direct; i++)
        if (!open_tmp[i]) {
            open_tmp[i] = o->tmp;
            o->slot = i;
            return;
        }
}

static void registry_remove(nr_out *o) {
    if (o->slot >= 0)
        open_tmp[o->slot] = NULL;
    o->slot = -1;
}

nr_status nr_out_open(nr_ctx *ctx, const char *path, nr_out **out) {
    *out = NULL;
    nr_out *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    struct stat st;
    o->direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
    if (o->direct && S_ISDIR(st.st_mode)) {
        free(o->path);
        free(o);
        return nr_fail(ctx, NR_E_IO, "%s: is a directory", path);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(o->tmp, sizeof o->tmp, "%s/.%s.narrate-XXXXXX", dirname(dir), base);
    o->fd = o->direct ? open(path, O_WRONLY | O_CLOEXEC) : mkostemp(o->tmp, O_CLOEXEC);
    if (o->fd < 0) {
        nr_status s =
            nr_fail(ctx, NR_E_IO, "%s: cannot create the file: %s", path, strerror(errno));
        free(o->path);
        free(o);
        return s;
    }
    if (!o->direct) { /* mkstemp makes 0600; a finished file gets the usual mode */
        mode_t um = umask(0);
        umask(um);
        fchmod(o->fd, 0666 & ~um);
    }
    registry_add(o);
    *out = o;
    return NR_OK;
}

static void out_free(nr_out *o) {
    registry_remove(o);
    free(o->path);
    free(o);
}

void nr_out_discard(nr_out *o) {
    if (!o)
        return;
    if (o->fd >= 0)
        close(o->fd);
    if (!o->direct)
        unlink(o->tmp);
    out_free(o);
}

nr_status nr_out_commit(nr_ctx *ctx, nr_out *o) {
    nr_status st = NR_OK;
    if (!o->direct && fsync(o->fd) != 0)
        st = nr_fail(ctx, NR_E_IO, "%s: cannot write: %s", o->path, strerror(errno));
    if (close(o->fd) != 0 && st == NR_OK)
        st = nr_fail(ctx, NR_E_IO, "%s: cannot write: %s", o->path, strerror(errno));
    o->fd = -1;
    if (st == NR_OK && !o->direct && rename(o->tmp, o->path) != 0)
        st = nr_fail(ctx, NR_E_IO, "%s: cannot create the file: %s", o->path, strerror(errno));
    if (st != NR_OK && !o->direct)
        unlink(o->tmp);
    out_free(o);
    return st;
}

nr_status nr_out_write(nr_ctx *ctx, nr_out *o, const void *p, size_t len) {
    const char *c = p;
    while (len > 0) {
        ssize_t w = write(o->fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return nr_fail(ctx, NR_E_IO, "%s: cannot write: %s", o->path,
                           w < 0 ? strerror(errno) : "short write");
        c += w;
        len -= (size_t)w;
    }
    return NR_OK;
}

FILE *nr_out_fopen(nr_out *o) {
    int fd = dup(o->fd);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

nr_status nr_out_fclose(nr_ctx *ctx, nr_out *o, FILE *f) {
    if (!f)
        return nr_fail(ctx, NR_E_NOMEM, "%s: cannot write: out of memory", o->path);
    bool bad = ferror(f) != 0;
    errno = 0;
    if (fclose(f) != 0 || bad)
        return nr_fail(ctx, NR_E_IO, "%s: cannot write: %s", o->path,
                       errno ? strerror(errno) : "write error");
    return NR_OK;
}

static int scratch_in(const char *dir) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/.narrate-scratch-XXXXXX", dir);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd >= 0)
        unlink(tmp);
    return fd;
}

int nr_scratch_fd(const char *dir) {
    int fd = dir ? scratch_in(dir) : -1;
    if (fd < 0) {
        const char *t = getenv("TMPDIR");
        fd = scratch_in(t && *t ? t : "/tmp");
    }
    return fd;
}

void nr_out_cleanup_all(void) {
    for (int i = 0; i < MAX_OPEN; i++) {
        char *p = open_tmp[i];
        if (p)
            unlink(p);
    }
}
