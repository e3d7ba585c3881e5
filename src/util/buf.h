/* buf.h: a growable byte buffer and a growable array.
 *
 * The buffer keeps a NUL after its contents so it can be handed to C string
 * functions. Growth failure is sticky: after one failed append, every later
 * append is a no-op and nr_buf_ok() is false, so callers check once at the end. */
#ifndef NR_BUF_H
#define NR_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct nr_buf {
    char *data;
    size_t len, cap;
    bool failed;
} nr_buf;

void nr_buf_init(nr_buf *b);
void nr_buf_free(nr_buf *b);
bool nr_buf_reserve(nr_buf *b, size_t extra);
void nr_buf_add(nr_buf *b, const void *p, size_t n);
void nr_buf_adds(nr_buf *b, const char *s);
void nr_buf_addc(nr_buf *b, char c);
void nr_buf_printf(nr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline bool nr_buf_ok(const nr_buf *b) { return !b->failed; }
/* Hands the contents to the caller (malloc'd, NUL-terminated) and resets B. */
char *nr_buf_take(nr_buf *b, size_t *len);

/* A growable array of fixed-size elements. */
typedef struct nr_vec {
    void *data;
    size_t len, cap, size;
} nr_vec;

void nr_vec_init(nr_vec *v, size_t elem_size);
void nr_vec_free(nr_vec *v);
/* Appends a zeroed element and returns it, or NULL on out-of-memory. */
void *nr_vec_push(nr_vec *v);
#define NR_VEC_AT(v, type, i) (((type *)(v)->data)[i])

#endif
