/* mentions.c: chunking mentions out of a sentence's tokens and resolving
 * them to entities. */
#include "mentions.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- word classes ------------------------------------------------------ */

/* A word's tag in a lower-case list, looked up once by the tokeniser. */
static unsigned lx_low(const nr_mentions *m, nr_lx_list l, const nr_tok *t) {
    (void)m;
    return t->kind == NR_TOK_WORD ? t->lw->tag[l] : 0;
}

/* A list matched as written (titles, org words, given names). */
static unsigned lx_text(const nr_mentions *m, nr_lx_list l, const nr_tok *t) {
    (void)m;
    return t->kind == NR_TOK_WORD ? t->tw->tag[l] : 0;
}

/* True when an entry of list L starts with word T then SEP (" ", or "" after
 * an elision's apostrophe): nr_lexicon_has_head, looked up by the tokeniser. */
static bool lx_head(const nr_tok *t, nr_lx_list l, const char *sep) {
    return ((sep[0] ? t->lw->head_sp : t->lw->head) >> l) & 1;
}

static nr_gender tag_gender(unsigned tag) {
    return (tag & NR_LX_FEMALE) ? NR_GENDER_FEMALE
           : (tag & NR_LX_MALE) ? NR_GENDER_MALE
                                : NR_GENDER_UNKNOWN;
}

static bool is_punct(const nr_tok *t, char c) {
    return t->kind == NR_TOK_PUNCT && t->low_len == 1 && t->low[0] == c;
}

/* The pronoun a verb carries after a hyphen ("estime-t-elle", "a-t-il",
 * "dit-il"): its tag, and *VLEN the bytes of the verb before it. */
static unsigned suffix_pronoun(const nr_mentions *m, const nr_tok *t, size_t *vlen) {
    if (t->kind != NR_TOK_WORD)
        return 0;
    const char *h = strrchr(t->low, '-');
    if (!h || h == t->low)
        return 0;
    unsigned tag = nr_lexicon_find(m->lx, NR_LX_PRONOUNS, h + 1, strlen(h + 1));
    if (!(tag & (NR_LX_MALE | NR_LX_FEMALE)) || (tag & NR_LX_LAST))
        return 0;
    size_t v = (size_t)(h - t->low);
    if (v >= 2 && !memcmp(h - 2, "-t", 2))
        v -= 2;
    *vlen = v;
    return tag;
}

/* A French past participle agrees with its subject ("s'est félicitée",
 * "s'est dite inquiète"): the lists hold the masculine singular, so a
 * feminine or plural ending (-e, -es, -s after é, i, t or u) is tried
 * without it. English words never end in "ée" or "ées", and the other
 * endings only count when the shorter form is itself a listed verb. */
static bool agreed_participle(const nr_mentions *m, const nr_tok *t) {
    size_t n = t->low_len;
    const char *w = t->low;
    for (size_t cut = 1; cut <= 2 && cut < n; cut++) {
        const char *end = w + n - cut;
        if (!(cut == 1 ? *end == 'e' || *end == 's' : !memcmp(end, "es", 2)))
            continue;
        size_t base = n - cut;
        bool accent = base >= 2 && !memcmp(w + base - 2, "\xC3\xA9", 2); /* é */
        char last = w[base - 1];
        if ((accent || last == 'i' || last == 't' || last == 'u') &&
            nr_lexicon_find(m->lx, NR_LX_VERBS, w, base))
            return true;
    }
    return false;
}

bool nr_is_speech_verb(const nr_mentions *m, const nr_sent *s, size_t i) {
    const nr_tok *t = &s->toks[i];
    if (t->kind != NR_TOK_WORD)
        return false;
    size_t v;
    if (suffix_pronoun(m, t, &v))
        return v > 0; /* any verb with its subject after it: "lâche-t-il" */
    for (size_t k = 0; k < s->n_ms; k++)
        if (i >= s->ms[k].a && i < s->ms[k].b)
            return false;
    return lx_low(m, NR_LX_VERBS, t) != 0 || agreed_participle(m, t);
}

/* ---- words ------------------------------------------------------------- */

static uint64_t word_hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The entry of the word S (N bytes, hash H), or the empty slot it goes in. */
static nr_word *word_slot(const nr_mentions *m, const char *s, size_t n, uint64_t h) {
    size_t k = (size_t)h & (m->words_cap - 1);
    for (;; k = (k + 1) & (m->words_cap - 1)) {
        nr_word *w = &m->words[k];
        if (!w->s || (w->hash == h && w->len == n && !memcmp(w->s, s, n)))
            return w;
    }
}

/* The interned word S (N bytes), or NULL when it was never interned. */
static nr_word *word_find(const nr_mentions *m, const char *s, size_t n) {
    if (!m->words_cap)
        return NULL;
    nr_word *w = word_slot(m, s, n, word_hash(s, n));
    return w->s ? w : NULL;
}

static bool words_grow(nr_mentions *m) {
    size_t cap = m->words_cap ? m->words_cap * 2 : 256;
    nr_word *old = m->words, *words = calloc(cap, sizeof *words);
    if (!words)
        return false;
    size_t old_cap = m->words_cap;
    m->words = words;
    m->words_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].s)
            *word_slot(m, old[i].s, old[i].len, old[i].hash) = old[i];
    free(old);
    return true;
}

/* The word S (N bytes), interned if new; NULL on out-of-memory. The entry
 * moves when the table grows: keep its string, not the entry. */
