/* ingest.h: input bytes to a document: format, encoding, web junk, title,
 * language, blocks.
 *
 * The result holds the article as a reader reads it: doc->text is the
 * cleaned UTF-8 text and the blocks (title, headings, paragraphs...) are
 * ranges of it, in reading order. What was removed is in doc->dropped with
 * a reason. Sentences are not split here: that is segment's work. */
#ifndef NR_INGEST_H
#define NR_INGEST_H

#include "../core/ctx.h"
#include "../core/doc.h"

/* Builds a document from BYTES. The format (HTML, Markdown, text) is
 * recognised from the content, the name's extension only breaking ties;
 * the encoding is detected. Fails with NR_E_INPUT (and a message in ctx)
 * when the input is empty, binary or holds nothing to read. */
nr_status nr_ingest(nr_ctx *ctx, const char *bytes, size_t len, const char *name, nr_doc **out);

/* A window of a plain text read in windows (core/stream.h): like nr_ingest
 * for plain text, and after the first window (FIRST, already ingested, not
 * NULL) a continuation: no title, byline or top-of-page menu is looked for
 * and the language is FIRST's; such a window may hold no block at all. */
nr_status nr_ingest_window(nr_ctx *ctx, const char *bytes, size_t len, const char *name,
                           const nr_doc *first, nr_doc **out);

/* Plain text, already valid UTF-8 (BOM, CRLF and controls dealt with):
 * paragraphs at blank lines, title from the first line. */
nr_status nr_ingest_text(nr_ctx *ctx, nr_doc *doc);

/* HTML and Markdown, as UTF-8: a new document built from the markup's
 * blocks. CODE_LANG is the language in which a skipped code block is
 * announced; *CODE_BLOCKS counts them. */
nr_status nr_ingest_html(nr_ctx *ctx, const char *s, size_t n, const char *name,
                         const char *code_lang, size_t *code_blocks, nr_doc **out);
nr_status nr_ingest_markdown(nr_ctx *ctx, const char *s, size_t n, const char *name,
                             const char *code_lang, size_t *code_blocks, nr_doc **out);

/* The sentence that replaces a skipped code block, in LANG
 * (voices/<lang>/ingest.ini, key "code-block"). */
const char *nr_ingest_code_notice(nr_ctx *ctx, const char *lang);

typedef enum nr_input_format { NR_FORMAT_TEXT, NR_FORMAT_HTML, NR_FORMAT_MARKDOWN } nr_input_format;

/* The format of N bytes of UTF-8 at S; NAME (may be NULL) breaks ties. */
nr_input_format nr_ingest_sniff(const char *s, size_t n, const char *name);

#endif
