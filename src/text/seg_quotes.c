/* seg_quotes.c: quotations inside a block.
 *
 * Marks are matched with a small stack, so nested quotations (“ ” inside
 * « », ' ' inside " ") stay inside the outer one, which alone becomes a
 * quotation part. Apostrophes (l'Ukraine, don't, the '90s, rock 'n' roll)
 * are told from single quotation marks by what stands on each side. A mark
 * still open at the end of a block goes on in the next block when that block
 * reopens it (« or " at its start, or a dialogue dash), and is otherwise
 * closed there and flagged as recovered. Incises inside the marks
 * (« Nous allons, a-t-elle dit, tout reprendre ») split a quotation in two
 * parts of the same id. */
#include <string.h>

#include "seg_chars.h"
#include "seg_internal.h"

enum {
    SEG_Q_GUILL = 1, /* « » */
    SEG_Q_SGUILL,    /* ‹ › */
    SEG_Q_DCURLY,    /* “ ” */
    SEG_Q_LOW,       /* „ “ (or ”) */
    SEG_Q_DSTRAIGHT, /* " " */
    SEG_Q_SCURLY,    /* ‘ ’ */
    SEG_Q_SSTRAIGHT, /* ' ' */
    SEG_Q_DASH,      /* a dialogue turn: from the dash to the end of the block */
};

typedef struct qscan {
    seg_state *st;
    size_t b, e;
    size_t part_start; /* the open top-level part */
    int part_id;
    bool part_cont;
    bool ok;
    size_t ev_pos; /* next_single_event's cache */
    bool ev_valid;
} qscan;

static size_t skip_spaces(const char *s, size_t i, size_t e);

static bool push_mark(qscan *q, size_t start, size_t end) {
    seg_mark *m = nr_vec_push(&q->st->marks);
    if (!m)
        return q->ok = false;
    *m = (seg_mark){start, end};
    return true;
}

static void end_part(qscan *q, size_t end, bool recovered) {
    seg_part *p = nr_vec_push(&q->st->parts);
    if (!p) {
        q->ok = false;
        return;
    }
    *p = (seg_part){.start = q->part_start,
                    .end = end,
                    .quote = q->part_id,
                    .continues = q->part_cont,
                    .recovered = recovered};
}

static void begin_part(qscan *q, size_t start, int id, bool cont) {
    q->part_start = start;
    q->part_id = id;
    q->part_cont = cont;
}

/* A quotation opening at I (its text at T) resumes the one that closed just
 * before, across an attribution: "We are ready," he said, "and we will win."
 * The first part ends with a comma, the narration between is a short clause
 * ending with a comma, and the second part starts in lower case. */
static bool resumes(const qscan *q, size_t i, size_t t) {
    const seg_state *st = q->st;
    const char *s = st->s;
    if (!st->parts.len || !st->marks.len)
        return false;
    const seg_part *prev = &NR_VEC_AT(&st->parts, seg_part, st->parts.len - 1);
    const seg_mark *close = &NR_VEC_AT(&st->marks, seg_mark, st->marks.len - 1);
    if (close->start != prev->end || i - close->end > 80)
        return false;
    uint32_t c;
    size_t a = prev->end, l;
    while ((l = seg_cp_back(s, prev->start, a, &c)) && seg_space(c))
        a -= l;
    if (c != ',')
        return false;
    size_t z = i;
    while ((l = seg_cp_back(s, close->end, z, &c)) && seg_space(c))
        z -= l;
    if (c != ',' || z <= close->end + 1)
        return false;
    for (size_t k = close->end; k < z; k++)
        if (s[k] == '.' || s[k] == '!' || s[k] == '?' || s[k] == '\n' || s[k] == ';')
            return false;
    seg_cp(s, skip_spaces(s, t, q->e), q->e, &c);
    return seg_lower(c);
}

