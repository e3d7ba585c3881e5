/* keys.h: the keyboard on a terminal, one key at a time.
 *
 * The terminal goes into a raw mode (no echo, no line editing; Ctrl-C and
 * Ctrl-Z still send their signals) and always comes back: at exit, on a
 * fatal signal, when the command is suspended (and raw again on SIGCONT),
 * and from the command's own signal handler through nr_keys_restore. */
#ifndef NR_CLI_KEYS_H
#define NR_CLI_KEYS_H

#include <stdbool.h>

typedef enum nr_key {
    NR_KEY_NONE,
    NR_KEY_PAUSE,      /* space */
    NR_KEY_NEXT,       /* right arrow */
    NR_KEY_PREV,       /* left arrow */
    NR_KEY_NEXT_BLOCK, /* down arrow */
    NR_KEY_PREV_BLOCK, /* up arrow */
    NR_KEY_FASTER,     /* + (or =) */
    NR_KEY_SLOWER,     /* - (or _) */
    NR_KEY_REPEAT,     /* r */
    NR_KEY_QUIT,       /* q, Escape */
    NR_KEY_HELP,       /* ? or h */
    NR_KEY_EOF,        /* the terminal is gone */
} nr_key;

/* Puts terminal FD into raw mode; false (and nothing changed) when FD is not
 * a terminal. */
bool nr_keys_open(int fd);
/* Restores the terminal as it was. Async-signal-safe, idempotent. */
void nr_keys_restore(void);
/* Reads what FD has, without blocking, and returns the next key;
 * NR_KEY_NONE for bytes that mean nothing here. Keys that came together are
 * kept for the next calls (nr_keys_pending tells). */
nr_key nr_keys_read(int fd);
bool nr_keys_pending(void);

#endif