static nr_word *word_add(nr_mentions *m, const char *s, size_t n) {
    if ((m->words_len + 1) * 2 > m->words_cap && !words_grow(m))
        return NULL;
    uint64_t h = word_hash(s, n);
    nr_word *w = word_slot(m, s, n, h);
    if (w->s)
        return w;
    char *copy = nr_arena_strndup(m->doc->arena, s, n);
    if (!copy)
        return NULL;
    *w = (nr_word){.s = copy, .len = n, .hash = h};
    nr_vec_init(&w->first, sizeof(int));
    nr_vec_init(&w->last, sizeof(int));
    nr_vec_init(&w->role, sizeof(int));
    m->words_len++;
    return w;
}

/* Lists entity E under interned word S in one of its indexes. */
static bool index_ent(nr_mentions *m, const char *s, size_t which, int e) {
    nr_word *w = word_find(m, s, strlen(s));
    nr_vec *v = which == 0 ? &w->first : which == 1 ? &w->last : &w->role;
    int *slot = nr_vec_push(v);
    if (!slot)
        return false;
    *slot = e;
    return true;
}

/* ---- entities ---------------------------------------------------------- */

/* Interned words are equal when they are the same pointer. */
static bool same_word(const char *a, const char *b) { return a == b; }

/* How the name tokens W[0..n) relate to entity E: 2 = same name, 1 = one
 * is the tail of the other (surname and full name), 0 = unrelated. */
static int name_match(const nr_entity *e, const char *const *w, size_t n) {
    if (!e->n_toks || !n)
        return 0;
    size_t k = e->n_toks < n ? e->n_toks : n;
    bool tail = true, head = true;
    for (size_t i = 0; i < k; i++) {
        tail &= same_word(e->toks[e->n_toks - k + i], w[n - k + i]);
        head &= same_word(e->toks[i], w[i]);
    }
    if (tail)
        return e->n_toks == n ? 2 : 1;
    /* "Halvard" for "Halvard Energy Inc.": a body may be named by its head */
    return head && e->org && n < e->n_toks ? 1 : 0;
}

/* Gives entity EI the interned ROLE (at most 8 roles) and indexes it. */
static bool add_role(nr_mentions *m, int ei, const char *role) {
    nr_entity *e = &NR_ENT(m, (size_t)ei);
    if (!role)
        return true;
    for (size_t i = 0; i < e->n_roles; i++)
        if (e->roles[i] == role)
            return true;
    if (e->n_roles >= 8)
        return true;
    e->roles[e->n_roles++] = role;
    return index_ent(m, role, 2, ei);
}

static bool has_role(const nr_entity *e, const char *role) {
    for (size_t i = 0; i < e->n_roles; i++)
        if (e->roles[i] == role)
            return true;
    return false;
}

/* Keeps TEXT among E's mentions unless an equal one is there. */
static bool add_mention_text(nr_mentions *m, nr_entity *e, size_t a, size_t b) {
    const char *s = m->doc->text + a;
    size_t n = b - a;
    for (size_t i = 0; i < e->mentions.len; i++) {
        const char *t = NR_VEC_AT(&e->mentions, const char *, i);
        if (strlen(t) == n && !strncasecmp(t, s, n))
            return true;
    }
    const char **slot = nr_vec_push(&e->mentions);
    if (!slot)
        return false;
    *slot = nr_arena_strndup(m->doc->arena, s, n);
    return *slot != NULL;
}

static void set_gender(nr_entity *e, nr_gender g) {
    if (e->gender == NR_GENDER_UNKNOWN && !e->org)
        e->gender = g;
}

/* Points entity EI's name at the mention's name when it is fuller; its
 * words are interned and its first and last indexed. */
static bool set_name(nr_mentions *m, int ei, const nr_sent *s, const nr_mention *mn) {
    nr_entity *e = &NR_ENT(m, (size_t)ei);
    size_t n = mn->nb - mn->na;
    if (n == 0 || (n <= e->n_toks && e->name)) /* an empty mention names nobody */
        return true;
    if (n > 8)
        n = 8;
    const nr_tok *first = &s->toks[mn->na], *last = &s->toks[mn->na + n - 1];
    e->name = m->doc->text + first->start;
    e->name_len = last->end - first->start;
    e->n_toks = n;
    for (size_t i = 0; i < n; i++) {
        const nr_tok *t = &s->toks[mn->na + i];
        const nr_word *w = word_add(m, t->low, t->low_len);
        if (!w)
            return false;
        e->toks[i] = w->s;
    }
    return index_ent(m, e->toks[0], 0, ei) && index_ent(m, e->toks[n - 1], 1, ei);
}

static int new_entity(nr_mentions *m) {
    nr_entity *e = nr_vec_push(&m->ents);
    if (!e)
        return -2;
    nr_vec_init(&e->mentions, sizeof(const char *));
    e->last_sent = -1;
    return (int)m->ents.len - 1;
}

/* ---- chunking ---------------------------------------------------------- */

typedef struct chunker {
    nr_mentions *m;
    nr_sent *s;
    nr_vec *out;
    bool source;      /* the next mention follows a source marker */
    size_t source_at; /* token after the marker */
} chunker;

static nr_mention *emit(chunker *c, nr_mkind k, size_t a, size_t b) {
    nr_mention *mn = nr_vec_push(c->out);
    if (!mn)
        return NULL;
    mn->kind = k;
    mn->a = a;
    mn->b = b;
    mn->ta = c->s->toks[a].start;
    mn->tb = c->s->toks[b - 1].end;
    mn->ent = -1;
    mn->source = c->source && a <= c->source_at + 2;
    c->source = false;
    return mn;
}

