#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct loaded {
    struct loaded *next;
    char *path;
    char *data; /* NULL: looked for and absent */
    size_t len;
} loaded;

struct nr_data {
    char *user_dir;
    loaded *files;
};

nr_data *nr_data_new(const char *user_dir) {
    nr_data *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (user_dir && !(d->user_dir = strdup(user_dir))) {
        free(d);
        return NULL;
    }
    return d;
}

nr_data *nr_data_copy(const nr_data *d) { return nr_data_new(d->user_dir); }

void nr_data_free(nr_data *d) {
    if (!d)
        return;
    for (loaded *f = d->files, *next; f; f = next) {
        next = f->next;
        free(f->path);
        free(f->data);
        free(f);
    }
    free(d->user_dir);
    free(d);
}

/* Reads a regular file of at most 16 MiB; NULL if absent or unreadable. */
static char *read_small_file(const char *path, size_t *len) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (16 << 20))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc((size_t)st.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *user_file(nr_data *d, const char *path, size_t *len) {
    for (loaded *f = d->files; f; f = f->next)
        if (!strcmp(f->path, path)) {
            *len = f->len;
            return f->data;
        }
    loaded *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = strdup(path);
    size_t n = strlen(d->user_dir) + strlen(path) + 2;
    char *full = malloc(n);
    if (full && f->path) {
        snprintf(full, n, "%s/%s", d->user_dir, path);
        f->data = read_small_file(full, &f->len);
    }
    free(full);
    f->next = d->files;
    d->files = f;
    *len = f->len;
    return f->data;
}

const char *nr_data_get(nr_data *d, const char *path, size_t *len) {
    size_t dummy;
    if (!len)
        len = &dummy;
    if (d->user_dir) {
        const char *s = user_file(d, path, len);
        if (s)
            return s;
    }
    for (size_t i = 0; i < nr_embedded_count; i++)
        if (!strcmp(nr_embedded_files[i].path, path)) {
            *len = nr_embedded_files[i].len;
            return nr_embedded_files[i].data;
        }
    return NULL;
}

const char *nr_data_get_lang(nr_data *d, const char *lang, const char *name, size_t *len) {
    char path[256], base[16];
    size_t i = 0;
    for (; lang[i] && i < 15; i++)
        base[i] = (lang[i] >= 'A' && lang[i] <= 'Z') ? (char)(lang[i] + 32) : lang[i];
    base[i] = '\0';
    snprintf(path, sizeof path, "%s/%s", base, name);
    const char *s = nr_data_get(d, path, len);
    if (s)
        return s;
    char *dash = strpbrk(base, "-_");
    if (!dash)
        return NULL;
    *dash = '\0';
    snprintf(path, sizeof path, "%s/%s", base, name);
    return nr_data_get(d, path, len);
}

bool nr_data_each_line(const char *text, size_t len, nr_line_fn fn, void *user) {
    int lineno = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        lineno++;
        size_t s = i, t = e;
        while (s < t && (text[s] == ' ' || text[s] == '\t'))
            s++;
        while (t > s && (text[t - 1] == ' ' || text[t - 1] == '\t' || text[t - 1] == '\r'))
            t--;
        if (t > s && text[s] != '#' && !fn(user, text + s, t - s, lineno))
            return false;
        i = e + 1;
    }
    return true;
}
