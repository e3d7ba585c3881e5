/* layout.c: page furniture, captions, title, byline and headings.
 *
 * Text copied from a news page is a column of lines: the headline, a
 * standfirst, a byline, dates, share buttons, a photo caption glued to its
 * credit, the body with sub-headings, ads and "read more" links, then
 * prompts and comment counters. Each block is classified once, in order,
 * with a bounded look at its neighbours, so the cost is linear. */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "junk.h"

typedef enum state { KEEP, DROP } state;

typedef struct item {
    nr_block b;
    nr_folded f;
    state st;
    const char *reason; /* DROP: why */
} item;

/* Records the removal of [A, B) of the document's text. */
static bool drop_text(nr_doc *doc, size_t a, size_t b, const char *reason) {
    while (a < b && (doc->text[a] == ' ' || doc->text[a] == '\n'))
        a++;
    while (b > a && (doc->text[b - 1] == ' ' || doc->text[b - 1] == '\n'))
        b--;
    if (a >= b)
        return true;
    const char *r = nr_arena_strdup(doc->arena, reason);
    return r && nr_doc_drop(doc, doc->text + a, b - a, r);
}

/* Drops the kept item X for REASON (an item dropped already stays as it
 * was). False on out-of-memory. */
static bool drop_item(nr_doc *doc, item *x, const char *reason) {
    if (x->st == DROP)
        return true;
    x->st = DROP;
    x->reason = reason;
    return drop_text(doc, x->b.start, x->b.end, reason);
}

/* The last code point of F that is not a closing quote or bracket. */
static uint32_t last_mark(const nr_folded *f) {
    size_t e = f->len;
    while (e > 0) {
        uint32_t cp;
        size_t l = nr_utf8_decode_back(f->s, e, &cp);
        if (cp == '"' || cp == 0xBB || cp == 0x201D || cp == ')' || cp == '\'' || cp == ' ') {
            e -= l;
            continue;
        }
        return cp;
    }
    return 0;
}

static bool ends_with_period(const nr_folded *f) {
    uint32_t c = last_mark(f);
    return c == '.' || c == 0x2026 || c == ';' || c == ',';
}

/* A heading is short, unpunctuated and starts like a title, not like a
 * dialogue turn or a list item. */
static bool heading_like(const item *it) {
    if (it->st != KEEP || it->b.kind != NR_BLOCK_PARAGRAPH)
        return false;
    const nr_folded *f = &it->f;
    if (f->words == 0 || f->words > 16 || f->len > 140)
        return false;
    uint32_t c = last_mark(f), first;
    nr_utf8_decode(f->s, f->len, &first);
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ',' || c == 0x2026)
        return false;
    if (first == '-' || first == 0x2014 || first == 0x2013 || first == '"' || first == 0xAB ||
        first == '*' || first == 0x2022 || (first >= '0' && first <= '9' && f->words < 3))
        return false;
    return true;
}

/* Folded S ends with folded P (at a word boundary): the length of the rest. */
static bool ends_with(const nr_folded *s, const nr_folded *p, size_t *prefix) {
    if (p->len < 20 || s->len < p->len)
        return false;
    size_t k = s->len - p->len;
    if (memcmp(s->s + k, p->s, p->len) != 0)
        return false;
    *prefix = k;
    return true;
}

/* The index of the last kept item before I, or -1. */
static long prev_kept(const item *it, size_t i) {
    while (i-- > 0)
        if (it[i].st == KEEP)
            return (long)i;
    return -1;
}

static long next_kept(const item *it, size_t n, size_t i) {
    for (size_t j = i + 1; j < n; j++)
        if (it[j].st == KEEP)
            return (long)j;
    return -1;
}

/* Folds X again, with the offsets back into the text. */
static bool refold_map(nr_doc *doc, item *x) {
    nr_folded g;
    if (!nr_fold(doc->text + x->b.start, x->b.end - x->b.start, &g))
        return false;
    nr_folded_free(&x->f);
    x->f = g;
    return true;
}

/* True when B starts on the line right after A ends (no blank line): a
 * credit under its caption. */
