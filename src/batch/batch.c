/* batch.c: many articles into episodes, one worker process per article. */
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../audio/atomic.h"
#include "../audio/export.h"
#include "narrate.h"

uint64_t nr_hash(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 0x100000001b3ULL;
    return h;
}

bool nr_batch_is_article(const char *name) {
    static const char *const exts[] = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml"};
    const char *dot = strrchr(name, '.');
    if (!dot || name[0] == '.')
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (!strcasecmp(dot, exts[i]))
            return true;
    return false;
}

void nr_episode_name(const char *path, char *out, size_t size) {
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(out, size, "%s", base);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
    for (char *c = out; *c; c++)
        if (!((unsigned char)*c >= 0x80 || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
            *c = '-';
    if (!out[0] || out[0] == '.')
        out[0] = '_';
}

bool nr_in_shard(const char *name, int k, int n) {
    return n <= 1 || (int)(nr_hash(NR_HASH_INIT, name, strlen(name)) % (uint64_t)n) == k - 1;
}

bool nr_parse_shard(const char *s, int *k, int *n) {
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || *end != '/')
        return false;
    const char *t = end + 1;
    long b = strtol(t, &end, 10);
    if (errno || end == t || *end || b < 1 || b > 100000 || a < 1 || a > b)
        return false;
    *k = (int)a, *n = (int)b;
    return true;
}

/* ---- the batch ---------------------------------------------------------- */

typedef struct item {
    char *input;
    char name[256];
} item;

enum {
    FEED_TITLE,
    FEED_DESCRIPTION,
    FEED_AUTHOR,
    FEED_IMAGE,
    FEED_CATEGORY,
    FEED_LINK,
    FEED_FIELDS
};
static const char *const feed_keys[FEED_FIELDS] = {"feed-title", "feed-description", "feed-author",
                                                   "feed-image", "feed-category",    "feed-link"};

struct nr_batch {
    nr_narrator *nr;
    nr_ctx *ctx;
    char *out_dir;
    nr_vec items; /* item */
    int jobs, shard_k, shard_n;
    bool force;
    char *feed, *base_url, *feed_info[FEED_FIELDS];
};

nr_status nr_batch_new(nr_narrator *nr, const char *out_dir, nr_batch **out) {
    *out = NULL;
    nr_ctx *ctx = nr_narrator_ctx(nr);
    ctx->err[0] = '\0';
    struct stat st;
    if (stat(out_dir, &st) != 0 && mkdir(out_dir, 0777) != 0)
        return nr_fail(ctx, NR_E_IO, "%s: cannot create the folder: %s", out_dir, strerror(errno));
    if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return nr_fail(ctx, NR_E_IO, "%s: not a folder", out_dir);
    nr_batch *b = calloc(1, sizeof *b);
    if (!b || !(b->out_dir = strdup(out_dir))) {
        free(b);
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    /* --jobs: in a batch, articles at a time, each synthesised by one
       process (the machine's cores are shared out by article, not within) */
    b->nr = nr, b->ctx = ctx, b->jobs = ctx->jobs > 0 ? ctx->jobs : 1, b->shard_k = b->shard_n = 1;
    nr_vec_init(&b->items, sizeof(item));
    *out = b;
    return NR_OK;
}

void nr_batch_free(nr_batch *b) {
    if (!b)
        return;
    for (size_t i = 0; i < b->items.len; i++)
        free(NR_VEC_AT(&b->items, item, i).input);
    nr_vec_free(&b->items);
    free(b->out_dir), free(b->feed), free(b->base_url);
    for (int i = 0; i < FEED_FIELDS; i++)
        free(b->feed_info[i]);
    free(b);
}

static nr_status add_file(nr_batch *b, const char *path) {
    item *it = nr_vec_push(&b->items);
    if (!it || !(it->input = strdup(path))) {
        if (it)
            b->items.len--;
        return nr_fail(b->ctx, NR_E_NOMEM, "out of memory");
    }
    return NR_OK;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The articles under DIR, depth first in sorted order. */
static nr_status add_dir(nr_batch *b, const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d)
        return nr_fail(b->ctx, NR_E_INPUT, "%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    nr_status st = NR_OK;
    for (struct dirent *de; st == NR_OK && (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
            if (!p) {
                st = nr_fail(b->ctx, NR_E_NOMEM, "out of memory");
                break;
            }
            names = p;
        }
        if (!(names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2)))
            st = nr_fail(b->ctx, NR_E_NOMEM, "out of memory");
        else
            sprintf(names[n++], "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (st == NR_OK && stat(names[i], &sb) == 0) {
            if (S_ISDIR(sb.st_mode) && depth < 32)
                st = add_dir(b, names[i], depth + 1);
            else if (S_ISREG(sb.st_mode) && nr_batch_is_article(strrchr(names[i], '/') + 1))
                st = add_file(b, names[i]);
        }
        free(names[i]);
    }
    free(names);
    return st;
}

nr_status nr_batch_add(nr_batch *b, const char *path) {
    b->ctx->err[0] = '\0';
    struct stat st;
    if (stat(path, &st) != 0)
        return nr_fail(b->ctx, NR_E_INPUT, "%s: %s", path, strerror(errno));
    return S_ISDIR(st.st_mode) ? add_dir(b, path, 0) : add_file(b, path);
}

static nr_status set_str(nr_batch *b, char **slot, const char *v) {
    char *c = v ? strdup(v) : NULL;
    if (v && !c)
        return nr_fail(b->ctx, NR_E_NOMEM, "out of memory");
    free(*slot);
    *slot = c;
    return NR_OK;
}

nr_status nr_batch_set(nr_batch *b, const char *name, const char *v) {
    b->ctx->err[0] = '\0';
    if (!strcmp(name, "jobs")) {
        char *end;
        long n = v ? strtol(v, &end, 10) : 1;
        if (v && (end == v || *end || n < 1 || n > 64))
            return nr_fail(b->ctx, NR_E_ARG, "--jobs: '%s' is not a number of jobs (1..64)", v);
        b->jobs = (int)n;
    } else if (!strcmp(name, "shard")) {
        if (v && !nr_parse_shard(v, &b->shard_k, &b->shard_n))
            return nr_fail(b->ctx, NR_E_ARG, "--shard: '%s' is not K/N with 1 <= K <= N", v);
        if (!v)
            b->shard_k = b->shard_n = 1;
    } else if (!strcmp(name, "force")) {
        b->force = v && v[0] == '1';
    } else if (!strcmp(name, "feed")) {
        return set_str(b, &b->feed, v);
    } else if (!strcmp(name, "base-url")) {
        return set_str(b, &b->base_url, v);
    } else {
        for (int i = 0; i < FEED_FIELDS; i++)
            if (!strcmp(name, feed_keys[i]))
                return set_str(b, &b->feed_info[i], v);
        return nr_fail(b->ctx, NR_E_ARG, "unknown batch option %s", name);
    }
    return NR_OK;
}

/* ---- one article --------------------------------------------------------- */

static const char *out_ext(const nr_batch *b) {
    const nr_export_opts *o = nr_narrator_export_opts(b->nr);
    return o->format ? o->format->ext : ".mp3";
}

static bool read_file(const char *path, char **out, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    nr_buf buf;
    nr_buf_init(&buf);
    char chunk[65536];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;)
        nr_buf_add(&buf, chunk, n);
    bool ok = !ferror(f) && nr_buf_ok(&buf);
    fclose(f);
    *out = nr_buf_take(&buf, len);
    if (!ok || !*out) {
        free(*out);
        *out = NULL;
        return false;
    }
    return true;
}

/* The content hash of an article: its bytes and every setting that
 * changes what is made. */
static void content_hash(const nr_batch *b, const char *bytes, size_t len, char out[32]) {
    nr_buf fp;
    nr_buf_init(&fp);
    nr_settings_fingerprint(b->nr, &fp);
    uint64_t h = nr_hash(NR_HASH_INIT, fp.data ? fp.data : "", fp.len);
    h = nr_hash(h, bytes, len);
    nr_buf_free(&fp);
    snprintf(out, 32, "%016llx", (unsigned long long)h);
}

static bool up_to_date(const nr_batch *b, const char *name, const char *hash) {
    char path[4096];
    nr_episode e;
    snprintf(path, sizeof path, "%s/%s.episode.json", b->out_dir, name);
    if (!nr_episode_read(path, &e) || strcmp(e.hash, hash))
        return false;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", b->out_dir, e.audio);
    return stat(path, &st) == 0 && (uint64_t)st.st_size == e.bytes;
}

static nr_status write_record(nr_batch *b, const char *name, const char *hash, const char *input,
                              const nr_export_result *r) {
    const nr_export_opts *o = nr_narrator_export_opts(b->nr);
    nr_episode e = {.bytes = r->bytes, .duration = r->seconds};
    snprintf(e.name, sizeof e.name, "%s", name);
    snprintf(e.hash, sizeof e.hash, "%s", hash);
    snprintf(e.audio, sizeof e.audio, "%s%s", name, out_ext(b));
    snprintf(e.type, sizeof e.type, "%s", r->format->mime);
    snprintf(e.title, sizeof e.title, "%s", r->title);
    snprintf(e.author, sizeof e.author, "%s", r->author);
    snprintf(e.date, sizeof e.date, "%s", r->date);
    snprintf(e.lang, sizeof e.lang, "%s", r->lang);
    snprintf(e.source, sizeof e.source, "%s", o->source ? o->source : input);
    if (o->transcripts)
        snprintf(e.transcript, sizeof e.transcript, "%s.vtt", name);
    if (o->chapters)
        snprintf(e.chapters, sizeof e.chapters, "%s.chapters.json", name);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.episode.json", b->out_dir, name);
    nr_out *out;
    nr_status st = nr_out_open(b->ctx, path, &out);
    if (st != NR_OK)
        return st;
    FILE *f = nr_out_fopen(out);
    if (f)
        nr_episode_write(f, &e);
    st = nr_out_fclose(b->ctx, out, f);
    if (st != NR_OK) {
        nr_out_discard(out);
        return st;
    }
    return nr_out_commit(b->ctx, out);
}

/* What a worker tells its parent. */
typedef struct verdict {
    nr_status status;
    char detail[512];
} verdict;

/* The worker: one article into its episode, then its record. */
static nr_status make_episode(nr_batch *b, const item *it, const char *bytes, size_t len,
                              const char *hash) {
    nr_set_progress(b->nr, NULL, NULL);
    if (b->jobs > 1)
        nr_set_jobs(b->nr, 1);
    const char *base = strrchr(it->input, '/') ? strrchr(it->input, '/') + 1 : it->input;
    nr_document *doc = NULL;
    nr_status st = nr_document_from_memory(b->nr, bytes, len, base, &doc);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", b->out_dir, it->name, out_ext(b));
    nr_export_result r;
    if (st == NR_OK)
        st = nr_export_document(b->nr, doc, path, &r);
    if (st == NR_OK)
        st = write_record(b, it->name, hash, it->input, &r);
    nr_document_free(doc);
    return st;
}

typedef struct worker {
    pid_t pid;
    int fd;
    size_t item;
} worker;

static pid_t spawn(nr_batch *b, const item *it, const char *bytes, size_t len, const char *hash,
                   int *fd) {
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        verdict v = {make_episode(b, it, bytes, len, hash), ""};
        snprintf(v.detail, sizeof v.detail, "%s", nr_narrator_error(b->nr));
        ssize_t w = write(p[1], &v, sizeof v);
        _exit(w == (ssize_t)sizeof v ? 0 : 1);
    }
    close(p[1]);
    if (pid < 0)
        close(p[0]);
    *fd = p[0];
    return pid;
}

