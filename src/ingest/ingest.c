/* ingest.c: the entry point: encoding, format, reader, layout, language. */
#include "ingest.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"
#include "../util/utf8.h"
#include "encoding.h"
#include "lang.h"
#include "layout.h"

/* The length of the start of S (N bytes) that clean_utf8 would copy
 * unchanged: most text is clean through and through, and is then not
 * copied at all. */
static size_t clean_prefix(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                return i;
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, n - i, &cp);
        if ((cp >= 0x80 && cp < 0xA0) || (cp == 0xFFFD && l == 1) || cp == 0xFEFF)
            return i;
        i += l;
    }
    return n;
}

/* Makes UTF-8 text safe for the stages after: LF line ends, no C0 controls
 * but tab and newline (U+0001 is an eSpeak command byte), no C1 controls,
 * invalid sequences as U+FFFD. Returns false on out-of-memory. */
static bool clean_utf8(const char *s, size_t n, nr_buf *out) {
    nr_buf_reserve(out, n);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        /* a run of plain printable ASCII is copied at once */
        size_t run = i;
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
            run++;
        if (run - i > 1 || (run > i && run == n)) {
            nr_buf_add(out, s + i, run - i);
            i = run;
            continue;
        }
        if (c < 0x80) {
            if (c == '\r') {
                nr_buf_addc(out, '\n');
                i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            if (c == '\t' || c == '\n' || c >= 0x20)
                nr_buf_addc(out, (char)(c == 0x7F ? ' ' : c));
            else if (c == '\f' || c == '\v')
                nr_buf_addc(out, '\n');
            else
                nr_buf_addc(out, ' ');
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, n - i, &cp);
        if (cp >= 0x80 && cp < 0xA0) /* C1 controls */
            nr_buf_addc(out, ' ');
        else if (cp == 0xFFFD && l == 1)
            nr_buf_add(out, "\xEF\xBF\xBD", 3);
        else if (cp == 0xFEFF) /* a BOM inside the text */
            ;
        else
            nr_buf_add(out, s + i, l);
        i += l;
    }
    return nr_buf_ok(out);
}

/* Binary input has NUL bytes or mostly control bytes early on. */
static bool looks_binary(const char *s, size_t n) {
    size_t look = n < 4096 ? n : 4096, odd = 0;
    for (size_t i = 0; i < look; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            odd++;
    }
    return odd * 10 > look;
}

static bool has_ext(const char *name, const char *ext) {
    size_t n = name ? strlen(name) : 0, e = strlen(ext);
    return n > e && !strcasecmp(name + n - e, ext);
}

/* Case-insensitive search for NEEDLE in the first N bytes of S. */
static bool contains(const char *s, size_t n, const char *needle) {
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, needle, k))
            return true;
    return false;
}

/* How many closing tags of common HTML text elements in the first N bytes
 * of S follow an opening tag of the same element: a fragment of markup
 * pasted as text ("friends. <em>Yes.</em> <em>It is</em>!"). Text that only
 * mentions a tag ("close it with </p>") has no pair. */
static size_t tag_pairs(const char *s, size_t n) {
    static const char *const names[] = {
        "em", "strong", "b",          "i",    "u", "a",   "span", "p",     "li",   "h1", "h2",
        "h3", "h4",     "blockquote", "cite", "q", "sup", "sub",  "small", "mark", NULL};
    size_t pairs = 0;
    for (size_t i = 0; i + 3 < n && pairs < 2; i++) {
        if (s[i] != '<' || s[i + 1] != '/')
            continue;
        for (const char *const *nm = names; *nm; nm++) {
            size_t k = strlen(*nm);
            if (i + 2 + k >= n || strncasecmp(s + i + 2, *nm, k) || s[i + 2 + k] != '>')
                continue;
            /* an opening tag before it: "<em>" or "<a href=...>" */
            for (size_t j = 0; j + k + 1 < i; j++)
                if (s[j] == '<' && !strncasecmp(s + j + 1, *nm, k) &&
                    (s[j + 1 + k] == '>' || s[j + 1 + k] == ' ')) {
                    pairs++;
                    break;
                }
            break;
        }
    }
    return pairs;
}

