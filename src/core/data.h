/* data.h: the voices/ folder, built in and overridable.
 *
 * Every file under voices/ is compiled into the library at build time, so
 * narrate runs from anywhere. A user folder (--voices DIR) laid out the same
 * way takes precedence file by file: a file there replaces the built-in one
 * of the same path. Files are read once and kept for the data's lifetime. */
#ifndef NR_DATA_H
#define NR_DATA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct nr_data nr_data;

/* USER_DIR may be NULL. NULL on out-of-memory. */
nr_data *nr_data_new(const char *user_dir);
void nr_data_free(nr_data *d);

/* A data folder with D's user folder and none of its files read yet: D
 * caches what it reads, so a thread of its own gets a copy. NULL on
 * out-of-memory. */
nr_data *nr_data_copy(const nr_data *d);

/* The contents of voices/PATH (NUL-terminated, *LEN bytes): the user's copy
 * when there is one, else the built-in one; NULL when neither exists. */
const char *nr_data_get(nr_data *d, const char *path, size_t *len);

/* The file NAME for LANG: voices/<lang>/NAME, else voices/<base>/NAME
 * ("en-us" falls back to "en"); NULL when neither exists. */
const char *nr_data_get_lang(nr_data *d, const char *lang, const char *name, size_t *len);

/* Calls FN for each meaningful line of TEXT: trimmed of surrounding white
 * space and a trailing '\r', skipping empty lines and lines starting with '#'.
 * LINENO counts from 1. Stops and returns false as soon as FN does. */
typedef bool (*nr_line_fn)(void *user, const char *line, size_t len, int lineno);
bool nr_data_each_line(const char *text, size_t len, nr_line_fn fn, void *user);

/* Built-in files, generated at build time from voices/. */
typedef struct nr_embedded_file {
    const char *path; /* relative to voices/, with '/' */
    const char *data;
    size_t len;
} nr_embedded_file;
extern const nr_embedded_file nr_embedded_files[];
extern const size_t nr_embedded_count;
extern const char nr_embedded_sample[];
extern const size_t nr_embedded_sample_len;

#endif
