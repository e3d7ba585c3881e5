/* listen.h: narrate's live mode: an article played on the sound device,
 * driven from the keyboard, followed on the screen, its place kept. */
#ifndef NR_CLI_LISTEN_H
#define NR_CLI_LISTEN_H

#include <signal.h>
#include <stdbool.h>

#include "narrate.h"

typedef struct nr_listen_opts {
    const char *input;     /* a path or "-"; NULL = a piped standard input, else the sample */
    const char *device;    /* NULL = the default output */
    bool resume;           /* start where the last run stopped */
    long from;             /* 1-based sentence to start at, 0 = none */
    const char *from_text; /* start at the first sentence holding these words */
    bool no_display, plain;
} nr_listen_opts;

typedef struct nr_listen_result {
    nr_status status;
    const char *name; /* what the message is about, for "narrate: NAME: ..." */
    bool reported;    /* the message is already printed */
    bool output_phase;
} nr_listen_result;

/* Plays until the end, q, a signal (*SIGNALLED set) or a failure. NR is the
 * configured narrator; MAKE_NARRATOR gives another configured the same way,
 * for analysing a long article in the background while its start plays. */
nr_listen_result nr_cli_listen(nr_narrator *nr, nr_narrator *(*make_narrator)(void),
                               const nr_listen_opts *o, volatile sig_atomic_t *signalled);

/* Restores the terminal; for the command's signal handler. */
void nr_cli_listen_restore_terminal(void);

#endif