static bool adjacent(const nr_doc *doc, const item *a, const item *b) {
    size_t nl = 0;
    for (size_t i = a->b.end; i < b->b.start && nl < 2; i++)
        nl += doc->text[i] == '\n';
    return nl == 1;
}

/* Runs of short lines that belong to a dropped line or stand before the
 * headline: a menu ("Home / News / Sport") at the top, the entries of a
 * "Related topics" list after it. */
static bool menu_line(const item *x) {
    uint32_t c = last_mark(&x->f);
    return x->st == KEEP && x->f.len > 0 && x->f.words <= 3 && c != '.' && c != '!' && c != '?' &&
           c != ':' && c != ',';
}

static bool drop_runs(nr_doc *doc, item *it, size_t n) {
    /* a menu: two or more short lines at the very top, before a longer one */
    /* lines of one group (no blank line between them) */
    size_t run = 0, kept = 0;
    while (!doc->continued && run < n && (it[run].st == DROP || menu_line(&it[run])) &&
           (run == 0 || adjacent(doc, &it[run - 1], &it[run])))
        kept += it[run++].st == KEEP;
    if (kept >= 2 && run < n)
        for (size_t i = 0; i < run; i++) {
            if (!drop_item(doc, &it[i], "navigation"))
                return false;
        }
    /* the entries under a dropped "related" or "topics" line */
    for (size_t i = 0; i + 1 < n; i++) {
        if (it[i].st != DROP || !it[i].reason || !strstr(it[i].reason, "related"))
            continue;
        size_t j = i + 1;
        while (j < n && menu_line(&it[j]) && j - i <= 12)
            j++;
        if (j - i < 2)
            continue;
        for (size_t k = i + 1; k < j; k++)
            if (!drop_item(doc, &it[k], it[i].reason))
                return false;
        i = j - 1;
    }
    return true;
}

/* A line that could label a chart: a few words (and bytes: Chinese has no
 * spaces), no sentence end. */
static bool label_line(const item *x) {
    uint32_t c = last_mark(&x->f);
    size_t d = 0;
    while (d < x->f.len && x->f.s[d] >= '0' && x->f.s[d] <= '9')
        d++;
    if (d > 0 && d < x->f.len && (x->f.s[d] == '.' || x->f.s[d] == ')'))
        return false; /* "7. United Kingdom": an item of a numbered list */
    return x->st == KEEP && x->b.kind == NR_BLOCK_PARAGRAPH && x->f.len > 0 && x->f.len <= 64 &&
           x->f.words <= 8 && c != '.' && c != '!' && c != '?' && c != ':';
}

/* The labels of a chart or a map, which a page's text holds one to a line
 * ("$915", "billion", "600", "'17", "'18", with a title among them): a run
 * of short unpunctuated lines, at least 8 of them (and two in three) a word
 * or two. A listener hears nothing of the chart in them. Items before
 * FROM (a plain text's first line, its likely title) are left alone. */
static bool drop_labels(nr_doc *doc, item *it, size_t n, size_t from) {
    for (size_t i = from; i < n;) {
        size_t j = i, tiny = 0, kept = 0;
        for (; j < n && (it[j].st == DROP || label_line(&it[j])); j++)
            if (it[j].st == KEEP)
                kept++, tiny += it[j].f.words <= 2 && it[j].f.len <= 16;
        if (tiny >= 8 && tiny * 3 >= kept * 2)
            for (size_t k = i; k < j; k++)
                if (!drop_item(doc, &it[k], "chart labels"))
                    return false;
        i = j > i ? j : i + 1;
    }
    return true;
}

/* A paragraph of the article's prose: some words, a sentence's end (text
 * too long to fold is body text whatever its end). */
static bool prose_item(const item *x) {
    uint32_t c = last_mark(&x->f);
    return x->st == KEEP && x->f.words >= 15 &&
           (x->f.len == 0 || c == '.' || c == '!' || c == '?' || c == 0x2026);
}

/* Furniture that can open what a page has after its article: share and
 * subscription prompts, related links, comment counters, adverts. A date,
 * a reading time or a credit can still belong to the article's end. */
