/* Unit tests of src/core: status messages, data folder, plan JSON. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/ctx.h"
#include "core/data.h"
#include "core/doc.h"
#include "core/plan.h"
#include "narrate.h"

static void test_status_messages(void) {
    for (int st = 0; st < NR_STATUS_COUNT; st++) {
        const char *m = nr_strerror((nr_status)st);
        CHECK(m && *m && strcmp(m, "unknown error"), "status %d has a message", st);
    }
    CHECK(!strcmp(nr_strerror((nr_status)999), "unknown error"), "out of range");
}

typedef struct lines {
    char got[8][64];
    int linenos[8];
    int n;
} lines;

static bool collect(void *user, const char *line, size_t len, int lineno) {
    lines *l = user;
    if (l->n < 8) {
        snprintf(l->got[l->n], 64, "%.*s", (int)len, line);
        l->linenos[l->n++] = lineno;
    }
    return true;
}

static void test_each_line(void) {
    const char *text = "# comment\n  M.\tMonsieur  \r\n\n\t\nMme\n#x\nlast";
    lines l = {0};
    nr_data_each_line(text, strlen(text), collect, &l);
    CHECK(l.n == 3, "three lines, got %d", l.n);
    CHECK_STR(l.got[0], "M.\tMonsieur");
    CHECK(l.linenos[0] == 2 && l.linenos[2] == 7, "line numbers %d %d", l.linenos[0], l.linenos[2]);
    CHECK_STR(l.got[2], "last");
}

static void test_data_override(void) {
    char dir[] = "/tmp/nr-test-voicesXXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char path[128];
    snprintf(path, sizeof path, "%s/cast.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("[cast]\nnarrator = male-1\n", f);
    fclose(f);
    nr_data *builtin = nr_data_new(NULL), *user = nr_data_new(dir);
    size_t len;
    const char *b = nr_data_get(builtin, "cast.ini", &len);
    CHECK(b && strstr(b, "neutral-1"), "built-in cast.ini is embedded");
    const char *u = nr_data_get(user, "cast.ini", &len);
    CHECK(u && !strcmp(u, "[cast]\nnarrator = male-1\n") && len == 25, "the user's copy wins");
    CHECK(nr_data_get(user, "profiles.ini", NULL) != NULL, "other files fall back to built-in");
    CHECK(nr_data_get(user, "no/such.file", NULL) == NULL, "absent file");
    CHECK(nr_data_get_lang(builtin, "en-US", "cast.ini", NULL) != NULL, "en-US falls back to en");
    nr_data_free(builtin);
    nr_data_free(user);
    unlink(path);
    rmdir(dir);
}

static void test_json_string(void) {
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "\"plain\""},
        {"a \"quote\" \\ b", "\"a \\\"quote\\\" \\\\ b\""},
        {"line\nbreak\ttab", "\"line\\nbreak\\ttab\""},
        {"\x01"
         "ctl",
         "\"\\u0001ctl\""},
        {"caf\xC3\xA9", "\"caf\xC3\xA9\""},
        {"bad\xFF", "\"bad\xEF\xBF\xBD\""},
        {"<voice>&amp;", "\"<voice>&amp;\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nr_buf b;
        nr_buf_init(&b);
        nr_json_string(&b, cases[i].in, strlen(cases[i].in));
        CHECK_STR(b.data, cases[i].want);
        nr_buf_free(&b);
    }
}

static void test_plan_shape(void) {
    const char *text = "Title\n\nHe said \"yes\" twice.";
    nr_doc *doc = nr_doc_new(text, strlen(text), "t.txt");
    nr_block *t = nr_doc_add_block(doc, NR_BLOCK_TITLE, 0, 5);
    nr_block *p = nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 7, strlen(text));
    (void)t;
    (void)p;
    nr_doc_drop(doc, "2 min", 5, "reading time");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    CHECK(nr_plan_write(doc, f) == NR_OK, "plan written");
    fclose(f);
    CHECK(strstr(out, "\"format\": \"narrate-plan/1\"") != NULL, "format tag");
    CHECK(strstr(out, "{\"kind\": \"title\"") && strstr(out, "{\"kind\": \"paragraph\""), "blocks");
    CHECK(strstr(out, "{\"text\": \"2 min\", \"reason\": \"reading time\"}") != NULL, "dropped");
    free(out);
    nr_doc_free(doc);
}

int main(void) {
    test_status_messages();
    test_each_line();
    test_data_override();
    test_json_string();
    test_plan_shape();
    return check_done("test_core");
}
