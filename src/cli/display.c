#include "display.h"

#include <string.h>

void nr_display_init(nr_display *d, nr_display_mode mode, FILE *out) {
    memset(d, 0, sizeof *d);
    d->mode = mode;
    d->out = out;
    d->last_block = (size_t)-1;
    d->position = (size_t)-1;
}

/* Removes the status line so that text can be printed in its place. */
static void clear_status(nr_display *d) {
    if (d->mode == NR_DISPLAY_TTY && d->status_shown) {
        fputs("\r\033[K", d->out);
        d->status_shown = false;
    }
}

static void draw_status(nr_display *d) {
    if (d->mode != NR_DISPLAY_TTY || d->count == 0)
        return;
    fprintf(d->out, "\r\033[K\033[7m %s \033[0m sentence %zu/%zu  %d wpm  ? help",
            d->paused ? "paused" : "playing", d->position + 1, d->count, d->wpm);
    d->status_shown = true;
    fflush(d->out);
}

/* Prints N bytes of article text on one line: white space runs become one
 * space, control characters (C0, DEL, C1) a space. */
static void put_text(FILE *out, const char *s, size_t n) {
    bool space = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ctl = c < 0x20 || c == 0x7F;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] < 0xA0) { /* U+0080..U+009F */
            ctl = true;
            i++;
        }
        if (ctl || c == ' ') {
            if (!space)
                fputc(' ', out);
            space = true;
            continue;
        }
        fputc(c, out);
        space = false;
    }
}

void nr_display_sentence(nr_display *d, const nr_document *doc, size_t i) {
    if (d->mode == NR_DISPLAY_NONE)
        return;
    size_t len = 0;
    const char *text = nr_document_sentence(doc, i, &len);
    if (!text)
        return;
    size_t block = nr_document_block_of(doc, i);
    const char *kind = nr_document_block_kind(doc, block);
    bool title = kind && !strcmp(kind, "title"), heading = kind && !strcmp(kind, "heading");
    bool new_block = block != d->last_block;
    d->last_block = block;
    const char *speaker = nr_document_sentence_speaker(doc, i);
    clear_status(d);
    if (d->mode == NR_DISPLAY_PLAIN) {
        if (title)
            fputs("Title: ", d->out);
        else if (heading)
            fputs("Heading: ", d->out);
        else if (speaker)
            fprintf(d->out, "%s: ", speaker);
        put_text(d->out, text, len);
        fputc('\n', d->out);
        fflush(d->out);
        return;
    }
    if (new_block && d->position != (size_t)-1)
        fputc('\n', d->out);
    if (title || heading)
        fputs("\033[1m", d->out);
    if (speaker && !title && !heading) {
        fputs("\033[2m", d->out);
        put_text(d->out, speaker, strlen(speaker));
        fputs(":\033[0m ", d->out);
    }
    put_text(d->out, text, len);
    fputs(title || heading ? "\033[0m\n" : "\n", d->out);
    draw_status(d);
}

void nr_display_status(nr_display *d, bool paused, size_t position, size_t count, int wpm) {
    bool changed =
        paused != d->paused || position != d->position || count != d->count || wpm != d->wpm;
    bool paused_changed = paused != d->paused, rate_changed = wpm != d->wpm && d->wpm != 0;
    d->paused = paused, d->position = position, d->count = count, d->wpm = wpm;
    if (d->mode == NR_DISPLAY_TTY && changed)
        draw_status(d);
    if (d->mode == NR_DISPLAY_PLAIN) {
        if (paused_changed)
            fputs(paused ? "Paused.\n" : "Playing.\n", d->out);
        if (rate_changed)
            fprintf(d->out, "Rate %d words per minute.\n", wpm);
        fflush(d->out);
    }
}

void nr_display_message(nr_display *d, const char *msg) {
    if (d->mode == NR_DISPLAY_NONE)
        return;
    clear_status(d);
    fprintf(d->out, "%s\n", msg);
    draw_status(d);
    fflush(d->out);
}

void nr_display_help(nr_display *d) {
    static const char *const lines[] = {
        "Keys: space pause or resume",
        "      right / left   next / previous sentence",
        "      down / up      next / previous paragraph or heading",
        "      + / -          faster / slower",
        "      r              repeat the sentence",
        "      q              quit (the place is kept: narrate --resume)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        nr_display_message(d, lines[i]);
}

void nr_display_end(nr_display *d) {
    if (d->mode == NR_DISPLAY_TTY && d->status_shown) {
        fputc('\n', d->out);
        d->status_shown = false;
    }
    if (d->mode != NR_DISPLAY_NONE)
        fflush(d->out);
}