/* A capitalised word that can be part of a name. */
static bool name_word(const chunker *c, size_t i) {
    const nr_tok *t = &c->s->toks[i];
    if (t->kind != NR_TOK_WORD || !t->cap || lx_low(c->m, NR_LX_FUNCTION, t) ||
        lx_low(c->m, NR_LX_PRONOUNS, t) || lx_low(c->m, NR_LX_DETERMINERS, t))
        return false;
    /* "Biden Says He Will Run": a verb in a headline is not a name, "Edward Said" is */
    return !lx_low(c->m, NR_LX_VERBS, t) || lx_text(c->m, NR_LX_NAMES, t);
}

static bool first_word(const nr_sent *s, size_t i) {
    for (size_t k = 0; k < i; k++)
        if (s->toks[k].kind != NR_TOK_PUNCT)
            return false;
    return true;
}

/* A role noun at I, possibly two words ("chef de file" is "chef"). */
static unsigned role_at(const chunker *c, size_t i) {
    const nr_tok *t = &c->s->toks[i];
    return t->kind == NR_TOK_WORD ? lx_low(c->m, NR_LX_ROLES, t) : 0;
}

/* Where a role description that starts with its noun at I ends: over
 * complements ("de la diplomatie américaine") and an adjective, never over
 * punctuation, a quotation, a verb or a function word. */
static size_t role_end(const chunker *c, size_t i) {
    size_t j = i + 1, words = 0;
    while (j < c->s->n_toks && words < 10) {
        const nr_tok *t = &c->s->toks[j];
        if (t->kind != NR_TOK_WORD)
            break;
        bool conn = lx_low(c->m, NR_LX_CONNECTORS, t) != 0;
        if (!conn && t->low[t->low_len - 1] == '\'')
            break; /* "le syndicaliste s'interroge" */
        if (!conn && (lx_low(c->m, NR_LX_FUNCTION, t) || lx_low(c->m, NR_LX_VERBS, t) ||
                      lx_low(c->m, NR_LX_PRONOUNS, t)))
            break;
        if (t->cap && !conn) {
            /* a complement "du Kremlin" is part of it; a name right after is not */
            const nr_tok *p = &c->s->toks[j - 1];
            if (!lx_low(c->m, NR_LX_CONNECTORS, p) && !lx_low(c->m, NR_LX_DETERMINERS, p))
                break;
        }
        j++;
        words++;
    }
    while (j > i + 1 && lx_low(c->m, NR_LX_CONNECTORS, &c->s->toks[j - 1]))
        j--;
    return j;
}

/* A name at I: titles, then capitalised words (joined by connectors).
 * Returns the end, or I when there is none; fills MN's name fields. */
/* A title at J ("M.", "Chief", "Sen.") or an abbreviation in capitals
 * ("U.S.") that only qualifies the name after it. */
static unsigned title_at(const chunker *c, size_t j) {
    const nr_tok *t = &c->s->toks[j];
    unsigned tt = lx_text(c->m, NR_LX_TITLES, t);
    if (tt)
        return tt;
    bool dotted = t->allcaps && memchr(t->low, '.', t->low_len);
    return dotted && j + 1 < c->s->n_toks && c->s->toks[j + 1].cap ? NR_LX_PRESENT : 0;
}

/* The capitalised words from I: titles, name words and connectors between
 * them. Sets *LAST to the last title among them (-1 = none). */
static size_t cap_run(const chunker *c, size_t i, size_t *last) {
    const nr_sent *s = c->s;
    size_t j = i;
    *last = (size_t)-1;
    while (j < s->n_toks && s->toks[j].kind == NR_TOK_WORD) {
        if (title_at(c, j)) {
            *last = j++;
            continue;
        }
        if (name_word(c, j)) {
            if (j > i && s->toks[j - 1].allcaps && !s->toks[j].allcaps && !title_at(c, j - 1))
                break; /* "l'AFP Jean Dupont": an acronym stands alone */
            j++;
            continue;
        }
        if (j > i && lx_low(c->m, NR_LX_CONNECTORS, &s->toks[j]) && j + 1 < s->n_toks &&
            (name_word(c, j + 1) || title_at(c, j + 1))) {
            j++;
            continue;
        }
        break;
    }
    while (j > i && lx_low(c->m, NR_LX_CONNECTORS, &s->toks[j - 1]))
        j--;
    return j;
}

/* The gender and role that the titles in [i, e) show. */
static nr_gender titles_show(const chunker *c, size_t i, size_t e, nr_mention *mn, bool *plural) {
    nr_gender g = NR_GENDER_UNKNOWN;
    for (size_t k = i; k < e; k++) {
        const nr_tok *t = &c->s->toks[k];
        unsigned tt = lx_text(c->m, NR_LX_TITLES, t);
        if (!tt)
            continue;
        if (lx_low(c->m, NR_LX_ROLES, t))
            mn->role = t->low; /* "Judge Howell" is "the judge" */
        *plural |= (tt & NR_LX_PLURAL) != 0;
        if (tag_gender(tt) != NR_GENDER_UNKNOWN)
            g = tag_gender(tt);
    }
    return g;
}

/* A name at I: titles, then capitalised words (joined by connectors); the
 * name proper is what follows the last title ("Foreign Minister Sergei
 * Lavrov", "Secretary of State Antony Blinken"). Returns the end, or I when
 * there is none; fills MN's name fields. */
