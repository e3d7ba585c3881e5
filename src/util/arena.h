/* arena.h: a bump allocator that frees everything at once.
 *
 * A document's text work allocates many small strings and arrays whose
 * lifetime is the document's: an arena makes them leak-proof by design.
 * Allocation fails only with NULL on out-of-memory. */
#ifndef NR_ARENA_H
#define NR_ARENA_H

#include <stddef.h>

typedef struct nr_arena nr_arena;

nr_arena *nr_arena_new(void);
void nr_arena_free(nr_arena *a);
/* Zeroed memory, aligned for any type. */
void *nr_arena_alloc(nr_arena *a, size_t size);
/* A NUL-terminated copy of N bytes of S. */
char *nr_arena_strndup(nr_arena *a, const char *s, size_t n);
char *nr_arena_strdup(nr_arena *a, const char *s);
/* A copy of N elements of SIZE bytes (NULL when N is 0). */
void *nr_arena_memdup(nr_arena *a, const void *p, size_t n, size_t size);

#endif
