/* encoding.h: whatever the input's encoding, UTF-8 out.
 *
 * UTF-8 (with or without a BOM) passes through; UTF-16 with a BOM, or
 * without one when every other byte is zero, is converted; anything else
 * that is not valid UTF-8 is identified by uchardet (Windows-1252 when it
 * cannot tell) and converted with iconv. Bytes that do not decode become
 * U+FFFD and are counted, never an error. */
#ifndef NR_ENCODING_H
#define NR_ENCODING_H

#include <stddef.h>

#include "../core/ctx.h"
#include "../util/buf.h"

/* The UTF-8 form of BYTES: *DATA and *DATA_LEN are BYTES itself (past a
 * BOM) when it is UTF-8 already, else the conversion appended to OUT.
 * *ENCODING is a static name ("UTF-8", "UTF-16LE", "WINDOWS-1252", ...);
 * *REPLACED counts the invalid sequences (replaced by U+FFFD, later for
 * UTF-8). NR_E_NOMEM is the only failure. */
nr_status nr_ingest_decode(nr_ctx *ctx, const char *bytes, size_t len, nr_buf *out,
                           const char **data, size_t *data_len, const char **encoding,
                           size_t *replaced);

#endif