static size_t name_at(const chunker *c, size_t i, nr_mention *mn) {
    const nr_sent *s = c->s;
    size_t last, j = cap_run(c, i, &last), na = i;
    bool titled = false, plural = false;
    nr_gender g = NR_GENDER_UNKNOWN;
    if (last != (size_t)-1) {
        size_t k = last + 1;
        while (k < j && !name_word(c, k))
            k++;
        if (k < j) { /* a name after the titles */
            titled = true;
            g = titles_show(c, i, k, mn, &plural);
            na = k;
        } else if (!name_word(c, i)) {
            return j > i ? j : i; /* titles alone */
        }
    }
    if (j <= na || !name_word(c, na))
        return i;
    size_t cut = na; /* "Brennan and Smith": two names, keep the first */
    while (cut < j && !(lx_low(c->m, NR_LX_CONNECTORS, &s->toks[cut]) & NR_LX_ORG))
        cut++;
    bool org = false, shout = true;
    for (size_t k = na; k < j; k++) {
        org |= lx_text(c->m, NR_LX_ORGS, &s->toks[k]) != 0;
        shout &= s->toks[k].allcaps;
    }
    if (!org)
        j = cut;
    size_t n = j - na;
    if ((shout && n > 1 && !org) || plural)
        return j; /* a shouted credit or label; "MM. Vasseur et Oudinot" */
    org |= n == 1 && s->toks[na].allcaps;
    const nr_tok *gn = &s->toks[na];
    unsigned name_tag = lx_text(c->m, NR_LX_NAMES, gn); /* "Karim, abonné depuis vingt ans" */
    if (n == 1 && na > 0 && s->toks[na - 1].low[0] >= '0' && s->toks[na - 1].low[0] <= '9')
        name_tag = 0;         /* "the 737 Max 9": a model, not a man */
    if (!name_tag && n > 1) { /* "Anne-Laure": try "Anne" */
        const char *h = memchr(c->m->doc->text + gn->start, '-', gn->end - gn->start);
        if (h)
            name_tag = nr_lexicon_find(c->m->lx, NR_LX_NAMES, c->m->doc->text + gn->start,
                                       (size_t)(h - (c->m->doc->text + gn->start)));
    }
    if (g == NR_GENDER_UNKNOWN)
        g = tag_gender(name_tag);
    mn->na = na;
    mn->nb = j;
    mn->gender = org ? NR_GENDER_UNKNOWN : g;
    mn->org = org;
    mn->human = !org && (titled || name_tag || n >= 2);
    mn->weak = !titled && n == 1 && first_word(s, na);
    return j;
}

static bool push_name(chunker *c, size_t a, size_t end, const nr_mention *tmp, unsigned det,
                      const char *role) {
    nr_mention *mn = emit(c, NR_M_NAME, a, end);
    if (!mn)
        return false;
    bool src = mn->source;
    *mn = *tmp;
    mn->kind = NR_M_NAME;
    mn->a = a;
    mn->b = end;
    mn->ta = c->s->toks[a].start;
    mn->tb = c->s->toks[end - 1].end;
    mn->ent = -1;
    mn->source = src;
    if (role) {
        mn->role = role;
        mn->human = !mn->org;
        if (mn->gender == NR_GENDER_UNKNOWN && !mn->org)
            mn->gender = tag_gender(det);
    }
    return true;
}

/* Where the next name starts after a role description ending at J: right
 * there, or after a comma ("La ministre des Transports, Hélène Marchetti"). */
static size_t apposition_name(const chunker *c, size_t j) {
    if (j < c->s->n_toks && is_punct(&c->s->toks[j], ','))
        j++;
    return j < c->s->n_toks && c->s->toks[j].kind == NR_TOK_WORD &&
                   (c->s->toks[j].cap || lx_text(c->m, NR_LX_TITLES, &c->s->toks[j]))
               ? j
               : (size_t)-1;
}

/* A role description at I (determiner, noun, complements); merges with a
 * name in apposition. Returns the token after it, or I. */
static size_t role_mention(chunker *c, size_t i, bool *ok) {
    const nr_sent *s = c->s;
    unsigned det = lx_low(c->m, NR_LX_DETERMINERS, &s->toks[i]);
    size_t r = i + 1;
    while (r < s->n_toks && r < i + 2 && !role_at(c, r) && s->toks[r].kind == NR_TOK_WORD &&
           !s->toks[r].cap && !lx_low(c->m, NR_LX_FUNCTION, &s->toks[r]) &&
           !lx_low(c->m, NR_LX_VERBS, &s->toks[r]))
        r++; /* "son homologue", "the former spokeswoman" */
    if (!det || r >= s->n_toks || !role_at(c, r) || s->toks[r].cap)
        return i;
    unsigned rt = role_at(c, r);
    size_t e = role_end(c, r);
    nr_gender g = tag_gender(rt) != NR_GENDER_UNKNOWN ? tag_gender(rt) : tag_gender(det);
    size_t nm = apposition_name(c, e);
    if (nm != (size_t)-1) {
        nr_mention tmp = {0};
        size_t ne = name_at(c, nm, &tmp);
        if (ne > nm && !tmp.org) {
            tmp.gender = tmp.gender != NR_GENDER_UNKNOWN ? tmp.gender : g;
            *ok = push_name(c, i, ne, &tmp,
                            rt | (g == NR_GENDER_FEMALE ? NR_LX_FEMALE
                                  : g == NR_GENDER_MALE ? NR_LX_MALE
                                                        : 0),
                            s->toks[r].low);
            if (*ok) { /* two mentions for the plan: the description and the name */
                nr_mention *mn = &NR_VEC_AT(c->out, nr_mention, c->out->len - 1);
                mn->ra = mn->ta;
                mn->rb = s->toks[e - 1].end;
                mn->ta = s->toks[nm].start;
            }
            return ne;
        }
    }
    nr_mention *mn = emit(c, NR_M_ROLE, i, e);
    if (!mn)
        return *ok = false, e;
    mn->org = (rt & NR_LX_ORG) != 0;
    mn->gender = mn->org ? NR_GENDER_UNKNOWN : g;
    mn->role = s->toks[r].low;
    mn->human = !mn->org;
    mn->indef = (det & NR_LX_INDEF) != 0;
    return e;
}

