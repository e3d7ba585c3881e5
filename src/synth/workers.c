/* workers.c: worker processes, the pipe protocol and in-order delivery.
 *
 * The renderer's process forks once per run: a "zygote", a copy of it with
 * the engine as initialised, which forks one worker per chunk on request.
 * Forking from the renderer itself made every one of its pages copy-on-write
 * again at each chunk, and its next write to each (the pipe buffers it reads
 * into, the sink's) a page fault with a TLB flush on every CPU: a third of
 * the time of a 2-job render went there. The zygote barely writes, so its
 * forks are cheap, and the renderer's pages stay its own.
 *
 * Control socket (SOCK_SEQPACKET), renderer -> zygote: a u64 chunk index
 * with the write end of the chunk's pipe (SCM_RIGHTS); zygote -> renderer,
 * as each worker is reaped: { u64 chunk index, i32 wait status, i32 0 }.
 * Closing the socket tells the zygote to kill and reap its workers and exit.
 *
 * A worker writes records to its pipe:
 *   audio: u32 n, u32 n_ev, n int16 samples, n_ev nr_event (n != END)
 *   end:   u32 END, u32 status, u32 msg_len, u32 0, msg_len bytes padded to 8
 * Every record has an even size, so samples stay aligned in the parent's
 * buffer. A pipe that ends without an end record means the worker died. */
#include "workers.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"

#define END_RECORD 0xFFFFFFFFu
enum {
    WBUF = 1 << 16,         /* a worker's write buffer */
    READ_STEP = 1 << 16,    /* bytes read from a pipe at a time */
    AHEAD_BYTES = 16 << 20, /* buffered audio of chunks not yet due, over all */
    MAX_EVENTS = 4096,      /* events in one record, a sanity bound */
    MAX_SLOTS = 128,        /* chunks in flight: twice the most jobs */
    PIPE_BYTES = 1 << 20,   /* a worker's pipe, when the system allows */
};

/* ---- the worker side ---------------------------------------------------- */

/* Audio is gathered into records of up to PENDING samples, so the parent
 * and its sink see a few large calls rather than many small ones. */
enum { PENDING = 16384 };

typedef struct writer {
    int fd;
    size_t len;
    char buf[WBUF];
    int16_t pcm[PENDING];
    nr_event ev[MAX_EVENTS];
    size_t n, n_ev;
    size_t limit; /* samples per record: small at first, for a quick first audio */
} writer;

/* Writes all of P or leaves the process: the parent is gone or gave up. */
static void write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(3);
        c += w;
        n -= (size_t)w;
    }
}

static void flush(writer *w) {
    write_all(w->fd, w->buf, w->len);
    w->len = 0;
}