/* Pushes an opening mark of KIND over [I, I+LEN); a top-level one starts a part. */
static void open_mark(qscan *q, int kind, uint32_t close, size_t i, size_t len) {
    seg_state *st = q->st;
    if (st->depth >= SEG_STACK)
        return;
    st->stack[st->depth++] = (seg_open){.close = close, .kind = kind};
    if (st->depth == 1) {
        bool again = resumes(q, i, i + len);
        push_mark(q, i, i + len);
        if (again)
            begin_part(q, i + len, q->part_id, true);
        else
            begin_part(q, i + len, st->next_id++, false);
    }
}

/* The stack index of the innermost open mark of KIND, or -1. */
static int find_open(const seg_state *st, int kind) {
    for (int k = st->depth - 1; k >= 0; k--)
        if (st->stack[k].kind == kind)
            return k;
    return -1;
}

/* Closes the open mark at stack index K with the mark over [I, I+LEN). */
static void close_mark(qscan *q, int k, size_t i, size_t len) {
    seg_state *st = q->st;
    st->depth = k;
    if (k == 0) {
        end_part(q, i, false);
        push_mark(q, i, i + len);
    }
}

static size_t skip_spaces(const char *s, size_t i, size_t e) {
    uint32_t c;
    size_t l;
    while ((l = seg_cp(s, i, e, &c)) && seg_space(c))
        i += l;
    return i;
}

/* The word at I: letters, hyphens and apostrophes; returns its end. */
static size_t word_end(const char *s, size_t i, size_t e) {
    uint32_t c;
    size_t l;
    while ((l = seg_cp(s, i, e, &c)) && (seg_letter(c) || c == '-' || c == '\'' || c == 0x2019))
        i += l;
    return i;
}

static bool ends_with(const char *s, size_t a, size_t z, const char *suffix) {
    size_t n = strlen(suffix);
    return z - a > n && !memcmp(s + z - n, suffix, n);
}

/* A verb with its subject pronoun after it: dit-il, a-t-elle, estime-t-on. */
static bool inverted_verb(const char *s, size_t a, size_t z) {
    static const char *const clitics[] = {"-il", "-elle", "-on",   "-ils", "-elles",
                                          "-je", "-nous", "-vous", "-tu",  NULL};
    for (int k = 0; clitics[k]; k++)
        if (ends_with(s, a, z, clitics[k]) && z - a > strlen(clitics[k]) + 1)
            return true;
    return false;
}

/* After an incise that names its speaker, the words at P may describe him
 * or her up to the full stop (", estime Mme Durand, secrétaire générale de
 * la CFDT."): they do when they open with a word of the language's
 * [appositions] list. Sets *END past that full stop. */
static bool apposition_end(const qscan *q, size_t p, size_t *end) {
    const char *s = q->st->s;
    size_t w = word_end(s, p, q->e);
    if (w == p || !nr_wordset_has(&q->st->rules->appositions, s + p, w - p))
        return false;
    for (size_t i = w, words = 0; i < q->e && words < 25;) {
        uint32_t c;
        size_t l = seg_cp(s, i, q->e, &c);
        if (c == '.') {
            *end = i + l;
            return true;
        }
        if (c == '\n' || c == '?' || c == '!' || c == ';' || c == 0xBB || c == 0x201D || c == '"' ||
            c == 0x2026)
            return false;
        words += c == ' ';
        i += l;
    }
    return false;
}

/* When the words at P open an incise (", a-t-elle expliqué," ", dit-il."
 * ", a annoncé le maire."), returns where the quotation resumes and sets
 * *INCISE_END to the end of the incise's own text; 0 otherwise. */
