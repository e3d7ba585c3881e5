#include "ingest.h"

#include <stdio.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/utf8.h"

/* Turns raw bytes into clean UTF-8: no BOM, LF line ends, no C0 controls but
 * tab and newline (U+0001 is an eSpeak command byte), invalid sequences
 * replaced by U+FFFD. Returns false on out-of-memory. */
static bool clean_utf8(const char *s, size_t n, nr_buf *out, size_t *replaced) {
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3, n -= 3;
    *replaced = 0;
    nr_buf_reserve(out, n);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
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
        if (cp == 0xFFFD && l == 1)
            (*replaced)++;
        if (cp >= 0x80 && cp < 0xA0) /* C1 controls */
            nr_buf_addc(out, ' ');
        else if (cp == 0xFFFD && l == 1)
            nr_buf_add(out, "\xEF\xBF\xBD", 3);
        else
            nr_buf_add(out, s + i, l);
        i += l;
    }
    return nr_buf_ok(out);
}

/* Binary input has NUL bytes or mostly non-text bytes early on. */
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

nr_status nr_ingest(nr_ctx *ctx, const char *bytes, size_t len, const char *name, nr_doc **out) {
    *out = NULL;
    if (len == 0)
        return nr_fail(ctx, NR_E_INPUT, "the input is empty");
    if (looks_binary(bytes, len))
        return nr_fail(ctx, NR_E_INPUT, "the input is binary, not text");
    nr_buf clean;
    nr_buf_init(&clean);
    size_t replaced;
    if (!clean_utf8(bytes, len, &clean, &replaced)) {
        nr_buf_free(&clean);
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    }
    nr_doc *doc = nr_doc_new(clean.data ? clean.data : "", clean.len, name);
    nr_buf_free(&clean);
    if (!doc)
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    nr_status st = nr_ingest_text(ctx, doc);
    if (st == NR_OK && doc->blocks.len == 0)
        st = nr_fail(ctx, NR_E_INPUT, "the input holds no text to read");
    if (st != NR_OK) {
        nr_doc_free(doc);
        return st;
    }
    if (!doc->lang[0])
        snprintf(doc->lang, sizeof doc->lang, "%s", ctx->lang[0] ? ctx->lang : "en");
    (void)replaced;
    *out = doc;
    return NR_OK;
}
