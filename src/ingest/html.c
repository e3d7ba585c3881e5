/* html.c: the article in a web page, through libxml2's HTML parser.
 *
 * Like browsers' reader modes: page chrome (navigation, ads, share bars,
 * related links, comments, cookie banners, forms, scripts) goes by tag,
 * ARIA role and class or id words; the article is the <article> (or
 * <main>) holding the most paragraph text, else the element whose
 * paragraphs score best, by length and commas, less their link share.
 * Every walk is iterative and every measure is computed in one bottom-up
 * pass, so depth and size cost no stack and no quadratic time. */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build.h"
#include "ingest.h"

#define NR_KIND_STACK 256

typedef struct measure {
    size_t text;  /* bytes of text below */
    size_t link;  /* of which inside links */
    size_t ptext; /* of which inside paragraphs */
    size_t own;   /* of which in its own text, inline elements included */
    size_t links; /* number of links */
    bool keep;    /* holds the headline: never skipped */
    double score; /* reader-mode score */
} measure;

typedef struct page page;
static size_t article_text(const page *p);

struct page {
    nr_ctx *ctx;
    nr_build b;
    measure *m; /* by element, through node->_private */
    size_t n_m;
    char *title;  /* the headline, folded */
    char *site;   /* og:site_name */
    char *author; /* meta author */
    char *lang;   /* <html lang> */
    const char *notice;
    size_t code_blocks;
    size_t notice_end; /* the text's length after the last code notice */
    bool title_done;
    bool byline_done;
    bool drop_teasers; /* the article has prose of its own beside its teaser lists */
    size_t art_text;   /* text bytes in the article element */
};

static size_t article_text(const page *p) { return p->art_text; }

bool nr_html_entity(const char *s, size_t n, nr_buf *out) {
    if (n < 3 || s[0] != '&' || s[n - 1] != ';')
        return false;
    uint32_t cp = 0;
    if (s[1] == '#') {
        bool hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
        for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
            int d = -1;
            char c = s[i];
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            if (d < 0 || cp > 0x10FFFF)
                return false;
            cp = cp * (hex ? 16 : 10) + (uint32_t)d;
        }
    } else {
        char name[40];
        if (n - 2 >= sizeof name)
            return false;
        memcpy(name, s + 1, n - 2);
        name[n - 2] = 0;
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        if (!e)
            return false;
        cp = e->value;
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    char enc[4];
    size_t l;
    if (cp < 0x80)
        enc[0] = (char)cp, l = 1;
    else if (cp < 0x800)
        enc[0] = (char)(0xC0 | cp >> 6), enc[1] = (char)(0x80 | (cp & 0x3F)), l = 2;
    else if (cp < 0x10000)
        enc[0] = (char)(0xE0 | cp >> 12), enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        enc[2] = (char)(0x80 | (cp & 0x3F)), l = 3;
    else
        enc[0] = (char)(0xF0 | cp >> 18), enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), enc[3] = (char)(0x80 | (cp & 0x3F)), l = 4;
    nr_buf_add(out, enc, l);
    return true;
}

static bool is(const xmlNode *n, const char *tag) {
    return n && n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, tag);
}

static bool is_heading(const xmlNode *n) {
    return n && n->type == XML_ELEMENT_NODE && (n->name[0] == 'h' || n->name[0] == 'H') &&
           n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2];
}

static measure *M(const page *p, const xmlNode *n) {
    size_t i = (size_t)(uintptr_t)n->_private;
    return i && i <= p->n_m ? &p->m[i - 1] : NULL;
}

