/* attribute.c: who says each quotation, and whether it is read in the
 * speaker's voice.
 *
 * Three passes over the document. Reading (in order): each sentence is
 * tokenised, its mentions resolved (mentions.c), and each quotation gets
 * what the sentence itself says about it: standalone or embedded, and an
 * attribution ("a déclaré X", "X said", "estime-t-elle", "X a déclaré :",
 * "selon X", the subject of the clause an embedded quotation sits in).
 * Grouping: the parts of one quotation (over sentences, paragraphs or an
 * incise) share the first attribution found in any part; a quotation with
 * none takes the speaker of the quotation or subject just before it in its
 * paragraph. Casting out: entities that speak become doc->speakers. Em-dash
 * turns are made quotations of the two people of the exchange (in an
 * interview, the questions stay with the narrator). */
#include "attribute.h"

#include <stdio.h>
#include <string.h>

#include "../util/utf8.h"
#include "lexicon.h"
#include "mentions.h"
#include "tokens.h"

typedef struct qinfo {
    size_t sent, span, tok;
    int direct; /* entity the sentence attributes it to, -1 = none */
    int ent;    /* final entity, -1 = unknown */
    int group;
    bool standalone;
    bool cont;   /* continues the quotation before it */
    bool preset; /* a dialogue turn: speaker and voice already known */
} qinfo;

typedef struct attr {
    nr_ctx *ctx;
    nr_doc *doc;
    nr_mentions m;
    nr_vec q;          /* qinfo, in document order */
    signed char *turn; /* per block: 0, or 1/2 = party of a dash dialogue, 3 = interview question */
    bool interview;    /* some block is an interview question (turn 3) */
    int *turn_ent;     /* per block: the entity of that turn, resolved on the way */
    int next_quote;    /* a fresh quotation id */
    bool seg_links;    /* the segmenter linked the parts of quotations */
    nr_tok_scratch scratch; /* the tokens of the sentence being read */
} attr;

/* ---- dialogue ---------------------------------------------------------- */

/* The byte after a dialogue dash that opens block B, or 0 when it has none. */
static size_t dash_turn(const nr_doc *doc, const nr_block *b) {
    size_t i = b->start;
    uint32_t cp;
    while (i < b->end && nr_is_space((nr_utf8_decode(doc->text + i, b->end - i, &cp), cp)))
        i += nr_utf8_decode(doc->text + i, b->end - i, &cp);
    size_t l = nr_utf8_decode(doc->text + i, b->end - i, &cp);
    if (cp != 0x2014 && cp != 0x2013)
        return 0;
    i += l;
    size_t sp = i;
    while (i < b->end && (l = nr_utf8_decode(doc->text + i, b->end - i, &cp)) && nr_is_space(cp))
        i += l;
    return i > sp ? i : 0;
}

static bool ends_with_question(const nr_doc *doc, const nr_block *b) {
    size_t e = b->end;
    uint32_t cp;
    while (e > b->start) {
        size_t l = nr_utf8_decode_back(doc->text, e, &cp);
        if (!nr_is_space(cp) && cp != 0xBB && cp != '"' && cp != 0x201D)
            return cp == '?';
        e -= l;
    }
    return false;
}

/* Marks the turns of each run of dash paragraphs. A run tolerates one
 * other block between two turns ("Lire aussi"). When most first-party
 * turns are questions it is an interview: questions (3) stay narration. */
static void find_dialogues(attr *a) {
    nr_doc *doc = a->doc;
    size_t n = doc->blocks.len, i = 0;
    while (i < n) {
        if (NR_BLOCK(doc, i).kind != NR_BLOCK_PARAGRAPH || !dash_turn(doc, &NR_BLOCK(doc, i))) {
            i++;
            continue;
        }
        size_t turns = 0, q0 = 0, n0 = 0, last = i;
        for (size_t j = i; j < n && j <= last + 2; j++) {
            nr_block *b = &NR_BLOCK(doc, j);
            if (b->kind != NR_BLOCK_PARAGRAPH || !dash_turn(doc, b))
                continue;
            a->turn[j] = (signed char)(turns % 2 + 1);
            if (turns % 2 == 0) {
                n0++;
                q0 += ends_with_question(doc, b);
            }
            turns++;
            last = j;
        }
        if (turns >= 2 && q0 * 2 >= n0)
            for (size_t j = i; j <= last; j++)
                if (a->turn[j] == 1)
                    a->turn[j] = 3;
        if (turns < 2)
            a->turn[i] = 0;
        for (size_t j = i; j <= last; j++)
            a->interview |= a->turn[j] == 3;
        i = last + 1;
    }
}

