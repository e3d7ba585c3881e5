/* workers.c: worker processes, shared-memory rings and in-order delivery.
 *
 * The renderer's process forks the first chunk's worker itself (its audio is
 * the first heard: one fork away, not two), then a "zygote", a copy of it
 * with the engine as initialised, which forks one worker per chunk on
 * request; the zygote is forked once the first audio is out, so that its
 * fork takes nothing from the first synthesis.
 * Forking from the renderer itself made every one of its pages copy-on-write
 * again at each chunk, and its next write to each (the buffers it reads
 * into, the sink's) a page fault with a TLB flush on every CPU: a third of
 * the time of a 2-job render went there. The zygote barely writes, so its
 * forks are cheap, and the renderer's pages stay its own.
 *
 * Control socket (SOCK_SEQPACKET), renderer -> zygote: a u64 chunk index
 * with the write end of the chunk's doorbell pipe (SCM_RIGHTS); zygote ->
 * renderer, as each worker is reaped: { u64 chunk index, i32 wait status,
 * i32 0 }. Closing the socket tells the zygote to kill and reap its workers
 * and exit.
 *
 * Audio goes through shared memory, not through the pipe: each slot (a
 * chunk in flight) has a ring of RING bytes in a memfd, mapped twice in a
 * row so that every record is contiguous in memory however it wraps. The
 * worker writes records into it and publishes its write position; the
 * renderer hands the head chunk's samples to its caller straight from the
 * ring, and moves the records of chunks not yet due into its own memory
 * ("spills" them) when their ring fills, so their workers never wait while
 * the head is synthesised. A pipe copied every byte twice through the
 * kernel and allocated and freed a page for every 4 kB: a tenth of the
 * CPU time of an export went there. Records:
 *   audio: u32 n, u32 n_ev, n int16 samples, n_ev nr_event (n != END)
 *   end:   u32 END, u32 status, u32 msg_len, u32 0, msg_len bytes padded to 8
 * Every record has an even size, so samples stay aligned.
 *
 * The pipe is a doorbell: the worker writes a byte when the renderer sleeps
 * waiting for its next record, when its ring passes half full, and when it
 * must wait for room; it waits on a futex in the ring. The pipe's end
 * (the worker exited) tells the renderer that the worker is gone: one that
 * ends without an end record died. */
#include "workers.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#define END_RECORD 0xFFFFFFFFu
enum {
    AHEAD_BYTES = 16 << 20, /* spilled audio of chunks not yet due, over all */
    PENDING = 1 << 15,      /* samples in one record, at most */
    MAX_EVENTS = 1024,      /* events in one record, at most */
    MAX_SLOTS = 128,        /* chunks in flight: twice the most jobs */
    RINGS_BYTES = 2 << 20,  /* the rings of all slots, about */
    RING_MIN = 1 << 18,     /* one slot's ring, at least (a page multiple) */
    RING_MAX = 1 << 19,     /* and at most: each worker maps its pages anew */
    POPULATE_STEPS = 64,    /* a worker maps its ring in this many steps */
    SPARES = 2,             /* spill buffers kept aside */
    GRACE_MS = 10000,       /* for the zygote to leave once told (valgrind is slow) */
    ZYGOTE_AFTER = 8192,    /* samples delivered before the zygote is forked */
};

_Static_assert(RING_MIN >= 8 + PENDING * sizeof(int16_t) + MAX_EVENTS * sizeof(nr_event),
               "a record fits in a ring");

/* One slot's ring: positions count bytes from the chunk's start. */
typedef struct ring_ctl {
    _Atomic uint64_t wpos;         /* published by the worker */
    _Atomic uint64_t rpos;         /* consumed by the renderer */
    _Atomic uint32_t reader_waits; /* the renderer sleeps until this many bytes wait */
    _Atomic uint32_t writer_waits; /* futex: the worker sleeps until there is room */
    char pad[64 - 24];
} ring_ctl;

/* The rings of every slot, shared with the zygote and the workers. */
typedef struct rings {
    size_t n, size;
    ring_ctl *ctl;         /* n of them */
    char *data[MAX_SLOTS]; /* each SIZE bytes mapped twice in a row */
} rings;

static long futex(_Atomic uint32_t *word, int op, uint32_t val, const struct timespec *t) {
    return syscall(SYS_futex, (uint32_t *)word, op, val, t, NULL, 0);
}

