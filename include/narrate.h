/* narrate.h: the public API of libnarrate, a text-to-speech article narrator.
 *
 * An article goes through one pipeline: ingest (format, encoding, web junk,
 * title, language) -> segment (paragraphs, sentences, quotations) -> attribute
 * (who says each quotation) -> normalise for speech -> cast (a voice per
 * speaker). The result, an nr_document, is the narration plan: it can be
 * printed as JSON (narrate-plan/1), rendered to a file, or played live.
 *
 * Conventions, said once:
 * - Every function that can fail returns nr_status. NR_OK is 0.
 * - A failing call leaves a one-line detail on the narrator, borrowed by the
 *   caller until the next call on that narrator: nr_narrator_error().
 * - *_new / *_free pairs own what they return; *_free accepts NULL.
 *   const char * results are borrowed from the object they come from.
 * - The library never prints, exits or aborts; the narrate command maps
 *   statuses to messages and exit codes.
 * - eSpeak NG is one engine per process: one nr_narrator renders at a time
 *   per process (calls are serialised inside). */
#ifndef NARRATE_H
#define NARRATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NR_BUILDING_LIBRARY)
#define NR_API __attribute__((visibility("default")))
#else
#define NR_API
#endif

#define NR_VERSION "0.1.0"

typedef enum nr_status {
    NR_OK = 0,
    NR_E_NOMEM,     /* out of memory */
    NR_E_IO,        /* a file could not be read or written */
    NR_E_INPUT,     /* the input is not an article: empty, binary, unreadable */
    NR_E_TOO_LARGE, /* the input is over the configured size limit */
    NR_E_ARG,       /* a bad argument or option value */
    NR_E_VOICE,     /* no such voice or language */
    NR_E_DATA,      /* a voices/cast/lexicon file is malformed */
    NR_E_ENGINE,    /* eSpeak NG failed */
    NR_E_DEVICE,    /* no audio output device, or it failed */
    NR_E_FORMAT,    /* the output format cannot be written */
    NR_E_ABORTED,   /* stopped by the caller or a signal */
    NR_STATUS_COUNT
} nr_status;

/* A static English message for every status; never NULL. */
NR_API const char *nr_strerror(nr_status st);

typedef struct nr_narrator nr_narrator; /* settings, data tables, engine */
typedef struct nr_document nr_document; /* one article, analysed: the plan */

/* ---- narrator ---------------------------------------------------------- */

/* Creates a narrator with the built-in voices data and default settings.
 * Cheap: the speech engine starts on first use. */
NR_API nr_status nr_narrator_new(nr_narrator **out);
NR_API void nr_narrator_free(nr_narrator *nr);

/* The detail of the last failure on NR, e.g. "no such voice: xx". Never NULL. */
NR_API const char *nr_narrator_error(const nr_narrator *nr);

/* Settings. Each returns NR_E_ARG (with a detail) for an out-of-range value.
 * lang: a language code ("fr", "en-us") overriding detection; NULL = detect.
 * voice: an eSpeak voice name for the narrator ("fr+m3"); NULL = from cast.
 * rate: words per minute, 80..900 (0 = profile default).
 * pitch: 0..99 (-1 = profile default).
 * voices_dir: a folder laid out like voices/ whose files take precedence
 *   over the built-in ones; NULL = built-in only.
 * cast_file: an INI file naming a voice per speaker (see docs/cast.md). */
NR_API nr_status nr_set_lang(nr_narrator *nr, const char *lang);
NR_API nr_status nr_set_voice(nr_narrator *nr, const char *voice);
NR_API nr_status nr_set_rate(nr_narrator *nr, int wpm);
NR_API nr_status nr_set_pitch(nr_narrator *nr, int pitch);
NR_API nr_status nr_set_voices_dir(nr_narrator *nr, const char *dir);
NR_API nr_status nr_set_cast_file(nr_narrator *nr, const char *path);
/* Largest input accepted, in bytes. By default 16 MiB for an input held
 * whole (HTML, Markdown, any nr_document; one paragraph of a plain text)
 * and 1 GiB for plain text read in windows (nr_plan_file, nr_export_file);
 * a limit set here holds for both. See docs/limits.md. */
