#include "keys.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int tty_fd = -1;
static volatile sig_atomic_t raw_on;
static unsigned char pending[64];
static size_t n_pending;

static void make_raw(void) {
    struct termios t = saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(tty_fd, TCSANOW, &t) == 0)
        raw_on = 1;
}

void nr_keys_restore(void) {
    if (raw_on && tty_fd >= 0) {
        tcsetattr(tty_fd, TCSANOW, &saved);
        raw_on = 0;
    }
}

/* Fatal signals: the terminal back, then the signal's own action. */
static void on_fatal(int sig) {
    int e = errno;
    nr_keys_restore();
    signal(sig, SIG_DFL);
    raise(sig);
    errno = e;
}

/* Ctrl-Z: a cooked terminal while stopped, raw again when continued. */
static void on_stop(int sig) {
    (void)sig;
    int e = errno;
    nr_keys_restore();
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
    errno = e;
}

static void on_cont(int sig) {
    (void)sig;
    int e = errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTSTP, &sa, NULL);
    if (tty_fd >= 0 && !raw_on)
        make_raw();
    errno = e;
}

static void handle(int sig, void (*fn)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

bool nr_keys_open(int fd) {
    if (!isatty(fd) || tcgetattr(fd, &saved) != 0)
        return false;
    tty_fd = fd;
    static bool registered;
    if (!registered) {
        atexit(nr_keys_restore);
        registered = true;
    }
    handle(SIGQUIT, on_fatal);
    handle(SIGABRT, on_fatal);
    handle(SIGSEGV, on_fatal);
    handle(SIGBUS, on_fatal);
    handle(SIGTSTP, on_stop);
    handle(SIGCONT, on_cont);
    make_raw();
    return raw_on;
}

bool nr_keys_pending(void) { return n_pending > 0; }

static void consume(size_t n) {
    memmove(pending, pending + n, n_pending - n);
    n_pending -= n;
}

/* An escape sequence at the start of pending[]: arrows as ESC [ X or ESC O X;
 * other sequences are skipped whole; a lone ESC is Escape. */
static nr_key escape(void) {
    if (n_pending == 1) {
        consume(1);
        return NR_KEY_QUIT;
    }
    if (pending[1] != '[' && pending[1] != 'O') {
        consume(1);
        return NR_KEY_QUIT;
    }
    size_t i = 2;
    while (i < n_pending && (pending[i] < 0x40 || pending[i] > 0x7E))
        i++; /* parameters and intermediates */
    if (i >= n_pending) {
        consume(n_pending);
        return NR_KEY_NONE;
    }
    unsigned char final = pending[i];
    consume(i + 1);
    switch (final) {
    case 'A':
        return NR_KEY_PREV_BLOCK;
    case 'B':
        return NR_KEY_NEXT_BLOCK;
    case 'C':
        return NR_KEY_NEXT;
    case 'D':
        return NR_KEY_PREV;
    default:
        return NR_KEY_NONE;
    }
}

/* Whatever FD has within MS milliseconds, appended to pending[]; false at
 * end of file or on an error. */
static bool fill(int fd, int ms) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    if (n_pending >= sizeof pending || poll(&pfd, 1, ms) <= 0)
        return true;
    ssize_t r = read(fd, pending + n_pending, sizeof pending - n_pending);
    if (r > 0)
        n_pending += (size_t)r;
    return r > 0 || (r < 0 && (errno == EINTR || errno == EAGAIN));
}

nr_key nr_keys_read(int fd) {
    if (!fill(fd, 0) && n_pending == 0)
        return NR_KEY_EOF;
    if (n_pending == 1 && pending[0] == 0x1B)
        fill(fd, 30); /* an arrow's bytes may come in two reads */
    if (n_pending == 0)
        return NR_KEY_NONE;
    unsigned char c = pending[0];
    if (c == 0x1B)
        return escape();
    consume(1);
    switch (c) {
    case ' ':
        return NR_KEY_PAUSE;
    case '+':
    case '=':
        return NR_KEY_FASTER;
    case '-':
    case '_':
        return NR_KEY_SLOWER;
    case 'r':
    case 'R':
        return NR_KEY_REPEAT;
    case 'q':
    case 'Q':
        return NR_KEY_QUIT;
    case '?':
    case 'h':
    case 'H':
        return NR_KEY_HELP;
    case 4: /* Ctrl-D */
        return NR_KEY_QUIT;
    default:
        return NR_KEY_NONE;
    }
}
