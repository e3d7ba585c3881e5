/* normalise.c: text for the ear.
 *
 * One left-to-right pass over a span's text, at most a few table lookups
 * per token and no backtracking beyond a token: cost is linear in the text.
 * At each token start the recognisers run in a fixed order (user lexicon,
 * web addresses, abbreviations, numbers and their companions, words,
 * symbols); whatever none recognises is copied unchanged, so eSpeak still
 * gets every word the article wrote. The recognisers live in numforms.c,
 * words.c and web.c; this file holds the pass and the abbreviations. */
#include "normalise.h"

#include <stdlib.h>
#include <string.h>

#include "scan.h"

/* ---- abbreviations and the lexicon ---- */

static bool accept_expansion(void *user, const nr_sp_entry *e, size_t len) {
    nr_scan *sc = user;
    size_t end = sc->i + len;
    switch (e->when) {
    case NR_WHEN_BEFORE_NAME:
        return next_is_name(sc, end);
    case NR_WHEN_AFTER_NAME:
        return prev_is_name(sc, sc->i) && !next_is_name(sc, end);
    case NR_WHEN_BEFORE_NUMBER:
        return next_is_number(sc, end);
    case NR_WHEN_AFTER_NUMBER: {
        size_t p = sc->i;
        while (p > 0 && sc->s[p - 1] == ' ')
            p--;
        return p < sc->i && p > 0 && is_digit((unsigned char)sc->s[p - 1]);
    }
    default:
        return true;
    }
}

static bool accept_lexicon(void *user, const nr_sp_entry *e, size_t len) {
    (void)user, (void)len;
    return !e->phonemes; /* the synth does not take phoneme input (see docs/lexicon.md) */
}

/* ---- the pass ---- */

/* Lexicon entries, web addresses and abbreviations: the forms that start
 * a token and are matched by table. */
static bool try_tables(nr_scan *sc, uint32_t c) {
    size_t ml;
    const nr_sp_entry *e =
        nr_sp_match(&sc->r->lexicon, sc->s + sc->i, sc->n - sc->i, &ml, accept_lexicon, sc);
    if (e) {
        emit_s(sc, e->val[0]);
        nr_sc_note_word(sc, sc->i, sc->i + ml);
        sc->i += ml;
        emit_end(sc, sc->i);
        return true;
    }
    if (is_alnum(c) && nr_sc_web(sc))
        return true;
    e = nr_sp_match(&sc->r->expansions, sc->s + sc->i, sc->n - sc->i, &ml, accept_expansion, sc);
    if (!e)
        return false;
    size_t start = sc->i;
    emit_s(sc, e->val[0]);
    sc->i += ml;
    /* an abbreviation's full stop that also ended the sentence */
    if (sc->s[sc->i - 1] == '.' && skip_space(sc, sc->i) >= sc->n)
        nr_buf_addc(sc->out, '.');
    nr_sc_note_word(sc, start, sc->i);
    emit_end(sc, sc->i);
    return true;
}

/* What must never reach eSpeak as it stands: control characters, and
 * "[[...]]", its phoneme syntax (article text is always text). */
static bool try_markup(nr_scan *sc, uint32_t c, size_t l) {
    if (c < 0x20 && c != '\n' && c != '\t') {
        nr_buf_addc(sc->out, ' ');
        sc->i += l;
        return true;
    }
    if ((c == '[' || c == ']') && sc->i + 1 < sc->n && sc->s[sc->i + 1] == (char)c) {
        nr_buf_addc(sc->out, (char)c);
        while (sc->i < sc->n && sc->s[sc->i] == (char)c)
            sc->i++;
        return true;
    }
    return false;
}

/* Dashes before digits: "COVID-19" without eSpeak's pause; a minus sign
 * ("-5 °C"), which eSpeak drops in French. PC is the character before. */
static bool try_dash(nr_scan *sc, uint32_t c, size_t l, uint32_t pc) {
    if (c == '-' && nr_sp_is_letter(pc) && is_digit(cp_at(sc, sc->i + 1, NULL)) &&
        !is_digit(cp_at(sc, digits_end(sc, sc->i + 1), NULL))) {
        nr_buf_addc(sc->out, ' ');
        sc->i++;
        return true;
    }
    if (!(c == '-' || c == 0x2212) || !is_digit(cp_at(sc, sc->i + l, NULL)) ||
        !(sc->i == 0 || is_hspace(pc) || pc == '(' || pc == '\n'))
        return false;
    const char *minus = nr_sp_val(&sc->r->symbols, "minus");
    if (!minus)
        return false;
    emit_s(sc, minus);
    nr_buf_addc(sc->out, ' ');
    sc->i += l;
    return true;
}