/* The entity that speaks turn PARTY of a dialogue starting at block B:
 * in an interview the person the article is about; otherwise the subject
 * of the text before (first party) and the other person last named. */
static int turn_speaker(attr *a, size_t si, int party) {
    int p = nr_mentions_protagonist(&a->m);
    if (party == 2 && a->turn[a->m.sents[si].block] == 2 && a->interview)
        return p;
    int first = -1, second = -1;
    for (size_t s = si; s-- > 0 && second < 0;) {
        const nr_sent *ps = &a->m.sents[s];
        if (a->turn[ps->block])
            continue;
        for (size_t k = ps->n_ms; k-- > 0;) {
            int e = ps->ms[k].ent;
            if (e < 0 || !NR_ENT(&a->m, (size_t)e).human)
                continue;
            if (first < 0)
                first = ps->subject >= 0 ? ps->subject : e;
            if (e != first && second < 0)
                second = e;
        }
    }
    return party == 1 ? (first >= 0 ? first : p) : second;
}

/* Makes sentence S of a dialogue turn one quotation (after the dash). */
static bool make_turn_quote(attr *a, nr_sentence *se, size_t start, bool cont) {
    for (size_t k = 0; k < se->n_spans; k++)
        if (se->spans[k].kind == NR_SPAN_QUOTE)
            return true; /* the segmenter already made it a quotation */
    size_t end = se->end;
    uint32_t cp;
    while (end > start && nr_is_space((nr_utf8_decode_back(a->doc->text, end, &cp), cp)))
        end -= nr_utf8_decode_back(a->doc->text, end, &cp);
    if (end <= start)
        return true;
    nr_span *sp = nr_arena_alloc(a->doc->arena, sizeof *sp);
    if (!sp)
        return false;
    *sp = (nr_span){.kind = NR_SPAN_QUOTE,
                    .start = start,
                    .end = end,
                    .speaker = -1,
                    .quote = a->next_quote,
                    .continues = cont};
    if (!cont)
        a->next_quote++;
    else
        sp->quote = a->next_quote - 1;
    se->spans = sp;
    se->n_spans = 1;
    return true;
}

/* ---- what one sentence says -------------------------------------------- */

static bool punct_is(const nr_tok *t, char c) {
    return t->kind == NR_TOK_PUNCT && t->low_len == 1 && t->low[0] == c;
}

static int mention_ent_at(const nr_sent *s, size_t v) {
    for (size_t k = 0; k < s->n_ms; k++)
        if (v >= s->ms[k].a && v < s->ms[k].b)
            return s->ms[k].ent;
    return -2;
}

/* True when the mention at token I is the one spoken to ("à l'AFP",
 * "to reporters"): an addressee marker stands before it, maybe with a
 * determiner between. */
static bool addressee(const attr *a, const nr_sent *s, size_t i) {
    for (size_t j = i, n = 0; j-- > 0 && n < 2; n++) {
        const nr_tok *t = &s->toks[j];
        if (t->kind != NR_TOK_WORD)
            return false;
        if (nr_lexicon_find_hashed(a->m.lx, NR_LX_ADDRESSEE, t->low, t->low_len, t->low_hash))
            return true;
    }
    return false;
}

/* True when a mention starts in tokens [A, B). */
static bool named_between(const nr_sent *s, size_t a, size_t b) {
    for (size_t k = 0; k < s->n_ms; k++)
        if (s->ms[k].a >= a && s->ms[k].a < b)
            return true;
    return false;
}