NR_API nr_status nr_set_max_input(nr_narrator *nr, size_t bytes);
/* Synthesis worker processes (--jobs): 1..64, or 0 for one per processor
 * (the default). The audio is the same whatever the number. Other than 1,
 * nr_plan_file also analyses windows on a second thread (its output is the
 * same). */
NR_API nr_status nr_set_jobs(nr_narrator *nr, int jobs);
/* A generic setting by name, for options that need no function of their own
 * ("keep-lang" = "1", "emoji" = "name"|"drop", "code" = "read"|"skip").
 * Unknown names give NR_E_ARG. */
NR_API nr_status nr_set_option(nr_narrator *nr, const char *name, const char *value);

/* Writes one line per installed eSpeak NG voice: "code<TAB>name". */
NR_API nr_status nr_list_voices(nr_narrator *nr, FILE *out);

/* ---- documents --------------------------------------------------------- */

/* Reads and analyses an article held in memory. NAME is used in messages
 * only. The bytes may be any supported format and encoding; they are copied. */
NR_API nr_status nr_document_from_memory(nr_narrator *nr, const void *bytes, size_t len,
                                         const char *name, nr_document **out);
/* Reads a file ("-" = standard input) and analyses it. Reading is bounded
 * by the narrator's maximum input size. */
NR_API nr_status nr_document_from_file(nr_narrator *nr, const char *path, nr_document **out);

/* Reads PATH ("-" = standard input) and prints its plan to OUT, as
 * nr_document_from_file and nr_document_write_plan would, in memory that
 * does not grow with the input: plain UTF-8 text longer than a window
 * (1 MiB) is analysed window by window, cut at paragraph breaks, and its
 * plan printed as it goes ("speakers" and "dropped" then come after
 * "blocks"; docs/limits.md). When WRITING is not NULL, *WRITING tells
 * whether a failure was writing OUT (NR_E_IO) rather than reading. With a
 * processor to spare (nr_set_jobs) a window is analysed on a second thread,
 * signals blocked, while the caller's thread reads the next one and writes
 * the one before; that thread has ended when this returns. */
NR_API nr_status nr_plan_file(nr_narrator *nr, const char *path, FILE *out, int *writing);

/* Reads INPUT ("-" = standard input) and exports it to PATH, as
 * nr_document_from_file and nr_render_to_file would, in memory that does
 * not grow with the input: plain UTF-8 text longer than a window is
 * analysed and rendered window by window into one episode (transcripts
 * and chapters go on over windows). *WRITING as for nr_plan_file. */
NR_API nr_status nr_export_file(nr_narrator *nr, const char *input, const char *path, int *writing);
NR_API void nr_document_free(nr_document *doc);

NR_API const char *nr_document_title(const nr_document *doc); /* NULL if none */
NR_API const char *nr_document_lang(const nr_document *doc);
NR_API size_t nr_document_sentence_count(const nr_document *doc);
/* The text of sentence I (0-based, in reading order), borrowed, not
 * NUL-terminated: *LEN bytes. NULL when I is out of range. */
NR_API const char *nr_document_sentence(const nr_document *doc, size_t i, size_t *len);
/* The block (title, heading, paragraph...) that holds sentence I. */
NR_API size_t nr_document_block_of(const nr_document *doc, size_t sentence);

/* Prints the plan as narrate-plan/1 JSON (PLAN_FORMAT.md). */
NR_API nr_status nr_document_write_plan(const nr_document *doc, FILE *out);

/* The embedded sample article (a French AFP story), NUL-terminated. */
NR_API const char *nr_sample_article(size_t *len);

/* ---- audio ------------------------------------------------------------- */

/* What the synthesiser reports beside the audio. Offsets are bytes into the
 * document's text (the text sentences are cut from). */
typedef enum nr_event_kind {
    NR_EV_SENTENCE, /* a sentence starts: index = sentence number */
    NR_EV_WORD,     /* a word starts: start/end = its bytes */
    NR_EV_PAUSE     /* silence between sentences or blocks starts */
} nr_event_kind;

typedef struct nr_event {
    nr_event_kind kind;
    uint64_t sample; /* absolute sample index in the rendered stream */
    size_t index;    /* sentence number */
    size_t start, end;
} nr_event;

