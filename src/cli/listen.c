#include "listen.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "display.h"
#include "keys.h"
#include "resume.h"

/* Past this many bytes, playback starts on the head of the article while
 * the whole is analysed in the background. */
enum { HEAD_BYTES = 4096 };

void nr_cli_listen_restore_terminal(void) { nr_keys_restore(); }

typedef struct session {
    nr_narrator *nr;
    const nr_listen_opts *o;
    volatile sig_atomic_t *signalled;
    char *bytes;
    size_t len;
    bool own_bytes; /* malloc'd here, else nr_read_input's */
    int fd;         /* a file read on later (PREFIX_BYTES), else -1 */
    size_t have;    /* bytes read of LEN */
    const char *name;
    uint64_t hash;
    bool hashed;              /* hash holds the article's */
    nr_document *head, *full; /* head: what started; full: the whole, when analysed */
    const nr_document *shown; /* the fullest the player has */
    nr_player *player;
    nr_narrator *(*make_narrator)(void);
    nr_display display;
    bool keys;
    /* background analysis */
    nr_narrator *bg_nr;
    pthread_t bg;
    bool bg_started, bg_running;
    int bg_pipe[2];
    nr_status bg_status;
} session;

static nr_listen_result result(nr_status st, const char *name, bool reported, bool output) {
    return (nr_listen_result){st, name, reported, output};
}

/* Standard input counts as the article when it is a pipe or a file. */
static bool stdin_is_piped(void) {
    struct stat st;
    return !isatty(0) && fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode));
}

/* A regular file of at most FAST_READ bytes is read into a buffer of its
 * size, where nr_read_input grows one as it goes (copies and page faults: 10
 * ms for 1 MB on a loaded machine, before the first audio). Past
 * PREFIX_BYTES only those are read first, when the place to start needs no
 * more: the head plays from them and the rest is read once the first audio
 * is out (read_rest). False leaves the file to nr_read_input: another kind,
 * a size that changes before the head is read, an error (which nr_read_input
 * reports in its words). The size limit is checked on the size, by the
 * analysis. */
enum { FAST_READ = 16 << 20, PREFIX_BYTES = 32 << 10 };

/* Reads FD into BUF from N up to WANT bytes; returns the bytes there. */
static size_t read_upto(int fd, char *buf, size_t n, size_t want) {
    while (n < want) {
        ssize_t r = read(fd, buf + n, want - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    return n;
}

static bool read_regular(session *s, const char *path, bool prefix) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0)
        return false;
    size_t size =
        fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= FAST_READ
            ? (size_t)st.st_size
            : 0;
    char *buf = size ? malloc(size + 1) : NULL;
    prefix = prefix && size > PREFIX_BYTES;
    /* one byte more than the size: the end must come */
    size_t n = buf ? read_upto(fd, buf, 0, prefix ? PREFIX_BYTES : size + 1) : 0;
    if (!buf || n != (prefix ? PREFIX_BYTES : size)) {
        close(fd);
        free(buf);
        return false;
    }
    s->bytes = buf;
    s->len = size;
    s->have = n;
    s->own_bytes = true;
    if (prefix)
        s->fd = fd;
    else
        close(fd);
    return true;
}

/* The rest of a file read in part: after the head's first audio, so that
 * the read never delays it. A file that shrank meanwhile ends where its
 * bytes end; one that grew is taken at the size it had. */
static void read_rest(session *s) {
    if (s->fd < 0)
        return;
    s->have = read_upto(s->fd, s->bytes, s->have, s->len);
    s->len = s->have;
    close(s->fd);
    s->fd = -1;
}

/* The article's bytes, as the other modes pick them: the file, a piped
 * standard input, else the built-in sample. */