/* Wakes ring C's worker if it waits for room. */
static void wake_writer(ring_ctl *c) {
    if (atomic_load(&c->writer_waits) && atomic_exchange(&c->writer_waits, 0))
        futex(&c->writer_waits, FUTEX_WAKE, 1, NULL);
}

static void unmap_rings(rings *r) {
    for (size_t k = 0; k < r->n; k++)
        if (r->data[k])
            munmap(r->data[k], 2 * r->size);
    if (r->ctl)
        munmap(r->ctl, r->n * sizeof *r->ctl);
    r->ctl = NULL;
    r->n = 0;
}

/* N rings in one memfd, each mapped twice in a row. */
static bool map_rings(rings *r, size_t n) {
    long page = sysconf(_SC_PAGESIZE);
    size_t size = RINGS_BYTES / n;
    size = size < RING_MIN ? RING_MIN : size > RING_MAX ? RING_MAX : size;
    size -= size % (size_t)(page > 0 ? page : 4096);
    *r = (rings){.n = n, .size = size};
    r->ctl =
        mmap(NULL, n * sizeof *r->ctl, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (r->ctl == MAP_FAILED) {
        r->ctl = NULL;
        return false;
    }
    int fd = memfd_create("narrate-audio", MFD_CLOEXEC);
    bool ok = fd >= 0 && ftruncate(fd, (off_t)(n * size)) == 0;
    for (size_t k = 0; ok && k < n; k++) {
        char *base = mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED)
            break;
        r->data[k] = base;
        for (int half = 0; ok && half < 2; half++)
            ok = mmap(base + half * size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
                      (off_t)(k * size)) != MAP_FAILED;
    }
    if (fd >= 0)
        close(fd);
    for (size_t k = 0; k < n; k++)
        ok = ok && r->data[k];
    if (!ok)
        unmap_rings(r);
    return ok;
}

/* ---- the worker side ---------------------------------------------------- */

typedef struct writer {
    int fd; /* the doorbell */
    ring_ctl *c;
    char *data;
    size_t size;
    uint64_t w;   /* bytes written, published or not */
    uint64_t rec; /* where the open record starts */
    bool open, high;
    size_t n, n_ev;
    size_t limit; /* samples per record: small at first, for a quick first audio */
    bool mapped[POPULATE_STEPS];
    nr_event ev[MAX_EVENTS];
} writer;

static void doorbell(writer *w) {
    char b = 0;
    while (write(w->fd, &b, 1) < 0 && errno == EINTR)
        ;
    /* EAGAIN: the pipe is full of rings already; EPIPE cannot happen (the
       renderer holds the read end until this process has gone) */
}

/* Makes bytes [AT, AT + N) of the double mapping present, a step at a time:
 * one call instead of a page fault per page, each of which is costly in a
 * virtual machine. Failing (an old kernel) costs only the faults. */
static void populate(writer *w, size_t at, size_t n) {
    size_t step = 2 * w->size / POPULATE_STEPS;
    for (size_t k = at / step; k < POPULATE_STEPS && k * step < at + n; k++)
        if (!w->mapped[k]) {
            madvise(w->data + k * step, step, MADV_POPULATE_WRITE);
            w->mapped[k] = true;
        }
}

/* Waits until NEED bytes from the write position are free. */
static void wait_room(writer *w, size_t need) {
    bool rang = false;
    while (w->size - (w->w - atomic_load(&w->c->rpos)) < need) {
        atomic_store(&w->c->writer_waits, 1);
        if (w->size - (w->w - atomic_load(&w->c->rpos)) >= need)
            break;
        if (!rang) /* a chunk not yet due: the renderer moves its records out */
            doorbell(w), rang = true;
        struct timespec t = {1, 0};
        futex(&w->c->writer_waits, FUTEX_WAIT, 1, &t);
    }
    if (rang)
        atomic_store(&w->c->writer_waits, 0);
    populate(w, w->w % w->size, need);
}

/* Makes what was written visible, and rings when the renderer waits for as
 * much as now waits, or when the ring passes half full. */
static void publish(writer *w) {
    atomic_store(&w->c->wpos, w->w);
    uint64_t waiting = w->w - atomic_load(&w->c->rpos);
    uint32_t want = atomic_load(&w->c->reader_waits);
    bool ring = want && waiting >= want && atomic_exchange(&w->c->reader_waits, 0);
    bool high = waiting >= w->size / 2;
    if (high && !w->high)
        ring = true;
    w->high = high;
    if (ring)
        doorbell(w);
}