/* Receives audio in order: N mono int16 samples at nr_sample_rate() (PCM is
 * NULL when N is 0, for events alone), then
 * the events that fall in them. Returns 0 to go on, non-zero to stop
 * (rendering then returns NR_E_ABORTED). */
typedef int (*nr_audio_fn)(void *user, const int16_t *pcm, size_t n, const nr_event *ev,
                           size_t n_ev);

/* The engine's sample rate (22050 for eSpeak NG's voices). */
NR_API int nr_sample_rate(void);

/* Renders DOC from sentence FROM to the end through FN. */
NR_API nr_status nr_render(nr_narrator *nr, const nr_document *doc, size_t from, nr_audio_fn fn,
                           void *user);

/* Renders DOC into PATH as a podcast-ready episode (docs/export.md): the
 * format from the "format" option or the extension (.wav, .flac, .ogg,
 * .opus, .mp3), loudness-normalised, with tags (an ID3v2 tag with chapters
 * in MP3) and, beside it, transcripts (PATH's stem + .vtt, .srt,
 * .words.json) and chapters (.chapters.json, .chapters.vtt).
 * Every file appears complete or not at all: each is written beside its
 * target under a temporary name and renamed at the end; a failure or an
 * interruption leaves none of them. */
NR_API nr_status nr_render_to_file(nr_narrator *nr, const nr_document *doc, const char *path);

/* ---- export settings ---------------------------------------------------- */

/* An export setting by name; NR_E_ARG (with a detail) for an unknown name
 * or a bad value. NULL VALUE restores the default.
 *   "format"       wav | flac | vorbis (ogg) | opus | mp3 (default: extension)
 *   "sample-rate"  Hz (default 44100 for MP3 and Vorbis, 48000 for Opus,
 *                  the engine's 22050 for WAV and FLAC)
 *   "bitrate"      kbit/s for MP3 (constant bitrate, default 64) and Opus (48)
 *   "quality"      0..10 for Vorbis (default 4) and MP3 (variable bitrate)
 *   "loudness"     integrated target in LUFS, -70..-5 (default -16), or "off"
 *   "true-peak"    ceiling in dBTP, -9..0 (default -1)
 *   "transcripts"  "1" (default) or "0": the .vtt, .srt and .words.json files
 *   "chapters"     "1" (default) or "0": the .chapters.json and .chapters.vtt files
 *   "title", "author", "show", "date" (YYYY-MM-DD), "language", "source":
 *                  metadata; title and author default to the article's title
 *                  and byline, the date to today (or SOURCE_DATE_EPOCH). */
NR_API nr_status nr_set_export_option(nr_narrator *nr, const char *name, const char *value);

/* Progress of an export, FRACTION in [0, 1], called from the exporting
 * thread at most a few times a second. */
typedef void (*nr_progress_fn)(void *user, double fraction);
/* Sets (or with NULL, clears) the progress callback of exports. */
NR_API void nr_set_progress(nr_narrator *nr, nr_progress_fn fn, void *user);

/* ---- batches ------------------------------------------------------------ */

/* A batch: many articles, one episode each in an output folder (see
 * docs/export.md). Each article is exported in its own process (up to
 * "jobs" at a time), with NR's settings; an episode whose input and
 * settings have not changed since it was made (by content hash, kept in
 * its NAME.episode.json) is skipped. */
typedef struct nr_batch nr_batch;

/* A batch of NR into the folder OUT_DIR (made when missing; its parent
 * must exist). */
NR_API nr_status nr_batch_new(nr_narrator *nr, const char *out_dir, nr_batch **out);
NR_API void nr_batch_free(nr_batch *b);
/* Adds an article, or every article under a folder (.txt, .md,
 * .markdown, .html, .htm; hidden files skipped), in sorted order. */
NR_API nr_status nr_batch_add(nr_batch *b, const char *path);
/* Batch settings: "jobs" (1..64; default the narrator's nr_set_jobs, else
 * 1: articles at a time, each synthesised by one process), "shard" ("K/N": this run makes the
 * episodes whose name hashes to K of N, 1 <= K <= N), "force" ("1": remake
 * up-to-date episodes), "feed" (a path: write an RSS 2.0 feed of every
 * episode in the folder), "base-url" (where the folder is published; needed
 * by "feed"), "feed-title", "feed-description", "feed-author", "feed-image",
 * "feed-category", "feed-link". */
