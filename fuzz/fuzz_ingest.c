/* Ingestion: any bytes (text, HTML, Markdown, any encoding) either become a
 * document that keeps the invariants or fail with a message. */
#include "fuzz_common.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nr_ctx *ctx = fuzz_shared_ctx();
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(ctx, (const char *)data, size, "fuzz", &doc);
    fuzz_check_status(ctx, st);
    FUZZ_CHECK((st == NR_OK) == (doc != NULL));
    if (doc) {
        fuzz_check_doc(doc);
        FUZZ_CHECK(doc->blocks.len > 0);
        FUZZ_CHECK(doc->lang[0] != '\0');
        if (doc->title)
            FUZZ_CHECK(nr_utf8_valid(doc->title, strlen(doc->title)));
    }
    nr_doc_free(doc);
    return 0;
}
