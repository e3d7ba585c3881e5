/* engine.h: eSpeak NG, behind one mutex. The only module that includes
 * eSpeak's headers.
 *
 * eSpeak NG keeps all its state in globals and hangs when re-initialised
 * (ESPEAK_NOTES.md 2.6), so the engine starts once per process, on first use,
 * and every call into it holds one lock. Text reaches it as plain UTF-8 only
 * (no SSML, no phoneme input), after nr_engine_sanitize. */
#ifndef NR_ENGINE_H
#define NR_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/ctx.h"
#include "../core/doc.h"

/* A word eSpeak is about to say: bytes [start, end) of the text it was given,
 * starting at sample SAMPLE of this call's audio. */
typedef struct nr_engine_word {
    size_t start, end;
    uint64_t sample;
} nr_engine_word;

/* Receives the audio of one nr_engine_speak call in order. Non-zero stops it. */
typedef int (*nr_engine_pcm_fn)(void *user, const int16_t *pcm, size_t n,
                                const nr_engine_word *words, size_t n_words);

/* Starts the engine if needed; NR_E_ENGINE with a message if it cannot. */
nr_status nr_engine_start(nr_ctx *ctx);
/* Reads the index of eSpeak NG's voice files, which selecting a voice by
 * language ("fr") goes through, rather than eSpeak's list of every voice
 * (see engine.c): a warm-up, for a thread beside the article's analysis.
 * Does nothing if the engine did not start. */
void nr_engine_preload_voices(void);

/* A voice loaded ahead, beside the analysis: the warm-up calls
 * nr_engine_expect_begin before the analysis starts and then, in its
 * thread, nr_engine_load_expected, which waits until the analysis names the
 * voice its cast will check first (nr_engine_expect, once the article's
 * language is known) and loads it unless a voice was loaded meanwhile; the
 * cast then finds it ready. nr_engine_expect(NULL) (the warm-up's end)
 * releases the wait. Without nr_engine_expect_begin, nr_engine_expect does
 * nothing. */
void nr_engine_expect_begin(void);
void nr_engine_expect(const char *voice);
void nr_engine_load_expected(void);
int nr_engine_sample_rate(void);

/* Forks a synthesis worker from the started engine: returns the child's pid
 * in the parent, 0 in the child, -1 (errno set) on failure. eSpeak NG keeps
 * state from one synthesis to the next (wave phase, flutter, echo), so the
 * process that renders never synthesises itself: every worker starts from
 * the engine as initialised, which makes the audio of a piece of text the
 * same whatever was said before it, however many workers run, and whether
 * it is played or exported. The engine lock is held across fork, so the
 * child gets eSpeak's globals in a consistent state; the child must leave
 * with _exit. */
int nr_engine_fork(void);

/* Says TEXT (NUL-terminated, sanitized) with voice V at RATE_FACTOR times its
 * rate. NR_E_VOICE for an unknown voice, NR_E_ABORTED when FN stopped it. */
nr_status nr_engine_speak(nr_ctx *ctx, const nr_voice *v, float rate_factor, const char *text,
                          nr_engine_pcm_fn fn, void *user);

/* Checks VOICE and, with LOAD, loads it without synthesising, so that
 * workers forked afterwards find it loaded (loading a voice reloads its
 * dictionary). NR_E_VOICE, with a message, for an unknown voice. */
nr_status nr_engine_prepare(nr_ctx *ctx, const char *voice, bool load);

/* True when NAME ("fr", "fr+m3", "en-us+f2") is an installed voice and,
 * if it has one, an installed variant. */
bool nr_engine_voice_ok(nr_ctx *ctx, const char *name);
nr_status nr_engine_list_voices(nr_ctx *ctx, FILE *out);

/* Makes TEXT safe for eSpeak NG 1.51 (ESPEAK_NOTES.md 2.7): C0 controls
 * become spaces, runs of dotted single letters and of 's suffixes that crash
 * it are broken up, and tokens longer than 64 characters are split. Returns a
 * malloc'd string, or NULL on out-of-memory. MAP, if not NULL, receives a
 * malloc'd array giving for each output byte the input byte it came from. */
char *nr_engine_sanitize(const char *text, size_t len, size_t **map);

#endif