static char *at(writer *w, uint64_t pos) { return w->data + pos % w->size; }

static void open_record(writer *w) {
    wait_room(w, 8 + w->limit * sizeof(int16_t) + MAX_EVENTS * sizeof(nr_event));
    w->rec = w->w;
    w->open = true;
    w->n = w->n_ev = 0;
}

/* The open record's header and events, and the record published. */
static void close_record(writer *w) {
    if (!w->open)
        return;
    uint32_t head[2] = {(uint32_t)w->n, (uint32_t)w->n_ev};
    memcpy(at(w, w->rec), head, sizeof head);
    memcpy(at(w, w->rec) + 8 + w->n * sizeof(int16_t), w->ev, w->n_ev * sizeof *w->ev);
    w->w = w->rec + 8 + w->n * sizeof(int16_t) + w->n_ev * sizeof *w->ev;
    w->open = false;
    publish(w);
    if (w->limit < PENDING)
        w->limit *= 2;
}

/* Copies events field by field over zeroed memory: their padding bytes go
 * to the renderer too, and must not be uninitialised (valgrind memcheck). */
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

/* The nr_audio_fn a worker renders through: samples go straight into the
 * open record. A call's audio stays in one record (closing the open one
 * first when it would not fit), unless it is longer than a record; its
 * events go with its first samples. Event samples count from the chunk's
 * start, so they stay valid however calls are joined. */
static int emit(void *user, const int16_t *pcm, size_t n, const nr_event *ev, size_t n_ev) {
    writer *w = user;
    if (n_ev > MAX_EVENTS)
        n_ev = MAX_EVENTS; /* never happens: the renderer sends a few per call */
    if (w->open && (w->n + n > w->limit || w->n_ev + n_ev > MAX_EVENTS))
        close_record(w);
    do {
        if (!w->open)
            open_record(w);
        size_t k = n < w->limit - w->n ? n : w->limit - w->n;
        if (k)
            memcpy(at(w, w->rec) + 8 + w->n * sizeof(int16_t), pcm, k * sizeof *pcm);
        if (n_ev)
            copy_events(w->ev + w->n_ev, ev, n_ev);
        w->n += k, w->n_ev += n_ev;
        pcm += k, n -= k, n_ev = 0;
        if (n) /* longer than a record */
            close_record(w);
    } while (n);
    if (w->open && w->n >= w->limit) /* now, not at the next call: eSpeak's next buffer */
        close_record(w);
    return 0;
}

static void put_end(writer *w, nr_status st, const char *msg) {
    close_record(w);
    uint32_t len = (uint32_t)strnlen(msg, 1024);
    uint32_t head[4] = {END_RECORD, (uint32_t)st, len, 0};
    size_t need = sizeof head + len + (8 - len % 8) % 8;
    wait_room(w, need);
    memset(at(w, w->w), 0, need);
    memcpy(at(w, w->w), head, sizeof head);
    memcpy(at(w, w->w) + sizeof head, msg, len);
    w->w += need;
    publish(w); /* and the pipe's end, when this process has gone, rings */
}

/* The worker: render one chunk into ring R, ringing FD, and leave without
 * running any of the parent's exit handlers or flushing its stdio buffers. */
