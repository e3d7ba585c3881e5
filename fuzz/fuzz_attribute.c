/* Attribution: ingest, segment, attribute and cast; every quote points at a
 * speaker that exists, every speaker has a voice name eSpeak could parse. */
#include "cast/cast.h"
#include "fuzz_common.h"
#include "ingest/ingest.h"
#include "speakers/attribute.h"
#include "text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_speakers(const nr_doc *doc) {
    for (size_t i = 0; i < doc->speakers.len; i++) {
        const nr_speaker *s = &NR_SPEAKER(doc, i);
        FUZZ_CHECK(s->id != NULL);
        if (s->name)
            FUZZ_CHECK(nr_utf8_valid(s->name, strlen(s->name)));
        for (size_t m = 0; m < s->n_mentions; m++)
            FUZZ_CHECK(s->mentions[m] && nr_utf8_valid(s->mentions[m], strlen(s->mentions[m])));
        FUZZ_CHECK(memchr(s->voice.espeak, '\0', sizeof s->voice.espeak) != NULL);
        FUZZ_CHECK(s->voice.espeak[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nr_ctx *ctx = fuzz_shared_ctx();
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(ctx, (const char *)data, size, "fuzz", &doc);
    if (st == NR_OK)
        st = nr_segment(ctx, doc);
    if (st == NR_OK) {
        st = nr_attribute(ctx, doc);
        fuzz_check_status(ctx, st);
        fuzz_check_doc(doc);
        if (st == NR_OK) {
            st = nr_cast(ctx, doc);
            fuzz_check_status(ctx, st);
            FUZZ_CHECK(st == NR_OK);
            fuzz_check_doc(doc);
            check_speakers(doc);
        }
    }
    nr_doc_free(doc);
    return 0;
}