/* A role noun without determiner right after "Name," describes that name
 * ("Thierry Vasseur, secrétaire fédéral", "Laura Jennings, a spokeswoman"). */
static size_t apposed_role(chunker *c, size_t i) {
    const nr_sent *s = c->s;
    if (!c->out->len || i == 0 || !is_punct(&s->toks[i - 1], ','))
        return i;
    nr_mention *prev = &NR_VEC_AT(c->out, nr_mention, c->out->len - 1);
    if (prev->kind != NR_M_NAME || prev->b != i - 1 || prev->org)
        return i;
    size_t r = i;
    unsigned det = lx_low(c->m, NR_LX_DETERMINERS, &s->toks[r]);
    if (det)
        r++;
    if (r >= s->n_toks || !role_at(c, r) || s->toks[r].cap)
        return i;
    unsigned rt = role_at(c, r);
    nr_gender g = tag_gender(rt) != NR_GENDER_UNKNOWN ? tag_gender(rt) : tag_gender(det);
    if (prev->gender == NR_GENDER_UNKNOWN)
        prev->gender = g;
    prev->role = s->toks[r].low;
    prev->human = true;
    return role_end(c, r);
}

/* Writes the lower-case forms of A and B with SEP between into OUT (CAP
 * bytes, NUL included); returns the length, 0 when it does not fit. */
static size_t join_words(char *out, size_t cap, const nr_tok *a, const char *sep, const nr_tok *b) {
    size_t ls = strlen(sep), n = a->low_len + ls + b->low_len;
    if (n >= cap)
        return 0;
    memcpy(out, a->low, a->low_len);
    memcpy(out + a->low_len, sep, ls);
    memcpy(out + a->low_len + ls, b->low, b->low_len + 1);
    return n;
}

/* A pronoun, "ce dernier", or a verb carrying its pronoun at I. */
static size_t pronoun_mention(chunker *c, size_t i, bool *ok) {
    const nr_sent *s = c->s;
    const nr_tok *t = &s->toks[i];
    size_t v = 0;
    unsigned tag = suffix_pronoun(c->m, t, &v);
    size_t end = i + 1;
    if (!tag && i + 1 < s->n_toks && s->toks[i + 1].kind == NR_TOK_WORD &&
        lx_head(t, NR_LX_PRONOUNS, " ")) {
        char two[96];
        size_t n = join_words(two, sizeof two, t, " ", &s->toks[i + 1]);
        if (n && (tag = nr_lexicon_find(c->m->lx, NR_LX_PRONOUNS, two, n)) != 0)
            end = i + 2;
    }
    if (!tag)
        tag = lx_low(c->m, NR_LX_PRONOUNS, t);
    if (!tag)
        return i;
    if (end < s->n_toks && !(tag & NR_LX_LAST) && lx_low(c->m, NR_LX_IMPERSONAL, &s->toks[end]))
        return end; /* "il faut", "il y a" */
    nr_mention *mn = emit(c, (tag & NR_LX_LAST) ? NR_M_LAST : NR_M_PRON, i, end);
    if (!mn)
        return *ok = false, end;
    mn->gender = tag_gender(tag);
    mn->human = true;
    if (v && end == i + 1 && suffix_pronoun(c->m, t, &v)) { /* keep just "elle" */
        const char *h = strrchr(t->low, '-');
        mn->ta = t->end - strlen(h + 1);
    }
    return end;
}

/* A source marker ("selon", "according to") at I: the end, or I. */
static size_t source_marker(chunker *c, size_t i) {
    const nr_sent *s = c->s;
    if (lx_low(c->m, NR_LX_SOURCES, &s->toks[i]))
        return c->source = true, c->source_at = i + 1, i + 1;
    const char *sep = s->toks[i].low[s->toks[i].low_len - 1] == '\'' ? "" : " ";
    if (i + 1 < s->n_toks && s->toks[i + 1].kind == NR_TOK_WORD &&
        lx_head(&s->toks[i], NR_LX_SOURCES, sep)) {
        char two[96];
        size_t n = join_words(two, sizeof two, &s->toks[i], sep, &s->toks[i + 1]);
        if (n && nr_lexicon_find(c->m->lx, NR_LX_SOURCES, two, n))
            return c->source = true, c->source_at = i + 2, i + 2;
    }
    return i;
}

/* Past up to two lower-case words after a role noun at I-1 that may be its
 * adjectives ("ministre italienne"), to where a name may start. */
static size_t adjectives(const chunker *c, size_t i) {
    size_t j = i;
    while (j < c->s->n_toks && j < i + 2 && c->s->toks[j].kind == NR_TOK_WORD &&
           !c->s->toks[j].cap && !lx_low(c->m, NR_LX_FUNCTION, &c->s->toks[j]) &&
           !lx_low(c->m, NR_LX_VERBS, &c->s->toks[j]) &&
           !lx_low(c->m, NR_LX_CONNECTORS, &c->s->toks[j]) &&
           !lx_low(c->m, NR_LX_PRONOUNS, &c->s->toks[j]))
        j++;
    return j < c->s->n_toks && c->s->toks[j].cap ? j : i;
}

/* "Carver coach Phil Brandt": a name, a role noun and a name; the first
 * only qualifies the role. */
static bool qualifier(const chunker *c, size_t end) {
    const nr_sent *s = c->s;
    if (end + 1 >= s->n_toks || !role_at(c, end) || s->toks[end].cap)
        return false;
    size_t n = adjectives(c, end + 1);
    return s->toks[n].kind == NR_TOK_WORD &&
           (s->toks[n].cap || lx_text(c->m, NR_LX_TITLES, &s->toks[n]));
}

