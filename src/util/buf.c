#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nr_buf_init(nr_buf *b) { memset(b, 0, sizeof *b); }

void nr_buf_free(nr_buf *b) {
    free(b->data);
    nr_buf_init(b);
}

bool nr_buf_reserve(nr_buf *b, size_t extra) {
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

/* Appends run in every stage, most often a few bytes into room there is:
 * nr_buf_reserve is called only when the room runs out. */
void nr_buf_add(nr_buf *b, const void *p, size_t n) {
    if (b->failed || (b->len + n + 1 > b->cap && !nr_buf_reserve(b, n)))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void nr_buf_adds(nr_buf *b, const char *s) { nr_buf_add(b, s, strlen(s)); }

void nr_buf_addc(nr_buf *b, char c) {
    if (b->failed || (b->len + 2 > b->cap && !nr_buf_reserve(b, 1)))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void nr_buf_printf(nr_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        nr_buf_add(b, small, (size_t)n);
        return;
    }
    if (!nr_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *nr_buf_take(nr_buf *b, size_t *len) {
    if (b->failed) {
        nr_buf_free(b);
        return NULL;
    }
    if (!b->data && !nr_buf_reserve(b, 0))
        return NULL;
    if (!b->data)
        return NULL;
    b->data[b->len] = '\0'; /* an empty buffer was never terminated */
    char *p = b->data;
    if (len)
        *len = b->len;
    nr_buf_init(b);
    return p;
}

void nr_vec_init(nr_vec *v, size_t elem_size) {
    memset(v, 0, sizeof *v);
    v->size = elem_size;
}

void nr_vec_free(nr_vec *v) {
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

void *nr_vec_push(nr_vec *v) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void *p = realloc(v->data, cap * v->size);
        if (!p)
            return NULL;
        v->data = p;
        v->cap = cap;
    }
    void *e = (char *)v->data + v->len * v->size;
    memset(e, 0, v->size);
    v->len++;
    return e;
}