static size_t incise_at(const qscan *q, size_t p, size_t *incise_end) {
    const char *s = q->st->s;
    const nr_seg_rules *r = q->st->rules;
    size_t w1 = word_end(s, p, q->e);
    if (w1 == p)
        return 0;
    bool verb = inverted_verb(s, p, w1) || nr_wordset_has(&r->incise_verbs, s + p, w1 - p);
    if (!verb && nr_wordset_has(&r->incise_aux, s + p, w1 - p)) {
        size_t p2 = skip_spaces(s, w1, q->e);
        size_t w2 = word_end(s, p2, q->e);
        verb = w2 > p2 && nr_wordset_has(&r->incise_verbs, s + p2, w2 - p2);
    }
    if (!verb)
        return 0;
    /* the incise runs to a comma or a full stop, within a few words */
    size_t i = w1;
    bool named = false;
    for (int words = 0; i < q->e && words < 10;) {
        uint32_t c;
        size_t l = seg_cp(s, i, q->e, &c);
        if (c == ',' && named && apposition_end(q, skip_spaces(s, i + l, q->e), incise_end))
            return skip_spaces(s, *incise_end, q->e);
        if (c == ',' || c == '.') {
            *incise_end = i + l;
            return skip_spaces(s, i + l, q->e);
        }
        if (seg_upper(c) && i > w1 && s[i - 1] == ' ')
            named = true;
        if (c == '\n' || c == '?' || c == '!' || c == ';' || c == ':' || c == 0xBB || c == 0x201D ||
            c == '"' || c == 0x2026)
            return 0;
        if (c == ' ')
            words++;
        i += l;
    }
    if (i >= q->e) {
        *incise_end = q->e;
        return q->e;
    }
    return 0;
}

/* At a comma or a ? ! … inside a top-level quotation: splits it around an incise. */
static size_t try_incise(qscan *q, size_t i, size_t len) {
    seg_state *st = q->st;
    size_t p = skip_spaces(st->s, i + len, q->e);
    if (p == i + len)
        return 0;
    size_t inc_end = 0, resume = incise_at(q, p, &inc_end);
    if (!resume)
        return 0;
    end_part(q, i + len, false);
    begin_part(q, resume, q->part_id, true);
    return inc_end;
}

static bool is_closing_side(uint32_t c) {
    return c == 0 || seg_space(c) || c == ',' || c == '.' || c == ';' || c == ':' || c == '!' ||
           c == '?' || c == ')' || c == ']' || c == 0x2026 || c == '-' || c == 0x2014 ||
           c == 0x2013 || c == 0xBB || c == 0x201D || c == '"';
}

static bool is_opening_side(uint32_t c) {
    return c == 0 || seg_space(c) || c == '(' || c == '[' || c == 0x2014 || c == 0x2013 ||
           c == '-' || c == 0xAB || c == 0x201C || c == '"' || c == ':' || c == '/';
}

/* The next event for straight single quotes at or after FROM: a quote that
 * can close (s[pos] == '\'') or the end of a sentence (". T"); *POS is the
 * block end when there is none. Events are found in increasing order and
 * cached, so a block with many apostrophes is still read once. */
static void next_single_event(qscan *q, size_t from) {
    if (q->ev_pos >= from && q->ev_valid)
        return;
    const char *s = q->st->s;
    size_t j = from;
    for (; j < q->e; j++) {
        char c = s[j];
        if ((c == '.' || c == '!' || c == '?') && j + 2 < q->e && s[j + 1] == ' ' &&
            s[j + 2] >= 'A' && s[j + 2] <= 'Z')
            break;
        if (c != '\'')
            continue;
        uint32_t before, after;
        seg_cp_back(s, q->b, j, &before);
        seg_cp(s, j + 1, q->e, &after);
        if (seg_letter(before) && seg_letter(after))
            continue; /* don't, l'eau */
        if (!seg_space(before) && !seg_letter(after) && !seg_digit(after))
            break;
    }
    q->ev_pos = j;
    q->ev_valid = true;
}

/* A straight single quote at I opens a quotation when a closing one follows
 * in the same sentence, at least two characters on (so rock 'n' roll, the
 * '90s and the Joneses' house make no quotation). */
static bool single_opens(qscan *q, size_t i) {
    next_single_event(q, i + 3);
    return q->ev_pos < q->e && q->st->s[q->ev_pos] == '\'' && q->ev_pos - i <= 2000;
}

