/* The user's lexicon ($XDG_CONFIG_HOME/narrate/lexicon-<lang>.txt): any
 * bytes as the lexicon, then normalisation of a fixed text and of the input
 * itself (so its keys find matches). Malformed lines are skipped, never
 * fatal; the spoken text stays valid UTF-8. */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "speech/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text_en[] =
    "Dr. Blinken met the SNCF chief in Kyiv on Jan. 5 at 3:30 p.m.; it cost $200m "
    "(about 185 M\xE2\x82\xAC), said NATO. Henry VIII, the 21st Century & you.";
static const char text_fr[] =
    "M. Blinken a rencontr\xC3\xA9 le PDG de la SNCF \xC3\xA0 Kiev le 5 janv. \xC3\xA0 15h30 ; "
    "co\xC3\xBBt : 200 M\xE2\x82\xAC, selon l'OTAN. Louis XIV, au XIXe si\xC3\xA8\x63le.";

static char dir[64];

static void check_said(char *said) {
    if (!said)
        return;
    FUZZ_CHECK(nr_utf8_valid(said, strlen(said)));
    free(said);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/narrate-fuzz-lexicon.XXXXXX");
        FUZZ_CHECK(mkdtemp(dir) != NULL);
        char sub[128];
        snprintf(sub, sizeof sub, "%s/narrate", dir);
        FUZZ_CHECK(mkdir(sub, 0700) == 0);
        setenv("XDG_CONFIG_HOME", dir, 1);
    }
    bool fr = size > 0 && (data[0] & 1);
    char path[128];
    snprintf(path, sizeof path, "%s/narrate/lexicon-%s.txt", dir, fr ? "fr" : "en");
    FILE *fp = fopen(path, "wb");
    FUZZ_CHECK(fp != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, fp) == size);
    FUZZ_CHECK(fclose(fp) == 0);

    nr_ctx ctx;
    fuzz_ctx(&ctx);
    const char *lang = fr ? "fr" : "en";
    check_said(nr_normalise_text(&ctx, lang, fr ? text_fr : text_en,
                                 fr ? sizeof text_fr - 1 : sizeof text_en - 1));
    if (nr_utf8_valid((const char *)data, size) && !memchr(data, '\0', size))
        check_said(nr_normalise_text(&ctx, lang, (const char *)data, size));
    nr_ctx_fini(&ctx);
    unlink(path);
    return 0;
}