static _Noreturn void worker_main(nr_ctx *ctx, int fd, pid_t parent, const rings *rg, size_t r,
                                  const nr_chunk *chunk, nr_chunk_fn render, const void *arg) {
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
    /* eSpeak draws noise from rand(): every chunk starts from the same
       state, whichever process forked it and whatever ran there before
       (PortAudio's probe, the warm-up), so the audio never depends on timing */
    srand(1);
    static writer w;
    w.fd = fd;
    w.c = &rg->ctl[r];
    w.data = rg->data[r];
    w.size = rg->size;
    w.w = 0;
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
static _Noreturn void zygote_main(nr_ctx *ctx, int sock, pid_t parent, const rings *rg,
                                  const nr_chunk *chunks, size_t n, nr_chunk_fn render,
                                  const void *arg) {
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
            worker_main(ctx, fd, self, rg, chunk % rg->n, &chunks[chunk], render, arg);
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
    int fd;       /* the doorbell; -1 once its worker has gone (the pipe ended) */
    bool started; /* its worker was asked for */
    bool reported;
    int wstatus, err; /* from the zygote's report */
    pid_t pid;        /* a worker forked by the renderer itself (the first), else 0 */
    char *buf;        /* records spilled from the ring: [pos, len) */
    size_t len, cap, pos;
    bool ended;
    nr_status status;
    char *msg;
} slot;

typedef struct pool {
    nr_ctx *ctx;
    const nr_chunk *chunks;
    size_t n, head, next; /* chunks [head, next) are in flight */
    slot *slots;          /* chunk i lives in slots[i % n_slots], with ring i % n_slots */
    size_t n_slots;
    rings rg;
    int jobs, running;
    pid_t zygote;
    int ctl; /* the zygote's socket; -1 when it is gone */
    nr_chunk_fn render;
    const void *arg;
    nr_audio_fn fn;
    void *user;
    uint64_t sample; /* samples delivered, from the stream's start */
    uint64_t base;   /* where the head chunk started */
    uint64_t start;  /* where the stream started */
    nr_event *ev;
    char *spare[SPARES]; /* spill buffers no slot holds, kept for the next */
    size_t spare_cap[SPARES];
    bool aborted;
} pool;

int nr_workers_default_jobs(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static size_t index_of(pool *p, const slot *s) { return (size_t)(s - p->slots); }
static slot *slot_of(pool *p, size_t chunk) { return &p->slots[chunk % p->n_slots]; }
static ring_ctl *ctl_of(pool *p, const slot *s) { return &p->rg.ctl[index_of(p, s)]; }

static void close_pipe(pool *p, slot *s) {
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
        p->running--;
    }
}

/* Readies S for another chunk. Its buffer is kept (retire_buffer passes it
 * on): a fresh one would be mapped anew, and page faults cost more than
 * synthesis in a VM. So is its pipe, which ends when its worker has gone. */
static void clear(slot *s) {
    free(s->msg);
    char *buf = s->buf;
    size_t cap = s->cap;
    int fd = s->fd;
    memset(s, 0, sizeof *s);
    s->fd = fd;
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
        zygote_main(p->ctx, sv[1], parent, &p->rg, p->chunks, p->n, p->render, p->arg);
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

/* The next chunk's doorbell pipe into FDS, and its ring emptied. */
static nr_status new_doorbell(pool *p, int fds[2]) {
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start a synthesis worker: %s", strerror(errno));
    ring_ctl *c = ctl_of(p, slot_of(p, p->next));
    atomic_store(&c->wpos, 0);
    atomic_store(&c->rpos, 0);
    atomic_store(&c->reader_waits, 0);
    atomic_store(&c->writer_waits, 0);
    return NR_OK;
}

/* The slot of the next chunk runs, its worker ringing on FD. */
static void started(pool *p, int fd, pid_t pid) {
    slot *s = slot_of(p, p->next);
    clear(s);
    s->fd = fd;
    s->pid = pid;
    s->started = true;
    p->next++;
    p->running++;
}

/* The first chunk's worker, forked by the renderer itself before the
 * zygote: its audio is the first to be heard, and a fork through the zygote
 * (its request, its fork) comes a fork later. It is reaped here. */
static nr_status spawn_first(pool *p) {
    int fds[2];
    nr_status st = new_doorbell(p, fds);
    if (st != NR_OK)
        return st;
    pid_t parent = getpid();
    pid_t pid = nr_engine_fork();
    if (pid == 0) {
        close(fds[0]);
        worker_main(p->ctx, fds[1], parent, &p->rg, index_of(p, slot_of(p, p->next)),
                    &p->chunks[p->next], p->render, p->arg);
    }
    int e = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return nr_fail(p->ctx, NR_E_ENGINE, "cannot start a synthesis worker: %s", strerror(e));
    }
    started(p, fds[0], pid);
    return NR_OK;
}

/* Asks the zygote for a worker for the next chunk, giving it the write end
 * of the chunk's doorbell; the chunk's ring starts empty. */
static nr_status spawn(pool *p) {
    int fds[2];
    nr_status st = new_doorbell(p, fds);
    if (st != NR_OK)
        return st;
    uint64_t chunk = p->next;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } cm;
    memset(&cm, 0, sizeof cm);
    struct iovec iov = {&chunk, sizeof chunk};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf, .msg_controllen = sizeof cm.buf};
    struct cmsghdr *cmh = CMSG_FIRSTHDR(&m);
    cmh->cmsg_level = SOL_SOCKET;
    cmh->cmsg_type = SCM_RIGHTS;
    cmh->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmh), &fds[1], sizeof(int));
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
    started(p, fds[0], 0);
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