/* Handles the mark C at I; returns how far to advance past it. */
static size_t scan_mark(qscan *q, uint32_t c, size_t i, size_t len) {
    seg_state *st = q->st;
    const char *s = st->s;
    uint32_t before, after;
    seg_cp_back(s, q->b, i, &before);
    seg_cp(s, i + len, q->e, &after);
    int k;
    switch (c) {
    case 0xAB: /* « */
        open_mark(q, SEG_Q_GUILL, 0xBB, i, len);
        break;
    case 0xBB: /* » */
        if ((k = find_open(st, SEG_Q_GUILL)) >= 0)
            close_mark(q, k, i, len);
        break;
    case 0x2039:
        open_mark(q, SEG_Q_SGUILL, 0x203A, i, len);
        break;
    case 0x203A:
        if ((k = find_open(st, SEG_Q_SGUILL)) >= 0)
            close_mark(q, k, i, len);
        break;
    case 0x201E: /* „ */
        open_mark(q, SEG_Q_LOW, 0x201C, i, len);
        break;
    case 0x201C: /* “ */
        if (st->depth && st->stack[st->depth - 1].kind == SEG_Q_LOW)
            close_mark(q, st->depth - 1, i, len);
        else
            open_mark(q, SEG_Q_DCURLY, 0x201D, i, len);
        break;
    case 0x201D: /* ” */
        if ((k = find_open(st, SEG_Q_DCURLY)) >= 0 || (k = find_open(st, SEG_Q_LOW)) >= 0)
            close_mark(q, k, i, len);
        break;
    case '"':
        if ((k = find_open(st, SEG_Q_DSTRAIGHT)) >= 0 &&
            !(is_opening_side(before) && !is_closing_side(after) && k < st->depth - 1))
            close_mark(q, k, i, len);
        else if (is_opening_side(before) && !seg_space(after) && after)
            open_mark(q, SEG_Q_DSTRAIGHT, '"', i, len);
        break;
    case 0x2018: /* ‘ */
        if ((k = find_open(st, SEG_Q_SCURLY)) >= 0 && !seg_space(before) && is_closing_side(after))
            close_mark(q, k, i, len);
        else if (!seg_letter(before) && (seg_letter(after) || after == '"' || after == 0x201C) &&
                 !(i + len + 4 <= q->e && !memcmp(s + i + len + 1, "\xE2\x80\x99", 3)))
            open_mark(q, SEG_Q_SCURLY, 0x2019, i, len); /* not rock ‘n’ roll */
        break;
    case 0x2019: /* ’ */
        if ((k = find_open(st, SEG_Q_SCURLY)) >= 0 && !(seg_letter(before) && seg_letter(after)) &&
            !seg_space(before))
            close_mark(q, k, i, len);
        break;
    case '\'':
        if ((k = find_open(st, SEG_Q_SSTRAIGHT)) >= 0 && !seg_space(before) && !seg_letter(after) &&
            !seg_digit(after))
            close_mark(q, k, i, len);
        else if (is_opening_side(before) && seg_letter(after) && single_opens(q, i))
            open_mark(q, SEG_Q_SSTRAIGHT, '\'', i, len);
        break;
    case ',':
        /* ,, is a typewriter „ */
        if (after == ',' && is_opening_side(before)) {
            uint32_t c3;
            seg_cp(s, i + 2, q->e, &c3);
            if (seg_letter(c3) || seg_digit(c3)) {
                open_mark(q, SEG_Q_LOW, 0x201C, i, 2);
                return 2;
            }
        }
        break;
    default:
        break;
    }
    return len;
}

bool nr_seg_is_turn(const char *s, size_t b, size_t e, size_t *content) {
    uint32_t c;
    size_t l = seg_cp(s, b, e, &c);
    if (c != 0x2014 && c != 0x2013 && c != 0x2015)
        return false;
    uint32_t sp;
    size_t l2 = seg_cp(s, b + l, e, &sp);
    if (!seg_space(sp))
        return false;
    if (content)
        *content = skip_spaces(s, b + l + l2, e);
    return true;
}

