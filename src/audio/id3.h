/* id3.h: the ID3v2.3 tag at the head of an MP3 episode.
 *
 * libsndfile writes no tags into MP3 (AUDIO_NOTES.md), so the export
 * builds the tag here and writes it before the encoder's stream: text
 * frames (TIT2 title, TPE1 author, TALB show, TYER/TDAT date, TLAN language
 * in ISO 639-2's three letters, TCON "Podcast", WOAS or TXXX source, TSSE
 * software) and the chapters of the ID3v2 Chapter Frame Addendum: one CTOC
 * listing CHAP frames, each with a TIT2 title. Version 2.3 is what players
 * and podcast platforms read most widely; text is ISO-8859-1 when it fits,
 * else UTF-16 with a byte order mark. */
#ifndef NR_ID3_H
#define NR_ID3_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"
#include "file_sink.h"

typedef struct nr_chapter {
    double start, end; /* seconds */
    const char *title;
} nr_chapter;

/* Appends a complete tag to OUT (check nr_buf_ok). At most 255 chapters
 * are listed (CTOC's limit); a date is "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
void nr_id3_build(nr_buf *out, const nr_tags *tags, const nr_chapter *ch, size_t n_ch);

#endif
