#include "arena.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 64 * 1024, ALIGN = 16 };

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} chunk;

struct nr_arena {
    chunk *head;
};

nr_arena *nr_arena_new(void) { return calloc(1, sizeof(nr_arena)); }

void nr_arena_free(nr_arena *a) {
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

/* Uninitialised memory: for copies, which overwrite it at once. */
static void *arena_raw(nr_arena *a, size_t size) {
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        /* A large request gets a chunk of its own, so big arrays waste nothing. */
        size_t cap = size > CHUNK / 4 ? size : CHUNK;
        chunk *n = malloc(sizeof(chunk) + cap);
        if (!n)
            return NULL;
        n->used = 0;
        n->size = cap;
        if (c && size > CHUNK / 4) { /* keep the current chunk in front */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void *nr_arena_alloc(nr_arena *a, size_t size) {
    void *p = arena_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}

char *nr_arena_strndup(nr_arena *a, const char *s, size_t n) {
    char *p = arena_raw(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nr_arena_strdup(nr_arena *a, const char *s) { return nr_arena_strndup(a, s, strlen(s)); }

void *nr_arena_memdup(nr_arena *a, const void *p, size_t n, size_t size) {
    if (n == 0)
        return NULL;
    void *q = arena_raw(a, n * size);
    if (q)
        memcpy(q, p, n * size);
    return q;
}