static bool tail_marker(const item *x) {
    static const char *const keep[] = {"publication date", "reading time", "photo credit",
                                       "repeated caption", NULL};
    if (x->st != DROP || !x->reason)
        return false;
    for (const char *const *k = keep; *k; k++)
        if (!strcmp(x->reason, *k))
            return false;
    return true;
}

/* What follows the article in text copied from a whole page: the site's
 * other stories, its menus, adverts and footer, line after line. The
 * article ends with its last run of two prose paragraphs (a teaser's
 * summary stands alone between headlines); the first piece of furniture
 * after it opens the page's tail, and everything after it goes. A list
 * that closes the article, before that furniture, stays. */
static bool drop_tail(nr_doc *doc, item *it, size_t n) {
    size_t end = 0, prev = n;
    for (size_t i = 0; i < n; i++) {
        if (it[i].st != KEEP)
            continue;
        if (prev < n && prose_item(&it[i]) && prose_item(&it[prev]))
            end = i + 1;
        prev = i;
    }
    size_t start = end;
    while (start > 0 && start < n && !tail_marker(&it[start]))
        start++;
    if (end == 0 || start >= n)
        return true;
    size_t kept = 0, prose = 0;
    for (size_t i = start; i < n; i++)
        kept += it[i].st == KEEP, prose += prose_item(&it[i]);
    /* a line or two after the share buttons is no page's tail; nor is the
       rest of an article whose paragraphs an advert cuts one from the next */
    if (kept < 4 || prose * 4 > kept || prose > 6)
        return true;
    for (size_t i = start; i < n; i++)
        if (!drop_item(doc, &it[i], "outside the article"))
            return false;
    return true;
}

/* Junk, credits and repeated captions, in one pass. */
static bool clean_pass(nr_doc *doc, const nr_junk_rules *r, item *it, size_t n, bool structured) {
    for (size_t i = 0; i < n; i++) {
        item *x = &it[i];
        if (x->b.kind == NR_BLOCK_TITLE && structured)
            continue;
        long p = prev_kept(it, i);
        /* a caption repeated, alone or glued to its credit */
        size_t prefix;
        if (p >= 0 && it[p].f.words < 80 && (!structured || it[p].b.kind == NR_BLOCK_CAPTION) &&
            ends_with(&x->f, &it[p].f, &prefix) && prefix <= 100 && x->f.words < 100) {
            if (!refold_map(doc, x))
                return false;
            size_t cut = x->b.start + x->f.map[prefix];
            if (prefix && !drop_text(doc, x->b.start, cut, "photo credit"))
                return false;
            if (!drop_text(doc, cut, x->b.end, "repeated caption"))
                return false;
            x->st = DROP;
            if (it[p].b.kind == NR_BLOCK_PARAGRAPH)
                it[p].b.kind = NR_BLOCK_CAPTION;
            continue;
        }
        const char *reason;
        size_t at;
        nr_junk_kind k = nr_junk_match(r, &x->f, &reason, &at);
        if (k == NR_JUNK_LINE || k == NR_JUNK_CREDIT) {
            x->st = DROP;
            x->reason = reason;
            if (k == NR_JUNK_CREDIT && p >= 0 && it[p].b.kind == NR_BLOCK_PARAGRAPH &&
                prev_kept(it, (size_t)p) >= 0 && it[p].f.words < 80 && !structured &&
                adjacent(doc, &it[p], x))
                it[p].b.kind = NR_BLOCK_CAPTION;
            if (!drop_text(doc, x->b.start, x->b.end, reason))
                return false;
            continue;
        }
        if (k == NR_JUNK_CREDIT_END) {
            if (!refold_map(doc, x))
                return false;
            size_t cut = x->b.start + x->f.map[at];
            if (!drop_text(doc, cut, x->b.end, reason))
                return false;
            x->b.end = cut;
            while (x->b.end > x->b.start && (doc->text[x->b.end - 1] == ' '))
                x->b.end--;
            x->b.kind = NR_BLOCK_CAPTION;
            if (!refold_map(doc, x))
                return false;
        }
        for (long j = p; j >= 0 && j + 12 > (long)i; j--) {
            if (it[j].b.kind == NR_BLOCK_CAPTION && it[j].st == KEEP && it[j].f.len == x->f.len &&
                !memcmp(it[j].f.s, x->f.s, x->f.len)) {
                x->st = DROP;
                if (!drop_text(doc, x->b.start, x->b.end, "repeated caption"))
                    return false;
                break;
            }
        }
    }
    return true;
}

