/* markdown.c: Markdown through md4c (CommonMark with GitHub's tables).
 *
 * Headings, paragraphs, list items and block quotations become blocks;
 * emphasis and links are read as their text; images, raw HTML and tables
 * are skipped; a code block is announced by one sentence and skipped
 * unless ctx->read_code. */
#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ingest.h"

#define MD_MAX_DEPTH 64

typedef struct md_state {
    nr_ctx *ctx;
    nr_build b;
    nr_buf cur;     /* the text of the block being read */
    nr_buf skipped; /* the text of a code block, an image, a table */
    MD_BLOCKTYPE stack[MD_MAX_DEPTH];
    int depth;
    int img;   /* inside an image: its text is alt text */
    int level; /* heading level being read, 0 = none */
    bool have_title;
    char *fm_title; /* the front matter's title, emitted first */
    const char *notice;
    size_t code_blocks;
} md_state;

static bool inside(const md_state *m, MD_BLOCKTYPE t) {
    for (int i = 0; i < m->depth && i < MD_MAX_DEPTH; i++)
        if (m->stack[i] == t)
            return true;
    return false;
}

/* Emits the text read so far as a block of the kind its context gives. */
static void flush(md_state *m) {
    if (m->cur.len == 0)
        return;
    nr_block_kind k = NR_BLOCK_PARAGRAPH;
    int level = 0;
    if (m->level == 1 && m->fm_title) {
        nr_buf f;
        nr_buf_init(&f);
        nr_build_fold(&f, m->cur.data, m->cur.len);
        bool same = f.data && !strcmp(f.data, m->fm_title);
        nr_buf_free(&f);
        if (same) { /* the headline again */
            m->cur.len = 0;
            return;
        }
    }
    if (m->level) {
        level = m->level;
        k = (m->level == 1 && !m->have_title) ? NR_BLOCK_TITLE : NR_BLOCK_HEADING;
        if (k == NR_BLOCK_TITLE)
            m->have_title = true;
    } else if (inside(m, MD_BLOCK_QUOTE)) {
        k = NR_BLOCK_QUOTE_BLOCK;
    } else if (inside(m, MD_BLOCK_LI)) {
        k = NR_BLOCK_LIST_ITEM;
    }
    nr_build_block(&m->b, k, level, m->cur.data, m->cur.len);
    m->cur.len = 0;
}

static int enter_block(MD_BLOCKTYPE t, void *detail, void *user) {
    md_state *m = user;
    if (t != MD_BLOCK_DOC)
        flush(m);
    if (m->depth < MD_MAX_DEPTH)
        m->stack[m->depth] = t;
    m->depth++;
    if (t == MD_BLOCK_H)
        m->level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
    if (t == MD_BLOCK_CODE || t == MD_BLOCK_HTML || t == MD_BLOCK_TABLE)
        m->skipped.len = 0;
    return 0;
}

static int leave_block(MD_BLOCKTYPE t, void *detail, void *user) {
    (void)detail;
    md_state *m = user;
    if (t == MD_BLOCK_CODE) {
        if (m->ctx->read_code) {
            nr_build_block(&m->b, NR_BLOCK_PARAGRAPH, 0, m->skipped.data, m->skipped.len);
        } else {
            nr_build_drop_text(&m->b, m->skipped.data, m->skipped.len, "code block");
            nr_build_block(&m->b, NR_BLOCK_PARAGRAPH, 0, m->notice, strlen(m->notice));
            m->code_blocks++;
        }
        m->skipped.len = 0;
    } else if (t == MD_BLOCK_HTML || t == MD_BLOCK_TABLE) {
        nr_build_drop_text(&m->b, m->skipped.data, m->skipped.len,
                           t == MD_BLOCK_TABLE ? "table" : "HTML markup");
        m->skipped.len = 0;
    } else if (t != MD_BLOCK_DOC) {
        flush(m);
    }
    if (t == MD_BLOCK_H)
        m->level = 0;
    m->depth--;
    return 0;
}

static int enter_span(MD_SPANTYPE t, void *detail, void *user) {
    (void)detail;
    md_state *m = user;
    if (t == MD_SPAN_IMG)
        m->img++;
    return 0;
}

static int leave_span(MD_SPANTYPE t, void *detail, void *user) {
    (void)detail;
    md_state *m = user;
    if (t == MD_SPAN_IMG)
        m->img--;
    return 0;
}

