/* forkgate.c: see forkgate.h. */
#include "forkgate.h"

#include <pthread.h>

#if defined(__SANITIZE_ADDRESS__)
#define NEEDED true
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NEEDED true
#endif
#endif
#ifndef NEEDED
#define NEEDED false
#endif

/* A count, not a lock: work is entered on one thread and left on another
 * (a thread's creator enters for it, its joiner leaves, so that the
 * sanitizer's own allocations as the thread starts and ends are inside). */
static bool active = NEEDED;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static unsigned inside;
static _Thread_local bool closing; /* this thread closed the gate */

void nr_forkgate_activate(bool on) { active = on; }

void nr_fork_guard_enter(void) {
    if (!active)
        return;
    pthread_mutex_lock(&lock);
    inside++;
    pthread_mutex_unlock(&lock);
}

void nr_fork_guard_leave(void) {
    if (!active)
        return;
    pthread_mutex_lock(&lock);
    if (inside > 0 && --inside == 0)
        pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

void nr_forkgate_close(void) {
    if (!active)
        return;
    pthread_mutex_lock(&lock);
    while (inside > 0)
        pthread_cond_wait(&changed, &lock);
    closing = true; /* the lock stays held across fork(): no one enters */
}

void nr_forkgate_open(bool child) {
    if (!closing)
        return;
    closing = false;
    if (child) { /* the only thread here: the lock and the count are ours to reset */
        pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
        pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;
        lock = fresh;
        changed = fresh_cond;
        inside = 0;
    } else {
        pthread_mutex_unlock(&lock);
    }
}
