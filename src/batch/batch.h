/* batch.h: the pieces of a batch export that need no process: input
 * lists, episode names, shards, content hashes, episode records and the
 * RSS feed. nr_batch_run (batch.c) puts them together with one worker
 * process per article.
 *
 * Shards are decided by a hash of the episode's name, not its position in
 * the list, so that the same article always lands in the same shard on
 * every machine, whatever else is in the archive. */
#ifndef NR_BATCH_H
#define NR_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/ctx.h"
#include "../util/buf.h"

/* 64-bit FNV-1a, continued from H (start with NR_HASH_INIT). */
#define NR_HASH_INIT 0xcbf29ce484222325ULL
uint64_t nr_hash(uint64_t h, const void *p, size_t n);

/* True for the file names a folder is searched for. */
bool nr_batch_is_article(const char *name);

/* The episode name of an input path: its file name without the extension,
 * with characters that are unsafe in URLs and file names replaced by '-'.
 * Into OUT (SIZE bytes). */
void nr_episode_name(const char *path, char *out, size_t size);

/* Whether the episode NAME belongs to shard K of N (1 <= K <= N). */
bool nr_in_shard(const char *name, int k, int n);
/* Parses "K/N"; false when malformed or out of range. */
bool nr_parse_shard(const char *s, int *k, int *n);

/* What a batch knows about a made episode: NAME.episode.json. */
typedef struct nr_episode {
    char name[256];
    char hash[32];
    char audio[300]; /* file name, in the same folder */
    char type[32];   /* MIME type */
    uint64_t bytes;
    double duration; /* seconds */
    char title[1024], author[512], date[16], lang[16], source[1024];
    char transcript[300]; /* file names, "" = none */
    char chapters[300];
} nr_episode;

/* Writes E as JSON (narrate-episode/1). */
void nr_episode_write(FILE *f, const nr_episode *e);
/* Reads PATH; false when missing or malformed. */
bool nr_episode_read(const char *path, nr_episode *e);

typedef struct nr_feed_info {
    const char *title, *description, *author, *image, *category, *link, *base_url, *self;
    const char *lang;
} nr_feed_info;

/* Writes an RSS 2.0 feed with iTunes and Podcasting 2.0 tags of the N
 * episodes, newest first. */
void nr_feed_write(FILE *f, const nr_feed_info *info, const nr_episode *eps, size_t n);

/* Every episode record in DIR, sorted by date (newest first) then name;
 * *N gets the count. NULL with *N = 0 when there is none. */
nr_episode *nr_episodes_scan(const char *dir, size_t *n);

#endif