/* The first kept block, when short and not a sentence, is the headline. */
static long find_title(item *it, size_t n) {
    long t = next_kept(it, n, (size_t)-1);
    if (t < 0 || it[t].b.kind != NR_BLOCK_PARAGRAPH)
        return -1;
    if (it[t].f.words > 40 || ends_with_period(&it[t].f))
        return -1;
    it[t].b.kind = NR_BLOCK_TITLE;
    it[t].b.level = 1;
    return t;
}

/* A name has no digit: a byline glued to its date or counters
 * ("by X22 Dec 2016651") is read, but is not the writer's name. */
static bool has_digit(const nr_folded *f) {
    for (size_t i = 0; i < f->len; i++)
        if (f->s[i] >= '0' && f->s[i] <= '9')
            return true;
    return false;
}

/* A byline stands near the top, before the body; a standfirst sits between
 * the headline and the byline or the dates. */
static void find_byline(nr_doc *doc, const nr_junk_rules *r, item *it, size_t n, long title,
                        bool structured) {
    size_t seen = 0;
    for (long i = next_kept(it, n, (size_t)title); i >= 0 && seen < 6;
         i = next_kept(it, n, (size_t)i), seen++) {
        bool marked = it[i].b.kind == NR_BLOCK_BYLINE; /* by the page's markup */
        if (marked && !doc->byline && nr_junk_is_byline(r, &it[i].f) && !has_digit(&it[i].f)) {
            doc->byline = nr_arena_strndup(doc->arena, doc->text + it[i].b.start,
                                           it[i].b.end - it[i].b.start);
            break;
        }
        if (it[i].b.kind != NR_BLOCK_PARAGRAPH)
            continue;
        if (nr_junk_is_byline(r, &it[i].f)) {
            it[i].b.kind = NR_BLOCK_BYLINE;
            /* the writer's role on the next line belongs to the byline */
            long q = next_kept(it, n, (size_t)i);
            if (q == i + 1 && adjacent(doc, &it[i], &it[q]) && nr_junk_is_role(r, &it[q].f)) {
                it[i].b.end = it[q].b.end;
                it[q].st = DROP;
                it[q].reason = "byline";
            }
            doc->byline = nr_arena_strndup(doc->arena, doc->text + it[i].b.start,
                                           it[i].b.end - it[i].b.start);
            break;
        }
        if (it[i].f.words > 40)
            break;
    }
    if (structured || title < 0)
        return;
    long s = next_kept(it, n, (size_t)title);
    if (s < 0 || it[s].b.kind != NR_BLOCK_PARAGRAPH || it[s].f.words < 4)
        return;
    size_t after = (size_t)s + 1;
    if (after >= n)
        return;
    const item *a = &it[after];
    bool meta = a->st == KEEP
                    ? a->b.kind == NR_BLOCK_BYLINE
                    : (a->reason && (strstr(a->reason, "date") || strstr(a->reason, "time")));
    if (meta) {
        it[s].b.kind = NR_BLOCK_HEADING;
        it[s].b.level = 2;
    }
}

/* Sub-headings: short unpunctuated lines between paragraphs. */
static void find_headings(item *it, size_t n, long title) {
    for (size_t i = title < 0 ? 0 : (size_t)title + 1; i < n; i++) {
        if (!heading_like(&it[i]))
            continue;
        long p = prev_kept(it, i), q = next_kept(it, n, i);
        if (q < 0 || it[q].b.kind != NR_BLOCK_PARAGRAPH || heading_like(&it[q]))
            continue;
        if (p >= 0 && heading_like(&it[p]))
            continue;
        it[i].b.kind = NR_BLOCK_HEADING;
        it[i].b.level = 2;
    }
}

