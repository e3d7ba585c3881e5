/* reading.c: the parts of the public API a listener needs beside the
 * document itself: starting on the head of a long article, who speaks a
 * sentence, where blocks start. */
#include <string.h>

#include "doc.h"
#include "narrate.h"
#include "narrator.h"

/* Where the input's first character other than white space (and a byte
 * order mark) is: LEN when there is none. */
static size_t first_char(const char *s, size_t len) {
    size_t i = 0;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* True when the input looks like markup that a cut could break: HTML and
 * XML start with '<' after white space or a byte order mark. */
static bool looks_like_html(const char *s, size_t len) {
    size_t i = first_char(s, len);
    return i < len && s[i] == '<';
}

/* The end of the paragraph that holds byte HEAD: just past the first blank
 * line at or after it; LEN when there is none. */
static size_t paragraph_cut(const char *s, size_t len, size_t head) {
    for (size_t i = head; i + 1 < len; i++) {
        if (s[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
            j++;
        if (j < len && s[j] == '\n')
            return j + 1;
    }
    return len;
}

/* The document of the first CUT bytes of an input of LEN, marked partial. */
static nr_status head_at(nr_narrator *nr, const char *bytes, size_t len, size_t cut,
                         const char *name, nr_document **out) {
    if (len > nr->ctx.max_input) /* the limit applies to the whole input */
        return nr_fail(&nr->ctx, NR_E_TOO_LARGE,
                       "the input is over the limit of %zu bytes (see --max-input)",
                       nr->ctx.max_input);
    nr_status st = nr_document_from_memory(nr, bytes, cut, name, out);
    if (st == NR_OK)
        (*out)->partial = true;
    return st;
}

nr_status nr_document_head_from_memory(nr_narrator *nr, const void *bytes, size_t len,
                                       const char *name, size_t head, nr_document **out) {
    const char *s = bytes;
    size_t cut = len;
    if (head < len && !looks_like_html(s, len))
        cut = paragraph_cut(s, len, head);
    if (cut >= len) /* too short to cut, or nowhere to cut: the whole */
        return nr_document_from_memory(nr, bytes, len, name, out);
    return head_at(nr, bytes, len, cut, name, out);
}

/* The first paragraph cut found in a prefix is the whole's, as long as it
 * falls inside the prefix: the scan finds the first blank line past HEAD. */
nr_status nr_document_head_from_prefix(nr_narrator *nr, const void *bytes, size_t avail, size_t len,
                                       const char *name, size_t head, nr_document **out) {
    const char *s = bytes;
    *out = NULL;
    if (avail >= len)
        return nr_document_head_from_memory(nr, bytes, len, name, head, out);
    if (head >= avail || first_char(s, avail) == avail || looks_like_html(s, avail))
        return NR_OK;
    size_t cut = paragraph_cut(s, avail, head);
    if (cut >= avail)
        return NR_OK;
    return head_at(nr, bytes, len, cut, name, out);
}

int nr_document_partial(const nr_document *d) { return d && d->partial; }

const char *nr_document_sentence_speaker(const nr_document *d, size_t i) {
    if (!d || i >= d->n)
        return NULL;
    const nr_sentence *se = &NR_BLOCK(d->doc, d->order[i].block).sents[d->order[i].sent];
    for (size_t k = 0; k < se->n_spans; k++) {
        const nr_span *sp = &se->spans[k];
        if (sp->kind != NR_SPAN_QUOTE || sp->speaker < 0 ||
            (size_t)sp->speaker >= d->doc->speakers.len)
            continue;
        const char *name = NR_SPEAKER(d->doc, sp->speaker).name;
        if (name)
            return name;
    }
    return NULL;
}

const char *nr_document_block_kind(const nr_document *d, size_t block) {
    if (!d || block >= d->doc->blocks.len)
        return NULL;
    return nr_block_kind_name(NR_BLOCK(d->doc, block).kind);
}

size_t nr_document_block_start(const nr_document *d, size_t block) {
    /* order[] is sorted by block: binary search for the first at or after BLOCK */
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->order[mid].block < block)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
