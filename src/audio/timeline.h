/* timeline.h: what is said when: transcripts and chapters from the
 * render's events.
 *
 * Fed the event stream of one render (nr_audio_fn's events), it writes as
 * it goes, so nothing grows with the episode but the chapter list:
 * - WebVTT and SRT transcripts, a cue per sentence of the plan, from the
 *   sentence's start to the start of the pause after it (or the next
 *   sentence, or the end), the text as the article gives it; in WebVTT the
 *   speaker of a sentence's standalone quotation is the cue's voice
 *   (<v Antony Blinken>);
 * - a JSON file of word timings (narrate-words/1);
 * and collects the chapters: one at the start, then one per heading.
 * Times are seconds of audio: samples over the engine's rate, which
 * resampling keeps. Writers may be NULL (that file is not wanted). */
#ifndef NR_TIMELINE_H
#define NR_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/doc.h"
#include "id3.h"
#include "narrate.h"

typedef struct nr_timeline nr_timeline;

/* A timeline of DOC rendered at RATE Hz. CHAPTER0 names the first chapter
 * when the article does not start with its title. NULL on out-of-memory. */
nr_timeline *nr_timeline_new(const nr_doc *doc, int rate, const char *chapter0, FILE *vtt,
                             FILE *srt, FILE *words);
void nr_timeline_free(nr_timeline *t);
/* Takes one callback's worth: N samples then the events in them. */
void nr_timeline_feed(nr_timeline *t, const int16_t *pcm, size_t n, const nr_event *ev,
                      size_t n_ev);
/* A render of several documents, the windows of a streamed input
 * (core/stream.h): nr_timeline_end_doc ends the open word and cue with the
 * document's audio, while its text is still there; nr_timeline_next goes
 * on with DOC, sentence numbers following on. False on out-of-memory. */
void nr_timeline_end_doc(nr_timeline *t);
bool nr_timeline_next(nr_timeline *t, const nr_doc *doc);
/* Ends the last cue at TOTAL samples and closes the JSON. */
void nr_timeline_finish(nr_timeline *t, uint64_t total);

/* The chapters so far (borrowed; ends filled by nr_timeline_finish). */
const nr_chapter *nr_timeline_chapters(const nr_timeline *t, size_t *n);

/* Podcasting 2.0 JSON chapters (version 1.2.0) and WebVTT chapters. */
void nr_chapters_write_json(FILE *f, const nr_chapter *ch, size_t n, const char *title);
void nr_chapters_write_vtt(FILE *f, const nr_chapter *ch, size_t n);

/* S (LEN bytes) as a JSON string with its quotes. */
void nr_json_fputs(FILE *f, const char *s, size_t len);

#endif