static void put(writer *w, const void *p, size_t n) {
    if (w->len + n > WBUF)
        flush(w);
    if (n > WBUF) {
        write_all(w->fd, p, n);
        return;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

/* The gathered audio and events as one record. */
static void put_pending(writer *w) {
    if (w->n == 0 && w->n_ev == 0)
        return;
    uint32_t head[2] = {(uint32_t)w->n, (uint32_t)w->n_ev};
    put(w, head, sizeof head);
    put(w, w->pcm, w->n * sizeof *w->pcm);
    put(w, w->ev, w->n_ev * sizeof *w->ev);
    w->n = w->n_ev = 0;
    flush(w); /* the parent may be waiting for it: a player's first audio */
    if (w->limit < PENDING)
        w->limit *= 2;
}

/* Copies events field by field over zeroed memory: their padding bytes go
 * down the pipe too, and must not be uninitialised (valgrind memcheck). */
static void copy_events(nr_event *dst, const nr_event *src, size_t n) {
    memset(dst, 0, n * sizeof *dst);
    for (size_t i = 0; i < n; i++) {
        dst[i].kind = src[i].kind;
        dst[i].sample = src[i].sample;
        dst[i].index = src[i].index;
        dst[i].start = src[i].start;
        dst[i].end = src[i].end;
    }
}

/* The nr_audio_fn a worker renders through. Event samples stay valid when
 * calls are joined: they count from the chunk's start. */
static int emit(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    writer *w = user;
    if (n_ev > MAX_EVENTS)
        n_ev = MAX_EVENTS; /* never happens: the renderer sends a few per call */
    if (w->n + n > w->limit || w->n_ev + n_ev > MAX_EVENTS)
        put_pending(w);
    while (n > PENDING) { /* too large to gather: whole records, events with the first */
        memcpy(w->pcm, pcm, PENDING * sizeof *pcm);
        copy_events(w->ev, ev, n_ev);
        w->n = PENDING, w->n_ev = n_ev;
        put_pending(w);
        pcm += PENDING, n -= PENDING, n_ev = 0;
    }
    if (n)
        memcpy(w->pcm + w->n, pcm, n * sizeof *pcm);
    if (n_ev)
        copy_events(w->ev + w->n_ev, ev, n_ev);
    w->n += n, w->n_ev += n_ev;
    if (w->n >= w->limit) /* now, not at the next call: that is eSpeak's next buffer */
        put_pending(w);
    return 0;
}

static void put_end(writer *w, nr_status st, const char *msg) {
    put_pending(w);
    uint32_t len = (uint32_t)strnlen(msg, 1024);
    uint32_t head[4] = {END_RECORD, (uint32_t)st, len, 0};
    static const char pad[8];
    put(w, head, sizeof head);
    put(w, msg, len);
    put(w, pad, (8 - len % 8) % 8);
    flush(w);
}

/* The worker: render one chunk into the pipe and leave without running any
 * of the parent's exit handlers or flushing its stdio buffers. */
static _Noreturn void worker_main(nr_ctx *ctx, int fd, pid_t parent, const nr_chunk *chunk,
                                  nr_chunk_fn render, const void *arg) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(2);
    static writer w;
    w.fd = fd;
    w.len = w.n = w.n_ev = 0;
    w.limit = 2048;
    ctx->err[0] = '\0';
    nr_status st = render(ctx, arg, chunk, emit, &w);
    put_end(&w, st, st == NR_OK ? "" : ctx->err);
    _exit(0);
}

/* ---- the zygote --------------------------------------------------------- */

/* What the zygote says of each worker it reaped; ERR is an errno when the
 * worker could not be started at all. */
typedef struct report {
    uint64_t chunk;
    int32_t wstatus, err;
} report;

typedef struct child {
    pid_t pid;
    uint64_t chunk;
} child;

/* Receives a request: 1 with *CHUNK and *FD set, 0 at the socket's end
 * (the renderer is done or gone), -1 for anything else. */
static int recv_request(int sock, uint64_t *chunk, int *fd) {
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    struct iovec iov = {chunk, sizeof *chunk};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf, .msg_controllen = sizeof cm.buf};
    ssize_t r;
    do
        r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    while (r < 0 && errno == EINTR);
    if (r <= 0)
        return r == 0 ? 0 : -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN(sizeof(int)))
        return -1;
    memcpy(fd, CMSG_DATA(c), sizeof *fd);
    return r == sizeof *chunk ? 1 : (close(*fd), -1);
}