/* The speaker named right after quote token Q: "», a déclaré X",
 * "," X said", "», estime-t-elle", "," said X". -1 when none. */
static int after_clause(const attr *a, const nr_sent *s, size_t q) {
    size_t words = 0, v = (size_t)-1; /* room for "Federal Aviation Administration chief Mike
                                         Whitaker said" */
    for (size_t j = q + 1; j < s->n_toks && words < 10; j++) {
        const nr_tok *t = &s->toks[j];
        if (t->kind == NR_TOK_QUOTE || punct_is(t, '.') || punct_is(t, ';') || punct_is(t, ':'))
            break;
        if (punct_is(t, ',') && words > 0 && mention_ent_at(s, j - 1) == -2 &&
            !named_between(s, q + 1, j))
            break; /* "," the statement read, adding that Smith said" */
        if (t->kind != NR_TOK_WORD)
            continue;
        words++;
        if (nr_is_speech_verb(&a->m, s, j)) {
            v = j;
            break;
        }
    }
    if (v == (size_t)-1)
        return -1;
    int e = mention_ent_at(s, v);
    if (e != -2)
        return e;
    int before = -1;
    for (size_t k = 0; k < s->n_ms; k++)
        if (s->ms[k].a > q && s->ms[k].b <= v && s->ms[k].ent >= 0)
            before = s->ms[k].ent;
    if (before >= 0)
        return before;
    for (size_t k = 0; k < s->n_ms; k++) {
        const nr_mention *mn = &s->ms[k];
        if (mn->a > v && mn->a <= v + 6 && mn->ent >= 0) {
            for (size_t j = v; j < mn->a; j++)
                if (s->toks[j].kind == NR_TOK_QUOTE)
                    return -1;
            if (!addressee(a, s, mn->a)) /* "a déclaré à l'AFP Jean Dupont" */
                return mn->ent;
        }
    }
    return -1;
}

/* The token after the previous quotation of S before Q (0 if none). */
static size_t clause_start(const nr_sent *s, size_t q) {
    for (size_t j = q; j-- > 0;)
        if (s->toks[j].kind == NR_TOK_QUOTE || punct_is(&s->toks[j], ';'))
            return j + 1;
    return 0;
}

/* The speaker of "X a déclaré : « … »" or "X said, "…"": the mention
 * before the speech verb of the clause that ends at Q, else its first. */
static int before_clause(const attr *a, const nr_sent *s, size_t q) {
    if (q == 0)
        return -1;
    const nr_tok *p = &s->toks[q - 1];
    bool colon = punct_is(p, ':');
    bool comma = punct_is(p, ',') && q >= 2 && nr_is_speech_verb(&a->m, s, q - 2);
    if (!colon && !comma)
        return -1;
    size_t c0 = clause_start(s, q), v = (size_t)-1;
    for (size_t j = c0; j < q; j++)
        if (nr_is_speech_verb(&a->m, s, j))
            v = j;
    int best = -1;
    for (size_t k = 0; k < s->n_ms; k++) {
        const nr_mention *mn = &s->ms[k];
        if (mn->a < c0 || mn->b > q || mn->ent < 0)
            continue;
        if (v != (size_t)-1 && mn->a <= v && mn->b > v)
            return mn->ent; /* "estime-t-elle :" */
        if (v == (size_t)-1 || mn->b <= v)
            best = best >= 0 && v == (size_t)-1 ? best : mn->ent;
        else if (best < 0)
            best = mn->ent;
    }
    return best;
}

/* True when quotation SP ends with the end of a sentence (". ! ? …"):
 * a quotation right after it opens a new clause. */
