/* bench_pipeline.c: text pipeline speed, stage by stage, in MB/s of CPU time
 * (issue 10's bar: input to plan at least 20 MB/s).
 *
 * usage: bench_pipeline [FILE]. Without a file, the French articles of
 * $SHARED/corpus/articles (fr-*.txt, sorted) are repeated to 10 MB, as
 * bench_speed.sh's make_text does. Each stage's figure is the input's size
 * over that stage's CPU time, so the stages' times add up to the whole.
 * Prints figures; never fails on speed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cast/cast.h"
#include "core/plan.h"
#include "ingest/ingest.h"
#include "speakers/attribute.h"
#include "speech/normalise.h"
#include "text/segment.h"
#include "util/buf.h"

#define BENCH_BYTES (10u * 1000 * 1000)

/* Appends the bytes of the file at PATH (none if it cannot be read). */
static void read_into(nr_buf *b, const char *path) {
    FILE *f = fopen(path, "rb");
    char tmp[65536];
    size_t n;
    while (f && (n = fread(tmp, 1, sizeof tmp, f)) > 0)
        nr_buf_add(b, tmp, n);
    if (f)
        fclose(f);
}

/* Appends the file at PATH, its ends stripped, then a blank line. */
static void add_article(nr_buf *b, const char *path) {
    nr_buf one;
    nr_buf_init(&one);
    read_into(&one, path);
    size_t s = 0, e = one.len;
    while (s < e && strchr(" \t\r\n", one.data[s]))
        s++;
    while (e > s && strchr(" \t\r\n", one.data[e - 1]))
        e--;
    nr_buf_add(b, one.data + s, e - s);
    nr_buf_adds(b, "\n\n");
    nr_buf_free(&one);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The French articles repeated, whole, until the text holds BENCH_BYTES. */
static void make_text(nr_buf *b) {
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/corpus/articles", shared);
    DIR *d = opendir(dir);
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (!strncmp(e->d_name, "fr-", 3) && l > 4 && !strcmp(e->d_name + l - 4, ".txt"))
            names[n++] = strdup(e->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, by_name);
    nr_buf all;
    nr_buf_init(&all);
    size_t *ends = calloc(n ? n : 1, sizeof *ends);
    for (size_t i = 0; i < n; i++) {
        char p[2048];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        add_article(&all, p);
        ends[i] = all.len;
        free(names[i]);
    }
    for (size_t i = 0; n && b->len < BENCH_BYTES; i = (i + 1) % n) {
        size_t start = i ? ends[i - 1] : 0;
        nr_buf_add(b, all.data + start, ends[i] - start);
    }
    free(ends);
    nr_buf_free(&all);
}

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report(const char *stage, double secs, size_t bytes) {
    printf("  %-10s %7.3f s CPU  %8.1f MB/s\n", stage, secs, (double)bytes / secs / 1e6);
}

int main(int argc, char **argv) {
    nr_buf b;
    nr_buf_init(&b);
    if (argc > 1)
        read_into(&b, argv[1]);
    else
        make_text(&b);
    if (!b.len || !nr_buf_ok(&b)) {
        printf("bench_pipeline: no input\n");
        return 1;
    }
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    ctx.max_input = b.len + 1;
    FILE *null = fopen("/dev/null", "w");
    nr_doc *doc = NULL;
    /* warm up: loads the stages' rules and tables once. Not the cast: it
     * starts eSpeak NG, which sets a UTF-8 locale, and the ingest's regular
     * expressions run slower in one; narrate --plan ingests before that. */
    static const char warm[] = "Titre\n\n« Bonjour », a dit Marie. Il est 10 h.\n";
    if (nr_ingest(&ctx, warm, sizeof warm - 1, "-", &doc) == NR_OK) {
        nr_segment(&ctx, doc);
        nr_attribute(&ctx, doc);
        nr_normalise(&ctx, doc);
    }
    nr_doc_free(doc);
    doc = NULL;

    static const char *const names[] = {"ingest",    "segment", "attribute",
                                        "normalise", "cast",    "plan"};
    double t[6] = {0};
    nr_status st = NR_OK;
    for (int s = 0; s < 6 && st == NR_OK; s++) {
        double t0 = cpu_now();
        switch (s) {
        case 0:
            st = nr_ingest(&ctx, b.data, b.len, "bench.txt", &doc);
            break;
        case 1:
            st = nr_segment(&ctx, doc);
            break;
        case 2:
            st = nr_attribute(&ctx, doc);
            break;
        case 3:
            st = nr_normalise(&ctx, doc);
            break;
        case 4:
            st = nr_cast(&ctx, doc);
            break;
        default:
            st = nr_plan_write(doc, null);
            break;
        }
        t[s] = cpu_now() - t0;
    }
    if (st != NR_OK) {
        printf("bench_pipeline: failed (status %d): %s\n", (int)st, ctx.err);
        return 1;
    }
    printf("bench_pipeline: %zu bytes, %zu blocks, %zu speakers\n", b.len, doc->blocks.len,
           doc->speakers.len);
    double total = 0;
    for (int s = 0; s < 6; s++) {
        report(names[s], t[s], b.len);
        total += t[s];
    }
    report("total", total, b.len);
    printf("  (bar: input to plan at least 20 MB/s)\n");
    nr_doc_free(doc);
    fclose(null);
    nr_ctx_fini(&ctx);
    nr_buf_free(&b);
    return 0;
}
