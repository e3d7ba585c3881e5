/* Unit tests of src/util: UTF-8, buffers, arena, the fork gate, the heap's
 * filling, the libraries loaded on first use. */
#include <espeak-ng/speak_lib.h>
#include <link.h>
#include <portaudio.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/forkgate.h"
#include "util/heap.h"
#include "util/utf8.h"

static void test_decode(void) {
    static const struct {
        const char *in;
        size_t len;
        uint32_t cp;
        size_t used;
    } cases[] = {
        {"A", 1, 'A', 1},
        {"\xC3\xA9", 2, 0xE9, 2},            /* é */
        {"\xE2\x80\xAF", 3, 0x202F, 3},      /* narrow no-break space */
        {"\xF0\x9F\x98\x80", 4, 0x1F600, 4}, /* emoji */
        {"\xC0\xAF", 2, 0xFFFD, 1},          /* overlong '/' */
        {"\xED\xA0\x80", 3, 0xFFFD, 1},      /* lone surrogate */
        {"\xE2\x80", 2, 0xFFFD, 1},          /* truncated */
        {"\xFF", 1, 0xFFFD, 1},
        {"\x80", 1, 0xFFFD, 1},             /* stray continuation */
        {"\xF4\x90\x80\x80", 4, 0xFFFD, 1}, /* above U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp;
        size_t used = nr_utf8_decode(cases[i].in, cases[i].len, &cp);
        CHECK(cp == cases[i].cp && used == cases[i].used, "case %zu: U+%04X over %zu", i, cp, used);
    }
}

static void test_encode_roundtrip(void) {
    static const uint32_t cps[] = {0x41, 0xE9, 0x7FF, 0x800, 0xFFFC, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char out[4];
        uint32_t back;
        size_t n = nr_utf8_encode(cps[i], out);
        nr_utf8_decode(out, n, &back);
        CHECK(back == cps[i], "U+%04X came back as U+%04X", cps[i], back);
    }
    char out[4];
    uint32_t back;
    nr_utf8_decode(out, nr_utf8_encode(0xD800, out), &back);
    CHECK(back == 0xFFFD, "a surrogate encodes as U+FFFD, got U+%04X", back);
}

static void test_valid_and_back(void) {
    CHECK(nr_utf8_valid("caf\xC3\xA9", 5), "valid UTF-8");
    CHECK(!nr_utf8_valid("caf\xE9", 4), "Latin-1 byte is invalid");
    CHECK(nr_utf8_valid("\xEF\xBF\xBD", 3), "U+FFFD itself is valid");
    uint32_t cp;
    const char *s = "a\xC3\xA9";
    CHECK(nr_utf8_decode_back(s, 3, &cp) == 2 && cp == 0xE9, "back over é");
    CHECK(nr_utf8_decode_back(s, 1, &cp) == 1 && cp == 'a', "back over a");
    CHECK(nr_utf8_count("\xC2\xAB x \xC2\xBB", 7) == 5, "five code points");
    CHECK(nr_is_space(0xA0) && nr_is_space(0x202F) && nr_is_space(0x2009) && !nr_is_space('x'),
          "spaces");
}

static void test_buf(void) {
    nr_buf b;
    nr_buf_init(&b);
    for (int i = 0; i < 1000; i++)
        nr_buf_printf(&b, "%d,", i);
    CHECK(nr_buf_ok(&b) && b.len == 3890, "printf grows: %zu", b.len);
    CHECK(!strncmp(b.data + b.len - 4, "999,", 4) && b.data[b.len] == '\0', "NUL kept");
    size_t len;
    char *s = nr_buf_take(&b, &len);
    CHECK(s && len == 3890 && b.data == NULL, "take hands over");
    free(s);
    nr_vec v;
    nr_vec_init(&v, sizeof(int));
    for (int i = 0; i < 100; i++)
        *(int *)nr_vec_push(&v) = i;
    CHECK(v.len == 100 && NR_VEC_AT(&v, int, 99) == 99, "vec holds 100");
    nr_vec_free(&v);
}

static void test_arena(void) {
    nr_arena *a = nr_arena_new();
    char *big = nr_arena_alloc(a, 1 << 20);
    CHECK(big && big[12345] == 0, "a large block is zeroed");
    for (int i = 0; i < 10000; i++) {
        char *p = nr_arena_strdup(a, "hello");
        CHECK(p && !strcmp(p, "hello") && ((uintptr_t)p & 15) == 0, "aligned copy %d", i);
        if (!p)
            break;
    }
    CHECK(nr_arena_memdup(a, "x", 0, 1) == NULL, "empty memdup is NULL");
    nr_arena_free(a);
    nr_arena_free(NULL);
}

static atomic_int gate_passed;

static void *close_gate(void *arg) {
    (void)arg;
    nr_forkgate_close();
    atomic_store(&gate_passed, 1);
    nr_forkgate_open(false);
    return NULL;
}

static void *leave_gate(void *arg) {
    (void)arg;
    nr_fork_guard_leave();
    return NULL;
}

static void pause_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The gate holds a fork back while work is inside, wherever that work is
 * left, and the child of a fork gets a gate it can use. */
static void test_forkgate(void) {
    nr_forkgate_activate(true);
    nr_fork_guard_enter();
    nr_fork_guard_enter(); /* nested */
    atomic_store(&gate_passed, 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, close_gate, NULL) == 0, "thread");
    pause_ms(50);
    CHECK(atomic_load(&gate_passed) == 0, "the gate closed with work inside");
    nr_fork_guard_leave();
    pause_ms(20);
    CHECK(atomic_load(&gate_passed) == 0, "the gate closed with one of two enters left");
    pthread_t other; /* the last leave, on another thread */
    CHECK(pthread_create(&other, NULL, leave_gate, NULL) == 0, "thread");
    pthread_join(other, NULL);
    pthread_join(t, NULL);
    CHECK(atomic_load(&gate_passed) == 1, "the gate stayed shut once empty");

    nr_forkgate_close();
    pid_t pid = fork();
    if (pid == 0) { /* a new gate: entering, leaving and closing never block */
        alarm(5);
        nr_forkgate_open(true);
        nr_fork_guard_enter();
        nr_fork_guard_leave();
        nr_forkgate_close();
        nr_forkgate_open(false);
        _exit(0);
    }
    nr_forkgate_open(false);
    int ws = -1;
    CHECK(pid > 0 && waitpid(pid, &ws, 0) == pid, "fork");
    CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "the child's gate: status %d", ws);

    nr_forkgate_activate(false); /* off: closing never waits */
    nr_fork_guard_enter();
    atomic_store(&gate_passed, 0);
    CHECK(pthread_create(&t, NULL, close_gate, NULL) == 0, "thread");
    pthread_join(t, NULL);
    CHECK(atomic_load(&gate_passed) == 1, "an inactive gate waited");
    nr_fork_guard_leave();
}