/* Empties S's doorbell; at its end (the worker has gone), closes it. */
static void ring_in(pool *p, slot *s) {
    char b[64];
    ssize_t r;
    while ((r = read(s->fd, b, sizeof b)) > 0 || (r < 0 && errno == EINTR))
        ;
    if (r == 0 || (r < 0 && errno != EAGAIN))
        close_pipe(p, s);
}

static size_t spilled_ahead(pool *p) {
    size_t total = 0;
    for (size_t k = p->head + 1; k < p->next; k++)
        total += slot_of(p, k)->len - slot_of(p, k)->pos;
    return total;
}

/* S's chunk is delivered: its spill buffer becomes a spare in place of a
 * smaller one, so that only the slots that spill hold one, and a spill
 * seldom maps fresh memory. */
static void retire_buffer(pool *p, slot *s) {
    for (size_t k = 0; k < SPARES && s->buf; k++)
        if (s->cap > p->spare_cap[k]) {
            char *b = p->spare[k];
            size_t cap = p->spare_cap[k];
            p->spare[k] = s->buf, p->spare_cap[k] = s->cap;
            s->buf = b, s->cap = cap;
        }
    free(s->buf);
    s->buf = NULL, s->cap = s->len = s->pos = 0;
}

/* Moves the records waiting in the ring of S, a chunk not yet due, into
 * S's buffer, within AHEAD_BYTES over all, so that its worker goes on. */
static nr_status spill(pool *p, slot *s) {
    ring_ctl *c = ctl_of(p, s);
    uint64_t r = atomic_load(&c->rpos);
    size_t n = (size_t)(atomic_load(&c->wpos) - r);
    if (n == 0 || spilled_ahead(p) + n > AHEAD_BYTES)
        return NR_OK;
    if (s->pos > 0) { /* drop what was delivered before growing */
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    for (size_t k = 0; k < SPARES && !s->buf; k++)
        if (p->spare[k]) {
            s->buf = p->spare[k], s->cap = p->spare_cap[k];
            p->spare[k] = NULL, p->spare_cap[k] = 0;
        }
    if (s->cap - s->len < n) {
        size_t cap = s->cap ? s->cap : p->rg.size;
        while (cap - s->len < n)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b)
            return nr_fail(p->ctx, NR_E_NOMEM, "out of memory");
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p->rg.data[index_of(p, s)] + r % p->rg.size, n);
    s->len += n;
    atomic_store(&c->rpos, r + n);
    wake_writer(c);
    return NR_OK;
}

/* Delivers the complete records in [AT, AT + AVAIL) to the caller, up to
 * and with the end record; *USED is what was taken. */
static nr_status deliver_from(pool *p, slot *s, const char *at, size_t avail, size_t *used) {
    size_t pos = 0;
    nr_status st = NR_OK;
    while (!s->ended && avail - pos >= 8) {
        uint32_t h[4];
        memcpy(h, at + pos, 8);
        if (h[0] == END_RECORD) {
            if (avail - pos < 16)
                break;
            memcpy(h, at + pos, 16);
            size_t need = 16 + h[2] + (8 - h[2] % 8) % 8;
            if (h[2] > 1024 || avail - pos < need) {
                st = nr_fail(p->ctx, NR_E_ENGINE, "a synthesis worker sent a malformed record");
                break;
            }
            s->ended = true;
            s->status = (nr_status)h[1];
            s->msg = strndup(at + pos + 16, h[2]);
            pos += need;
            break;
        }
        size_t pcm_bytes = (size_t)h[0] * sizeof(int16_t);
        size_t need = 8 + pcm_bytes + (size_t)h[1] * sizeof(nr_event);
        if (h[0] > PENDING || h[1] > MAX_EVENTS || avail - pos < need) {
            st = nr_fail(p->ctx, NR_E_ENGINE, "a synthesis worker sent a malformed record");
            break;
        }
        const int16_t *pcm = h[0] ? (const int16_t *)(const void *)(at + pos + 8) : NULL;
        memcpy(p->ev, at + pos + 8 + pcm_bytes, (size_t)h[1] * sizeof(nr_event));
        for (uint32_t k = 0; k < h[1]; k++)
            p->ev[k].sample += p->base;
        pos += need;
        if (p->fn(p->user, pcm, h[0], h[1] ? p->ev : NULL, h[1])) {
            p->aborted = true;
            st = NR_E_ABORTED;
            break;
        }
        p->sample += h[0];
    }
    *used = pos;
    return st;
}

