/* bench_segment.c: segmentation speed on one core, in MB/s.
 *
 * usage: bench_segment [ARTICLES_DIR] [MEGABYTES]
 * Builds a large corpus per language by repeating the articles of
 * ARTICLES_DIR (../shared/corpus/articles; fr-*.txt and en-*.txt), each copy
 * as its own paragraphs, reads it into blocks with the plain-text ingest
 * (not timed), then times nr_segment over it in CPU time. Prints the best
 * of five runs per language and overall. The target is 50 MB/s. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ctx.h"
#include "core/doc.h"
#include "ingest/ingest.h"
#include "text/segment.h"
#include "util/buf.h"

/* CPU time of this thread: the figure is per core, whatever else the
 * machine runs. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Appends every DIR/PREFIX*.txt to OUT, each followed by a blank line. */
static size_t add_articles(nr_buf *out, const char *dir, const char *prefix) {
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) || len < 4 ||
            strcmp(e->d_name + len - 4, ".txt"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char chunk[65536];
        for (size_t r; (r = fread(chunk, 1, sizeof chunk, f)) > 0;)
            nr_buf_add(out, chunk, r);
        fclose(f);
        nr_buf_adds(out, "\n\n");
        n++;
    }
    closedir(d);
    return n;
}

/* Segments a corpus of about MB megabytes of LANG; returns the best MB/s. */
static double bench_lang(nr_ctx *ctx, const char *dir, const char *lang, size_t mb, size_t *bytes) {
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%s-", lang);
    nr_buf one, corpus;
    nr_buf_init(&one);
    nr_buf_init(&corpus);
    if (!add_articles(&one, dir, prefix) || !one.len) {
        fprintf(stderr, "bench_segment: no %s*.txt in %s\n", prefix, dir);
        return 0;
    }
    while (corpus.len < mb << 20)
        nr_buf_add(&corpus, one.data, one.len);
    double best = 0;
    for (int run = 0; run < 5; run++) {
        nr_doc *doc = nr_doc_new(corpus.data, corpus.len, "bench");
        if (!doc)
            return 0;
        snprintf(doc->lang, sizeof doc->lang, "%s", lang);
        if (nr_ingest_text(ctx, doc) != NR_OK) {
            nr_doc_free(doc);
            return 0;
        }
        double t0 = now();
        nr_status st = nr_segment(ctx, doc);
        double dt = now() - t0;
        size_t sents = 0;
        for (size_t i = 0; i < doc->blocks.len; i++)
            sents += NR_BLOCK(doc, i).n_sents;
        if (st != NR_OK) {
            fprintf(stderr, "bench_segment: %s\n", ctx->err);
            nr_doc_free(doc);
            return 0;
        }
        double rate = (double)corpus.len / (1 << 20) / dt;
        if (run == 0)
            printf("  %s: %.1f MB, %zu blocks, %zu sentences\n", lang,
                   (double)corpus.len / (1 << 20), doc->blocks.len, sents);
        if (rate > best)
            best = rate;
        nr_doc_free(doc);
    }
    *bytes = corpus.len;
    nr_buf_free(&one);
    nr_buf_free(&corpus);
    return best;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "../shared/corpus/articles";
    size_t mb = argc > 2 ? (size_t)atoi(argv[2]) : 32;
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 1;
    const char *langs[] = {"fr", "en"};
    double total_bytes = 0, total_time = 0;
    int status = 0;
    for (size_t i = 0; i < 2; i++) {
        size_t bytes = 0;
        double rate = bench_lang(&ctx, dir, langs[i], mb, &bytes);
        if (rate <= 0) {
            status = 1;
            continue;
        }
        printf("segment %s: %.1f MB/s\n", langs[i], rate);
        total_bytes += (double)bytes / (1 << 20);
        total_time += (double)bytes / (1 << 20) / rate;
    }
    if (total_time > 0)
        printf("segment: %.1f MB/s (target 50 MB/s, one core)\n", total_bytes / total_time);
    nr_ctx_fini(&ctx);
    return status;
}
