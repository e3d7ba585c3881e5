/* numwords.h: numbers written out in words, from voices/<lang>/numbers.txt.
 *
 * eSpeak reads plain cardinals well; the speller is for the forms it gets
 * wrong: ordinals ("XIXe" -> "dix-neuvième"), regnal numbers, decades,
 * fractions, English years. The grammar (French 70-99, "et un", plural
 * "cents") is chosen by the table's "speller" key ("fr" or "en"); the words
 * come from the table. Every function appends to OUT and returns false when
 * the language has no speller or N is out of its range (> 999 999 999 999);
 * then OUT is untouched. */
#ifndef NR_SPEECH_NUMWORDS_H
#define NR_SPEECH_NUMWORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/buf.h"
#include "tables.h"

bool nr_sp_cardinal(const nr_speech_rules *r, uint64_t n, nr_buf *out);
/* FEM asks for the feminine where the language has one ("première"). */
bool nr_sp_ordinal(const nr_speech_rules *r, uint64_t n, bool fem, nr_buf *out);
/* A year as people say it ("nineteen ninety"; French: the cardinal). */
bool nr_sp_year(const nr_speech_rules *r, uint64_t n, nr_buf *out);
/* A decade: "nineteen nineties" (1990s), "nineties" (90s, SHORT). */
bool nr_sp_decade(const nr_speech_rules *r, uint64_t n, bool short_form, nr_buf *out);
/* A fraction NUM/DEN: "three quarters", "cinq huitièmes". */
bool nr_sp_fraction(const nr_speech_rules *r, uint64_t num, uint64_t den, nr_buf *out);

#endif
