/* encoding.c: encoding detection (BOM, UTF-8 validity, uchardet) and
 * conversion (iconv), linear in the input. */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>

#include "../util/utf8.h"

/* Counts well-formed multi-byte sequences and invalid bytes in S. */
static void utf8_census(const char *s, size_t n, size_t *good, size_t *bad) {
    *good = *bad = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = nr_utf8_decode(s + i, n - i, &cp);
        if (cp == 0xFFFD && l == 1)
            (*bad)++;
        else
            (*good)++;
        i += l ? l : 1;
    }
}

/* UTF-16 without a BOM: text in Latin scripts has a zero in every other
 * byte; the side of the zeros gives the byte order. */
static const char *utf16_guess(const char *s, size_t n) {
    size_t look = n < 4096 ? n & ~(size_t)1 : 4096, even = 0, odd = 0;
    if (look < 8)
        return NULL;
    for (size_t i = 0; i < look; i += 2) {
        even += s[i] == 0;
        odd += s[i + 1] == 0;
    }
    if (odd * 10 >= look * 4 && even * 20 < look)
        return "UTF-16LE";
    if (even * 10 >= look * 4 && odd * 20 < look)
        return "UTF-16BE";
    return NULL;
}

/* The charset uchardet sees in (a bounded prefix of) S, normalised to an
 * iconv name; NULL when it cannot tell. */
static const char *detect(const char *s, size_t n) {
    uchardet_t u = uchardet_new();
    if (!u)
        return NULL;
    const char *res = NULL;
    if (uchardet_handle_data(u, s, n < 65536 ? n : 65536) == 0) {
        uchardet_data_end(u);
        const char *cs = uchardet_get_charset(u);
        static const char *const known[] = {
            "WINDOWS-1252", "ISO-8859-15",  "ISO-8859-2",   "WINDOWS-1250",
            "ISO-8859-5",   "WINDOWS-1251", "KOI8-R",       "ISO-8859-7",
            "WINDOWS-1253", "ISO-8859-9",   "WINDOWS-1254", "MAC-CENTRALEUROPE",
            "IBM852",       "IBM866",       "MAC-CYRILLIC", "ISO-8859-13",
            "WINDOWS-1257", "ISO-8859-4",   "ISO-8859-3",   "ISO-8859-10",
            "WINDOWS-1255", "ISO-8859-8",   "WINDOWS-1256", "SHIFT_JIS",
            "EUC-JP",       "EUC-KR",       "GB18030",      "BIG5",
            "UTF-16LE",     "UTF-16BE",     "TIS-620",      "WINDOWS-1258",
            "VISCII"};
        if (cs && (!strcasecmp(cs, "ISO-8859-1") || !strcasecmp(cs, "ASCII")))
            res = "WINDOWS-1252"; /* a superset: its C1 range holds curly quotes */
        for (size_t i = 0; cs && !res && i < sizeof known / sizeof *known; i++)
            if (!strcasecmp(cs, known[i]))
                res = known[i];
    }
    uchardet_delete(u);
    return res;
}

/* Converts with iconv; every sequence that does not decode becomes U+FFFD.
 * False when iconv does not know FROM. */
static bool convert(const char *from, const char *s, size_t n, nr_buf *out, size_t *replaced) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return false;
    size_t unit = !strncmp(from, "UTF-16", 6) ? 2 : 1;
    char tmp[16384];
    char *in = (char *)s;
    size_t left = n;
    while (left > 0 && nr_buf_ok(out)) {
        char *o = tmp;
        size_t room = sizeof tmp;
        size_t rc = iconv(cd, &in, &left, &o, &room);
        nr_buf_add(out, tmp, (size_t)(o - tmp));
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ or EINVAL (truncated at the end): replace one unit */
        nr_buf_add(out, "\xEF\xBF\xBD", 3);
        (*replaced)++;
        size_t skip = left < unit ? left : unit;
        in += skip;
        left -= skip;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    char *o = tmp;
    size_t room = sizeof tmp;
    iconv(cd, NULL, NULL, &o, &room);
    nr_buf_add(out, tmp, (size_t)(o - tmp));
    iconv_close(cd);
    return true;
}

nr_status nr_ingest_decode(nr_ctx *ctx, const char *s, size_t n, nr_buf *out, const char **data,
                           size_t *data_len, const char **encoding, size_t *replaced) {
    *replaced = 0;
    const char *from = NULL;
    size_t good = 0, bad = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3, n -= 3;
        from = "UTF-8";
        utf8_census(s, n, &good, &bad);
    } else if (n >= 2 && !memcmp(s, "\xFF\xFE", 2)) {
        s += 2, n -= 2;
        from = "UTF-16LE";
    } else if (n >= 2 && !memcmp(s, "\xFE\xFF", 2)) {
        s += 2, n -= 2;
        from = "UTF-16BE";
    } else {
        from = utf16_guess(s, n);
    }
    if (!from) {
        utf8_census(s, n, &good, &bad);
        if (bad == 0 || (good > 0 && good >= bad))
            from = "UTF-8";
        else
            from = detect(s, n);
        if (!from)
            from = "WINDOWS-1252";
    }
    *encoding = from;
    if (!strcmp(from, "UTF-8")) {
        /* passed through; invalid sequences are replaced where controls are */
        *replaced = bad;
        *data = s;
        *data_len = n;
        return NR_OK;
    }
    if (!convert(from, s, n, out, replaced)) {
        *encoding = "WINDOWS-1252";
        convert("WINDOWS-1252", s, n, out, replaced);
    }
    if (!nr_buf_ok(out))
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    *data = out->data ? out->data : "";
    *data_len = out->len;
    return NR_OK;
}
