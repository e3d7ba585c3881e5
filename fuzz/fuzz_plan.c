/* The whole analysis through the public API, then the plan: whatever the
 * article, the plan printed is valid JSON in the narrate-plan/1 format. */
#include <jansson.h>

#include "fuzz_common.h"
#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static nr_narrator *nr;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!nr)
        FUZZ_CHECK(nr_narrator_new(&nr) == NR_OK);
    nr_document *doc = NULL;
    nr_status st = nr_document_from_memory(nr, data, size, "fuzz", &doc);
    FUZZ_CHECK((st == NR_OK) == (doc != NULL));
    if (st != NR_OK) {
        FUZZ_CHECK(nr_narrator_error(nr)[0] != '\0');
        return 0;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(nr_document_write_plan(doc, out) == NR_OK);
    FUZZ_CHECK(fclose(out) == 0);
    json_error_t err;
    json_t *plan = json_loadb(buf, len, 0, &err);
    if (!plan)
        fprintf(stderr, "plan is not JSON: %s (line %d)\n", err.text, err.line);
    FUZZ_CHECK(plan != NULL);
    FUZZ_CHECK(json_is_string(json_object_get(plan, "format")));
    FUZZ_CHECK(!strcmp(json_string_value(json_object_get(plan, "format")), "narrate-plan/1"));
    json_decref(plan);
    free(buf);
    for (size_t i = 0; i < nr_document_sentence_count(doc); i++) {
        size_t n = 0;
        FUZZ_CHECK(nr_document_sentence(doc, i, &n) != NULL);
    }
    nr_document_free(doc);
    return 0;
}