bool nr_seg_block_opens(const seg_state *st, size_t b, size_t e) {
    const char *s = st->s;
    b = skip_spaces(s, b, e);
    uint32_t c, after;
    size_t l = seg_cp(s, b, e, &c);
    seg_cp(s, b + l, e, &after);
    if (st->rules->dash_dialogue && nr_seg_is_turn(s, b, e, NULL))
        return true;
    return c == 0xAB || c == 0x201C || c == 0x201E || c == 0x2039 ||
           ((c == '"' || c == 0x2018) && !seg_space(after));
}

/* Opens the block: a quotation carried from the block before is reopened
 * by its mark (same id, continues) or, in French dialogue, by a dash (a new
 * speaker's turn); a dialogue turn opens a quotation of its own. */
static size_t open_block(qscan *q, int turn) {
    seg_state *st = q->st;
    const char *s = st->s;
    size_t i = skip_spaces(s, q->b, q->e), content;
    bool dash = st->rules->dash_dialogue && nr_seg_is_turn(s, i, q->e, &content);
    if (st->depth > 0) {
        if (dash) {
            push_mark(q, i, content);
            begin_part(q, content, st->next_id++, false);
            return content;
        }
        uint32_t c;
        size_t l = seg_cp(s, i, q->e, &c);
        bool reopen =
            c == 0xAB || c == 0x201C || c == 0x201E || c == '"' || c == 0x2018 || c == 0x2039;
        if (reopen)
            push_mark(q, i, i + l);
        begin_part(q, reopen ? i + l : i, st->carried_id, true);
        return reopen ? i + l : i;
    }
    if (dash && turn == SEG_TURN_SPEECH) {
        st->stack[st->depth++] = (seg_open){.close = 0, .kind = SEG_Q_DASH};
        push_mark(q, i, content);
        begin_part(q, content, st->next_id++, false);
        return content;
    }
    return i;
}

/* Closes the block: a dialogue turn ends with it; an open quotation goes on
 * in the next block or is recovered here. */
static void close_block(qscan *q, bool next_opens) {
    seg_state *st = q->st;
    if (st->depth == 0) {
        st->carried_id = -1;
        return;
    }
    bool dash = st->stack[0].kind == SEG_Q_DASH;
    bool carry = !dash && next_opens;
    end_part(q, q->e, !dash && !carry);
    if (carry) {
        st->carried_id = q->part_id;
        st->depth = 1; /* nested marks never cross a paragraph */
    } else {
        st->depth = 0;
        st->carried_id = -1;
    }
}

static const unsigned char marks[128] = {['"'] = 1, ['\''] = 1, [','] = 1, ['?'] = 1, ['!'] = 1};

bool nr_seg_quotes(seg_state *st, size_t b, size_t e, bool next_opens, int turn) {
    qscan q = {.st = st, .b = b, .e = e, .ok = true};
    st->parts.len = st->marks.len = 0;
    const char *s = st->s;
    size_t i = open_block(&q, turn);
    while (i < e && q.ok) {
        unsigned char byte = (unsigned char)s[i];
        if (byte < 0x80 ? !marks[byte] : byte != 0xC2 && byte != 0xE2) {
            /* « » and U+2018..U+203A all start with C2 or E2 */
            i += seg_seq_len(byte);
            continue;
        }
        uint32_t c;
        size_t l = seg_cp(s, i, e, &c);
        bool incise_point = st->depth > 0 && st->rules->incises &&
                            (c == ',' || c == '?' || c == '!' || c == 0x2026) && st->depth == 1;
        if (incise_point) {
            size_t inc = try_incise(&q, i, l);
            if (inc) {
                i = inc;
                continue;
            }
        }
        i += (c == ',' || c == '"' || c == '\'' || c >= 0x80) ? scan_mark(&q, c, i, l) : l;
    }
    if (q.ok)
        close_block(&q, next_opens);
    return q.ok;
}