/* "the '90s". */
static bool try_short_decade(nr_scan *sc, uint32_t c, size_t l) {
    nr_num m;
    if ((c != '\'' && c != 0x2019) || !nr_sc_parse_num(sc, sc->i + l, &m) || m.ip_digits != 2)
        return false;
    size_t save = sc->i;
    sc->i += l;
    if (nr_sc_decade(sc, &m))
        return true;
    sc->i = save;
    return false;
}

/* One step of the pass at sc->i: a recogniser, or one character copied. */
static void step(nr_scan *sc) {
    size_t l;
    uint32_t c = cp_at(sc, sc->i, &l), pc = 0;
    if (sc->i && (unsigned char)sc->s[sc->i - 1] < 0x80)
        pc = (unsigned char)sc->s[sc->i - 1];
    else if (sc->i)
        nr_utf8_decode_back(sc->s, sc->i, &pc);
    bool token_start = !is_alnum(pc) && pc != '@' && pc != '.';
    if (try_markup(sc, c, l))
        return;
    if (token_start && (is_alnum(c) || c >= 0x80 || c == '#' || c == '&') && try_tables(sc, c))
        return;
    if (is_digit(c)) {
        if (!(token_start && nr_sc_number(sc)))
            copy_to(sc, digits_end(sc, sc->i));
        sc->prev_end = SIZE_MAX;
        return;
    }
    if (nr_sp_is_letter(c)) {
        if (token_start)
            nr_sc_word(sc);
        else
            copy_to(sc, letters_end(sc, sc->i));
        return;
    }
    if (try_dash(sc, c, l, pc) || ((c == '+' || c == '(') && token_start && nr_sc_phone(sc)) ||
        nr_sc_money_before(sc) || nr_sc_emoji(sc, c) || nr_sc_symbol(sc, c, l) ||
        try_short_decade(sc, c, l))
        return;
    copy_to(sc, sc->i + l);
}

static void normalise_into(nr_ctx *ctx, const nr_speech_rules *r, const char *text, size_t len,
                           nr_buf *out) {
    nr_scan sc = {.ctx = ctx,
                  .r = r,
                  .s = text,
                  .n = len,
                  .out = out,
                  .prev_end = SIZE_MAX,
                  .prev_word_end = SIZE_MAX};
    sc.fr = r->fr;
    sc.dcomma = r->dcomma;
    while (sc.i < sc.n) {
        if (sc.s[sc.i] == ' ') { /* the commonest byte: nothing to do */
            nr_buf_addc(out, ' ');
            sc.i++;
        } else
            step(&sc);
    }
}

/* The rules for LANG ("en" when empty), loaded once per context. */
static const nr_speech_rules *rules_for(nr_ctx *ctx, const char *lang) {
    return nr_ctx_rules(ctx, "speech", lang && *lang ? lang : "en", nr_speech_rules_load,
                        nr_speech_rules_free);
}

char *nr_normalise_text(nr_ctx *ctx, const char *lang, const char *text, size_t len) {
    const nr_speech_rules *r = rules_for(ctx, lang);
    nr_buf out;
    nr_buf_init(&out);
    if (r)
        normalise_into(ctx, r, text, len, &out);
    else
        nr_buf_add(&out, text, len);
    if (!nr_buf_ok(&out)) {
        nr_buf_free(&out);
        return NULL;
    }
    if (!out.data)
        nr_buf_add(&out, "", 0);
    return nr_buf_take(&out, NULL);
}

nr_status nr_normalise(nr_ctx *ctx, nr_doc *doc) {
    nr_buf out;
    nr_buf_init(&out);
    for (size_t b = 0; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        const char *lang = blk->lang && *blk->lang ? blk->lang : doc->lang[0] ? doc->lang : "en";
        const nr_speech_rules *r = rules_for(ctx, lang);
        if (!r) {
            nr_buf_free(&out);
            return NR_E_NOMEM;
        }
        for (size_t s = 0; s < blk->n_sents; s++) {
            nr_sentence *sent = &blk->sents[s];
            for (size_t k = 0; k < sent->n_spans; k++) {
                nr_span *sp = &sent->spans[k];
                sp->spoken = NULL;
                if (sp->end <= sp->start || sp->end > doc->len)
                    continue;
                out.len = 0;
                normalise_into(ctx, r, doc->text + sp->start, sp->end - sp->start, &out);
                if (!nr_buf_ok(&out)) {
                    nr_buf_free(&out);
                    return nr_fail(ctx, NR_E_NOMEM, "out of memory normalising %s",
                                   doc->name ? doc->name : "the text");
                }
                if (out.len == sp->end - sp->start &&
                    !memcmp(out.data, doc->text + sp->start, out.len))
                    continue;
                sp->spoken = nr_arena_strndup(doc->arena, out.data ? out.data : "", out.len);
                if (!sp->spoken) {
                    nr_buf_free(&out);
                    return nr_fail(ctx, NR_E_NOMEM, "out of memory normalising %s",
                                   doc->name ? doc->name : "the text");
                }
            }
        }
    }
    nr_buf_free(&out);
    return NR_OK;
}
