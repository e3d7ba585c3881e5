/* The last gate before eSpeak NG: whatever comes in, what goes out is valid
 * UTF-8 without control characters, with no token longer than 64 characters,
 * no long run of dotted single letters and no stack of 's suffixes (the
 * inputs that crash eSpeak NG 1.51, ESPEAK_NOTES.md 2.7), and the map gives
 * every output byte an input byte, in order. */
#include "fuzz_common.h"
#include "synth/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_TOKEN = 64, MAX_DOTTED = 16, MAX_APOS_S = 8 };

/* The letters that can end a dotted chain: the sanitizer's own list. */
static bool word_char(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x2AF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x4E00 && cp <= 0x9FFF);
}

/* eSpeak chains "a." units across spaces and punctuation ("a.b., c.d.");
 * a word (two letters in a row) or a letter before a space ends the chain
 * (measured with espeak-ng 1.51: "a.a.a.a.a.a.a.a" x 40 is read). */
static void check_tokens(const char *out, size_t n) {
    size_t token = 0, chain = 0, apos_s = 0;
    uint32_t prev = ' ';
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = nr_utf8_decode(out + i, n - i, &cp);
        FUZZ_CHECK(cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0));
        FUZZ_CHECK(cp == ' ' || !nr_is_space(cp));
        if (cp == ' ') {
            if (word_char(prev)) /* "a.b.c " : a letter before a space ends the chain */
                chain = 0;
            token = apos_s = 0;
        } else {
            token++;
            if (cp == '.' && prev != '.' && prev != ' ')
                chain++;
            else if (word_char(cp) && word_char(prev))
                chain = 0;
            if (cp == 's' && (prev == '\'' || prev == 0x2019))
                apos_s++;
            FUZZ_CHECK(token <= MAX_TOKEN);
            FUZZ_CHECK(chain <= MAX_DOTTED);
            FUZZ_CHECK(apos_s <= MAX_APOS_S);
        }
        prev = cp;
        i += l;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = (const char *)data;
    size_t *map = NULL;
    char *out = nr_engine_sanitize(in, size, &map);
    FUZZ_CHECK(out != NULL && map != NULL);
    size_t n = strlen(out);
    FUZZ_CHECK(nr_utf8_valid(out, n));
    check_tokens(out, n);
    for (size_t i = 0; i <= n; i++) {
        FUZZ_CHECK(map[i] <= size);
        if (i > 0)
            FUZZ_CHECK(map[i] >= map[i - 1]);
    }
    FUZZ_CHECK(map[n] == size);
    char *again = nr_engine_sanitize(in, size, NULL);
    FUZZ_CHECK(again != NULL && !strcmp(again, out));
    free(again);
    free(out);
    free(map);
    return 0;
}
