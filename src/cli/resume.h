/* resume.h: where the listener was in each article, kept between runs.
 *
 * One small file per article in $XDG_STATE_HOME/narrate/positions/ (by
 * default ~/.local/state/narrate/positions/), named by a hash of the
 * article's bytes, so a renamed or moved file is still found and an edited
 * one starts afresh. A file holds "sentence N" (1-based) and the article's
 * name for a person who looks. Writes are atomic (a temporary file renamed). */
#ifndef NR_CLI_RESUME_H
#define NR_CLI_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a of the article's bytes. */
uint64_t nr_resume_hash(const void *bytes, size_t len);
/* The saved sentence (0-based) of the article with HASH; false if none. */
bool nr_resume_load(uint64_t hash, size_t *sentence);
/* Saves SENTENCE (0-based); false if the state folder cannot be written. */
bool nr_resume_save(uint64_t hash, size_t sentence, const char *name);
/* Forgets the article (it was heard to the end). */
void nr_resume_clear(uint64_t hash);

#endif