static verdict collect(worker *w, int wstatus) {
    verdict v = {NR_E_ENGINE, "the worker process died"};
    ssize_t r = read(w->fd, &v, sizeof v);
    if (r != (ssize_t)sizeof v) {
        v.status = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGINT ? NR_E_ABORTED : NR_E_ENGINE;
        snprintf(v.detail, sizeof v.detail, "%s",
                 v.status == NR_E_ABORTED ? "interrupted" : "the worker process died");
    }
    close(w->fd);
    return v;
}

/* ---- the run ------------------------------------------------------------- */

/* Names every item, making duplicates unique in list order ("a", "a-2"). */
static void name_items(nr_batch *b) {
    for (size_t i = 0; i < b->items.len; i++) {
        item *it = &NR_VEC_AT(&b->items, item, i);
        char base[240];
        nr_episode_name(it->input, base, sizeof base);
        snprintf(it->name, sizeof it->name, "%s", base);
        for (int k = 2;; k++) {
            bool clash = false;
            for (size_t j = 0; j < i && !clash; j++)
                clash = !strcmp(NR_VEC_AT(&b->items, item, j).name, it->name);
            if (!clash)
                break;
            snprintf(it->name, sizeof it->name, "%s-%d", base, k);
        }
    }
}

typedef struct run {
    nr_batch *b;
    nr_batch_report_fn fn;
    void *user;
    size_t done, total;
    nr_status first;
    worker *w;
    int running;
} run;