static bool ends_sentence(const nr_doc *doc, const nr_span *sp) {
    uint32_t cp = 0;
    size_t e = sp->end;
    while (e > sp->start) {
        size_t l = nr_utf8_decode_back(doc->text, e, &cp);
        if (!nr_is_space(cp))
            break;
        e -= l;
    }
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* True when quotation SP ends with punctuation of its own (", ! ? …"). */
static bool ends_clause(const nr_doc *doc, const nr_span *sp) {
    uint32_t cp = 0;
    size_t e = sp->end;
    while (e > sp->start) {
        size_t l = nr_utf8_decode_back(doc->text, e, &cp);
        if (!nr_is_space(cp))
            break;
        e -= l;
    }
    return cp == ',' || cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

static size_t count_words(const nr_doc *doc, const nr_span *sp) {
    size_t n = 0;
    bool in = false;
    for (size_t i = sp->start; i < sp->end;) {
        uint32_t cp;
        i += nr_utf8_decode(doc->text + i, sp->end - i, &cp);
        bool w = !nr_is_space(cp);
        n += w && !in;
        in = w;
    }
    return n;
}

/* "Selon X, « … »." : a quotation that is the whole clause after a source
 * marker and its comma, up to the end of the sentence. */
static bool sourced_clause(const nr_sent *s, size_t q) {
    if (q == 0 || !punct_is(&s->toks[q - 1], ','))
        return false;
    for (size_t j = q + 1; j < s->n_toks; j++)
        if (s->toks[j].kind != NR_TOK_PUNCT)
            return false;
    for (size_t k = 0; k < s->n_ms; k++) {
        if (!s->ms[k].source || s->ms[k].a > 3)
            continue;
        size_t j = s->ms[k].b; /* the comma that ends "Selon X" opens the quotation */
        while (j < q && !punct_is(&s->toks[j], ','))
            j++;
        return j == q - 1;
    }
    return false;
}

/* Whether the quotation at token Q is a clause of its own (read by its
 * speaker) rather than part of the narrator's clause. PREV: the previous
 * quotation of the sentence, if any. */
static bool standalone(const attr *a, const nr_sent *s, size_t q, const qinfo *prev) {
    size_t c0 = prev ? prev->tok + 1 : 0, words = 0;
    bool verb = false;
    for (size_t j = c0; j < q; j++) {
        words += s->toks[j].kind == NR_TOK_WORD;
        verb |= nr_is_speech_verb(&a->m, s, j);
    }
    if (words == 0 && (!prev || ends_sentence(a->doc, &s->se->spans[s->toks[prev->tok].span]))) {
        /* « Voie pacifique » est... : a short quotation glued to the words
         * after it, with no punctuation and no attribution, is a phrase */
        const nr_span *sp = &s->se->spans[s->toks[q].span];
        bool glued = q + 1 < s->n_toks && s->toks[q + 1].kind == NR_TOK_WORD &&
                     !nr_is_speech_verb(&a->m, s, q + 1) && mention_ent_at(s, q + 1) == -2;
        return !(glued && count_words(a->doc, sp) <= 3 && !ends_clause(a->doc, sp) &&
                 after_clause(a, s, q) < 0);
    }
    if (q > 0 && punct_is(&s->toks[q - 1], ':'))
        return true;
    if (!prev && sourced_clause(s, q))
        return true;
    if (q >= 2 && punct_is(&s->toks[q - 1], ',') && nr_is_speech_verb(&a->m, s, q - 2))
        return true;
    return prev && prev->standalone && verb && words <= 8 && q > 0 &&
           punct_is(&s->toks[q - 1], ',');
}

/* True when the mention at token I opens a complement: a preposition
 * stands before it, maybe with a determiner between. */
static bool complement(const nr_mentions *m, const nr_sent *s, size_t i) {
    for (size_t j = i, n = 0; j-- > 0 && n < 2; n++) {
        const nr_tok *t = &s->toks[j];
        if (t->kind != NR_TOK_WORD)
            return false;
        if (nr_lexicon_find_hashed(m->lx, NR_LX_PREPOSITIONS, t->low, t->low_len, t->low_hash))
            return true;
        if (!nr_lexicon_find_hashed(m->lx, NR_LX_DETERMINERS, t->low, t->low_len, t->low_hash))
            return false;
    }
    return false;
}

/* The entity an embedded quotation at token Q belongs to: the sentence's
 * attribution, else a "selon X", else the first mention before it that
 * does not open a complement ("Au Kremlin"), else the first person before
 * it, else the first mention in the sentence. */
static int embedded_speaker(const nr_mentions *m, const nr_sent *s, size_t q, int said) {
    if (said >= 0)
        return said;
    for (size_t k = 0; k < s->n_ms; k++)
        if (s->ms[k].source && s->ms[k].ent >= 0)
            return s->ms[k].ent;
    int first = -1, human = -1, before = -1;
    for (size_t k = 0; k < s->n_ms; k++) {
        int e = s->ms[k].ent;
        if (e < 0)
            continue;
        if (s->ms[k].a < q && !complement(m, s, s->ms[k].a))
            return e; /* not "Au Kremlin, le porte-parole Dmitri Peskov a jugé" */
        if (s->ms[k].a < q && human < 0 && NR_ENT(m, (size_t)e).human)
            human = e;
        if (s->ms[k].a < q && before < 0)
            before = e;
        if (first < 0)
            first = e;
    }
    return human >= 0 ? human : before >= 0 ? before : first;
}

/* True when a mark opens the quotation right before byte START: a span
 * without one continues a quotation opened in an earlier sentence. */
static bool opened_here(const nr_doc *doc, size_t start) {
    size_t i = start;
    uint32_t cp;
    while (i > 0) {
        size_t l = nr_utf8_decode_back(doc->text, i, &cp);
        if (!nr_is_space(cp))
            return cp == 0xAB || cp == '"' || cp == 0x201C || cp == 0x201E || cp == 0x2018 ||
                   cp == '\'' || cp == 0x2039 || cp == 0xBB || cp == 0x201D;
        i -= l;
    }
    return false;
}

/* A quotation that reopens, at the start of a paragraph, one left open at
 * the end of the paragraph before (French and English convention). */
static bool reopens(const attr *a, size_t si, size_t q) {
    const nr_sent *s = &a->m.sents[si];
    if (q != 0 || si == 0 || a->m.sents[si - 1].block == s->block || !a->q.len)
        return false;
    const qinfo *pq = &NR_VEC_AT(&a->q, qinfo, a->q.len - 1);
    const nr_sent *ps = &a->m.sents[pq->sent];
    return ps->block + 1 == s->block && ps->se->spans[pq->span].recovered;
}

static bool read_sentence(attr *a, size_t si) {
    nr_sent *s = &a->m.sents[si];
    size_t first_q = a->q.len;
    int said = -1;
    for (size_t j = 0; j < s->n_toks; j++) {
        if (s->toks[j].kind != NR_TOK_QUOTE)
            continue;
        qinfo *qi = nr_vec_push(&a->q);
        if (!qi)
            return false;
        const nr_span *sp = &s->se->spans[s->toks[j].span];
        const qinfo *prev = a->q.len - 1 > first_q ? qi - 1 : NULL;
        *qi = (qinfo){.sent = si,
                      .span = (size_t)s->toks[j].span,
                      .tok = j,
                      .direct = -1,
                      .ent = -1,
                      .group = -1};
        qi->cont =
            a->seg_links ? sp->continues : !opened_here(a->doc, sp->start) || reopens(a, si, j);
        qi->standalone = standalone(a, s, j, prev) || (qi->cont && !a->seg_links);
        if (a->turn[s->block] == 3) { /* an interviewer's question stays the narrator's */
            qi->preset = true;
            qi->standalone = false;
            qi->cont = sp->continues;
            continue;
        }
        if (a->turn[s->block] == 1 || a->turn[s->block] == 2) {
            qi->preset = true;
            qi->standalone = true;
            qi->cont = sp->continues;
            qi->direct = a->turn_ent[s->block];
            continue;
        }
        if (qi->standalone) {
            qi->direct = after_clause(a, s, j);
            if (qi->direct < 0)
                qi->direct = before_clause(a, s, j);
            if (said < 0)
                said = qi->direct;
        }
    }
    if (said < 0) /* "selon X" attributes a standalone quotation too */
        for (size_t k = 0; k < s->n_ms && said < 0; k++)
            if (s->ms[k].source && s->ms[k].ent >= 0)
                said = s->ms[k].ent;
    for (size_t i = first_q; i < a->q.len; i++) {
        qinfo *qi = &NR_VEC_AT(&a->q, qinfo, i);
        if (qi->preset)
            continue;
        if (!qi->standalone)
            qi->direct = embedded_speaker(&a->m, s, qi->tok, said);
        else if (qi->direct < 0 && said >= 0 && !qi->cont)
            qi->direct = said;
    }
    nr_mentions_subject(&a->m, si, said);
    return true;
}

/* ---- grouping ---------------------------------------------------------- */

static bool same_block(const attr *a, const qinfo *x, const qinfo *y) {
    return a->m.sents[x->sent].block == a->m.sents[y->sent].block;
}

/* A speaker for a quotation that names none: the quotation before it in
 * its paragraph, the subject just before it, or the speaker of a quotation
 * that ended the paragraph before. */
static int inherit(const attr *a, const qinfo *first, const qinfo *prev_group) {
    size_t blk = a->m.sents[first->sent].block;
    if (prev_group && prev_group->ent >= 0 && same_block(a, first, prev_group))
        return prev_group->ent;
    if (!first->standalone)
        return -1;
    if (first->sent > 0) {
        const nr_sent *ps = &a->m.sents[first->sent - 1];
        if (ps->block == blk && ps->subject >= 0)
            return ps->subject;
    }
    bool opens = first->tok == 0 && (first->sent == 0 || a->m.sents[first->sent - 1].block != blk);
    if (prev_group && prev_group->ent >= 0 && a->m.sents[prev_group->sent].block + 2 >= blk &&
        (opens || first->sent <= prev_group->sent + 2))
        return prev_group->ent;
    if (first->sent > 0 && a->m.sents[first->sent - 1].subject >= 0)
        return a->m.sents[first->sent - 1].subject;
    return -1;
}

static void group_quotes(attr *a) {
    qinfo *q = a->q.data;
    size_t n = a->q.len, g0 = 0;
    const qinfo *prev_group = NULL;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && i > 0 && q[i].cont) {
            q[i].standalone |= q[g0].standalone;
            continue;
        }
        if (i > 0) { /* close the group [g0, i) */
            int ent = -1;
            for (size_t k = g0; k < i && ent < 0; k++)
                ent = q[k].direct;
            if (ent < 0 && !q[g0].preset)
                ent = inherit(a, &q[g0], prev_group);
            for (size_t k = g0; k < i; k++) {
                q[k].ent = ent;
                q[k].group = (int)g0;
            }
            prev_group = &q[i - 1];
        }
        g0 = i;
    }
}

