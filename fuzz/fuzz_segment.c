/* Segmentation: ingest then split into sentences and quotation spans; the
 * ranges stay ordered and inside their block. */
#include "fuzz_common.h"
#include "ingest/ingest.h"
#include "text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nr_ctx *ctx = fuzz_shared_ctx();
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(ctx, (const char *)data, size, "fuzz", &doc);
    if (st == NR_OK) {
        st = nr_segment(ctx, doc);
        fuzz_check_status(ctx, st);
        fuzz_check_doc(doc);
    }
    nr_doc_free(doc);
    return 0;
}