static bool chunk(nr_mentions *m, nr_sent *s, nr_vec *out) {
    chunker c = {m, s, out, false, 0};
    bool ok = true;
    size_t i = 0;
    while (i < s->n_toks && ok) {
        const nr_tok *t = &s->toks[i];
        if (t->kind != NR_TOK_WORD) {
            if (t->kind == NR_TOK_QUOTE || is_punct(t, '.') || is_punct(t, ';'))
                c.source = false;
            i++;
            continue;
        }
        size_t j = source_marker(&c, i);
        if (j == i)
            j = pronoun_mention(&c, i, &ok);
        if (j == i)
            j = apposed_role(&c, i);
        if (j == i)
            j = role_mention(&c, i, &ok);
        if (j == i && (t->cap || lx_text(m, NR_LX_TITLES, t))) {
            nr_mention tmp = {0};
            size_t e = name_at(&c, i, &tmp);
            if (e > i && tmp.nb > tmp.na) {
                if (qualifier(&c, e)) {
                    j = e; /* the role attaches to the name that follows */
                } else {
                    ok = push_name(&c, i, e, &tmp, 0, NULL);
                    j = e;
                    if (ok && e < s->n_toks && (role_at(&c, e) & NR_LX_ORG) && !s->toks[e].cap) {
                        nr_mention *mn = &NR_VEC_AT(out, nr_mention, out->len - 1);
                        mn->b = mn->nb = ++j; /* "the Scottish government" is one body */
                        mn->tb = s->toks[e].end;
                        mn->org = true;
                        mn->human = false;
                        mn->gender = NR_GENDER_UNKNOWN;
                        e = j;
                    }
                    if (e < s->n_toks && role_at(&c, e) && !s->toks[e].cap) {
                        NR_VEC_AT(out, nr_mention, out->len - 1).role = s->toks[e].low;
                        j = role_end(&c, e); /* "A Department ... spokesperson" */
                    }
                }
            } else if (e > i) {
                j = e;
            }
        }
        if (j == i && role_at(&c, i) && !t->cap) {
            size_t n0 = adjectives(&c, i + 1); /* "coach Phil Brandt", "ministre italienne G. M." */
            nr_mention tmp = {0};
            size_t e = n0 < s->n_toks && s->toks[n0].cap ? name_at(&c, n0, &tmp) : n0;
            if (e > n0 && tmp.nb > tmp.na && !tmp.org) {
                ok = push_name(&c, n0, e, &tmp, 0, t->low);
                j = e;
            }
        }
        i = j > i ? j : i + 1;
    }
    return ok;
}

/* ---- resolution -------------------------------------------------------- */

/* Where searches over entities start: the last NR_ENT_WINDOW created, so a
 * document naming thousands of people stays linear; an article names far
 * fewer. */
enum { NR_ENT_WINDOW = 2048 };
static size_t ents_from(const nr_mentions *m) {
    return m->ents.len > NR_ENT_WINDOW ? m->ents.len - NR_ENT_WINDOW : 0;
}

/* True when entity I was met later than BEST (-1: none), or as late and
 * made first: the choice of a scan of the entities in order. */
static bool later(const nr_mentions *m, int i, int best) {
    if (best < 0)
        return true;
    int li = NR_ENT(m, (size_t)i).last_sent, lb = NR_ENT(m, (size_t)best).last_sent;
    return li > lb || (li == lb && i < best);
}

static bool fits(const nr_entity *e, nr_gender g, bool exact) {
    if (!e->human || e->org)
        return false;
    if (g == NR_GENDER_UNKNOWN || e->gender == g)
        return true;
    return !exact && e->gender == NR_GENDER_UNKNOWN;
}

/* The nearest entity before mention K of sentence S that fits G: earlier
 * mentions of S, then each earlier sentence's subject and mentions, up to
 * BACK sentences. LAST_ONLY: names only, nearest first ("ce dernier"). */
static int search_back(const nr_mentions *m, size_t s, size_t k, nr_gender g, bool exact, int back,
                       bool last_only) {
    for (size_t j = k; j-- > 0;) {
        const nr_mention *mn = &m->sents[s].ms[j];
        if (mn->ent >= 0 && (!last_only || mn->kind == NR_M_NAME) &&
            fits(&NR_ENT(m, (size_t)mn->ent), g, exact))
            return mn->ent;
    }
    for (size_t p = s; p-- > 0 && back-- > 0;) {
        const nr_sent *ps = &m->sents[p];
        if (!last_only && ps->subject >= 0 && fits(&NR_ENT(m, (size_t)ps->subject), g, exact))
            return ps->subject;
        for (size_t j = ps->n_ms; j-- > 0;) {
            const nr_mention *mn = &ps->ms[j];
            if (mn->ent >= 0 && (!last_only || mn->kind == NR_M_NAME) &&
                fits(&NR_ENT(m, (size_t)mn->ent), g, exact))
                return mn->ent;
        }
    }
    return -1;
}

static int resolve_pronoun(nr_mentions *m, size_t s, size_t k) {
    const nr_mention *mn = &m->sents[s].ms[k];
    bool last = mn->kind == NR_M_LAST;
    int e = last ? -1 : search_back(m, s, k, mn->gender, false, 1, false);
    if (e < 0)
        e = search_back(m, s, k, mn->gender, true, 6, last);
    if (e < 0)
        e = search_back(m, s, k, mn->gender, false, 6, last);
    if (e < 0)
        e = search_back(m, s, k, mn->gender, true, 1000, last);
    return e;
}

