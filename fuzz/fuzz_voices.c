/* The files of a user's voices folder (--voices DIR): the input is
 * "PATH\nCONTENT", where PATH names one of the built-in voices/ files (cast,
 * profiles, language tables, lexicons: whatever voices/ holds). CONTENT
 * replaces that file in a temporary user folder, and an article in the
 * file's language goes through the whole pipeline. It either works or
 * fails with a message; it never crashes. */
#include <sys/stat.h>
#include <unistd.h>

#include "cast/cast.h"
#include "core/data.h"
#include "fuzz_common.h"
#include "ingest/ingest.h"
#include "speakers/attribute.h"
#include "speech/normalise.h"
#include "text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char article_en[] =
    "Talks resume in Geneva\n\n"
    "\"We will not give up,\" said Dr. Maria Lopez, the union's leader, on Jan. 5 2024. "
    "John Smith, 42, a spokesman for the U.S. ministry, answered: \"The $200m offer "
    "stands.\" It was 3:30 p.m. in the 19th arrondissement.\n";

static char dir[64];

/* Creates the folders of PATH under dir. */
static void make_parents(const char *path) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", dir, path);
    for (char *p = buf + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(buf, 0700);
        *p = '/';
    }
}

static const nr_embedded_file *pick(const char *name, size_t n) {
    for (size_t i = 0; i < nr_embedded_count; i++)
        if (strlen(nr_embedded_files[i].path) == n && !memcmp(nr_embedded_files[i].path, name, n))
            return &nr_embedded_files[i];
    size_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31 + (unsigned char)name[i];
    return &nr_embedded_files[h % nr_embedded_count];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/narrate-fuzz-voices.XXXXXX");
        FUZZ_CHECK(mkdtemp(dir) != NULL);
    }
    if (nr_embedded_count == 0)
        return 0;
    const char *nl = memchr(data, '\n', size);
    size_t name_len = nl ? (size_t)(nl - (const char *)data) : size;
    const nr_embedded_file *f = pick((const char *)data, name_len);
    const char *body = nl ? nl + 1 : "";
    size_t body_len = nl ? size - name_len - 1 : 0;

    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, f->path);
    make_parents(f->path);
    FILE *fp = fopen(path, "wb");
    FUZZ_CHECK(fp != NULL);
    FUZZ_CHECK(fwrite(body, 1, body_len, fp) == body_len);
    FUZZ_CHECK(fclose(fp) == 0);

    char lang[16] = "fr";
    const char *slash = strchr(f->path, '/');
    if (slash && (size_t)(slash - f->path) < sizeof lang)
        snprintf(lang, sizeof lang, "%.*s", (int)(slash - f->path), f->path);
    nr_ctx ctx;
    fuzz_ctx(&ctx);
    nr_data *d = nr_data_new(dir);
    FUZZ_CHECK(d != NULL);
    nr_ctx_set_data(&ctx, d);
    snprintf(ctx.lang, sizeof ctx.lang, "%s", lang);
    bool en = !strncmp(lang, "en", 2);
    const char *text = en ? article_en : nr_embedded_sample;
    size_t len = en ? sizeof article_en - 1 : nr_embedded_sample_len;
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(&ctx, text, len, "fuzz", &doc);
    if (st == NR_OK)
        st = nr_segment(&ctx, doc);
    if (st == NR_OK)
        st = nr_attribute(&ctx, doc);
    if (st == NR_OK)
        st = nr_normalise(&ctx, doc);
    if (st == NR_OK)
        st = nr_cast(&ctx, doc);
    fuzz_check_status(&ctx, st);
    if (doc)
        fuzz_check_doc(doc);
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);
    unlink(path);
    return 0;
}