static void report(run *r, const item *it, nr_batch_outcome oc, nr_status st, const char *detail) {
    r->done++;
    if (st != NR_OK && r->first == NR_OK)
        r->first = st;
    char out[4096];
    snprintf(out, sizeof out, "%s/%s%s", r->b->out_dir, it->name, out_ext(r->b));
    if (r->fn)
        r->fn(r->user, it->input, out, oc, st, detail, r->done, r->total);
}

/* Waits for one worker; false when interrupted (EINTR). */
static bool reap(run *r) {
    int ws;
    pid_t pid = waitpid(-1, &ws, 0);
    if (pid < 0)
        return false;
    for (int i = 0; i < r->running; i++)
        if (r->w[i].pid == pid) {
            verdict v = collect(&r->w[i], ws);
            const item *it = &NR_VEC_AT(&r->b->items, item, r->w[i].item);
            report(r, it, v.status == NR_OK ? NR_BATCH_MADE : NR_BATCH_FAILED, v.status, v.detail);
            r->w[i] = r->w[--r->running];
            break;
        }
    return true;
}

static void stop_all(run *r) {
    for (int i = 0; i < r->running; i++)
        kill(r->w[i].pid, SIGINT);
    while (r->running > 0) {
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0 && errno == ECHILD)
            break;
        for (int i = 0; i < r->running; i++)
            if (r->w[i].pid == pid) {
                close(r->w[i].fd);
                r->w[i] = r->w[--r->running];
            }
    }
}