/* How many of the pages of a fresh 256 kB block are in memory before it is
 * touched (mincore): 64 when the heap was filled ahead for it. */
static void *resident_pages_of_a_block(void *prefill) {
    if (prefill)
        nr_heap_prefill(512 << 10);
    size_t page = (size_t)sysconf(_SC_PAGESIZE), size = 256 << 10;
    char *p = malloc(size);
    long n = -1;
    if (p) {
        uintptr_t from = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
        unsigned char in[64];
        if (mincore((void *)from, 64 * page, in) == 0)
            for (size_t i = n = 0; i < 64; i++)
                n += in[i] & 1;
    }
    free(p);
    return (void *)(intptr_t)n;
}

static long resident_in_thread(bool prefill) {
    pthread_t t; /* a thread of its own: a heap of its own */
    void *n = (void *)(intptr_t)-1;
    if (pthread_create(&t, NULL, resident_pages_of_a_block, prefill ? &t : NULL) == 0)
        pthread_join(t, &n);
    return (long)(intptr_t)n;
}

/* A thread's heap filled ahead serves its next allocations from pages
 * already in memory (no page faults); without, a block that large is
 * freshly mapped. Only with glibc's own allocator: AddressSanitizer's and
 * valgrind's replace it. */
static void test_heap_prefill(void) {
    long without = resident_in_thread(false); /* first: a later thread may take its heap */
    long with = resident_in_thread(true);
    CHECK(with >= 0 && without >= 0, "threads, mincore");
    const char *preload = getenv("LD_PRELOAD");
    bool replaced = preload && strstr(preload, "vgpreload");
#if defined(__SANITIZE_ADDRESS__)
    replaced = true;
#endif
    if (replaced) {
        printf("test_util: heap filling is off beside this allocator (%ld, %ld pages)\n", with,
               without);
        return;
    }
    CHECK(with == 64, "a filled heap: %ld of 64 pages in memory", with);
    CHECK(without < 8, "a fresh block: %ld of 64 pages in memory", without);
}

static int each_library(struct dl_phdr_info *info, size_t size, void *user) {
    (void)size;
    const char *name = info->dlpi_name, **names = user;
    for (size_t i = 0; name && name[0] && i < 64; i++) {
        if (!names[i]) {
            names[i] = name;
            break;
        }
    }
    return 0;
}

static bool library_loaded(const char *part) {
    const char *names[64] = {0};
    dl_iterate_phdr(each_library, names);
    for (size_t i = 0; i < 64 && names[i]; i++)
        if (strstr(names[i], part))
            return true;
    return false;
}

/* PortAudio and eSpeak NG load with their stand-ins for libjack and
 * libpcaudio (src/standin/), each from a memfd opened by its path in
 * /proc/self/fd. Closing the first's descriptor once gave its number to
 * the second, and the dynamic loader answered the second path with the
 * first stand-in: eSpeak then loaded the real libpcaudio and PulseAudio's
 * libraries (7-15 ms), in a quarter of the live starts. (The sanitizers'
 * build of this test links eSpeak NG itself, with the real libpcaudio,
 * which the stand-in loaded later cannot replace.) */
static void test_standins(void) {
    bool linked = library_loaded("libespeak-ng");
    CHECK(Pa_GetErrorText(paNoError) != NULL, "PortAudio loads");
    CHECK(espeak_Info(NULL) != NULL, "eSpeak NG loads");
    const char *names[64] = {0};
    dl_iterate_phdr(each_library, names);
    int fds = 0;
    for (size_t i = 0; i < 64 && names[i]; i++) {
        CHECK(linked || !strstr(names[i], "libpulse"), "PulseAudio's library loaded: %s", names[i]);
        CHECK(linked || !strstr(names[i], "libpcaudio"), "the real libpcaudio loaded: %s",
              names[i]);
        if (!strncmp(names[i], "/proc/self/fd/", 14)) {
            fds++;
            for (size_t j = 0; j < i; j++)
                CHECK(strcmp(names[i], names[j]), "one path for two stand-ins: %s", names[i]);
        }
    }
    CHECK(fds == 2, "%d stand-ins loaded, not 2", fds);
}

int main(void) {
    test_heap_prefill(); /* first: before a large block freed raises glibc's thresholds */
    test_decode();
    test_encode_roundtrip();
    test_valid_and_back();
    test_buf();
    test_arena();
    test_forkgate();
    test_standins();
    return check_done("test_util");
}