/* Delivers what the head chunk has: its spilled records, then its ring's.
 * *MOVED tells whether anything was. */
static nr_status deliver(pool *p, slot *s, bool *moved) {
    size_t used = 0;
    nr_status st = deliver_from(p, s, s->buf + s->pos, s->len - s->pos, &used);
    s->pos += used;
    *moved = used > 0;
    if (st != NR_OK || s->pos < s->len || s->ended)
        return st;
    ring_ctl *c = ctl_of(p, s);
    for (;;) { /* record by record, so that a worker waiting for room goes on */
        uint64_t r = atomic_load(&c->rpos);
        size_t n = (size_t)(atomic_load(&c->wpos) - r);
        if (n == 0)
            break;
        st = deliver_from(p, s, p->rg.data[index_of(p, s)] + r % p->rg.size, n, &used);
        if (used) {
            atomic_store(&c->rpos, r + used);
            wake_writer(c);
            *moved = true;
        }
        if (st != NR_OK || s->ended || used == 0)
            break;
    }
    return st;
}

/* True when the head chunk has nothing more to give: its records are all
 * delivered and its worker has gone. */
static bool drained(pool *p, slot *s) {
    ring_ctl *c = ctl_of(p, s);
    return s->started && s->fd < 0 && s->pos == s->len &&
           atomic_load(&c->wpos) == atomic_load(&c->rpos);
}

/* Reaps S's worker if this process forked it (kill: first kills it); its
 * status stands for the zygote's report. */
static void reap_own(slot *s, bool kill_first) {
    if (s->pid <= 0)
        return;
    if (kill_first)
        kill(s->pid, SIGKILL);
    int ws = 0;
    pid_t r;
    do
        r = waitpid(s->pid, &ws, 0);
    while (r < 0 && errno == EINTR);
    s->pid = 0;
    s->reported = r > 0;
    s->wstatus = ws;
    s->err = 0;
}