/* An attribute's value, lower-cased into OUT (cut to its size). */
static const char *attr(const xmlNode *n, const char *name, char *out, size_t size) {
    out[0] = 0;
    for (xmlAttr *a = n->properties; a; a = a->next) {
        if (strcasecmp((const char *)a->name, name) || !a->children || !a->children->content)
            continue;
        const char *v = (const char *)a->children->content;
        size_t i = 0;
        for (; v[i] && i + 1 < size; i++)
            out[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
        out[i] = 0;
        return out;
    }
    return NULL;
}

/* True when WORD is one of the words of the class or id value V, words
 * being split at spaces, '-' and '_' (so "share-bar" has "share"). */
static bool has_word(const char *v, const char *word) {
    size_t k = strlen(word);
    for (const char *p = v; (p = strstr(p, word)); p++) {
        bool left = p == v || p[-1] == ' ' || p[-1] == '-' || p[-1] == '_';
        char r = p[k];
        bool right =
            !r || r == ' ' || r == '-' || r == '_' ||
            (r == 's' && (!p[k + 1] || p[k + 1] == ' ' || p[k + 1] == '-' || p[k + 1] == '_'));
        if (left && right)
            return true;
    }
    return false;
}

/* An id made of many words is a heading's anchor ("sharing-with-a-single-
 * developer"), which says what a section is about, not what it is for. */
static bool anchor_id(const char *id) {
    size_t words = 1;
    for (const char *q = id; *q; q++)
        words += *q == '-' || *q == '_';
    return words >= 4;
}

/* The words that hint at what N is for: its class and id, lower case,
 * into V. */
static const char *hints(const xmlNode *n, char *v, size_t size) {
    char c[256], id[256];
    attr(n, "class", c, sizeof c);
    attr(n, "id", id, sizeof id);
    snprintf(v, size, "%s %s", c, anchor_id(id) ? "" : id);
    return v;
}

static bool any_word(const char *v, const char *const *words) {
    for (; *words; words++)
        if (has_word(v, *words))
            return true;
    return false;
}

/* The node after X's subtree in document order below TOP, NULL past TOP's
 * last. */
static const xmlNode *past_below(const xmlNode *x, const xmlNode *top) {
    while (x != top && !x->next)
        x = x->parent;
    return x != top ? x->next : NULL;
}

/* The node after X in document order below TOP, NULL past TOP's last. */
static const xmlNode *after(const xmlNode *x, const xmlNode *top) {
    return x->children ? x->children : past_below(x, top);
}

/* Whether a link stands at or below N, or above it below TOP (a few
 * thousand nodes looked at). */
static bool linked(const xmlNode *n, const xmlNode *top) {
    for (const xmlNode *x = n; x && x != top; x = x->parent)
        if (is(x, "a"))
            return true;
    size_t seen = 0;
    for (const xmlNode *x = n->children; x && seen++ < 4096; x = after(x, n))
        if (is(x, "a"))
            return true;
    return false;
}

/* Whether a headline that is a link stands below N (a few thousand nodes
 * looked at). */
static bool linked_heading_below(const xmlNode *n) {
    size_t seen = 0;
    for (const xmlNode *x = n->children; x && seen++ < 4096; x = after(x, n))
        if (is_heading(x) && linked(x, n))
            return true;
    return false;
}

/* A list of teasers, most of its items a linked headline (and a summary):
 * the other articles of the site, which an article's own lists are not (a
 * list of features, each a plain heading and a paragraph, is read). */
static bool teaser_list(const xmlNode *n) {
    if (!is(n, "ul") && !is(n, "ol"))
        return false;
    size_t items = 0, headed = 0;
    for (const xmlNode *li = n->children; li; li = li->next)
        if (is(li, "li"))
            items++, headed += linked_heading_below(li);
    return headed >= 3 && headed * 3 >= items * 2;
}

static const char *const comment[] = {"comment", "disqus", "replies", "discussion", NULL};

/* Why a reader skips element N, or NULL. Class and id words say what a
 * block is for; they are ignored on an element that holds most of the
 * article's paragraphs (a "comments-enabled" wrapper). */
static const char *junk_reason(const page *p, const xmlNode *n, size_t article_ptext) {
    static const char *const tags[][2] = {
        {"script", ""},
        {"style", ""},
        {"noscript", ""},
        {"template", ""},
        {"svg", ""},
        {"canvas", ""},
        {"iframe", "embedded frame"},
        {"object", ""},
        {"embed", ""},
        {"video", "video"},
        {"audio", "audio"},
        {"nav", "navigation"},
        {"aside", "aside (related content)"},
        {"footer", "page footer"},
        {"form", "form"},
        {"button", "button"},
        {"select", "form"},
        {"input", ""},
        {"textarea", "form"},
        {"dialog", "dialog"},
        {"menu", "navigation"},
        {"head", ""},
        {"img", ""},
        {"picture", ""},
        {"source", ""},
        {"map", ""},
        {"math", "formula"},
    };
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (!strcasecmp((const char *)n->name, tags[i][0]))
            return tags[i][1];
    char v[512];
    const measure *m = M(p, n);
    /* the article, its ancestors and its headline are never chrome */
    if ((m && m->keep) || is_heading(n))
        return NULL;
    if (attr(n, "hidden", v, sizeof v))
        return "hidden text";
    if (attr(n, "aria-hidden", v, sizeof v) && !strcmp(v, "true"))
        return "hidden text";
    if (attr(n, "style", v, sizeof v)) {
        /* the style without spaces: "display: none" is "display:none" */
        size_t k = 0;
        for (size_t i = 0; v[i]; i++)
            if (v[i] != ' ')
                v[k++] = v[i];
        v[k] = 0;
        if (strstr(v, "display:none") || strstr(v, "visibility:hidden"))
            return "hidden text";
    }
    if (attr(n, "role", v, sizeof v)) {
        if (!strcmp(v, "navigation") || !strcmp(v, "menubar") || !strcmp(v, "menu"))
            return "navigation";
        if (!strcmp(v, "complementary"))
            return "aside (related content)";
        if (!strcmp(v, "banner"))
            return "page header";
        if (!strcmp(v, "contentinfo"))
            return "page footer";
        if (!strcmp(v, "dialog") || !strcmp(v, "alertdialog") || !strcmp(v, "search"))
            return "dialog";
    }
    hints(n, v, sizeof v);
    bool holds_most =
        m && article_ptext && (m->ptext * 2 > article_ptext || m->text > article_text(p) / 2);
    if (p->drop_teasers && teaser_list(n))
        return "related articles";
    if (holds_most && !any_word(v, comment))
        return NULL;
    static const char *const share[] = {"share",   "sharing", "social", "sharebar",
                                        "toolbar", "print",   NULL};
    static const char *const related[] = {"related",        "recommended",  "recommendation",
                                          "read-more",      "readmore",     "more-stories",
                                          "most-read",      "mostread",     "popular",
                                          "trending",       "outbrain",     "taboola",
                                          "teaser",         "tags",         "lire-aussi",
                                          "see-also",       "relatedposts", "relatedarticles",
                                          "relatedstories", "relatedlinks", "morestories",
                                          "suggested",      "suggest",      NULL};
    static const char *const ad[] = {
        "ad",      "advert",    "advertisement", "adslot",   "ad-slot", "pub",    "publicite",
        "sponsor", "sponsored", "promo",         "promoted", "dfp",     "banner", NULL};
    static const char *const cookie[] = {"cookie", "consent", "gdpr", "cmp", NULL};
    static const char *const prompt[] = {
        "newsletter", "subscribe", "subscription", "signup", "paywall", "register",
        "login",      "donate",    "membership",   "optin",  NULL};
    static const char *const nav[] = {"nav",     "navbar",          "navigation",
                                      "menu",    "breadcrumb",      "breadcrumbs",
                                      "skip",    "skiplink",        "sidebar",
                                      "footer",  "masthead",        "pagination",
                                      "sr-only", "visually-hidden", "screen-reader-text",
                                      "modal",   "popup",           "overlay",
                                      "widget",  "settings",        NULL};
    if (any_word(v, comment))
        return "comments";
    /* paragraphs of prose with few links are read, whatever the class says
       of the box that holds them */
    if (m && m->ptext >= 400 && m->link * 4 < m->text && !any_word(v, cookie) &&
        !any_word(v, prompt))
        return NULL;
    if (any_word(v, share))
        return "share buttons";
    if (any_word(v, cookie))
        return "cookie banner";
    if (any_word(v, prompt))
        return "subscription prompt";
    if (any_word(v, related))
        return "related articles";
    if (any_word(v, ad))
        return "advertisement";
    if (any_word(v, nav))
        return "navigation";
    return NULL;
}

/* What a block element is, from its tag and class words. */
static nr_block_kind hinted_kind(const xmlNode *n, nr_block_kind dflt, const char **drop) {
    *drop = NULL;
    char v[512];
    hints(n, v, sizeof v);
    static const char *const credit[] = {"credit", "credits",     "copyright", "photographer",
                                         "source", "attribution", NULL};
    static const char *const caption[] = {"caption", "legend", "legende", "figcaption", NULL};
    static const char *const byline[] = {"byline",      "author",      "authors", "signature",
                                         "byline-name", "contributor", NULL};
    static const char *const standfirst[] = {"standfirst", "chapo",       "chapeau", "lede",
                                             "lead",       "dek",         "summary", "intro",
                                             "subtitle",   "subheadline", "excerpt", "description",
                                             "strapline",  "deck",        NULL};
    static const char *const dateline[] = {"date",     "time",     "timestamp", "published",
                                           "updated",  "dateline", "meta",      "reading-time",
                                           "readtime", NULL};
    if (any_word(v, credit)) {
        *drop = "photo credit";
        return dflt;
    }
    if (any_word(v, caption))
        return NR_BLOCK_CAPTION;
    if (any_word(v, byline))
        return NR_BLOCK_BYLINE;
    if (any_word(v, standfirst))
        return NR_BLOCK_HEADING;
    if (any_word(v, dateline) && dflt == NR_BLOCK_PARAGRAPH) {
        *drop = "publication date";
        return dflt;
    }
    return dflt;
}

static bool block_tag(const xmlNode *n) {
    static const char *const tags[] = {
        "p",  "div",     "section", "article",    "main",   "header",     "footer",  "h1",
        "h2", "h3",      "h4",      "h5",         "h6",     "li",         "ul",      "ol",
        "dl", "dt",      "dd",      "blockquote", "figure", "figcaption", "table",   "pre",
        "hr", "address", "aside",   "body",       "center", "details",    "summary", "fieldset",
        "tr", "td",      "th",      "caption",    "hgroup", NULL};
    for (const char *const *t = tags; *t; t++)
        if (!strcasecmp((const char *)n->name, *t))
            return true;
    return false;
}

/* Elements that stay inside a line of text. */
static bool inline_tag(const xmlNode *n) {
    static const char *const tags[] = {"a",     "span", "em",   "strong", "b",    "i",    "u",
                                       "small", "sup",  "sub",  "abbr",   "cite", "q",    "mark",
                                       "code",  "time", "font", "s",      "del",  "ins",  "kbd",
                                       "var",   "bdi",  "bdo",  "wbr",    "dfn",  "data", NULL};
    for (const char *const *t = tags; *t; t++)
        if (!strcasecmp((const char *)n->name, *t))
            return true;
    return false;
}

/* The next node of a depth-first walk below ROOT; DESCEND says whether to
 * enter N's children. LEAVE, when not NULL, is called for each element left. */
typedef void (*leave_fn)(page *p, xmlNode *n);
static xmlNode *next_node(page *p, xmlNode *root, xmlNode *n, bool descend, leave_fn leave) {
    if (descend && n->children)
        return n->children;
    for (;;) {
        if (leave && n->type == XML_ELEMENT_NODE)
            leave(p, n);
        if (n == root)
            return NULL;
        if (n->next)
            return n->next;
        n = n->parent;
        if (!n)
            return NULL;
    }
}

/* One bottom-up pass: text, link text, paragraph text and score of every
 * element, kept in p->m through node->_private. */
static void measure_leave(page *p, xmlNode *n) {
    measure *m = M(p, n);
    if (!m)
        return;
    if (is(n, "a")) {
        m->link = m->text;
        m->links++;
    }
    /* a <div> holding its text directly, lines cut by <br>, is a paragraph */
    bool para = is(n, "p") || ((is(n, "div") || is(n, "section") || is(n, "td")) && m->own >= 100);
    if (para || is(n, "pre") || is(n, "blockquote"))
        m->ptext = m->text;
    if (para && m->text > 25) {
        /* reader-mode score: length, commas, paid to parent and grandparent */
        double s = 1.0 + (double)(m->text / 100 > 3 ? 3 : m->text / 100);
        measure *pm = n->parent ? M(p, n->parent) : NULL;
        if (pm)
            pm->score += s;
        measure *gm = n->parent && n->parent->parent ? M(p, n->parent->parent) : NULL;
        if (gm)
            gm->score += s / 2;
    }
    measure *pm = n->parent ? M(p, n->parent) : NULL;
    if (pm) {
        pm->text += m->text;
        pm->link += m->link;
        pm->ptext += m->ptext;
        pm->links += m->links;
    }
}

static bool measure_all(page *p, xmlNode *root) {
    size_t count = 0;
    for (xmlNode *n = root; n; n = next_node(p, root, n, true, NULL))
        count += n->type == XML_ELEMENT_NODE;
    p->m = calloc(count ? count : 1, sizeof *p->m);
    if (!p->m)
        return false;
    p->n_m = count;
    size_t i = 0;
    for (xmlNode *n = root; n; n = next_node(p, root, n, true, NULL))
        if (n->type == XML_ELEMENT_NODE)
            n->_private = (void *)(uintptr_t)++i;
    for (xmlNode *n = root; n;) {
        bool descend = true;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            measure *pm = n->parent ? M(p, n->parent) : NULL;
            if (pm && n->content) {
                size_t t = 0;
                for (const xmlChar *c = n->content; *c; c++)
                    t += *c > ' ';
                pm->text += t;
                /* its block: the nearest ancestor that is not inline (bounded) */
                xmlNode *blk = n->parent;
                for (int up = 0; up < 8 && blk && blk->parent && inline_tag(blk); up++)
                    blk = blk->parent;
                measure *bm = blk ? M(p, blk) : NULL;
                if (bm)
                    bm->own += t;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            const char *t = (const char *)n->name;
            descend =
                strcasecmp(t, "script") && strcasecmp(t, "style") && strcasecmp(t, "noscript");
        }
        n = next_node(p, root, n, descend, measure_leave);
    }
    return true;
}

/* Appends a text node's content: in HTML a newline is white space, and
 * only <br> breaks a line. */
static void add_text(nr_buf *b, const char *s) {
    size_t start = b->len;
    nr_buf_adds(b, s);
    for (size_t i = start; i < b->len; i++)
        if (b->data[i] == '\n' || b->data[i] == '\r' || b->data[i] == '\t')
            b->data[i] = ' ';
}

/* The text below N, folded, into OUT. */
static void text_of(page *p, xmlNode *n, nr_buf *out) {
    nr_buf raw;
    nr_buf_init(&raw);
    for (xmlNode *x = n; x;) {
        bool descend = true;
        if (x->type == XML_TEXT_NODE && x->content)
            add_text(&raw, (const char *)x->content);
        else if (x->type == XML_ELEMENT_NODE && x != n)
            descend = !is(x, "script") && !is(x, "style") && !is(x, "noscript");
        if ((x->type == XML_ELEMENT_NODE && !inline_tag(x)) ||
            (x->prev && x->prev->type == XML_ELEMENT_NODE && !inline_tag(x->prev)))
            nr_buf_addc(&raw, ' ');
        x = next_node(p, n, x, descend, NULL);
    }
    nr_build_fold(out, raw.data ? raw.data : "", raw.len);
    nr_buf_free(&raw);
}

/* The page's metadata: <title>, og:title, og:site_name, author, lang. */
static void read_meta(page *p, xmlNode *root, char **title_tag, char **og_title) {
    char v[64];
    if ((attr(root, "lang", v, sizeof v) && v[0]) || (attr(root, "xml:lang", v, sizeof v) && v[0]))
        p->lang = strdup(v);
    /* the whole page: a stray element before <head> makes the parser put
     * the head's elements in the body; an <svg>'s <title> is no page title */
    for (xmlNode *n = root; n; n = next_node(p, root, n, !is(n, "svg"), NULL)) {
        if (is(n, "title") && !*title_tag) {
            nr_buf b;
            nr_buf_init(&b);
            text_of(p, n, &b);
            *title_tag = nr_buf_take(&b, NULL);
        } else if (is(n, "meta")) {
            char key[64], content[1024];
            if (!attr(n, "content", content, sizeof content))
                continue;
            /* attr() lower-cases: read the content again with its case */
            const char *raw = NULL;
            for (xmlAttr *a = n->properties; a; a = a->next)
                if (!strcasecmp((const char *)a->name, "content") && a->children)
                    raw = (const char *)a->children->content;
            if (!raw)
                continue;
            if (!attr(n, "property", key, sizeof key) && !attr(n, "name", key, sizeof key) &&
                !attr(n, "http-equiv", key, sizeof key))
                continue;
            /* the page's language when <html> does not say: "fr_FR", "de" */
            if ((!strcmp(key, "og:locale") || !strcmp(key, "content-language") ||
                 !strcmp(key, "language")) &&
                !p->lang)
                p->lang = strdup(content);
            if (!strcmp(key, "og:title") && !*og_title)
                *og_title = strdup(raw);
            else if (!strcmp(key, "og:site_name") && !p->site)
                p->site = strdup(raw);
            else if ((!strcmp(key, "author") || !strcmp(key, "article:author")) && !p->author &&
                     strncmp(raw, "http", 4))
                p->author = strdup(raw);
        }
    }
}

/* <title> without the site's name: the longest part between separators
 * that is not the site name. */
static char *clean_title(const char *t, const char *site) {
    static const char *const seps[] = {" | ",  " - ",        " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                       " :: ", " \xC2\xB7 ", " \xE2\x80\xA2 ", NULL};
    const char *best = t;
    size_t best_len = strlen(t);
    for (const char *const *s = seps; *s; s++) {
        if (!strstr(t, *s))
            continue;
        best = NULL;
        best_len = 0;
        const char *a = t;
        for (;;) {
            const char *e = strstr(a, *s);
            size_t len = e ? (size_t)(e - a) : strlen(a);
            bool is_site = site && strlen(site) == len && !strncasecmp(a, site, len);
            if (!is_site && len > best_len)
                best = a, best_len = len;
            if (!e)
                break;
            a = e + strlen(*s);
        }
        break;
    }
    return best ? strndup(best, best_len) : NULL;
}

/* The element that holds the article. */
static xmlNode *find_article(page *p, xmlNode *body) {
    xmlNode *best = NULL, *main_el = NULL, *scored = NULL;
    size_t best_p = 0;
    double best_s = 0;
    for (xmlNode *n = body; n; n = next_node(p, body, n, true, NULL)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        measure *m = M(p, n);
        if (!m)
            continue;
        char role[32];
        if (is(n, "article") && m->ptext > best_p)
            best = n, best_p = m->ptext;
        if (!main_el &&
            (is(n, "main") || (attr(n, "role", role, sizeof role) && !strcmp(role, "main"))))
            main_el = n;
        double s = m->score * (1.0 - (m->text ? (double)m->link / (double)m->text : 0));
        if (s > best_s)
            scored = n, best_s = s;
    }
    if (best && best_p >= 200)
        return best;
    if (main_el && M(p, main_el)->ptext >= 200)
        return main_el;
    /* an article cut in sections (steps, pages) scores in each: climb while
     * the parent holds clearly more paragraph text, and little of it links */
    xmlNode *from = scored;
    for (int up = 0; scored && up < 6 && scored->parent && scored->parent != body; up++) {
        measure *cm = M(p, scored), *pm = M(p, scored->parent);
        if (!cm || !pm || pm->link * 2 > pm->text)
            break;
        bool wrapper = pm->ptext * 20 <= cm->ptext * 21;
        if (!wrapper && pm->ptext * 4 < cm->ptext * 5)
            break;
        scored = scored->parent;
    }
    /* wrappers only: stay where the score was */
    if (scored && from && M(p, scored)->ptext * 20 <= M(p, from)->ptext * 21)
        scored = from;
    return scored ? scored : body;
}

typedef struct walk {
    page *p;
    nr_buf cur;
    nr_block_kind kinds[NR_KIND_STACK];
    int levels[NR_KIND_STACK];
    int depth;
    size_t article_ptext;
} walk;

static void emit(walk *w, nr_block_kind k, int level) {
    page *p = w->p;
    if (w->cur.len == 0)
        return;
    nr_buf f;
    nr_buf_init(&f);
    nr_build_fold(&f, w->cur.data, w->cur.len);
    w->cur.len = 0;
    if (f.len == 0) {
        nr_buf_free(&f);
        return;
    }
    if (k == NR_BLOCK_TITLE || (k == NR_BLOCK_HEADING && level == 1)) {
        if (!p->title_done && (!p->title || !strcmp(f.data, p->title))) {
            k = NR_BLOCK_TITLE;
            p->title_done = true;
        } else if (p->title && !strcmp(f.data, p->title)) {
            nr_buf_free(&f);
            return; /* the headline again */
        } else {
            k = NR_BLOCK_HEADING;
        }
    }
    if (k == NR_BLOCK_BYLINE) {
        if (p->byline_done)
            k = NR_BLOCK_PARAGRAPH;
        p->byline_done = true;
    }
    nr_build_block(&p->b, k, k == NR_BLOCK_HEADING && !level ? 2 : level, f.data, f.len);
    nr_buf_free(&f);
}

static nr_block_kind top_kind(const walk *w, int *level) {
    int d = w->depth < NR_KIND_STACK ? w->depth : NR_KIND_STACK;
    for (int i = d - 1; i >= 0; i--) {
        if (w->kinds[i] != NR_BLOCK_KIND_COUNT) {
            *level = w->levels[i];
            return w->kinds[i];
        }
    }
    *level = 0;
    return NR_BLOCK_PARAGRAPH;
}

/* Emits the text read so far, as the innermost block says. */
static void flush(walk *w) {
    int level;
    nr_block_kind k = top_kind(w, &level);
    emit(w, k, level);
}

static void walk_leave(page *p, xmlNode *n) {
    (void)p;
    walk *w = (walk *)n->doc->_private;
    if (!w || !block_tag(n))
        return;
    flush(w);
    w->depth--;
}

/* Enters a block element: flushes the text before it and says what its
 * text will be. False when its subtree is skipped. */
static bool walk_enter_block(walk *w, xmlNode *n) {
    flush(w);
    nr_block_kind k = NR_BLOCK_KIND_COUNT; /* inherit */
    int level = 0;
    if (is_heading(n)) {
        level = n->name[1] - '0';
        k = level == 1 ? NR_BLOCK_TITLE : NR_BLOCK_HEADING;
    } else if (is(n, "li") || is(n, "dd") || is(n, "dt")) {
        k = NR_BLOCK_LIST_ITEM;
    } else if (is(n, "blockquote")) {
        k = NR_BLOCK_QUOTE_BLOCK;
    } else if (is(n, "figcaption")) {
        k = NR_BLOCK_CAPTION;
    } else if (is(n, "p") || is(n, "div") || is(n, "section") || is(n, "header")) {
        int l2;
        nr_block_kind up = top_kind(w, &l2);
        k = up == NR_BLOCK_PARAGRAPH ? NR_BLOCK_KIND_COUNT : up;
    }
    const char *drop;
    nr_block_kind hk = hinted_kind(n, k == NR_BLOCK_KIND_COUNT ? NR_BLOCK_PARAGRAPH : k, &drop);
    const measure *m = M(w->p, n);
    if (drop && m && (m->keep || m->text > 400))
        drop = NULL; /* a wrapper named "meta" or "credit" that holds more */
    if (drop) {
        nr_buf t;
        nr_buf_init(&t);
        text_of(w->p, n, &t);
        nr_build_drop_text(&w->p->b, t.data, t.len, drop);
        nr_buf_free(&t);
        return false;
    }
    if (hk != (k == NR_BLOCK_KIND_COUNT ? NR_BLOCK_PARAGRAPH : k) && k != NR_BLOCK_TITLE)
        k = hk;
    if (w->depth < NR_KIND_STACK) {
        w->kinds[w->depth] = k;
        w->levels[w->depth] = level;
    }
    w->depth++;
    return true;
}

/* The text below N as it stands, line breaks kept, into OUT (initialised
 * here). */
static void raw_text(page *p, xmlNode *n, nr_buf *out) {
    nr_buf_init(out);
    for (xmlNode *x = n; x; x = next_node(p, n, x, true, NULL))
        if ((x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) && x->content)
            nr_buf_adds(out, (const char *)x->content);
}

/* Whether the <pre> N holds prose (a plain-text document, a poem, an
 * RFC) rather than code or a terminal session: mostly plain words, with
 * sentence ends, and no line that starts like a prompt or a comment. */
static bool prose(page *p, xmlNode *n) {
    for (xmlNode *x = n->children; x; x = x->next)
        if (x->type == XML_ELEMENT_NODE && is(x, "code"))
            return false;
    nr_buf raw;
    raw_text(p, n, &raw);
    size_t words = 0, plain = 0, ends = 0;
    bool prompt = false, line_start = true;
    for (const char *c = raw.data ? raw.data : ""; *c;) {
        if (*c == '\n') {
            line_start = true;
            c++;
            continue;
        }
        if (*c == ' ' || *c == '\t') {
            c++;
            continue;
        }
        const char *w = c;
        while (*c && *c != ' ' && *c != '\t' && *c != '\n')
            c++;
        size_t len = (size_t)(c - w);
        if (line_start &&
            (!strncmp(w, "$", len) || !strncmp(w, "#", len) || !strncmp(w, ">", len) ||
             !strncmp(w, "//", 2) || !strncmp(w, "--", 2) || !strncmp(w, ">>>", 3)))
            prompt = true;
        line_start = false;
        words++;
        size_t letters = 0;
        for (const char *x = w; x < c; x++)
            letters += (*x >= 'a' && *x <= 'z') || (*x >= 'A' && *x <= 'Z') || (*x & 0x80);
        char last = c[-1];
        bool punct = last == '.' || last == ',' || last == ';' || last == ':' || last == '?' ||
                     last == '!' || last == ')';
        plain += letters >= len - (punct ? 1 : 0) - (w[0] == '(' ? 1 : 0);
        ends += len > 2 && (last == '.' || last == '?' || last == '!') && letters + 1 >= len;
    }
    nr_buf_free(&raw);
    return !prompt && words >= 20 && plain * 10 >= words * 6 && ends * 60 >= words;
}

/* Lists of links (related articles, tags) and code blocks. */
static const char *skipped_block(walk *w, xmlNode *n) {
    measure *m = M(w->p, n);
    if ((is(n, "ul") || is(n, "ol")) && m && m->links >= 2 && m->link * 10 > m->text * 6)
        return "list of links";
    /* a table laid out for the page (the article in its cells, in
     * paragraphs) is read; a table of data is not */
    if (is(n, "table") && !(m && m->ptext * 2 >= m->text && m->text >= 200))
        return "table";
    if (is(n, "pre"))
        return prose(w->p, n) ? "preformatted text" : "code block";
    if (is(n, "blockquote")) {
        char c[128];
        if (attr(n, "class", c, sizeof c) &&
            (strstr(c, "twitter") || strstr(c, "instagram") || strstr(c, "tiktok")))
            return "embedded social media post";
    }
    if ((is(n, "p") || is(n, "div")) && m && m->links >= 1 && m->text < 160 &&
        m->link * 10 >= m->text * 9 && m->text > 0)
        return "link to another page";
    if (is(n, "header") && m) {
        /* a page header: no headline inside */
        for (xmlNode *x = n; x; x = next_node(w->p, n, x, true, NULL))
            if (is(x, "h1"))
                return NULL;
        return "page header";
    }
    return NULL;
}

/* Whether N sits in a line of running text (a paragraph, list item, cell,
 * heading, quotation or caption, not a byline): a <time> there is said
 * ("on <time>Monday</time>"); standing alone in a header it is a dateline. */
static bool in_running_text(page *p, const xmlNode *n) {
    static const char *const text_blocks[] = {
        "p",  "li", "dd", "dt", "td",         "th",         "h1",      "h2",
        "h3", "h4", "h5", "h6", "blockquote", "figcaption", "caption", NULL};
    for (const xmlNode *x = n->parent; x && x->type == XML_ELEMENT_NODE; x = x->parent) {
        if (inline_tag(x))
            continue;
        const char *drop;
        for (const char *const *t = text_blocks; *t; t++)
            if (is(x, *t)) /* a byline is no running text: "By X - <time>" */
                return hinted_kind(x, NR_BLOCK_PARAGRAPH, &drop) != NR_BLOCK_BYLINE && !drop;
        const measure *m = M(p, x);
        return m && m->own >= 100; /* a <div> that is a paragraph of its own */
    }
    return false;
}

/* A <time> outside running text, or a short inline element around one
 * ("<span>(Updated: <time>…</time>)</span>"): the page's dateline. */
static bool dateline(page *p, xmlNode *n) {
    if (is(n, "time"))
        return !in_running_text(p, n);
    const measure *m = M(p, n);
    if (!inline_tag(n) || is(n, "a") || !m || m->text > 60 || in_running_text(p, n))
        return false;
    for (xmlNode *x = n->children; x; x = next_node(p, n, x, true, NULL)) {
        const measure *t = is(x, "time") ? M(p, x) : NULL;
        if (t && t->text + 20 >= m->text)
            return true;
    }
    return false;
}

/* A code block: read with --read-code; otherwise dropped and announced,
 * once for a run of them. */
static void code_block(page *p, const nr_buf *t) {
    if (p->ctx->read_code) {
        nr_build_block(&p->b, NR_BLOCK_PARAGRAPH, 0, t->data, t->len);
        return;
    }
    nr_build_drop_text(&p->b, t->data, t->len, "code block");
    if (!p->code_blocks || p->b.text.len != p->notice_end)
        nr_build_block(&p->b, NR_BLOCK_PARAGRAPH, 0, p->notice, strlen(p->notice));
    p->notice_end = p->b.text.len;
    p->code_blocks++;
}

/* Prose in a <pre>: a paragraph for each run of lines between blank lines. */
static void preformatted(page *p, xmlNode *n) {
    nr_buf raw;
    raw_text(p, n, &raw);
    const char *s = raw.data ? raw.data : "";
    while (*s) {
        const char *end = s;
        for (;;) { /* the paragraph ends at a line with only white space */
            const char *nl = strchr(end, '\n');
            if (!nl) {
                end += strlen(end);
                break;
            }
            const char *q = nl + 1;
            while (*q == ' ' || *q == '\t' || *q == '\r')
                q++;
            end = nl + 1;
            if (*q == '\n' || !*q)
                break;
        }
        nr_build_block(&p->b, NR_BLOCK_PARAGRAPH, 0, s, (size_t)(end - s));
        s = end;
    }
    nr_buf_free(&raw);
}

/* The node after N's subtree in the walk of ROOT, NULL at its end. N was
 * skipped whole, so it gets no leave call; the ancestors climbed out of do. */
static xmlNode *past(page *p, xmlNode *root, xmlNode *n) {
    if (n == root)
        return NULL;
    while (!n->next) {
        n = n->parent;
        if (!n || n == root)
            return NULL;
        walk_leave(p, n);
    }
    return n->next;
}

/* Whether ROOT has text of its own outside its teaser lists: an article
 * followed by the site's other stories, whose lists go; on a front page the
 * lists are what it has to say, and are read. */
static bool prose_beside_teasers(const page *p, const xmlNode *root) {
    const measure *m = M(p, root);
    size_t total = m ? m->text : 0, teasers = 0;
    for (const xmlNode *x = root->children; x;) {
        if (!teaser_list(x)) {
            x = after(x, root);
            continue;
        }
        const measure *t = M(p, x);
        teasers += t ? t->text : 0;
        x = past_below(x, root);
    }
    return teasers > 0 && total - teasers >= 600;
}

static void walk_article(page *p, xmlNode *root, size_t article_ptext) {
    p->drop_teasers = prose_beside_teasers(p, root);
    walk w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.article_ptext = article_ptext;
    nr_buf_init(&w.cur);
    root->doc->_private = &w;
    w.kinds[0] = NR_BLOCK_KIND_COUNT;
    w.depth = 0;
    for (xmlNode *n = root; n;) {
        bool descend = true;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                add_text(&w.cur, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            const char *why = n != root ? junk_reason(p, n, article_ptext) : NULL;
            const char *skip = why ? NULL : n != root ? skipped_block(&w, n) : NULL;
            if (why || skip) {
                nr_buf t;
                nr_buf_init(&t);
                text_of(p, n, &t);
                if (skip && !strcmp(skip, "preformatted text")) {
                    flush(&w);
                    preformatted(p, n);
                } else if (skip && !strcmp(skip, "code block")) {
                    flush(&w);
                    code_block(p, &t);
                } else if ((why && why[0]) || skip) {
                    nr_build_drop_text(&p->b, t.data, t.len, why ? why : skip);
                }
                nr_buf_free(&t);
                n = past(p, root, n);
                continue;
            }
            const char *idrop = NULL;
            bool dated = dateline(p, n);
            if (dated)
                idrop = "publication date";
            else if (!block_tag(n))
                hinted_kind(n, NR_BLOCK_PARAGRAPH, &idrop);
            const measure *im = M(p, n);
            if (idrop && im && (im->keep || im->text > 400))
                idrop = NULL;
            if (idrop && (strcmp(idrop, "publication date") || dated) && !is(n, "a")) {
                nr_buf t;
                nr_buf_init(&t);
                text_of(p, n, &t);
                nr_build_drop_text(&p->b, t.data, t.len, idrop);
                nr_buf_free(&t);
                descend = false;
            } else if (is(n, "br"))
                nr_buf_addc(&w.cur, '\n');
            else if (block_tag(n) && !walk_enter_block(&w, n))
                descend = false;
            if (!descend) {
                n = past(p, root, n);
                continue;
            }
        }
        n = next_node(p, root, n, descend, walk_leave);
    }
    flush(&w);
    root->doc->_private = NULL;
    nr_buf_free(&w.cur);
}

/* Records what the page holds outside the article: each piece of chrome
 * with its reason, the rest as one entry. */
static void drop_outside(page *p, xmlNode *body, xmlNode *art) {
    nr_buf rest;
    nr_buf_init(&rest);
    for (xmlNode *n = body; n;) {
        bool descend = n != art;
        if (n->type == XML_TEXT_NODE && n->content && rest.len < 2000) {
            nr_buf_adds(&rest, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && n != body && n != art) {
            const char *why = junk_reason(p, n, 0);
            if (why) {
                if (why[0]) {
                    nr_buf t;
                    nr_buf_init(&t);
                    text_of(p, n, &t);
                    nr_build_drop_text(&p->b, t.data, t.len, why);
                    nr_buf_free(&t);
                }
                descend = false;
            } else if (!inline_tag(n)) {
                nr_buf_addc(&rest, ' ');
            }
        }
        n = next_node(p, body, n, descend, NULL);
    }
    nr_build_drop_text(&p->b, rest.data ? rest.data : "", rest.len, "outside the article");
    nr_buf_free(&rest);
}

/* The first heading of level LEVEL below the roots, outside the chrome,
 * whose text is WANT (any text when WANT is NULL). */
static char *find_heading(page *p, xmlNode *body, xmlNode *article, const char *tag,
                          const char *want, xmlNode **found) {
    *found = NULL;
    xmlNode *roots[2] = {article, body};
    for (int r = 0; r < 2; r++) {
        for (xmlNode *n = roots[r]; n;) {
            bool descend = true;
            if (n->type == XML_ELEMENT_NODE && n != roots[r]) {
                if (junk_reason(p, n, 0) && !(want && block_tag(n)))
                    descend = false;
                else if (is(n, tag)) {
                    nr_buf b;
                    nr_buf_init(&b);
                    text_of(p, n, &b);
                    if (b.len && (!want || !strcasecmp(b.data, want))) {
                        *found = n;
                        return nr_buf_take(&b, NULL);
                    }
                    nr_buf_free(&b);
                }
            }
            n = next_node(p, roots[r], n, descend, NULL);
        }
    }
    return NULL;
}

static size_t count_words(const char *s) {
    size_t n = 0;
    for (bool in = false; *s; s++) {
        bool sp = *s == ' ' || *s == '\n';
        n += !sp && !in;
        in = !sp;
    }
    return n;
}

/* The <h1> that bears the page's own title (<title> without the site's
 * name, else og:title, which some sites fill with their own name), wherever
 * it stands: a slideshow's or a related story's <h1> may come before it in
 * the article. NULL when none does. */
static char *titled_h1(page *p, xmlNode *body, xmlNode *article, const char *og,
                       const char *title_tag, xmlNode **h1) {
    char *own = title_tag ? clean_title(title_tag, p->site) : NULL;
    char *h = own && count_words(own) >= 3 ? find_heading(p, body, article, "h1", own, h1) : NULL;
    free(own);
    if (!h && og && count_words(og) >= 3) {
        nr_buf b;
        nr_buf_init(&b);
        nr_build_fold(&b, og, strlen(og));
        if (b.data)
            h = find_heading(p, body, article, "h1", b.data, h1);
        nr_buf_free(&b);
    }
    return h;
}

/* The headline: the <h1> that bears the page's title; else the first <h1>
 * of the page outside its chrome, unless it is a site or section name (a
 * few words, or og:site_name) while the page's own title says more; then
 * the heading that bears that title, or the title itself (og:title, else
 * <title> without the site's name). */
static char *find_title(page *p, xmlNode *body, xmlNode *article, const char *og,
                        const char *title_tag, xmlNode **h1) {
    char *t = titled_h1(p, body, article, og, title_tag, h1);
    if (t)
        return t;
    char *meta = NULL;
    if (og && og[0]) {
        nr_buf b;
        nr_buf_init(&b);
        nr_build_fold(&b, og, strlen(og));
        meta = nr_buf_take(&b, NULL);
    } else if (title_tag) {
        meta = clean_title(title_tag, p->site);
    }
    t = find_heading(p, body, article, "h1", NULL, h1);
    bool weak = t && (count_words(t) <= 3 || (p->site && !strcasecmp(t, p->site)));
    if (t && !(weak && meta && count_words(meta) >= 5 && strcasecmp(t, meta))) {
        free(meta);
        return t;
    }
    if (!meta) {
        return t;
    }
    free(t);
    static const char *const tags[] = {"h1", "h2"};
    for (int i = 0; i < 2; i++) {
        char *h = find_heading(p, body, article, tags[i], meta, h1);
        if (h) {
            free(meta);
            return h;
        }
    }
    *h1 = NULL;
    return meta;
}

nr_status nr_ingest_html(nr_ctx *ctx, const char *s, size_t n, const char *name,
                         const char *code_lang, size_t *code_blocks, nr_doc **out) {
    *out = NULL;
    *code_blocks = 0;
    if (n > (size_t)0x7FFFFFFF)
        return nr_fail(ctx, NR_E_TOO_LARGE, "the page is too large for the HTML parser");
    htmlDocPtr hd = htmlReadMemory(s, (int)n, NULL, "UTF-8",
                                   HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                       HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
    if (!hd)
        return nr_fail(ctx, NR_E_INPUT, "the HTML page cannot be read");
    page p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.notice = nr_ingest_code_notice(ctx, code_lang);
    nr_build_init(&p.b);
    nr_status st = NR_OK;
    xmlNode *root = xmlDocGetRootElement(hd);
    char *title_tag = NULL, *og = NULL;
    if (root) {
        if (!measure_all(&p, root)) {
            st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
            goto done;
        }
        read_meta(&p, root, &title_tag, &og);
        xmlNode *body = root;
        for (xmlNode *x = root; x; x = next_node(&p, root, x, true, NULL))
            if (is(x, "body")) {
                body = x;
                break;
            }
        xmlNode *art = find_article(&p, body);
        for (xmlNode *x = art; x; x = x->parent)
            if (x->type == XML_ELEMENT_NODE && M(&p, x))
                M(&p, x)->keep = true;
        xmlNode *h1;
        p.title = find_title(&p, body, art, og, title_tag, &h1);
        for (xmlNode *x = h1; x; x = x->parent)
            if (x->type == XML_ELEMENT_NODE && M(&p, x))
                M(&p, x)->keep = true;
        /* a headline outside the article comes first */
        bool inside = false;
        if (p.title) {
            for (xmlNode *x = art; x && !inside; x = next_node(&p, art, x, true, NULL))
                if (is(x, "h1")) {
                    nr_buf b;
                    nr_buf_init(&b);
                    text_of(&p, x, &b);
                    inside = b.data && !strcmp(b.data, p.title);
                    nr_buf_free(&b);
                    /* the headline, even in a block whose class words look
                     * like chrome ("banner-headline"), is read */
                    for (xmlNode *y = inside ? x : NULL; y; y = y->parent)
                        if (y->type == XML_ELEMENT_NODE && M(&p, y))
                            M(&p, y)->keep = true;
                }
            if (!inside) {
                nr_build_block(&p.b, NR_BLOCK_TITLE, 1, p.title, strlen(p.title));
                p.title_done = true;
            }
        }
        measure *am = M(&p, art);
        p.art_text = am ? am->text : 0;
        walk_article(&p, art, am ? am->ptext : 0);
        if (art != body)
            drop_outside(&p, body, art);
    }
    if (!(*out = nr_build_finish(ctx, &p.b, name)))
        st = NR_E_NOMEM;
    else if (p.author && !(*out)->byline)
        (*out)->byline = nr_arena_strdup((*out)->arena, p.author);
    /* the declared language: a hint for nr_ingest_lang, which decides */
    if (*out && p.lang)
        nr_lang_base(p.lang, (*out)->lang);
    *code_blocks = p.code_blocks;
done:
    if (root)
        for (xmlNode *x = root; x; x = next_node(&p, root, x, true, NULL))
            x->_private = NULL;
    free(p.m);
    free(p.title);
    free(p.site);
    free(p.author);
    free(p.lang);
    free(title_tag);
    free(og);
    nr_build_free(&p.b);
    xmlFreeDoc(hd);
    return st;
}
