/* Unit tests of src/audio: the file sink appears whole or not at all. */
#include <dirent.h>
#include <sndfile.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio/file_sink.h"
#include "check.h"
#include "core/ctx.h"

static int entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, ".."));
    if (d)
        closedir(d);
    return n;
}

int main(void) {
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    char dir[] = "/tmp/nr-test-audioXXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temp dir");
    char path[256];
    snprintf(path, sizeof path, "%s/out.wav", dir);
    int16_t pcm[22050];
    for (int i = 0; i < 22050; i++)
        pcm[i] = (int16_t)((i % 100) * 100 - 5000);

    /* committed: a valid WAV with every sample */
    nr_file_sink *s;
    CHECK(nr_file_sink_open(&ctx, path, 22050, &s) == NR_OK, "open: %s", ctx.err);
    CHECK(access(path, F_OK) != 0, "nothing at the target while writing");
    CHECK(entries(dir) == 1, "one temporary file beside it");
    CHECK(nr_file_sink_write(s, pcm, 22050) == NR_OK, "write");
    CHECK(nr_file_sink_close(s, true) == NR_OK, "commit: %s", ctx.err);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    CHECK(sf && info.frames == 22050 && info.samplerate == 22050 && info.channels == 1,
          "WAV read back: %lld frames", (long long)info.frames);
    int16_t back[22050];
    CHECK(sf && sf_read_short(sf, back, 22050) == 22050 && !memcmp(back, pcm, sizeof pcm),
          "same samples");
    sf_close(sf);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0044), "readable by others as usual: %o",
          st.st_mode & 0777);
    CHECK(entries(dir) == 1, "no temporary file left");

    /* aborted: the old file stays as it was, no temporary file */
    off_t before = st.st_size;
    CHECK(nr_file_sink_open(&ctx, path, 22050, &s) == NR_OK, "reopen");
    nr_file_sink_write(s, pcm, 100);
    CHECK(nr_file_sink_close(s, false) == NR_OK, "abort");
    CHECK(stat(path, &st) == 0 && st.st_size == before, "previous file untouched");
    CHECK(entries(dir) == 1, "temporary file removed on abort");
    unlink(path);

    /* errors */
    static const struct {
        const char *path;
        nr_status want;
        const char *says;
    } bad[] = {
        {"/nonexistent-dir/x.wav", NR_E_IO, "No such file or directory"},
        {"/tmp/x.xyz", NR_E_FORMAT, "cannot write .xyz files"},
        {"/dev/full", NR_E_IO, "No space left on device"},
        {"/tmp", NR_E_IO, "is a directory"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nr_file_sink *b = NULL;
        nr_status got = nr_file_sink_open(&ctx, bad[i].path, 22050, &b);
        if (got == NR_OK) { /* /dev/full may fail only on write */
            got = nr_file_sink_write(b, pcm, 22050);
            nr_status closed = nr_file_sink_close(b, got == NR_OK);
            if (got == NR_OK)
                got = closed;
        }
        CHECK(got == bad[i].want && strstr(ctx.err, bad[i].says), "%s: status %d, \"%s\"",
              bad[i].path, got, ctx.err);
        CHECK(!strncmp(ctx.err, bad[i].path, strlen(bad[i].path)), "message names the file: %s",
              ctx.err);
    }
    rmdir(dir);
    nr_ctx_fini(&ctx);
    return check_done("test_audio");
}
