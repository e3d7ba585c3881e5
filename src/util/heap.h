/* heap.h: memory made ready before a thread needs it.
 *
 * In the VM narrate is measured on, the first touch of a page costs 10-13
 * us (a page fault, the VM's page tables updated with it), while a range
 * filled in one madvise(MADV_POPULATE_WRITE) costs about 1.2 us a page.
 * Before the first audio of a live start, the analysis, eSpeak NG's start
 * (its data files are read into fresh memory) and PortAudio's took about
 * 750 page faults between them, most of them in fresh heap memory; with
 * part of each one's heap filled first, about 350 (docs/speed.md). */
#ifndef NR_HEAP_H
#define NR_HEAP_H

#include <stddef.h>

/* Leaves about BYTES of filled, free memory at the top of the calling
   thread's heap, for its next allocations. Does nothing where the C
   library is not glibc's or is replaced (AddressSanitizer). */
void nr_heap_prefill(size_t bytes);

#endif