static void send_report(int sock, uint64_t chunk, int wstatus, int err) {
    report r = {chunk, wstatus, err};
    while (send(sock, &r, sizeof r, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
}

/* Reaps the workers that ended and reports each. */
static void reap_children(int sock, child *kids, size_t *n_kids) {
    int ws;
    pid_t pid;
    while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
        for (size_t k = 0; k < *n_kids; k++)
            if (kids[k].pid == pid) {
                send_report(sock, kids[k].chunk, ws, 0);
                kids[k] = kids[--*n_kids];
                break;
            }
}

/* The zygote: forks a worker for each request until the socket closes,
 * then kills and reaps whatever runs and leaves. It ignores the terminal's
 * signals: the renderer decides, and the zygote dies with it. */
static _Noreturn void zygote_main(nr_ctx *ctx, int sock, pid_t parent, const nr_chunk *chunks,
                                  size_t n, nr_chunk_fn render, const void *arg) {
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(2);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    size_t cap = 16, n_kids = 0;
    child *kids = malloc(cap * sizeof *kids);
    if (sfd < 0 || !kids)
        _exit(4);
    pid_t self = getpid();
    for (;;) {
        struct pollfd pf[2] = {{.fd = sock, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
        if (poll(pf, 2, -1) < 0 && errno != EINTR)
            break;
        if (pf[1].revents) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) > 0)
                ;
            reap_children(sock, kids, &n_kids);
        }
        if (!pf[0].revents)
            continue;
        uint64_t chunk;
        int fd;
        if (recv_request(sock, &chunk, &fd) <= 0)
            break;
        child *more = kids;
        if (n_kids == cap && (more = realloc(kids, 2 * cap * sizeof *kids)) != NULL)
            kids = more, cap *= 2;
        if (chunk >= n || !more) {
            close(fd);
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(sock);
            close(sfd);
            free(kids); /* the zygote's, not the worker's */
            worker_main(ctx, fd, self, &chunks[chunk], render, arg);
        }
        int e = errno;
        close(fd); /* the worker's own copy is its pipe's only write end */
        if (pid < 0)
            send_report(sock, chunk, 0, e);
        else
            kids[n_kids++] = (child){pid, chunk};
    }
    for (size_t k = 0; k < n_kids; k++)
        kill(kids[k].pid, SIGKILL);
    for (size_t k = 0; k < n_kids; k++)
        while (waitpid(kids[k].pid, NULL, 0) < 0 && errno == EINTR)
            ;
    free(kids); /* for valgrind's leak check of this process */
    close(sfd);
    _exit(0);
}

/* ---- the renderer's side ------------------------------------------------ */

typedef struct slot {
    int fd;       /* -1 at end of pipe */
    bool started; /* its worker was asked for */
    bool reported;
    int wstatus, err; /* from the zygote's report */
    char *buf;
    size_t len, cap, pos;
    bool ended;
    nr_status status;
    char *msg;
} slot;

typedef struct pool {
    nr_ctx *ctx;
    const nr_chunk *chunks;
    size_t n, head, next; /* chunks [head, next) are in flight */
    slot *slots;          /* chunk i lives in slots[i % n_slots] */
    size_t n_slots;
    int jobs, running;
    pid_t zygote;
    int ctl; /* the zygote's socket; -1 when it is gone */
    nr_chunk_fn render;
    const void *arg;
    nr_audio_fn fn;
    void *user;
    uint64_t sample; /* samples delivered, from the stream's start */
    uint64_t base;   /* where the head chunk started */
    nr_event *ev;
    bool aborted;
} pool;

int nr_workers_default_jobs(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static slot *slot_of(pool *p, size_t chunk) { return &p->slots[chunk % p->n_slots]; }

static void close_pipe(pool *p, slot *s) {
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
        p->running--;
    }
}

/* Readies S for another chunk. Its buffer is kept: a fresh one would be
 * mapped anew, and page faults cost more than synthesis in a VM. */
static void clear(slot *s) {
    free(s->msg);
    char *buf = s->buf;
    size_t cap = s->cap;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->buf = buf;
    s->cap = cap;
}

/* Starts the zygote: a copy of this process, forked now that the engine is
 * started and the voices loaded, which forks the workers. */
static nr_status start_zygote(pool *p) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start synthesis: %s", strerror(errno));
    pid_t parent = getpid();
    pid_t pid = nr_engine_fork();
    if (pid == 0) {
        close(sv[0]);
        zygote_main(p->ctx, sv[1], parent, p->chunks, p->n, p->render, p->arg);
    }
    int e = errno;
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start synthesis: %s", strerror(e));
    }
    p->zygote = pid;
    p->ctl = sv[0];
    return NR_OK;
}

/* Asks the zygote for a worker for the next chunk, giving it the write end
 * of the chunk's pipe. */
static nr_status spawn(pool *p) {
    size_t i = p->next;
    slot *s = slot_of(p, i);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start a synthesis worker: %s", strerror(errno));
    /* a larger pipe: fewer wake-ups for both sides (the default 64 kB holds
       under 1.5 s of audio); the system may refuse, which only costs time */
    fcntl(fds[0], F_SETPIPE_SZ, PIPE_BYTES);
    uint64_t chunk = i;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    memset(&cm, 0, sizeof cm);
    struct iovec iov = {&chunk, sizeof chunk};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf, .msg_controllen = sizeof cm.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fds[1], sizeof(int));
    ssize_t r;
    do
        r = sendmsg(p->ctl, &m, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    int e = errno;
    close(fds[1]);
    if (r != (ssize_t)sizeof chunk) {
        close(fds[0]);
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start a synthesis worker: %s",
                       r < 0 ? strerror(e) : "the synthesis process is gone");
    }
    clear(s);
    s->fd = fds[0];
    s->started = true;
    p->next++;
    p->running++;
    return NR_OK;
}

/* Takes the zygote's reports waiting on its socket (all of them, or, with
 * WAIT, at least one). NR_E_ENGINE when the zygote is gone. */