NR_API nr_status nr_batch_set(nr_batch *b, const char *name, const char *value);

typedef enum nr_batch_outcome { NR_BATCH_MADE, NR_BATCH_SKIPPED, NR_BATCH_FAILED } nr_batch_outcome;
/* Told about each article of this shard as it finishes: its input, its
 * episode's audio file, the outcome and, for a failure, the status and the
 * message. DONE and TOTAL count the articles of this shard. */
typedef void (*nr_batch_report_fn)(void *user, const char *input, const char *output,
                                   nr_batch_outcome outcome, nr_status st, const char *detail,
                                   size_t done, size_t total);
/* Makes the episodes, then the feed if asked. Returns NR_OK when every
 * article succeeded, else the status of the first failure (the others are
 * still made); NR_E_ABORTED when interrupted (nr_interrupt on the batch's
 * narrator), after stopping its workers: no partial file is left. */
NR_API nr_status nr_batch_run(nr_batch *b, nr_batch_report_fn fn, void *user);

/* Plays DOC from sentence FROM on the default output device (or DEVICE),
 * synthesising ahead in a thread. Blocks until done. NR_E_DEVICE when no
 * device can be opened. */
NR_API nr_status nr_play(nr_narrator *nr, const nr_document *doc, size_t from, const char *device);

/* Asks a running render or playback on NR to stop soon (it then returns
 * NR_E_ABORTED, leaving no partial file). Async-signal-safe. */
NR_API void nr_interrupt(nr_narrator *nr);

/* Removes the temporary files of exports in progress. Async-signal-safe:
 * for a fatal-signal handler that cannot wait for nr_interrupt to finish. */
NR_API void nr_cleanup_on_signal(void);

/* Writes one line per output device: "index<TAB>name". */
NR_API nr_status nr_list_devices(nr_narrator *nr, FILE *out);

/* ---- live listening ------------------------------------------------------ */

/* Reads a file ("-" = standard input) into memory, bounded by the
 * narrator's maximum input size. Release *BYTES with nr_bytes_free. */
NR_API nr_status nr_read_input(nr_narrator *nr, const char *path, char **bytes, size_t *len);
NR_API void nr_bytes_free(char *bytes);

/* Analyses only the start of an article: whole paragraphs up to about HEAD
 * bytes (all of it when the input is shorter, or when it is HTML, which
 * cannot be cut safely). So playback of a long article can start at once
 * while the whole is analysed; its sentences are the first sentences of the
 * whole article, with the same numbers. nr_document_partial() tells. */
NR_API nr_status nr_document_head_from_memory(nr_narrator *nr, const void *bytes, size_t len,
                                              const char *name, size_t head, nr_document **out);
/* The same head, for an article of LEN bytes of which only the first AVAIL
 * are at BYTES yet (a long file is read on while its start plays): the
 * document nr_document_head_from_memory gives for the whole, or NR_OK with
 * *OUT NULL when those bytes do not hold the head (read them all then). */
NR_API nr_status nr_document_head_from_prefix(nr_narrator *nr, const void *bytes, size_t avail,
                                              size_t len, const char *name, size_t head,
                                              nr_document **out);
NR_API int nr_document_partial(const nr_document *doc);

/* The name of the speaker of the first quotation in sentence I, borrowed;
 * NULL when the sentence quotes nobody known. */
NR_API const char *nr_document_sentence_speaker(const nr_document *doc, size_t i);
/* The kind of block B as the plan names it ("title", "heading",
 * "paragraph", ...); NULL when B is out of range. */
NR_API const char *nr_document_block_kind(const nr_document *doc, size_t block);
/* The first sentence of block B, or the sentence count when B has none. */
NR_API size_t nr_document_block_start(const nr_document *doc, size_t block);

/* Starts, in the background, what playback needs first: the speech engine
 * and the output device DEVICE (NULL = the default), so that a player
 * started soon after speaks at once; meanwhile the article can be read and
 * analysed. Nothing is reported here: a failure shows when the player
 * starts. While the device opens, the process's standard error points to
 * /dev/null (PortAudio's probing of ALSA and JACK is noisy): call
 * nr_warm_up_wait before writing to stderr. The opened device waits for the
 * next player (or the end of the process). With glibc, each of these
 * threads, and the calling one, first fills up to 1 MB of its heap for the
 * allocations to come (a page fault costs several times more), which
 * raises glibc's dynamic mmap threshold to about that size, as any free of
 * a block that large does. */