/* Adds an item for [A, B) of the text, folded into POOL. */
static bool push_item(nr_doc *doc, nr_arena *pool, nr_vec *items, nr_block b, size_t a, size_t e) {
    item *x = nr_vec_push(items);
    if (!x)
        return false;
    x->b = b;
    x->b.start = a;
    x->b.end = e;
    /* offsets are needed only for the block at hand (refold_map) */
    return nr_fold_in(pool, doc->text + a, e - a, &x->f);
}

enum { FIELD_WORDS = 40 }; /* a byline's fields fit in this many words */

/* The end of the piece of [A, E) that starts at A, and in *NEXT the start
 * of the one after: pieces are lines, or with FIELDS the fields of a byline
 * line, between separators ("Le Monde | Mis à jour le ... | Par X"). A
 * middle dot is a separator only between spaces (Catalan writes "l·l"). */
static size_t separator(const char *t, size_t i, size_t e, bool fields) {
    if (t[i] == '\n')
        return 1;
    if (!fields)
        return 0;
    if (t[i] == '|')
        return 1;
    if (e - i >= 3 && !memcmp(t + i, "\xe2\x80\xa2", 3)) /* a bullet */
        return 3;
    if (e - i >= 4 && !memcmp(t + i, " \xc2\xb7 ", 4)) /* a middle dot */
        return 4;
    return 0;
}

static size_t piece_end(const char *t, size_t a, size_t e, bool fields, size_t *next) {
    for (size_t i = a; i < e; i++) {
        size_t l = separator(t, i, e, fields);
        if (l) {
            *next = i + l;
            return i;
        }
    }
    *next = e;
    return e;
}

/* What the pieces of [A, E) are: *JUNK when one is page furniture, *BYLINE
 * when one is a byline. Stops at the first junk piece unless ALL. */
static nr_status pieces(nr_ctx *ctx, const nr_doc *doc, const nr_junk_rules *r, size_t a, size_t e,
                        bool fields, bool all, bool *junk, bool *byline) {
    *junk = *byline = false;
    for (size_t next; a < e && (all || !(*junk || *byline)); a = next) {
        size_t end = piece_end(doc->text, a, e, fields, &next);
        nr_folded f;
        if (!nr_fold_ex(doc->text + a, end - a, &f, false))
            return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        const char *why;
        size_t at;
        if (f.len > 0 && nr_junk_match(r, &f, &why, &at) != NR_JUNK_NONE)
            *junk = true;
        else if (f.len > 0 && nr_junk_is_byline(r, &f))
            *byline = true;
        nr_folded_free(&f);
    }
    return NR_OK;
}

/* Whether the block B has a field separator and is short enough to be a
 * line of fields. */
static bool has_fields(const nr_doc *doc, const nr_block *b) {
    const char *t = doc->text + b->start;
    size_t n = b->end - b->start, words = 0;
    bool sep = false;
    for (size_t i = 0; i < n && words <= FIELD_WORDS; i++) {
        sep |= t[i] != '\n' && separator(t, i, n, true);
        words += t[i] == ' ' && i + 1 < n && t[i + 1] != ' ';
    }
    return sep && words <= FIELD_WORDS;
}

/* Whether the block B is page furniture as a whole ("Advertisement ·
 * Scroll to continue"), which goes whole. */
static bool whole_junk(nr_ctx *ctx, const nr_doc *doc, const nr_junk_rules *r, const nr_block *b,
                       nr_status *st) {
    nr_folded f;
    if (!nr_fold_ex(doc->text + b->start, b->end - b->start, &f, false)) {
        *st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return true;
    }
    const char *why;
    size_t at;
    bool junk = nr_junk_match(r, &f, &why, &at) != NR_JUNK_NONE;
    nr_folded_free(&f);
    return junk;
}

/* Items from the blocks. Lines that the plain-text reader joined (they
 * looked hard-wrapped) are taken apart again when one of them is page
 * furniture or a byline: "Par X\nPublié le ...\nTemps de lecture 4 min".
 * So are the fields of a short line cut by separators, which a page's
 * byline has ("Le Monde | Mis à jour le <date> | Par X"), when one of them
 * is: the date's label is then dropped with the date. */