static nr_status run_items(run *r) {
    nr_batch *b = r->b;
    for (size_t i = 0; i < b->items.len; i++)
        r->total += nr_in_shard(NR_VEC_AT(&b->items, item, i).name, b->shard_k, b->shard_n);
    for (size_t i = 0; i < b->items.len; i++) {
        const item *it = &NR_VEC_AT(&b->items, item, i);
        if (!nr_in_shard(it->name, b->shard_k, b->shard_n))
            continue;
        while (r->running >= b->jobs && !nr_narrator_stopping(b->nr))
            reap(r);
        if (nr_narrator_stopping(b->nr))
            break;
        char *bytes;
        size_t len;
        if (!read_file(it->input, &bytes, &len)) {
            report(r, it, NR_BATCH_FAILED, NR_E_INPUT, strerror(errno));
            continue;
        }
        char hash[32];
        content_hash(b, bytes, len, hash);
        if (!b->force && up_to_date(b, it->name, hash)) {
            free(bytes);
            report(r, it, NR_BATCH_SKIPPED, NR_OK, "");
            continue;
        }
        worker *w = &r->w[r->running];
        w->item = i;
        w->pid = spawn(b, it, bytes, len, hash, &w->fd);
        free(bytes);
        if (w->pid < 0)
            report(r, it, NR_BATCH_FAILED, NR_E_IO, strerror(errno));
        else
            r->running++;
    }
    while (r->running > 0 && !nr_narrator_stopping(b->nr))
        reap(r);
    if (nr_narrator_stopping(b->nr)) {
        stop_all(r);
        return nr_fail(b->ctx, NR_E_ABORTED, "interrupted");
    }
    return NR_OK;
}

static nr_status write_feed(nr_batch *b) {
    if (!b->base_url)
        return nr_fail(b->ctx, NR_E_ARG, "--feed needs --base-url (where %s is published)",
                       b->out_dir);
    size_t n;
    nr_episode *eps = nr_episodes_scan(b->out_dir, &n);
    const nr_export_opts *o = nr_narrator_export_opts(b->nr);
    const char *slash = strrchr(b->feed, '/');
    nr_feed_info info = {
        .title = b->feed_info[FEED_TITLE] ? b->feed_info[FEED_TITLE]
                 : o->show                ? o->show
                                          : "Narrated articles",
        .description = b->feed_info[FEED_DESCRIPTION],
        .author = b->feed_info[FEED_AUTHOR] ? b->feed_info[FEED_AUTHOR]
                  : o->author               ? o->author
                  : o->show                 ? o->show
                                            : "narrate",
        .image = b->feed_info[FEED_IMAGE],
        .category = b->feed_info[FEED_CATEGORY],
        .link = b->feed_info[FEED_LINK],
        .base_url = b->base_url,
        .self = slash ? slash + 1 : b->feed,
        .lang = o->lang,
    };
    nr_out *out;
    nr_status st = nr_out_open(b->ctx, b->feed, &out);
    if (st == NR_OK) {
        FILE *f = nr_out_fopen(out);
        if (f)
            nr_feed_write(f, &info, eps, n);
        st = nr_out_fclose(b->ctx, out, f);
        st = st == NR_OK ? nr_out_commit(b->ctx, out) : (nr_out_discard(out), st);
    }
    free(eps);
    return st;
}

nr_status nr_batch_run(nr_batch *b, nr_batch_report_fn fn, void *user) {
    b->ctx->err[0] = '\0';
    if (b->feed && !b->base_url)
        return write_feed(b);
    name_items(b);
    run r = {.b = b, .fn = fn, .user = user, .first = NR_OK};
    r.w = calloc((size_t)b->jobs, sizeof *r.w);
    if (!r.w)
        return nr_fail(b->ctx, NR_E_NOMEM, "out of memory");
    nr_status st = run_items(&r);
    free(r.w);
    if (st == NR_OK && b->feed)
        st = write_feed(b);
    if (st == NR_OK && r.first != NR_OK) {
        st = r.first;
        snprintf(b->ctx->err, sizeof b->ctx->err, "%s", "some articles failed");
    }
    return st;
}
