/* Normalisation: the first byte picks a language, the rest is text, run
 * both through nr_normalise_text and, as a document, through nr_normalise.
 * Whatever the text, the spoken forms are valid UTF-8. */
#include "fuzz_common.h"
#include "ingest/ingest.h"
#include "speakers/attribute.h"
#include "speech/normalise.h"
#include "text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {"en", "fr", "en-us", "en-gb", "fr-ca", "de", "es", "it", "xx"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    const char *lang = langs[data[0] % (sizeof langs / sizeof *langs)];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    nr_ctx *ctx = fuzz_shared_ctx();
    char *said = nr_normalise_text(ctx, lang, text, len);
    if (said) {
        if (nr_utf8_valid(text, len) && !memchr(text, '\0', len))
            FUZZ_CHECK(nr_utf8_valid(said, strlen(said)));
        free(said);
    }
    snprintf(ctx->lang, sizeof ctx->lang, "%s", lang);
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(ctx, text, len, "fuzz", &doc);
    if (st == NR_OK)
        st = nr_segment(ctx, doc);
    if (st == NR_OK)
        st = nr_attribute(ctx, doc);
    if (st == NR_OK) {
        st = nr_normalise(ctx, doc);
        fuzz_check_status(ctx, st);
        fuzz_check_doc(doc);
    }
    nr_doc_free(doc);
    return 0;
}