/* The previous sentence's subject when it fits G. */
static int previous_subject(const nr_mentions *m, size_t s, nr_gender g) {
    for (size_t p = s; p-- > 0;) {
        if (m->sents[p].n_toks == 0)
            continue;
        int e = m->sents[p].subject;
        return e >= 0 && fits(&NR_ENT(m, (size_t)e), g, false) ? e : -1;
    }
    return -1;
}

/* "l'entreprise", "the ministry": the body last holding that role, else
 * the body named in the last three sentences, else a new one. */
static int resolve_body(const nr_mentions *m, size_t s, const nr_mention *mn) {
    int best = -1;
    const nr_word *w = word_find(m, mn->role, strlen(mn->role));
    for (size_t k = 0; w && k < w->role.len; k++) { /* the body that held the role */
        int i = NR_VEC_AT(&w->role, int, k);
        if ((size_t)i >= ents_from(m) && !NR_ENT(m, (size_t)i).human && later(m, i, best))
            best = i;
    }
    for (size_t i = ents_from(m); i < m->ents.len && best < 0; i++) { /* the body just named */
        const nr_entity *e = &NR_ENT(m, i);
        if (e->org && e->name && e->last_sent + 3 >= (int)s)
            best = (int)i;
    }
    for (size_t i = ents_from(m); i < m->ents.len; i++) {
        const nr_entity *e = &NR_ENT(m, i);
        if (best >= 0 && e->org && e->name && !has_role(&NR_ENT(m, (size_t)best), mn->role) &&
            e->last_sent + 3 >= (int)s && e->last_sent > NR_ENT(m, (size_t)best).last_sent)
            best = (int)i;
    }
    return best;
}

static int resolve_role(nr_mentions *m, size_t s, size_t k) {
    const nr_mention *mn = &m->sents[s].ms[k];
    if (mn->indef)
        return -1; /* "un porte-parole", "a spokesman": someone new */
    if (mn->org)
        return resolve_body(m, s, mn);
    int best = -1;
    const nr_word *w = word_find(m, mn->role, strlen(mn->role));
    for (size_t r = 0; w && r < w->role.len; r++) { /* the last that held the role */
        int i = NR_VEC_AT(&w->role, int, r);
        const nr_entity *e = &NR_ENT(m, (size_t)i);
        if ((size_t)i >= ents_from(m) && (e->org || fits(e, mn->gender, false)) &&
            later(m, i, best))
            best = i;
    }
    if (best < 0)
        best = previous_subject(m, s, mn->gender);
    if (best < 0)
        best = search_back(m, s, k, mn->gender, true, 3, false);
    if (best < 0) {
        int p = nr_mentions_protagonist(m);
        if (p >= 0 && fits(&NR_ENT(m, (size_t)p), mn->gender, false))
            best = p;
    }
    if (best < 0)
        best = search_back(m, s, k, mn->gender, false, 3, false);
    return best;
}

static int resolve_name(nr_mentions *m, const nr_sent *s, const nr_mention *mn) {
    const char *w[8];
    const nr_word *first = NULL, *last = NULL;
    size_t n = mn->nb - mn->na;
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++) { /* as interned words; NULL: in no entity's name */
        const nr_tok *t = &s->toks[mn->na + i];
        size_t l = t->low_len; /* "Aldane's" is Aldane */
        if (l > 2 && !strcmp(t->low + l - 2, "'s"))
            l -= 2;
        else if (l > 1 && t->low[l - 1] == '\'')
            l -= 1;
        const nr_word *wd = word_find(m, t->low, l);
        w[i] = wd ? wd->s : NULL;
        first = i == 0 ? wd : first;
        last = wd;
    }
    /* a match shares the last word (a tail) or, for a body, the first */
    const nr_vec *by[2] = {last ? &last->last : NULL, first ? &first->first : NULL};
    int best = -1, best_q = 0;
    for (int list = 0; list < 2; list++) {
        const nr_vec *v = by[list];
        for (size_t k = 0; v && k < v->len; k++) {
            int i = NR_VEC_AT(v, int, k);
            if ((size_t)i < ents_from(m))
                continue;
            int q = name_match(&NR_ENT(m, (size_t)i), w, n);
            if (q > best_q || (q && q == best_q && later(m, i, best))) {
                best = i;
                best_q = q;
            }
        }
    }
    return best;
}

/* Applies what mention MN shows to entity E. */
static bool learn(nr_mentions *m, nr_sent *s, nr_mention *mn, int e, int ordinal) {
    nr_entity *en = &NR_ENT(m, (size_t)e);
    mn->ent = e;
    if (mn->kind == NR_M_NAME && !set_name(m, e, s, mn))
        return false;
    en->org |= mn->org;
    en->human = (en->human || mn->human) && !en->org;
    if (en->org)
        en->gender = NR_GENDER_UNKNOWN;
    set_gender(en, mn->gender);
    if (!add_role(m, e, mn->role))
        return false;
    if (mn->kind == NR_M_ROLE && !en->desc)
        en->desc = nr_arena_strndup(m->doc->arena, m->doc->text + mn->ta, mn->tb - mn->ta);
    if (mn->rb > mn->ra && !en->desc)
        en->desc = nr_arena_strndup(m->doc->arena, m->doc->text + mn->ra, mn->rb - mn->ra);
    en->last_sent = ordinal;
    en->n_mentions++;
    if (mn->rb > mn->ra && !add_mention_text(m, en, mn->ra, mn->rb))
        return false;
    return add_mention_text(m, en, mn->ta, mn->tb);
}

