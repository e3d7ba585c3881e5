/* display.h: the follow-along display of live playback.
 *
 * Two modes. On a terminal: the sentences scroll by as they are heard, the
 * title and headings stand out, a blank line between paragraphs, a
 * quotation's speaker before it, and one status line at the bottom kept up
 * to date in place. Plain: the same sentences and every change of state as
 * whole lines, no cursor movement and no escape codes, for screen readers
 * and braille displays. Text from the article is shown with its control
 * characters replaced, so an article cannot drive the terminal. */
#ifndef NR_CLI_DISPLAY_H
#define NR_CLI_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "narrate.h"

typedef enum nr_display_mode { NR_DISPLAY_NONE, NR_DISPLAY_TTY, NR_DISPLAY_PLAIN } nr_display_mode;

typedef struct nr_display {
    nr_display_mode mode;
    FILE *out;
    size_t last_block; /* block of the last sentence shown, (size_t)-1 = none */
    bool status_shown;
    /* the status line's state */
    bool paused;
    size_t position, count;
    int wpm;
} nr_display;

void nr_display_init(nr_display *d, nr_display_mode mode, FILE *out);
/* Shows sentence I of DOC, which has just started playing. */
void nr_display_sentence(nr_display *d, const nr_document *doc, size_t i);
/* Updates the status (a line in plain mode only when it changed). */
void nr_display_status(nr_display *d, bool paused, size_t position, size_t count, int wpm);
/* A one-line message (plain: a line; terminal: above the status line). */
void nr_display_message(nr_display *d, const char *msg);
void nr_display_help(nr_display *d);
/* Leaves the terminal on a fresh line. */
void nr_display_end(nr_display *d);

#endif