static nr_status split_lines(nr_ctx *ctx, nr_doc *doc, const nr_junk_rules *r, nr_arena *pool,
                             nr_vec *items, bool structured) {
    for (size_t i = 0; i < doc->blocks.len; i++) {
        nr_block b = NR_BLOCK(doc, i);
        if (!structured)
            b.kind = NR_BLOCK_PARAGRAPH;
        bool junk = false, byline = false, split, fields = false;
        nr_status st = NR_OK;
        if (memchr(doc->text + b.start, '\n', b.end - b.start))
            st = pieces(ctx, doc, r, b.start, b.end, false, false, &junk, &byline);
        split = junk || byline;
        if (st == NR_OK && !split && has_fields(doc, &b) && !whole_junk(ctx, doc, r, &b, &st)) {
            /* a byline's fields: the date goes with its label, the name stays */
            st = pieces(ctx, doc, r, b.start, b.end, true, true, &junk, &byline);
            fields = split = junk && (byline || b.kind == NR_BLOCK_BYLINE);
        }
        if (st != NR_OK)
            return st;
        if (!split) {
            if (!push_item(doc, pool, items, b, b.start, b.end))
                return nr_fail(ctx, NR_E_NOMEM, "out of memory");
            continue;
        }
        for (size_t a = b.start, next; a < b.end; a = next) {
            size_t end = piece_end(doc->text, a, b.end, fields, &next);
            while (a < end && doc->text[a] == ' ')
                a++;
            while (end > a && doc->text[end - 1] == ' ')
                end--;
            if (end > a && !push_item(doc, pool, items, b, a, end))
                return nr_fail(ctx, NR_E_NOMEM, "out of memory");
        }
    }
    return NR_OK;
}

nr_status nr_ingest_layout(nr_ctx *ctx, nr_doc *doc, bool structured) {
    const nr_junk_rules *r = nr_junk_rules_get(ctx);
    if (!r)
        return NR_E_DATA;
    nr_vec items;
    nr_vec_init(&items, sizeof(item));
    /* one item per block, more when lines are taken apart */
    items.data = malloc((doc->blocks.len + 8) * sizeof(item));
    items.cap = items.data ? doc->blocks.len + 8 : 0;
    nr_arena *pool = nr_arena_new(); /* the items' folded text */
    nr_status st = pool ? split_lines(ctx, doc, r, pool, &items, structured)
                        : nr_fail(ctx, NR_E_NOMEM, "out of memory");
    item *it = items.data;
    size_t n = items.len;
    if (st == NR_OK && !clean_pass(doc, r, it, n, structured))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (st == NR_OK && !structured && !drop_runs(doc, it, n))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    size_t from = 0; /* past a plain text's first line, its title most likely */
    while (!structured && !doc->continued && from < n && it[from].st != KEEP)
        from++;
    if (st == NR_OK && !drop_labels(doc, it, n, structured || doc->continued ? 0 : from + 1))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (st == NR_OK && !structured && !doc->continued && !drop_tail(doc, it, n))
        st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
    if (st == NR_OK) {
        long title = -1;
        if (doc->continued) {
            /* a later window of a stream: the page's top was in the first */
        } else if (!structured) {
            doc->title = NULL;
            title = find_title(it, n);
        } else {
            for (size_t i = 0; i < n && title < 0; i++)
                if (it[i].st == KEEP && it[i].b.kind == NR_BLOCK_TITLE)
                    title = (long)i;
        }
        if (!doc->continued)
            find_byline(doc, r, it, n, title, structured);
        if (!structured)
            find_headings(it, n, title);
        doc->blocks.len = 0;
        for (size_t i = 0; i < n; i++) {
            if (it[i].st != KEEP || it[i].b.end <= it[i].b.start)
                continue;
            nr_block *b = nr_vec_push(&doc->blocks);
            if (!b) {
                st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
                break;
            }
            *b = it[i].b;
            if (b->kind == NR_BLOCK_TITLE && !doc->title)
                doc->title = nr_arena_strndup(doc->arena, doc->text + b->start, b->end - b->start);
        }
    }
    for (size_t i = 0; i < n; i++)
        nr_folded_free(&it[i].f);
    nr_arena_free(pool);
    nr_vec_free(&items);
    return st;
}
