/* plan.h: the document as narrate-plan/1 JSON (PLAN_FORMAT.md). */
#ifndef NR_PLAN_H
#define NR_PLAN_H

#include <stdio.h>

#include "doc.h"
#include "narrate.h"

/* Writes the plan; NR_E_IO if OUT fails (a closed pipe included). */
nr_status nr_plan_write(const nr_doc *doc, FILE *out);

/* Appends S (N bytes) to B as a JSON string literal, quotes included.
 * Invalid UTF-8 is written as U+FFFD, so the output always parses. */
void nr_json_string(nr_buf *b, const char *s, size_t n);

#endif