static nr_status read_article(session *s) {
    const char *path = s->o->input;
    if (!path && stdin_is_piped())
        path = "-";
    if (path) {
        const char *slash = strrchr(path, '/');
        s->name = !strcmp(path, "-") ? "stdin" : slash ? slash + 1 : path;
        /* the whole first where the place to start may lie past the head */
        bool prefix = !s->o->resume && s->o->from <= 0 && !s->o->from_text;
        if (strcmp(path, "-") && read_regular(s, path, prefix))
            return NR_OK;
        nr_status st = nr_read_input(s->nr, path, &s->bytes, &s->len);
        s->have = s->len;
        if (st != NR_OK || s->len > 0 || s->o->input)
            return st;
        nr_bytes_free(s->bytes); /* an empty pipe and no article named: the sample */
        s->bytes = NULL;
    }
    size_t len;
    const char *text = nr_sample_article(&len);
    s->bytes = malloc(len ? len : 1);
    if (!s->bytes)
        return NR_E_NOMEM;
    memcpy(s->bytes, text, len);
    s->len = s->have = len;
    s->own_bytes = true;
    s->name = "sample";
    return NR_OK;
}

static void *analyse_whole(void *arg) {
    session *s = arg;
    s->bg_status = nr_document_from_memory(s->bg_nr, s->bytes, s->len, s->name, &s->full);
    char c = 1;
    if (write(s->bg_pipe[1], &c, 1) < 0) {
        /* the main loop also notices through its poll timeout */
    }
    return NULL;
}

/* Analyses the whole article in a thread while the head plays. */
static void start_background(session *s) {
    s->bg_started = true;
    read_rest(s);
    s->bg_nr = s->make_narrator();
    if (!s->bg_nr || pipe(s->bg_pipe) != 0)
        return;
    nr_fork_guard_enter(); /* the thread's whole life: the player forks outside it */
    s->bg_running = pthread_create(&s->bg, NULL, analyse_whole, s) == 0;
    if (!s->bg_running)
        nr_fork_guard_leave();
}

static void join_background(session *s) {
    if (!s->bg_running)
        return;
    pthread_join(s->bg, NULL);
    nr_fork_guard_leave();
    s->bg_running = false;
    close(s->bg_pipe[0]);
    close(s->bg_pipe[1]);
}

/* Hands the whole article's analysis, once done, to the player. */
static void finish_background(session *s) {
    if (!s->bg_running)
        return;
    join_background(s);
    if (s->bg_status == NR_OK && s->full) {
        nr_player_set_document(s->player, s->full);
        s->shown = s->full;
    }
}

/* Lower-case ASCII letters, one space for any run of white space. */
static size_t fold(const char *in, size_t n, char *out) {
    size_t k = 0;
    bool space = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (isspace(c)) {
            if (!space)
                out[k++] = ' ';
            space = true;
            continue;
        }
        out[k++] = (char)tolower(c);
        space = false;
    }
    if (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return k;
}

/* The first sentence of DOC that contains WORDS (case and spacing aside). */
static bool find_text(const nr_document *doc, const char *words, size_t *at) {
    char *want = malloc(strlen(words) + 1);
    if (!want)
        return false;
    fold(words, strlen(words), want);
    bool found = false;
    size_t n = nr_document_sentence_count(doc);
    for (size_t i = 0; i < n && !found && *want; i++) {
        size_t len;
        const char *t = nr_document_sentence(doc, i, &len);
        char *hay = malloc(len + 1);
        if (!hay)
            break;
        fold(t, len, hay);
        if (strstr(hay, want)) {
            *at = i;
            found = true;
        }
        free(hay);
    }
    free(want);
    return found;
}

/* The article's key for its saved place, computed on first use: hashing a
 * long article is not free, and it waits until the first audio is out. */
static uint64_t article_hash(session *s) {
    if (!s->hashed) {
        read_rest(s);
        s->hash = nr_resume_hash(s->bytes, s->len);
        s->hashed = true;
    }
    return s->hash;
}

/* Where to start, from --resume, --from or --from-text. May analyse the
 * whole article first when the place lies past the head. */
