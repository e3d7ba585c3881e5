/* utf8.h: the few UTF-8 operations every stage needs.
 *
 * Decoding never fails: an invalid sequence decodes as U+FFFD over one byte,
 * so a scanner always advances. */
#ifndef NR_UTF8_H
#define NR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at S (N bytes available) into *CP; returns its
 * length in bytes (1..4), or 0 when N is 0. */
size_t nr_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Decodes the code point that ends just before S+POS; returns its length. */
size_t nr_utf8_decode_back(const char *s, size_t pos, uint32_t *cp);
/* Encodes CP into OUT (4 bytes room); returns the length. */
size_t nr_utf8_encode(uint32_t cp, char *out);
/* True when S holds only well-formed UTF-8 (no overlongs, no surrogates). */
bool nr_utf8_valid(const char *s, size_t n);
/* White space by Unicode's definition, no-break and narrow spaces included. */
bool nr_is_space(uint32_t cp);
/* Counts the code points in S. */
size_t nr_utf8_count(const char *s, size_t n);

#endif