/* ---- speakers ---------------------------------------------------------- */

static int speaker_for(attr *a, int ent, int *anon) {
    nr_doc *doc = a->doc;
    if (ent >= 0 && NR_ENT(&a->m, (size_t)ent).speaker > 0)
        return NR_ENT(&a->m, (size_t)ent).speaker;
    if (ent < 0 && *anon > 0)
        return *anon;
    nr_speaker *sp = nr_vec_push(&doc->speakers);
    if (!sp)
        return -2;
    int idx = (int)doc->speakers.len - 1;
    char id[16];
    snprintf(id, sizeof id, "s%d", idx);
    sp->id = nr_arena_strdup(doc->arena, id);
    if (!sp->id)
        return -2;
    if (ent < 0)
        return *anon = idx;
    nr_entity *e = &NR_ENT(&a->m, (size_t)ent);
    e->speaker = idx;
    sp->name = e->name ? nr_arena_strndup(doc->arena, e->name, e->name_len) : e->desc;
    sp->gender = e->org ? NR_GENDER_UNKNOWN : e->gender;
    sp->n_mentions = e->mentions.len;
    sp->mentions =
        nr_arena_memdup(doc->arena, e->mentions.data, e->mentions.len, sizeof(const char *));
    if ((e->name && !sp->name) || (e->mentions.len && !sp->mentions))
        return -2;
    return idx;
}