/* The head chunk is complete: check how its worker ended and move on. */
static nr_status finish_head(pool *p, slot *s) {
    const nr_chunk *c = &p->chunks[p->head];
    reap_own(s, false); /* it has sent its end, or its pipe ended: it is leaving */
    if (!s->ended) {    /* the worker died: the zygote says how */
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
    retire_buffer(p, s);
    clear(s);
    p->head++;
    p->base = p->sample;
    return NR_OK;
}

/* Spills the chunks not yet due whose ring is half full or whose worker
 * has gone. */
static nr_status spill_ahead(pool *p) {
    for (size_t k = p->head + 1; k < p->next; k++) {
        slot *s = slot_of(p, k);
        ring_ctl *c = ctl_of(p, s);
        uint64_t n = atomic_load(&c->wpos) - atomic_load(&c->rpos);
        if (n > 0 && (s->fd < 0 || n >= p->rg.size / 2 || atomic_load(&c->writer_waits))) {
            nr_status st = spill(p, s);
            if (st != NR_OK)
                return st;
        }
    }
    return NR_OK;
}

/* One round: start workers, deliver the head, spill the others, and sleep
 * when there is nothing to do until a doorbell, a pipe's end or a report. */
static nr_status step(pool *p) {
    /* the zygote is forked once the first chunk has given its first
       records (or is done), which the device then has: its fork neither
       takes a processor from the first synthesis nor stalls the threads
       that hand the first audio to the device (a fork holds this process's
       memory map) */
    bool first_out = p->sample - p->start >= ZYGOTE_AFTER || p->head > 0;
    while (p->next < p->n && p->next - p->head < p->n_slots && p->running < p->jobs &&
           slot_of(p, p->next)->fd < 0 && (p->ctl >= 0 || first_out)) {
        nr_status st = p->ctl >= 0 ? NR_OK : start_zygote(p);
        if (st == NR_OK)
            st = spawn(p);
        if (st != NR_OK)
            return st;
    }
    slot *head = slot_of(p, p->head);
    bool moved;
    nr_status st = deliver(p, head, &moved);
    if (st != NR_OK)
        return st;
    if (head->ended || drained(p, head))
        return finish_head(p, head);
    st = spill_ahead(p);
    if (st != NR_OK)
        return st;
    ring_ctl *c = ctl_of(p, head);
    int timeout = 100;
    if (moved || (head->started && head->fd < 0)) {
        timeout = 0;
    } else { /* nothing: sleep until the head's worker rings, at its first
                record for the chunk's first audio (a player may be waiting),
                later when an eighth of its ring waits (fewer wake-ups; a
                worker synthesises that in a few ms), or at its end */
        uint32_t want = p->sample == p->base ? 1 : (uint32_t)(p->rg.size / 8);
        atomic_store(&c->reader_waits, want);
        if (atomic_load(&c->wpos) - atomic_load(&c->rpos) >= want)
            timeout = 0;
    }
    struct pollfd fds[MAX_SLOTS + 1];
    slot *who[MAX_SLOTS + 1];
    size_t nf = 0;
    for (size_t k = 0; k < p->n_slots; k++)
        if (p->slots[k].fd >= 0) {
            fds[nf] = (struct pollfd){.fd = p->slots[k].fd, .events = POLLIN};
            who[nf++] = &p->slots[k];
        }
    fds[nf] = (struct pollfd){.fd = p->ctl, .events = POLLIN};
    int r = poll(fds, nf + 1, timeout);
    atomic_store(&c->reader_waits, 0);
    if (r < 0 && errno != EINTR)
        return nr_fail(p->ctx, NR_E_ENGINE, "waiting for synthesis workers: %s", strerror(errno));
    if (r > 0 && fds[nf].revents) {
        st = read_reports(p, false);
        if (st != NR_OK)
            return st;
    }
    for (size_t k = 0; r > 0 && k < nf; k++)
        if (fds[k].revents)
            ring_in(p, who[k]);
    return NR_OK;
}

/* Reaps the zygote, which leaves as soon as it reads its socket's end. One
 * that has not left within GRACE_MS (stuck, say, on a lock another thread
 * held at the fork) is killed rather than waited for without end: its
 * workers die with it (PR_SET_PDEATHSIG). */
static void reap_zygote(pid_t z) {
    int pfd = pidfd_open(z, 0);
    if (pfd >= 0) {
        struct pollfd pf = {.fd = pfd, .events = POLLIN};
        int r;
        do
            r = poll(&pf, 1, GRACE_MS);
        while (r < 0 && errno == EINTR);
        close(pfd);
        if (r == 0)
            kill(z, SIGKILL);
    }
    while (waitpid(z, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* Closes every pipe and the zygote's socket, on which the zygote kills and
 * reaps what still runs and leaves; then reaps the zygote. */
static void stop_all(pool *p) {
    for (size_t k = 0; p->slots && k < p->n_slots; k++) {
        reap_own(&p->slots[k], true);
        close_pipe(p, &p->slots[k]);
        clear(&p->slots[k]);
    }
    if (p->ctl >= 0)
        close(p->ctl);
    p->ctl = -1;
    if (p->zygote > 0)
        reap_zygote(p->zygote);
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
              .base = *sample,
              .start = *sample};
    if (n == 0)
        return NR_OK;
    p.slots = calloc(p.n_slots, sizeof *p.slots);
    p.ev = malloc(MAX_EVENTS * sizeof *p.ev);
    nr_status st = NR_OK;
    if (!p.slots || !p.ev)
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    for (size_t k = 0; p.slots && k < p.n_slots; k++)
        p.slots[k].fd = -1;
    if (st == NR_OK && !map_rings(&p.rg, p.n_slots))
        st = nr_fail(ctx, NR_E_NOMEM, "cannot start synthesis: no shared memory: %s",
                     strerror(errno));
    if (st == NR_OK)
        st = spawn_first(&p);
    while (st == NR_OK && p.head < p.n) {
        if (stop && *stop) {
            st = NR_E_ABORTED;
            break;
        }
        st = step(&p);
    }
    stop_all(&p);
    unmap_rings(&p.rg);
    for (size_t k = 0; p.slots && k < p.n_slots; k++)
        free(p.slots[k].buf);
    for (size_t k = 0; k < SPARES; k++)
        free(p.spare[k]);
    free(p.slots);
    free(p.ev);
    *sample = p.sample;
    if (st == NR_E_ABORTED && !ctx->err[0])
        nr_fail(ctx, NR_E_ABORTED, "interrupted");
    return st;
}
