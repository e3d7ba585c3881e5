/* The user's --cast file: any bytes as the cast file of a document with
 * quoted speakers. It either applies or fails with NR_E_DATA/NR_E_IO and a
 * message; the voices stay well-formed. The file is a memfd, so nothing is
 * written to disk. */
#include <sys/mman.h>
#include <unistd.h>

#include "cast/cast.h"
#include "fuzz_common.h"
#include "ingest/ingest.h"
#include "speakers/attribute.h"
#include "text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char article[] =
    "Talks resume in Geneva\n\n"
    "\"We will not give up,\" said Maria Lopez, the union's leader. "
    "John Smith, a spokesman for the ministry, answered: \"The offer stands.\"\n\n"
    "\xC2\xAB Nous ne c\xC3\xA9\x64\x65rons pas \xC2\xBB, a d\xC3\xA9\x63lar\xC3\xA9 "
    "Mme Dupont. \"It is over,\" Lopez said later.\n";

static int memfd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (memfd < 0) {
        memfd = memfd_create("fuzz-cast", 0);
        FUZZ_CHECK(memfd >= 0);
    }
    FUZZ_CHECK(ftruncate(memfd, 0) == 0);
    FUZZ_CHECK(size == 0 || pwrite(memfd, data, size, 0) == (ssize_t)size);
    nr_ctx *ctx = fuzz_shared_ctx();
    snprintf(ctx->cast_file, sizeof ctx->cast_file, "/proc/self/fd/%d", memfd);
    nr_doc *doc = NULL;
    nr_status st = nr_ingest(ctx, article, sizeof article - 1, "fuzz", &doc);
    if (st == NR_OK)
        st = nr_segment(ctx, doc);
    if (st == NR_OK)
        st = nr_attribute(ctx, doc);
    FUZZ_CHECK(st == NR_OK);
    st = nr_cast(ctx, doc);
    fuzz_check_status(ctx, st);
    FUZZ_CHECK(st == NR_OK || st == NR_E_DATA || st == NR_E_IO);
    fuzz_check_doc(doc);
    for (size_t i = 0; i < doc->speakers.len; i++) {
        const nr_voice *v = &NR_SPEAKER(doc, i).voice;
        FUZZ_CHECK(memchr(v->espeak, '\0', sizeof v->espeak) != NULL);
    }
    nr_doc_free(doc);
    return 0;
}
