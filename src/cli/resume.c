#include "resume.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t nr_resume_hash(const void *bytes, size_t len) {
    const unsigned char *p = bytes;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* mkdir -p for the state folder; false when it cannot exist. */
static bool make_dirs(char *path) {
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
        *s = '/';
        if (!ok)
            return false;
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST;
}

/* The folder (with MAKE, created) and the article's file in it. */
static bool state_path(uint64_t hash, bool make, char *out, size_t size) {
    char dir[4096];
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(dir, sizeof dir, "%s/narrate/positions", xdg);
    else if (home && *home)
        n = snprintf(dir, sizeof dir, "%s/.local/state/narrate/positions", home);
    else
        return false;
    if (n < 0 || (size_t)n >= sizeof dir || (make && !make_dirs(dir)))
        return false;
    n = snprintf(out, size, "%s/%016llx", dir, (unsigned long long)hash);
    return n > 0 && (size_t)n < size;
}

bool nr_resume_load(uint64_t hash, size_t *sentence) {
    char path[4200];
    if (!state_path(hash, false, path, sizeof path))
        return false;
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    unsigned long long n = 0;
    bool ok = fscanf(f, "sentence %llu", &n) == 1 && n >= 1;
    fclose(f);
    if (ok)
        *sentence = (size_t)(n - 1);
    return ok;
}

bool nr_resume_save(uint64_t hash, size_t sentence, const char *name) {
    char path[4200], tmp[4300];
    if (!state_path(hash, true, path, sizeof path))
        return false;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    fprintf(f, "sentence %zu\nname %s\n", sentence + 1, name ? name : "");
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (ok && rename(tmp, path) == 0)
        return true;
    unlink(tmp);
    return false;
}

void nr_resume_clear(uint64_t hash) {
    char path[4200];
    if (state_path(hash, false, path, sizeof path))
        unlink(path);
}