static nr_status read_reports(pool *p, bool wait) {
    for (;;) {
        report r;
        ssize_t got = recv(p->ctl, &r, sizeof r, wait ? 0 : MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return NR_OK;
        if (got != (ssize_t)sizeof r)
            return nr_fail(p->ctx, NR_E_ENGINE, "the synthesis process stopped");
        wait = false;
        if (r.chunk >= p->head && r.chunk < p->next) {
            slot *s = slot_of(p, r.chunk);
            s->reported = true;
            s->wstatus = r.wstatus;
            s->err = r.err;
        }
    }
}

/* Reads what is waiting on S's pipe; at its end, closes it. */
static nr_status fill(pool *p, slot *s) {
    if (s->cap - s->len < READ_STEP) {
        if (s->pos > 0) { /* drop what was delivered before growing */
            memmove(s->buf, s->buf + s->pos, s->len - s->pos);
            s->len -= s->pos;
            s->pos = 0;
        }
        if (s->cap - s->len < READ_STEP) {
            size_t cap = s->cap ? s->cap * 2 : 2 * READ_STEP;
            char *b = realloc(s->buf, cap);
            if (!b)
                return nr_fail(p->ctx, NR_E_NOMEM, "out of memory");
            s->buf = b;
            s->cap = cap;
        }
    }
    ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return NR_OK;
    if (r <= 0)
        close_pipe(p, s);
    else
        s->len += (size_t)r;
    return NR_OK;
}
static size_t buffered_ahead(pool *p) {
    size_t total = 0;
    for (size_t k = p->head + 1; k < p->next; k++)
        total += slot_of(p, k)->len - slot_of(p, k)->pos;
    return total;
}

/* Delivers the complete records of the head chunk to the caller. */
static nr_status deliver(pool *p, slot *s) {
    while (!s->ended && s->len - s->pos >= 8) {
        uint32_t h[4];
        memcpy(h, s->buf + s->pos, 8);
        if (h[0] == END_RECORD) {
            if (s->len - s->pos < 16)
                break;
            memcpy(h, s->buf + s->pos, 16);
            size_t need = 16 + h[2] + (8 - h[2] % 8) % 8;
            if (s->len - s->pos < need)
                break;
            s->ended = true;
            s->status = (nr_status)h[1];
            s->msg = strndup(s->buf + s->pos + 16, h[2]);
            s->pos += need;
            break;
        }
        if (h[0] > PENDING || h[1] > MAX_EVENTS)
            return nr_fail(p->ctx, NR_E_ENGINE, "a synthesis worker sent a malformed record");
        size_t pcm_bytes = (size_t)h[0] * sizeof(int16_t);
        size_t need = 8 + pcm_bytes + (size_t)h[1] * sizeof(nr_event);
        if (s->len - s->pos < need)
            break;
        const int16_t *pcm = h[0] ? (const int16_t *)(void *)(s->buf + s->pos + 8) : NULL;
        memcpy(p->ev, s->buf + s->pos + 8 + pcm_bytes, (size_t)h[1] * sizeof(nr_event));
        for (uint32_t k = 0; k < h[1]; k++)
            p->ev[k].sample += p->base;
        s->pos += need;
        if (p->fn(p->user, pcm, h[0], h[1] ? p->ev : NULL, h[1])) {
            p->aborted = true;
            return NR_E_ABORTED;
        }
        p->sample += h[0];
    }
    return NR_OK;
}

/* The head chunk is complete: check how its worker ended and move on. */
static nr_status finish_head(pool *p, slot *s) {
    const nr_chunk *c = &p->chunks[p->head];
    if (!s->ended) { /* the worker died: the zygote says how */
        nr_status st = NR_OK;
        while (st == NR_OK && !s->reported) {
            struct pollfd pf = {.fd = p->ctl, .events = POLLIN};
            if (poll(&pf, 1, 10000) <= 0)
                break;
            st = read_reports(p, true);
        }
        int ws = s->reported ? s->wstatus : 0;
        if (s->reported && s->err)
            return nr_fail(p->ctx, NR_E_ENGINE, "cannot start a synthesis worker: %s",
                           strerror(s->err));
        if (s->reported && WIFSIGNALED(ws))
            return nr_fail(p->ctx, NR_E_ENGINE,
                           "the speech engine crashed (signal %d) in sentences %zu..%zu",
                           WTERMSIG(ws), c->sentence + 1, c->sentence + c->count);
        return nr_fail(p->ctx, NR_E_ENGINE,
                       "the speech engine stopped (status %d) in sentences %zu..%zu",
                       s->reported && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, c->sentence + 1,
                       c->sentence + c->count);
    }
    if (s->status != NR_OK) {
        nr_fail(p->ctx, s->status, "%s", s->msg ? s->msg : "synthesis failed");
        return s->status;
    }
    clear(s);
    p->head++;
    p->base = p->sample;
    return NR_OK;
}

/* One round: start workers, wait for any pipe or report, read, deliver the
 * head. */
static nr_status step(pool *p) {
    while (p->next < p->n && p->next - p->head < p->n_slots && p->running < p->jobs) {
        nr_status st = spawn(p);
        if (st != NR_OK)
            return st;
    }
    slot *head = slot_of(p, p->head);
    if (head->fd < 0) { /* all of it is here */
        nr_status st = deliver(p, head);
        return st != NR_OK ? st : finish_head(p, head);
    }
    struct pollfd fds[MAX_SLOTS + 1];
    slot *who[MAX_SLOTS + 1];
    size_t nf = 0;
    bool room = buffered_ahead(p) < AHEAD_BYTES;
    for (size_t k = p->head; k < p->next; k++) {
        slot *s = slot_of(p, k);
        if (s->fd >= 0 && (k == p->head || room)) {
            fds[nf] = (struct pollfd){.fd = s->fd, .events = POLLIN};
            who[nf++] = s;
        }
    }
    fds[nf] = (struct pollfd){.fd = p->ctl, .events = POLLIN};
    int r = poll(fds, nf + 1, 100);
    if (r < 0 && errno != EINTR)
        return nr_fail(p->ctx, NR_E_ENGINE, "waiting for synthesis workers: %s", strerror(errno));
    if (r > 0 && fds[nf].revents) {
        nr_status st = read_reports(p, false);
        if (st != NR_OK)
            return st;
    }
    for (size_t k = 0; r > 0 && k < nf; k++) {
        if (!fds[k].revents)
            continue;
        nr_status st = fill(p, who[k]);
        if (st != NR_OK)
            return st;
    }
    return deliver(p, head);
}

/* Closes every pipe and the zygote's socket, on which the zygote kills and
 * reaps what still runs and leaves; then reaps the zygote. */
static void stop_all(pool *p) {
    for (size_t k = p->head; p->slots && k < p->next; k++) {
        close_pipe(p, slot_of(p, k));
        clear(slot_of(p, k));
    }
    if (p->ctl >= 0)
        close(p->ctl);
    p->ctl = -1;
    if (p->zygote > 0)
        while (waitpid(p->zygote, NULL, 0) < 0 && errno == EINTR)
            ;
    p->zygote = 0;
}

nr_status nr_workers_run(nr_ctx *ctx, int jobs, const nr_chunk *chunks, size_t n,
                         nr_chunk_fn render, const void *arg, nr_audio_fn fn, void *user,
                         volatile sig_atomic_t *stop, uint64_t *sample) {
    if (jobs <= 0)
        jobs = nr_workers_default_jobs();
    if (jobs > MAX_SLOTS / 2)
        jobs = MAX_SLOTS / 2;
    pool p = {.ctx = ctx,
              .chunks = chunks,
              .n = n,
              .jobs = jobs,
              .n_slots = 2 * (size_t)jobs,
              .ctl = -1,
              .render = render,
              .arg = arg,
              .fn = fn,
              .user = user,
              .sample = *sample,
              .base = *sample};
    if (n == 0)
        return NR_OK;
    p.slots = calloc(p.n_slots, sizeof *p.slots);
    p.ev = malloc(MAX_EVENTS * sizeof *p.ev);
    nr_status st = NR_OK;
    if (!p.slots || !p.ev)
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    for (size_t k = 0; p.slots && k < p.n_slots; k++)
        p.slots[k].fd = -1;
    if (st == NR_OK)
        st = start_zygote(&p);
    while (st == NR_OK && p.head < p.n) {
        if (stop && *stop) {
            st = NR_E_ABORTED;
            break;
        }
        st = step(&p);
    }
    stop_all(&p);
    for (size_t k = 0; p.slots && k < p.n_slots; k++)
        free(p.slots[k].buf);
    free(p.slots);
    free(p.ev);
    *sample = p.sample;
    if (st == NR_E_ABORTED && !ctx->err[0])
        nr_fail(ctx, NR_E_ABORTED, "interrupted");
    return st;
}