static int text(MD_TEXTTYPE t, const MD_CHAR *s, MD_SIZE n, void *user) {
    md_state *m = user;
    bool skipping =
        inside(m, MD_BLOCK_CODE) || inside(m, MD_BLOCK_HTML) || inside(m, MD_BLOCK_TABLE);
    nr_buf *to = skipping ? &m->skipped : &m->cur;
    if (m->img > 0)
        return 0;
    switch (t) {
    case MD_TEXT_BR:
        nr_buf_addc(to, '\n');
        break;
    case MD_TEXT_SOFTBR:
        nr_buf_addc(to, skipping ? '\n' : ' ');
        break;
    case MD_TEXT_NULLCHAR:
        nr_buf_add(to, "\xEF\xBF\xBD", 3);
        break;
    case MD_TEXT_ENTITY:
        if (!nr_html_entity(s, n, to))
            nr_buf_add(to, s, n);
        break;
    case MD_TEXT_HTML:
        if (skipping)
            nr_buf_add(to, s, n);
        break;
    default:
        nr_buf_add(to, s, n);
    }
    return 0;
}

/* YAML front matter ("---" ... "---" at the very start, as static site
 * generators write it) is metadata, not text: its title is the headline,
 * its author the byline; the rest is dropped. Returns the bytes it spans. */
static size_t front_matter(md_state *m, const char *s, size_t n, char **author) {
    *author = NULL;
    if (n < 4 || strncmp(s, "---", 3) || (s[3] != '\n' && s[3] != '\r'))
        return 0;
    size_t limit = n < 16384 ? n : 16384;
    for (size_t a = 4; a < limit;) {
        size_t e = a;
        while (e < limit && s[e] != '\n')
            e++;
        size_t len = e - a;
        while (len && s[a + len - 1] == '\r')
            len--;
        if ((len == 3 && (!strncmp(s + a, "---", 3) || !strncmp(s + a, "...", 3)))) {
            nr_build_drop_text(&m->b, s + 4, a - 4, "front matter (metadata)");
            return e < n ? e + 1 : n;
        }
        const char *keys[] = {"title:", "author:"};
        for (int k = 0; k < 2; k++) {
            size_t kl = strlen(keys[k]);
            if (len > kl && !strncmp(s + a, keys[k], kl)) {
                size_t v = a + kl, ve = a + len;
                while (v < ve && (s[v] == ' ' || s[v] == '"' || s[v] == '\''))
                    v++;
                while (ve > v && (s[ve - 1] == ' ' || s[ve - 1] == '"' || s[ve - 1] == '\''))
                    ve--;
                char *val = ve > v ? strndup(s + v, ve - v) : NULL;
                if (k == 0 && val && !m->fm_title)
                    m->fm_title = val;
                else if (k == 1 && val && !*author)
                    *author = val;
                else
                    free(val);
            }
        }
        a = e + 1;
    }
    free(m->fm_title);
    m->fm_title = NULL;
    free(*author);
    *author = NULL;
    return 0;
}

nr_status nr_ingest_markdown(nr_ctx *ctx, const char *s, size_t n, const char *name,
                             const char *code_lang, size_t *code_blocks, nr_doc **out) {
    *out = NULL;
    md_state m;
    memset(&m, 0, sizeof m);
    m.ctx = ctx;
    m.notice = nr_ingest_code_notice(ctx, code_lang);
    nr_build_init(&m.b);
    nr_buf_init(&m.cur);
    nr_buf_init(&m.skipped);
    MD_PARSER p = {0};
    p.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEAUTOLINKS;
    p.enter_block = enter_block;
    p.leave_block = leave_block;
    p.enter_span = enter_span;
    p.leave_span = leave_span;
    p.text = text;
    char *author = NULL;
    size_t skip = front_matter(&m, s, n, &author);
    if (m.fm_title) {
        nr_build_block(&m.b, NR_BLOCK_TITLE, 1, m.fm_title, strlen(m.fm_title));
        m.have_title = true;
    }
    int rc = md_parse(s + skip, (MD_SIZE)(n - skip), &p, &m);
    flush(&m);
    nr_status st = NR_OK;
    if (rc != 0 || !nr_buf_ok(&m.cur) || !nr_buf_ok(&m.skipped))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    else if (!(*out = nr_build_finish(ctx, &m.b, name)))
        st = NR_E_NOMEM;
    else if (author)
        (*out)->byline = nr_arena_strdup((*out)->arena, author);
    free(author);
    free(m.fm_title);
    *code_blocks = m.code_blocks;
    nr_buf_free(&m.cur);
    nr_buf_free(&m.skipped);
    nr_build_free(&m.b);
    return st;
}
