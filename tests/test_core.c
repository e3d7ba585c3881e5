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

/* The JSON string literal at S read back (escapes \\n \\t \\" \\\\ \\u00XX)
 * into OUT; false when it is not one. */
static bool json_unquote(const char *s, nr_buf *out) {
    if (*s++ != '"')
        return false;
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') {
            nr_buf_addc(out, *s);
            continue;
        }
        s++;
        if (*s == 'n' || *s == 't')
            nr_buf_addc(out, *s == 'n' ? '\n' : '\t');
        else if (*s == '"' || *s == '\\')
            nr_buf_addc(out, *s);
        else if (*s == 'u' && !strncmp(s, "u00", 3) && s[3] && s[4])
            nr_buf_addc(out, (char)strtol((char[]){s[3], s[4], 0}, NULL, 16)), s += 4;
        else
            return false;
    }
    return *s == '"' && !s[1];
}

/* Random strings of words, single and double spaces, quotes, backslashes,
 * control characters and accented letters at every alignment come back
 * from their JSON literal as they were (the writer copies 8 bytes at a
 * time where it can). */
static void test_json_string_random(void) {
    static const char *const pieces[] = {"mot",  "a",    " ",           "  ",
                                         "\"",   "\\",   "\n",          "\t",
                                         "\x01", "\x7f", "caf\xC3\xA9", "l'\xE2\x80\x99",
                                         "~!"};
    srand(42);
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        char in[128] = "";
        for (int k = rand() % 24; k > 0 && strlen(in) + 8 < sizeof in; k--)
            strcat(in, pieces[rand() % (sizeof pieces / sizeof pieces[0])]);
        nr_buf b, back;
        nr_buf_init(&b), nr_buf_init(&back);
        nr_json_string(&b, in, strlen(in));
        bool ok = json_unquote(b.data, &back) && back.len == strlen(in) &&
                  !memcmp(back.data ? back.data : "", in, back.len);
        if (!ok && bad++ < 3)
            CHECK(ok, "'%s' comes back from %s", in, b.data);
        nr_buf_free(&b), nr_buf_free(&back);
    }
    CHECK(bad == 0, "%d strings of 3000 did not come back", bad);
}

/* The plan shows a sentence's text with each run of white space folded to
 * one space, wherever the run falls in the 8-byte blocks copied at once. */
static void test_plan_folds_spaces(void) {
    nr_narrator *nr = NULL;
    CHECK(nr_narrator_new(&nr) == NR_OK, "narrator");
    const char *text =
        "Le train de Lyon  part.\n\nLes voyageurs attendent\t sur le quai num\xC3\xA9ro "
        "deux  depuis   une heure.\n";
    nr_document *d = NULL;
    CHECK(nr_document_from_memory(nr, text, strlen(text), "spaces.txt", &d) == NR_OK, "read: %s",
          nr_narrator_error(nr));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    CHECK(d && nr_document_write_plan(d, f) == NR_OK, "plan written");
    fclose(f);
    CHECK(out && strstr(out, "\"Le train de Lyon part.\""), "one space: %s", out);
    CHECK(out && strstr(out, "\"Les voyageurs attendent sur le quai num\xC3\xA9ro deux depuis une "
                             "heure.\""),
          "one space: %s", out);
    free(out);
    nr_document_free(d);
    nr_narrator_free(nr);
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
    test_json_string_random();
    test_plan_folds_spaces();
    test_plan_shape();
    return check_done("test_core");
}