static nr_listen_result starting_point(session *s, size_t *from) {
    const nr_listen_opts *o = s->o;
    *from = 0;
    if (o->resume || o->from > 0 || o->from_text)
        read_rest(s); /* read whole already (read_article): kept so */
    size_t want = 0;
    bool need = false;
    if (o->resume) {
        if (nr_resume_load(article_hash(s), &want))
            need = true;
        else {
            nr_warm_up_wait();
            fprintf(stderr,
                    "narrate: %s: no saved place for this article; starting at the "
                    "beginning\n",
                    s->name);
        }
    }
    if (o->from > 0)
        want = (size_t)(o->from - 1), need = true;
    const nr_document *doc = s->head;
    if (o->from_text) {
        if (!find_text(doc, o->from_text, &want) && nr_document_partial(doc)) {
            nr_status st = nr_document_from_memory(s->nr, s->bytes, s->len, s->name, &s->full);
            if (st != NR_OK)
                return result(st, s->name, false, false);
            doc = s->full;
            if (!find_text(doc, o->from_text, &want))
                doc = NULL;
        } else if (!find_text(doc, o->from_text, &want)) {
            doc = NULL;
        }
        if (!doc) {
            nr_warm_up_wait();
            fprintf(stderr, "narrate: %s: --from-text: no sentence contains '%s'\n", s->name,
                    o->from_text);
            return result(NR_E_ARG, s->name, true, false);
        }
        need = true;
    }
    if (need && want >= nr_document_sentence_count(doc) && nr_document_partial(doc)) {
        nr_status st = nr_document_from_memory(s->nr, s->bytes, s->len, s->name, &s->full);
        if (st != NR_OK)
            return result(st, s->name, false, false);
        doc = s->full;
    }
    size_t n = nr_document_sentence_count(doc);
    if (need && want >= n) {
        if (o->from > 0) {
            nr_warm_up_wait();
            fprintf(stderr, "narrate: %s: --from: the article has %zu sentences\n", s->name, n);
            return result(NR_E_ARG, s->name, true, false);
        }
        want = 0; /* a saved place past the end: the article changed size */
    }
    if (doc == s->full && s->full) { /* the head is not needed any more */
        nr_document_free(s->head);
        s->head = NULL;
    }
    s->shown = doc;
    *from = want;
    return result(NR_OK, NULL, false, false);
}

/* One key's command. Returns false to quit. */
static bool command(session *s, nr_key k) {
    nr_player *p = s->player;
    size_t pos = nr_player_position(p);
    switch (k) {
    case NR_KEY_QUIT:
    case NR_KEY_EOF:
        return false;
    case NR_KEY_PAUSE:
        nr_player_pause(p, nr_player_get_state(p) != NR_PLAYER_PAUSED);
        break;
    case NR_KEY_NEXT:
        nr_player_seek_sentence(p, pos + 1);
        break;
    case NR_KEY_PREV:
        nr_player_seek_sentence(p, pos > 0 ? pos - 1 : 0);
        break;
    case NR_KEY_NEXT_BLOCK:
        nr_player_skip_block(p, 1);
        break;
    case NR_KEY_PREV_BLOCK:
        nr_player_skip_block(p, -1);
        break;
    case NR_KEY_FASTER:
    case NR_KEY_SLOWER:
        nr_player_set_rate(p, nr_player_rate_step(p, k == NR_KEY_FASTER ? 1 : -1));
        break;
    case NR_KEY_REPEAT:
        nr_player_seek_sentence(p, pos);
        break;
    case NR_KEY_HELP:
        nr_display_help(&s->display);
        break;
    case NR_KEY_NONE:
        break;
    }
    return true;
}

static void save_place(session *s, size_t pos) {
    if (!nr_resume_save(article_hash(s), pos, s->name))
        fprintf(stderr, "narrate: cannot save the place in %s (is $XDG_STATE_HOME writable?)\n",
                s->name);
}