static bool cast_out(attr *a) {
    nr_doc *doc = a->doc;
    if (doc->speakers.len == 0 && !nr_vec_push(&doc->speakers))
        return false;
    int anon = 0;
    for (size_t i = 0; i < a->q.len; i++) {
        qinfo *qi = &NR_VEC_AT(&a->q, qinfo, i);
        nr_span *sp = &a->m.sents[qi->sent].se->spans[qi->span];
        sp->embedded = !qi->standalone;
        sp->speaker = -1;
        sp->voice = 0;
        if (qi->ent < 0 && !qi->standalone)
            continue;
        int idx = speaker_for(a, qi->ent, &anon);
        if (idx == -2)
            return false;
        sp->speaker = qi->ent >= 0 ? idx : -1;
        sp->voice = qi->standalone ? idx : 0;
    }
    return true;
}

/* ---- driver ------------------------------------------------------------ */

static bool collect_sentences(attr *a) {
    nr_doc *doc = a->doc;
    size_t n = 0;
    for (size_t b = 0; b < doc->blocks.len; b++)
        n += NR_BLOCK(doc, b).n_sents;
    a->m.sents = nr_arena_alloc(doc->arena, (n ? n : 1) * sizeof(nr_sent));
    a->turn = nr_arena_alloc(doc->arena, doc->blocks.len + 1);
    a->turn_ent = nr_arena_alloc(doc->arena, (doc->blocks.len + 1) * sizeof(int));
    if (!a->m.sents || !a->turn || !a->turn_ent)
        return false;
    for (size_t b = 0; b < doc->blocks.len; b++) {
        nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++) {
            for (size_t k = 0; k < blk->sents[i].n_spans; k++) {
                const nr_span *sp = &blk->sents[i].spans[k];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                a->seg_links |= sp->continues || sp->quote > 0;
                if (sp->quote >= a->next_quote)
                    a->next_quote = sp->quote + 1;
            }
            a->m.sents[a->m.n_sents++] =
                (nr_sent){.se = &blk->sents[i], .block = b, .bkind = blk->kind, .subject = -1};
        }
    }
    return true;
}

