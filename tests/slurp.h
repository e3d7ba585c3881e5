/* slurp.h: a whole file read into memory, for the test and bench programs
 * that compare files or feed them to a stage. */
#ifndef NR_SLURP_H
#define NR_SLURP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bytes of PATH, NUL-terminated, their count in *LEN (LEN may be
 * NULL); NULL when the file cannot be read. Read in chunks, so pipes and
 * /proc files work too. The caller frees the result. */
static inline char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 1 << 16;
    char *b = malloc(cap);
    while (b) {
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (cap - n < 2) { /* room for at least one byte and the NUL */
            char *p = realloc(b, cap *= 2);
            if (!p)
                free(b);
            b = p;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

#endif
