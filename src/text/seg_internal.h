/* seg_internal.h: what the segmenter's files share: the working state of
 * one nr_segment call and the quotation finder's interface. */
#ifndef NR_SEG_INTERNAL_H
#define NR_SEG_INTERNAL_H

#include "../core/ctx.h"
#include "../core/doc.h"
#include "seg_rules.h"

/* A quotation's text inside one block, marks excluded. */
typedef struct seg_part {
    size_t start, end;
    int quote;      /* quotation id, shared by its parts */
    bool continues; /* a later part of a quotation (after an incise, a paragraph) */
    bool recovered; /* its closing mark was missing and assumed at the block end */
} seg_part;

/* Bytes that are quotation marks (French inner spaces included). */
typedef struct seg_mark {
    size_t start, end;
} seg_mark;

/* An open quotation mark, kept across blocks for multi-paragraph quotes. */
typedef struct seg_open {
    uint32_t close; /* the mark that closes it; '"' and '\'' close themselves */
    int kind;       /* SEG_Q_* */
} seg_open;

enum { SEG_STACK = 8 };

/* Block roles for em-dash dialogue. */
enum { SEG_TURN_NONE = 0, SEG_TURN_SPEECH = 1, SEG_TURN_QUESTION = 2 };

typedef struct seg_state {
    nr_ctx *ctx;
    nr_doc *doc;
    const char *s;
    const nr_seg_rules *rules;
    nr_vec sents; /* nr_sentence, the block's */
    nr_vec parts; /* seg_part, the block's */
    nr_vec marks; /* seg_mark, the block's */
    nr_vec spans; /* nr_span, one sentence's */
    /* quotation state carried from block to block */
    seg_open stack[SEG_STACK];
    int depth;
    int carried_id; /* id of the open top-level quotation, -1 = none */
    int next_id;
    unsigned char *turns; /* per block: SEG_TURN_* */
} seg_state;

/* Finds the quotations of the block [B, E) into st->parts and st->marks,
 * using and updating the carried state. NEXT_OPENS says whether the next
 * block opens with a quotation mark or a dialogue dash (the quotation then
 * goes on there); TURN is the block's dialogue role. False on out-of-memory. */
bool nr_seg_quotes(seg_state *st, size_t b, size_t e, bool next_opens, int turn);

/* True when the block [B, E) opens with a quotation mark or a dialogue dash. */
bool nr_seg_block_opens(const seg_state *st, size_t b, size_t e);

/* True when the block [B, E) is a dialogue turn: an em or en dash, then a space. */
bool nr_seg_is_turn(const char *s, size_t b, size_t e, size_t *content);

#endif