nr_input_format nr_ingest_sniff(const char *s, size_t n, const char *name) {
    size_t look = n < 8192 ? n : 8192;
    size_t i = 0;
    while (i < look && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
        i++;
    if (i < look && s[i] == '<') {
        const char *p = s + i;
        size_t m = look - i;
        if (!strncasecmp(p, "<!doctype html", m < 14 ? m : 14) ||
            !strncasecmp(p, "<html", m < 5 ? m : 5) || !strncasecmp(p, "<?xml", m < 5 ? m : 5) ||
            !strncasecmp(p, "<!--", m < 4 ? m : 4) || !strncasecmp(p, "<head", m < 5 ? m : 5) ||
            !strncasecmp(p, "<body", m < 5 ? m : 5) || contains(p, m, "</p>") ||
            contains(p, m, "</div>"))
            return NR_FORMAT_HTML;
    }
    if (contains(s, look, "<html") && contains(s, look, "<body"))
        return NR_FORMAT_HTML;
    /* Markdown: ATX headings, fences, link syntax, emphasis, at line starts */
    size_t signals = 0, lines = 0;
    for (size_t a = 0; a < look && lines < 400; lines++) {
        size_t e = a;
        while (e < look && s[e] != '\n')
            e++;
        const char *l = s + a;
        size_t len = e - a;
        if (len >= 2 && l[0] == '#' && (l[1] == ' ' || (l[1] == '#' && len > 2)))
            signals += 2;
        else if (len >= 3 && (!strncmp(l, "```", 3) || !strncmp(l, "~~~", 3)))
            signals += 2;
        else if (len >= 3 && (!strncmp(l, "===", 3) || !strncmp(l, "---", 3)) && a > 0)
            signals += 1;
        else if (len >= 2 && l[0] == '>' && l[1] == ' ')
            signals += 1;
        for (size_t k = 0; k + 3 < len; k++) {
            if (l[k] == ']' && l[k + 1] == '(')
                signals += 2;
            if (l[k] == '*' && l[k + 1] == '*' && k + 2 < len && l[k + 2] != ' ')
                signals += 1;
        }
        a = e + 1;
    }
    if (signals >= 3 || (signals >= 1 && (has_ext(name, ".md") || has_ext(name, ".markdown"))))
        return NR_FORMAT_MARKDOWN;
    if (has_ext(name, ".md") || has_ext(name, ".markdown"))
        return NR_FORMAT_MARKDOWN;
    if ((has_ext(name, ".html") || has_ext(name, ".htm") || has_ext(name, ".xhtml")) &&
        contains(s, look, "<"))
        return NR_FORMAT_HTML;
    if (tag_pairs(s, look) >= 2)
        return NR_FORMAT_HTML;
    return NR_FORMAT_TEXT;
}

const char *nr_ingest_code_notice(nr_ctx *ctx, const char *lang) {
    size_t len;
    const char *ini = nr_data_get_lang(ctx->data, lang, "ingest.ini", &len);
    if (!ini)
        ini = nr_data_get(ctx->data, "en/ingest.ini", &len);
    const char *key = ini ? strstr(ini, "code-block") : NULL;
    if (!key)
        return "A code block is not read.";
    const char *eq = strchr(key, '=');
    if (!eq)
        return "A code block is not read.";
    eq++;
    while (*eq == ' ')
        eq++;
    static _Thread_local char notice[200];
    size_t k = 0;
    while (eq[k] && eq[k] != '\n' && eq[k] != '\r' && k + 1 < sizeof notice)
        k++;
    memcpy(notice, eq, k);
    notice[k] = 0;
    return notice;
}

/* Reads the markup formats; a document with code blocks is read again when
 * its language turns out to differ from the one its notices were in. */
static nr_status read_markup(nr_ctx *ctx, nr_input_format f, const char *s, size_t n,
                             const char *name, nr_doc **out) {
    char lang[16];
    snprintf(lang, sizeof lang, "%s", ctx->lang[0] ? ctx->lang : "en");
    for (int pass = 0; pass < 2; pass++) {
        size_t code = 0;
        nr_status st = f == NR_FORMAT_HTML ? nr_ingest_html(ctx, s, n, name, lang, &code, out)
                                           : nr_ingest_markdown(ctx, s, n, name, lang, &code, out);
        if (st != NR_OK)
            return st;
        if ((st = nr_ingest_layout(ctx, *out, true)) != NR_OK ||
            (st = nr_ingest_lang(ctx, *out)) != NR_OK) {
            nr_doc_free(*out);
            *out = NULL;
            return st;
        }
        char base[16];
        nr_lang_base((*out)->lang, base);
        if (code == 0 || ctx->lang[0] || !strcmp(base, lang))
            return NR_OK;
        snprintf(lang, sizeof lang, "%s", base);
        nr_doc_free(*out);
        *out = NULL;
    }
    return NR_OK;
}

/* nr_ingest, or with FIRST a later window of a streamed plain text. */
static nr_status ingest(nr_ctx *ctx, const char *bytes, size_t len, const char *name,
                        const nr_doc *first, nr_doc **out) {
    *out = NULL;
    if (len == 0)
        return nr_fail(ctx, NR_E_INPUT, "the input is empty");
    nr_buf utf8, clean;
    nr_buf_init(&utf8);
    nr_buf_init(&clean);
    const char *encoding;
    size_t replaced;
    const char *u8;
    size_t u8_len;
    nr_status st = nr_ingest_decode(ctx, bytes, len, &utf8, &u8, &u8_len, &encoding, &replaced);
    if (st != NR_OK)
        goto done;
    if (strncmp(encoding, "UTF-16", 6) && looks_binary(bytes, len)) {
        st = nr_fail(ctx, NR_E_INPUT, "the input is binary, not text");
        goto done;
    }
    /* clean text is read where it is; the markup readers get a copy that
       ends with a NUL, as they always had */
    const char *text = u8;
    size_t text_len = u8_len;
    bool copy = clean_prefix(u8, u8_len) < u8_len;
    nr_input_format f = NR_FORMAT_TEXT;
    if (!copy && !first)
        f = nr_ingest_sniff(text, text_len, name);
    if (copy || f != NR_FORMAT_TEXT) {
        if (!clean_utf8(u8, u8_len, &clean)) {
            st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
            goto done;
        }
        text = clean.data ? clean.data : "";
        text_len = clean.len;
        if (copy && !first)
            f = nr_ingest_sniff(text, text_len, name);
    }
    nr_doc *doc = NULL;
    if (f == NR_FORMAT_TEXT) {
        doc = nr_doc_new(text, text_len, name);
        if (!doc) {
            st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
            goto done;
        }
        if (first) {
            doc->continued = true;
            memcpy(doc->lang, first->lang, sizeof doc->lang);
        }
        if ((st = nr_ingest_text(ctx, doc)) == NR_OK &&
            (st = nr_ingest_layout(ctx, doc, false)) == NR_OK)
            st = nr_ingest_lang(ctx, doc);
    } else {
        st = read_markup(ctx, f, text, text_len, name, &doc);
    }
    /* markup may yield no document; a later window of a stream may hold only blank lines */
    if (st == NR_OK && (!doc || (doc->blocks.len == 0 && !first)))
        st = nr_fail(ctx, NR_E_INPUT, "the input holds no text to read");
    if (st == NR_OK) {
        doc->format = f == NR_FORMAT_HTML ? "html" : f == NR_FORMAT_MARKDOWN ? "markdown" : "text";
        doc->encoding = encoding;
        if (replaced) {
            char why[96];
            snprintf(why, sizeof why, "%zu invalid byte sequence%s in the input, replaced",
                     replaced, replaced > 1 ? "s" : "");
            const char *r = nr_arena_strdup(doc->arena, why);
            if (!r || !nr_doc_drop(doc, "\xEF\xBF\xBD", 3, r))
                st = nr_fail(ctx, NR_E_NOMEM, "out of memory");
        }
    }
    if (st != NR_OK)
        nr_doc_free(doc);
    else
        *out = doc;
done:
    nr_buf_free(&utf8);
    nr_buf_free(&clean);
    return st;
}

nr_status nr_ingest(nr_ctx *ctx, const char *bytes, size_t len, const char *name, nr_doc **out) {
    return ingest(ctx, bytes, len, name, NULL, out);
}

nr_status nr_ingest_window(nr_ctx *ctx, const char *bytes, size_t len, const char *name,
                           const nr_doc *first, nr_doc **out) {
    return ingest(ctx, bytes, len, name, first, out);
}
