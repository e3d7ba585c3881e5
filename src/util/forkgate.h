/* forkgate.h: keeps forks away from threads in the middle of an allocation.
 *
 * glibc's malloc takes its own locks around fork(), so a child never finds
 * one held. GCC 12's AddressSanitizer does not: a process forked while
 * another thread held a lock of the sanitizer's allocator spins on that
 * lock for ever (seen: its quarantine's, taken by free()). The zygote hung
 * that way in a third to a half of the runs of the no-device test under
 * ASan, forked while PortAudio probed ALSA on another thread, and workers
 * in e2e_live's long article. So, in builds with AddressSanitizer, the
 * work that allocates beside the synthesis holds the gate: the warm-up's
 * threads and the background analysis from their creation to their join
 * (the sanitizer allocates as a thread starts and ends), the player's
 * writer as it starts and ends, the device's opening, and the program's
 * own work between its waits (nr_fork_guard_enter in narrate.h);
 * nr_engine_fork closes it around fork(). In every other build the gate is
 * off and these return at once. */
#ifndef NR_FORKGATE_H
#define NR_FORKGATE_H

#include <stdbool.h>

#include "narrate.h" /* nr_fork_guard_enter, nr_fork_guard_leave */

/* Around fork(): waits until no work is inside the gate, then keeps new
   work out until nr_forkgate_open, in the parent and in the child, where
   the gate is new. The forking thread must not be inside. */
void nr_forkgate_close(void);
void nr_forkgate_open(bool child);
/* Turns the gate on or off, before any thread uses it: on by default in
   builds with AddressSanitizer only (the tests turn it on everywhere). */
void nr_forkgate_activate(bool on);

#endif