/* Readies sentence SI when it belongs to a dialogue turn. */
static bool dialogue_sentence(attr *a, size_t si) {
    nr_sent *s = &a->m.sents[si];
    int t = a->turn[s->block];
    if (t != 1 && t != 2)
        return true;
    nr_block *b = &NR_BLOCK(a->doc, s->block);
    bool first = s->se == &b->sents[0];
    if (first)
        a->turn_ent[s->block] = turn_speaker(a, si, t);
    size_t start = first ? dash_turn(a->doc, b) : s->se->start;
    return make_turn_quote(a, s->se, start > s->se->start ? start : s->se->start, !first);
}

static bool run(attr *a) {
    const nr_lexicon *lx = nr_lexicon_get(a->ctx, a->doc->lang);
    if (!lx || !collect_sentences(a))
        return false;
    a->m.lx = lx;
    find_dialogues(a);
    for (size_t si = 0; si < a->m.n_sents; si++) {
        nr_sent *s = &a->m.sents[si];
        if (!dialogue_sentence(a, si))
            return false;
        if (s->bkind != NR_BLOCK_BYLINE &&
            (!nr_tokenise(a->doc, s->se, lx, &a->scratch, &s->toks, &s->n_toks) ||
             !nr_mentions_read(&a->m, si)))
            return false;
        if (!read_sentence(a, si))
            return false;
        s->toks = NULL; /* the scratch is the next sentence's */
    }
    group_quotes(a);
    return cast_out(a);
}

nr_status nr_attribute(nr_ctx *ctx, nr_doc *doc) {
    attr a = {.ctx = ctx, .doc = doc};
    a.m.doc = doc;
    a.m.title_ent = -1;
    nr_vec_init(&a.m.ents, sizeof(nr_entity));
    nr_vec_init(&a.q, sizeof(qinfo));
    nr_tok_scratch_init(&a.scratch);
    bool ok = run(&a);
    nr_tok_scratch_free(&a.scratch);
    nr_mentions_free(&a.m);
    nr_vec_free(&a.q);
    if (!ok)
        return ctx->err[0] ? NR_E_NOMEM : nr_fail(ctx, NR_E_NOMEM, "out of memory");
    return NR_OK;
}