static bool resolve(nr_mentions *m, size_t si, size_t k) {
    nr_sent *s = &m->sents[si];
    nr_mention *mn = &s->ms[k];
    int e = -1;
    if (mn->kind == NR_M_NAME) {
        e = resolve_name(m, s, mn);
        if (e == -2)
            return false;
        if (e < 0 && mn->weak && !(mn->b < s->n_toks && nr_is_speech_verb(m, s, mn->b)))
            return true; /* a capitalised first word that names nobody known */
    } else if (mn->kind == NR_M_ROLE) {
        e = resolve_role(m, si, k);
    } else {
        e = resolve_pronoun(m, si, k);
        if (e < 0)
            return true;
    }
    if (e < 0 && (e = new_entity(m)) < 0)
        return false;
    if (mn->kind == NR_M_NAME && m->title_ent < 0 && s->bkind == NR_BLOCK_TITLE && mn->human)
        m->title_ent = e;
    return learn(m, s, mn, e, (int)si);
}

/* The gender a past participle at token I shows by its ending ("montrée"). */
static nr_gender participle_gender(const nr_mentions *m, const nr_tok *t) {
    if (t->kind != NR_TOK_WORD)
        return NR_GENDER_UNKNOWN;
    unsigned best = 0;
    size_t best_len = 0;
    for (size_t l = 1; l <= 4 && l < t->low_len; l++) {
        unsigned tag = nr_lexicon_find(m->lx, NR_LX_ENDINGS, t->low + t->low_len - l, l);
        if (tag)
            best = tag, best_len = l;
    }
    return best_len ? tag_gender(best) : NR_GENDER_UNKNOWN;
}

/* French agreement: "Liina Kask s'est montrée", "Interrogée par la presse,
 * X" show the subject's gender when nothing else did. */
static void agreement(nr_mentions *m, nr_sent *s) {
    for (size_t k = 0; k < s->n_ms; k++) {
        const nr_mention *mn = &s->ms[k];
        if (mn->ent < 0 || !NR_ENT(m, (size_t)mn->ent).human)
            continue;
        nr_entity *e = &NR_ENT(m, (size_t)mn->ent);
        nr_gender g = NR_GENDER_UNKNOWN;
        size_t j = mn->b;
        if (j < s->n_toks && s->toks[j].kind == NR_TOK_WORD && !strcmp(s->toks[j].low, "s'"))
            j++;
        if (j + 1 < s->n_toks && lx_low(m, NR_LX_COPULAS, &s->toks[j]))
            g = participle_gender(m, &s->toks[j + 1]);
        if (k == 0 && g == NR_GENDER_UNKNOWN && mn->a > 2 && is_punct(&s->toks[mn->a - 1], ',') &&
            (lx_low(m, NR_LX_PREPOSITIONS, &s->toks[1]) ||
             lx_low(m, NR_LX_CONNECTORS, &s->toks[1])))
            g = participle_gender(m, &s->toks[0]); /* "Interrogée par la presse, X" */
        if (e->gender == NR_GENDER_UNKNOWN && !e->org)
            e->gender = g;
        return; /* the subject only */
    }
}

bool nr_mentions_read(nr_mentions *m, size_t si) {
    nr_sent *s = &m->sents[si];
    nr_vec out;
    nr_vec_init(&out, sizeof(nr_mention));
    bool ok = chunk(m, s, &out);
    for (size_t k = 0; ok && k < out.len; k++) { /* roles outlive the tokens */
        nr_mention *mn = &NR_VEC_AT(&out, nr_mention, k);
        const nr_word *w = mn->role ? word_add(m, mn->role, strlen(mn->role)) : NULL;
        ok = !mn->role || w;
        mn->role = w ? w->s : NULL;
    }
    s->ms = ok ? nr_arena_memdup(m->doc->arena, out.data, out.len, sizeof(nr_mention)) : NULL;
    s->n_ms = out.len;
    nr_vec_free(&out);
    if (!ok || (s->n_ms && !s->ms))
        return false;
    s->subject = -1;
    for (size_t k = 0; k < s->n_ms; k++) {
        if (!resolve(m, si, k))
            return false;
        const nr_mention *mn = &s->ms[k];
        if (s->subject < 0 && mn->ent >= 0 && NR_ENT(m, (size_t)mn->ent).human)
            s->subject = mn->ent;
    }
    agreement(m, s);
    return true;
}

int nr_mentions_protagonist(const nr_mentions *m) {
    if (m->title_ent >= 0)
        return m->title_ent;
    int best = -1;
    for (size_t i = ents_from(m); i < m->ents.len; i++) {
        const nr_entity *e = &NR_ENT(m, i);
        if (e->human && !e->org &&
            (best < 0 || e->n_mentions > NR_ENT(m, (size_t)best).n_mentions ||
             (e->n_mentions == NR_ENT(m, (size_t)best).n_mentions &&
              e->last_sent > NR_ENT(m, (size_t)best).last_sent)))
            best = (int)i;
    }
    return best;
}

void nr_mentions_subject(nr_mentions *m, size_t s, int e) {
    if (e >= 0)
        m->sents[s].subject = e;
}

void nr_mentions_free(nr_mentions *m) {
    for (size_t i = 0; i < m->ents.len; i++)
        nr_vec_free(&NR_ENT(m, i).mentions);
    nr_vec_free(&m->ents);
    for (size_t i = 0; i < m->words_cap; i++) {
        if (!m->words[i].s)
            continue;
        nr_vec_free(&m->words[i].first);
        nr_vec_free(&m->words[i].last);
        nr_vec_free(&m->words[i].role);
    }
    free(m->words);
    m->words = NULL;
    m->words_cap = m->words_len = 0;
}
