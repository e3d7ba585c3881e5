/* bench_ingest.c: ingest speed on a large text, in MB/s of CPU time.
 *
 * usage: bench_ingest [FILE | DIR]. With a folder (default: the gold articles
 * of $SHARED/corpus/articles, junk included), its .txt files are repeated
 * to about 20 MB.
 * Prints one line; never fails on speed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ingest/ingest.h"
#include "util/buf.h"

static void add_file(nr_buf *b, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        nr_buf_add(b, tmp, n);
    nr_buf_adds(b, "\n\n");
    fclose(f);
}

int main(int argc, char **argv) {
    nr_buf b;
    nr_buf_init(&b);
    struct stat sb;
    if (argc > 1 && stat(argv[1], &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        add_file(&b, argv[1]);
    } else {
        const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
        char dir[1024];
        if (argc > 1)
            snprintf(dir, sizeof dir, "%s", argv[1]);
        else
            snprintf(dir, sizeof dir, "%s/corpus/articles", shared);
        DIR *d = opendir(dir);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) {
                char p[2048];
                snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
                add_file(&b, p);
            }
        }
        if (d)
            closedir(d);
        size_t one = b.len;
        char *copy = one ? malloc(one) : NULL;
        if (copy)
            memcpy(copy, b.data, one);
        while (copy && b.len < 20u * 1000 * 1000)
            nr_buf_add(&b, copy, one);
        free(copy);
    }
    if (!b.len || !nr_buf_ok(&b)) {
        printf("bench_ingest: no input\n");
        return 1;
    }
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    nr_doc *doc = NULL;
    nr_ingest(&ctx, "warm up.\n", 9, "-", &doc); /* loads the rules once */
    nr_doc_free(doc);
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    nr_status st = nr_ingest(&ctx, b.data, b.len, "bench.txt", &doc);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf(
        "bench_ingest: %zu bytes in %.3f s CPU = %.1f MB/s (status %d, %zu blocks, %zu dropped)\n",
        b.len, secs, (double)b.len / secs / 1e6, (int)st, st == NR_OK ? doc->blocks.len : 0,
        st == NR_OK ? doc->dropped.len : 0);
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);
    nr_buf_free(&b);
    return 0;
}
