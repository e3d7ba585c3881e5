/* heap.c: see heap.h. */
#include "heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE) && !defined(__SANITIZE_ADDRESS__)
#define NR_PREFILL 1
#else
#define NR_PREFILL 0
#endif

void nr_heap_prefill(size_t bytes) {
    if (!NR_PREFILL || bytes == 0)
        return;
    /* glibc serves a block this large with its own mmap and unmaps it at
       free, unless a block at least as large was freed before: freeing one
       raises the size from which blocks are mapped to that block's, and the
       size of free memory kept at the top of a heap to twice that
       (mallopt(3), the dynamic mmap threshold). So a first block, never
       touched, only raises them; the second comes from this thread's heap,
       is filled, and stays at its top once freed. A program that set these
       thresholds itself (mallopt) keeps its own. The pointer is volatile:
       a compiler may drop a malloc whose block is only freed. */
    void *volatile first = malloc(bytes + bytes / 4);
    free(first);
    char *p = malloc(bytes);
    if (!p)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)p + bytes) & ~(page - 1);
    if (to > from) /* fails with EINVAL before Linux 5.14: then nothing is filled */
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
    free(p);
}