/* Plays, takes keys and shows the sentences until the end, q or a signal. */
static nr_listen_result loop(session *s) {
    size_t shown = (size_t)-1;
    bool audio = false;
    for (;;) {
        struct pollfd pfd[3] = {{.fd = nr_player_fd(s->player), .events = POLLIN},
                                {.fd = s->keys ? 0 : -1, .events = POLLIN},
                                {.fd = s->bg_running ? s->bg_pipe[0] : -1, .events = POLLIN}};
        if (!nr_keys_pending()) {
            nr_fork_guard_leave();
            poll(pfd, 3, 100);
            nr_fork_guard_enter();
        }
        if (*s->signalled)
            break;
        nr_player_state st = nr_player_get_state(s->player);
        if (st != NR_PLAYER_IDLE)
            audio = true;
        /* the whole article is analysed once the first audio is out, so the
           two never compete for the processor */
        if (audio && !s->bg_started && nr_document_partial(s->shown))
            start_background(s);
        if (audio)
            article_hash(s);
        if (s->bg_running && (pfd[2].revents & POLLIN))
            finish_background(s);
        size_t pos = nr_player_position(s->player);
        if (audio && pos != shown) {
            nr_display_sentence(&s->display, s->shown, pos);
            shown = pos;
        }
        nr_display_status(&s->display, st == NR_PLAYER_PAUSED, pos,
                          nr_document_sentence_count(s->shown), nr_player_rate(s->player));
        if (st == NR_PLAYER_DONE) {
            nr_resume_clear(article_hash(s));
            return result(NR_OK, NULL, false, true);
        }
        if (st == NR_PLAYER_FAILED) {
            nr_status err = nr_player_status(s->player);
            nr_display_end(&s->display);
            nr_keys_restore();
            save_place(s, pos);
            fprintf(stderr, "narrate: %s; the place is saved (sentence %zu: narrate --resume)\n",
                    nr_narrator_error(s->nr), pos + 1);
            return result(err, NULL, true, true);
        }
        if (s->keys && (nr_keys_pending() || (pfd[1].revents & (POLLIN | POLLHUP))) &&
            !command(s, nr_keys_read(0)))
            break;
    }
    save_place(s, nr_player_position(s->player));
    return result(NR_OK, NULL, false, true);
}

nr_listen_result nr_cli_listen(nr_narrator *nr, nr_narrator *(*make_narrator)(void),
                               const nr_listen_opts *o, volatile sig_atomic_t *signalled) {
    session s = {
        .nr = nr, .o = o, .signalled = signalled, .make_narrator = make_narrator, .fd = -1};
    nr_warm_up(o->device); /* started by main already, for the command */
    nr_listen_result r = result(read_article(&s), s.name, false, false);
    if (r.status != NR_OK)
        goto out;
    r.status =
        nr_document_head_from_prefix(nr, s.bytes, s.have, s.len, s.name, HEAD_BYTES, &s.head);
    if (r.status == NR_OK && !s.head) { /* the head's paragraph goes on past the prefix */
        read_rest(&s);
        r.status = nr_document_head_from_memory(nr, s.bytes, s.len, s.name, HEAD_BYTES, &s.head);
    }
    if (r.status != NR_OK)
        goto out;
    size_t from;
    r = starting_point(&s, &from);
    if (r.status != NR_OK)
        goto out;
    r.status = nr_player_new(nr, s.shown, o->device, &s.player);
    if (r.status == NR_OK)
        r.status = nr_player_start(s.player, from);
    if (r.status != NR_OK) {
        r = result(r.status, NULL, false, true);
        goto out;
    }
    nr_fork_guard_enter(); /* until the loop waits */
    bool tty_out = isatty(1);
    nr_display_mode mode = o->no_display ? NR_DISPLAY_NONE
                           : o->plain    ? NR_DISPLAY_PLAIN
                           : tty_out     ? NR_DISPLAY_TTY
                                         : NR_DISPLAY_NONE;
    nr_display_init(&s.display, mode, stdout);
    s.keys = nr_keys_open(0);
    r = loop(&s);
    nr_display_end(&s.display);
    nr_keys_restore();
    nr_fork_guard_leave();
out:
    nr_warm_up_wait(); /* standard error is ours again */
    nr_player_free(s.player);
    join_background(&s);
    nr_narrator_free(s.bg_nr);
    nr_document_free(s.head);
    nr_document_free(s.full);
    if (s.fd >= 0)
        close(s.fd);
    if (s.own_bytes)
        free(s.bytes);
    else
        nr_bytes_free(s.bytes);
    return r;
}