NR_API void nr_warm_up(const char *device);
NR_API void nr_warm_up_wait(void);

/* A player: plays a document on an output device and takes commands while it
 * plays. Synthesis runs ahead in a thread into a short buffer; the first
 * sentence is written to the device as soon as it is rendered. A command
 * (seek, rate) drops what is buffered, so it is heard within the device's
 * latency (under 0.2 s). The player borrows NR and its documents until
 * nr_player_free; NR must not be used for anything else meanwhile. */
typedef struct nr_player nr_player;

typedef enum nr_player_state {
    NR_PLAYER_IDLE,    /* not started, or no audio has reached the device yet */
    NR_PLAYER_PLAYING, /* playing (or waiting for audio) */
    NR_PLAYER_PAUSED,
    NR_PLAYER_DONE,   /* played to the end */
    NR_PLAYER_FAILED, /* stopped by an error: nr_player_status tells which */
} nr_player_state;

/* Creates a player of DOC for DEVICE (a name or part of one, as
 * nr_list_devices prints; NULL = the default output). Opens nothing yet. */
NR_API nr_status nr_player_new(nr_narrator *nr, const nr_document *doc, const char *device,
                               nr_player **out);
/* Starts synthesis at sentence FROM and opens the device (in parallel).
 * NR_E_DEVICE, with a message suggesting -o, when no device can be opened. */
NR_API nr_status nr_player_start(nr_player *p, size_t from);
/* Pauses (PAUSE != 0) or resumes. Nothing buffered is lost. */
NR_API void nr_player_pause(nr_player *p, int pause);
/* Plays from sentence I (clamped to the document), at once. */
NR_API void nr_player_seek_sentence(nr_player *p, size_t i);
/* Plays from the start of the block DELTA blocks away from the one playing
 * (from inside a block, the way back to its start counts as one block). */
NR_API void nr_player_skip_block(nr_player *p, int delta);
/* Speaking rate of the narrator in words per minute as heard, 80..850.
 * Steps are smooth across eSpeak's change of method at 450. */
NR_API nr_status nr_player_set_rate(nr_player *p, int wpm);
NR_API int nr_player_rate(const nr_player *p);
/* The next rate up (STEPS > 0) or down from the current one. */
NR_API int nr_player_rate_step(const nr_player *p, int steps);
/* The sentence whose audio is reaching the device now. */
NR_API size_t nr_player_position(const nr_player *p);
NR_API nr_player_state nr_player_get_state(const nr_player *p);
/* Why a FAILED player stopped, with nr_narrator_error() on its narrator. */
NR_API nr_status nr_player_status(const nr_player *p);
/* A file descriptor that becomes readable when the position or the state
 * changes, for poll(); nr_player_get_state then drains it. */
NR_API int nr_player_fd(const nr_player *p);
/* Hands a fuller analysis of the same article (see
 * nr_document_head_from_memory) to a player; playback goes on without a gap
 * past the end of the partial document. DOC is borrowed like the first. */
NR_API void nr_player_set_document(nr_player *p, const nr_document *doc);
/* Stops at once (no queued audio is played) and releases the device. */
NR_API void nr_player_free(nr_player *p);

/* A player forks its synthesis processes from the calling program's process.
 * glibc's allocator is safe across fork(); AddressSanitizer's (GCC 12) is
 * not: a process forked while another thread is inside it can hang. A
 * program that allocates on its own threads while a player plays (reading
 * or analysing the rest of an article, drawing its display) wraps that work
 * in nr_fork_guard_enter/leave, and the library forks outside it. Each
 * enter is matched by one leave, on any thread: enter before creating a
 * thread and leave after joining it to cover the thread's whole life. In
 * builds without AddressSanitizer they do nothing. */
NR_API void nr_fork_guard_enter(void);
NR_API void nr_fork_guard_leave(void);

#ifdef __cplusplus
}
#endif
#endif /* NARRATE_H */
