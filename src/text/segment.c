/* segment.c: blocks into sentences, sentences into spans.
 *
 * One pass over each block finds sentence ends. A run of . ! ? … (with the
 * closing marks, brackets and footnote calls glued to it) ends a sentence
 * when what follows opens one: a capital, an opening mark before a capital,
 * a dialogue dash, a bullet or a list marker. A period alone is weighed
 * against the word before it: a number, an abbreviation of the language's
 * table (a title never ends a sentence before a name; other abbreviations
 * do before a new sentence), initials, or an ordinary word. Nothing breaks
 * inside a bracket opened mid-sentence. The quotation finder (seg_quotes.c)
 * then gives the quotation parts, which are cut at sentence ends. */
#include "segment.h"

#include <string.h>

#include "seg_chars.h"
#include "seg_internal.h"

typedef struct sscan {
    seg_state *st;
    const char *s;
    size_t b, e;
    size_t start;    /* the open sentence */
    size_t content;  /* its first word, past bullets, markers' brackets and marks */
    size_t hold;     /* no sentence ends before this: inside a bracket */
    size_t unclosed; /* brackets opened before this found no closing one */
    int marker;      /* the list marker that opens the sentence: 0 none, 1 number, 2 letter */
    long marker_val;
} sscan;

static size_t skip_sp(const char *s, size_t i, size_t e) {
    uint32_t c;
    size_t l;
    while ((l = seg_cp(s, i, e, &c)) && seg_space(c))
        i += l;
    return i;
}

/* The end of the run of letters at I. */
static size_t letters_end(const char *s, size_t i, size_t e) {
    uint32_t c;
    size_t l;
    while ((l = seg_cp(s, i, e, &c)) && seg_letter(c))
        i += l;
    return i;
}

/* A list marker at I: "1." "2.)" "3)" "(4)" "a." "b)" "(c)", then a space.
 * Sets its kind (1 number, 2 letter), value and end. */
static bool list_marker(const char *s, size_t i, size_t e, int *kind, long *val, size_t *end) {
    bool paren = i < e && s[i] == '(';
    size_t k = i + paren;
    long v = 0;
    int n = 0;
    while (k < e && s[k] >= '0' && s[k] <= '9' && n < 3)
        v = v * 10 + (s[k++] - '0'), n++;
    if (n)
        *kind = 1;
    else if (k < e && (((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z'))) {
        *kind = 2;
        v = s[k++] | 32;
    } else
        return false;
    if (k < e && s[k] >= '0' && s[k] <= '9')
        return false;
    if (paren) {
        if (k >= e || s[k] != ')')
            return false;
        k++;
    } else if (k < e && s[k] == '.') {
        k++;
        if (k < e && s[k] == ')')
            k++;
    } else if (k < e && s[k] == ')')
        k++;
    else
        return false;
    if (k >= e || (s[k] != ' ' && s[k] != '\t'))
        return false;
    *val = v;
    *end = k;
    return true;
}

/* Past a rule of three or more of one drawing character glued to the text
 * at I ("////////Header", "=====Title"), and the spaces after it: a
 * separator drawn with the keyboard is not part of the sentence. */
static size_t rule_end(const char *s, size_t i, size_t e) {
    if (i + 2 >= e || !s[i] || !strchr("/_*=-~#+|\\", s[i]) || s[i + 1] != s[i] || s[i + 2] != s[i])
        return i;
    size_t k = i + 3;
    while (k < e && s[k] == s[i])
        k++;
    return skip_sp(s, k, e);
}

/* Records the list marker that opens the sentence at START, and where its words begin. */
static void begin_sentence(sscan *sc, size_t start) {
    const char *s = sc->s;
    start = rule_end(s, start, sc->e);
    sc->start = start;
    sc->hold = 0;
    sc->marker = 0;
    size_t i = start;
    uint32_t c;
    size_t l;
    while ((l = seg_cp(s, i, sc->e, &c)) && (seg_bullet(c) || seg_space(c)))
        i += l;
    size_t end;
    if (list_marker(s, i, sc->e, &sc->marker, &sc->marker_val, &end))
        i = skip_sp(s, end, sc->e);
    sc->content = i;
}

/* True when [A, Z) has something to say: a letter, a digit, an ideograph. */
static bool speakable(const char *s, size_t a, size_t z) {
    for (size_t k = a; k < z;) {
        uint32_t c;
        k += seg_cp(s, k, z, &c);
        if (seg_letter(c) || seg_digit(c) || c > 0x2FFF)
            return true;
    }
    return false;
}

static bool push_sentence(seg_state *st, size_t a, size_t z) {
    const char *s = st->s;
    uint32_t c;
    size_t l;
    while ((l = seg_cp_back(s, a, z, &c)) && seg_space(c))
        z -= l;
    if (z <= a)
        return true;
    if (!speakable(s, a, z))
        return true; /* a rule of underscores or asterisks says nothing */
    nr_sentence *sn = nr_vec_push(&st->sents);
    if (!sn)
        return false;
    sn->start = a;
    sn->end = z;
    return true;
}

/* True when the word at I is one of SET. */
static bool word_in(const char *s, size_t i, size_t e, const nr_wordset *set) {
    size_t w = letters_end(s, i, e);
    return w > i && nr_wordset_has(set, s + i, w - i);
}

/* A list marker at I that opens an inline enumeration: its successor
 * follows soon ("a. here b. there", "1) The first 2) The second"). A number
 * must be followed by a capital ("for 1. above", "between 1) and 2)"). */
static bool inline_list_at(const char *s, size_t i, size_t e, int want_kind) {
    int kind;
    long v;
    size_t end;
    if (!list_marker(s, i, e, &kind, &v, &end) || s[i] == '(' || (want_kind && kind != want_kind))
        return false;
    if (kind == 2 && s[i] >= 'A' && s[i] <= 'Z')
        return false; /* "John A. Smith ... Jane B. Smith" are initials */
    if (kind == 1 && !(end + 1 < e && s[end + 1] >= 'A' && s[end + 1] <= 'Z'))
        return false;
    size_t limit = e - end > 240 ? end + 240 : e;
    for (size_t k = end; k + 2 < limit; k++) {
        int k2;
        long v2;
        size_t end2;
        if ((s[k] == ' ' || s[k] == '\n') && list_marker(s, k + 1, e, &k2, &v2, &end2) &&
            k2 == kind && v2 == v + 1)
            return true;
    }
    return false;
}

/* True when a sentence can open at I: a capital, a mark or bracket before
 * one, ¿ ¡, a bullet, or a dash before a capital. */
static bool opens_sentence(const char *s, size_t i, size_t e, int depth) {
    uint32_t c;
    size_t l = seg_cp(s, i, e, &c);
    if (!l)
        return false;
    if (seg_upper(c) || c == 0xBF || c == 0xA1 || seg_bullet(c))
        return true;
    if (depth > 2)
        return false;
    if (c == '(' || c == '[') {
        int kind;
        long v;
        size_t end;
        if (list_marker(s, i, e, &kind, &v, &end))
            return true;
        uint32_t c2;
        seg_cp(s, i + l, e, &c2);
        return seg_upper(c2) || seg_digit(c2) || seg_opener(c2);
    }
    /* an opening mark, TeX's `, or emphasis: "_Was_ I", "*Never* again" */
    if (seg_opener(c) || c == '`' || c == '_' || c == '*') {
        size_t k = i + l;
        if (c == 0xAB)
            k = skip_sp(s, k, e);
        uint32_t c2;
        seg_cp(s, k, e, &c2);
        return seg_digit(c2) || opens_sentence(s, k, e, depth + 1);
    }
    if (seg_dash(c)) {
        size_t k = i;
        while ((l = seg_cp(s, k, e, &c)) && (seg_dash(c) || seg_space(c)))
            k += l;
        seg_cp(s, k, e, &c);
        return seg_upper(c) || seg_opener(c);
    }
    return false;
}

/* Where the word that ends at I begins: back to a space, then past opening
 * marks and a French elision (l'U.E. -> U.E.). */
static size_t token_start(const sscan *sc, size_t i) {
    const char *s = sc->s;
    size_t t = i;
    uint32_t c;
    size_t l;
    while ((l = seg_cp_back(s, sc->start, t, &c)) && !seg_space(c))
        t -= l;
    while ((l = seg_cp(s, t, i, &c)) && (seg_opener(c) || seg_dash(c) || seg_bullet(c)))
        t += l;
    for (size_t k = i; k > t;) {
        l = seg_cp_back(s, t, k, &c);
        k -= l;
        if ((c == '\'' || c == 0x2019) && k - t <= 3 && k > t)
            return k + l;
    }
    return t;
}

/* Initials: capitals joined by periods or hyphens (J, W, J.-P, L.F). */
static bool initials(const char *s, size_t a, size_t z) {
    bool want_letter = true;
    for (size_t i = a; i < z;) {
        uint32_t c;
        size_t l = seg_cp(s, i, z, &c);
        if (want_letter) {
            if (!seg_upper(c))
                return false;
            want_letter = false;
        } else if (c == '.' || c == '-') {
            if (c == '.' && i + 1 < z && s[i + 1] == '-')
                l++;
            want_letter = true;
        } else
            return false;
        i += l;
    }
    return !want_letter;
}

/* Single letters joined by periods: e.g, i.e, a.m, f.e. */
static bool dotted(const char *s, size_t a, size_t z) {
    int letters = 0;
    for (size_t i = a; i < z;) {
        uint32_t c;
        size_t l = seg_cp(s, i, z, &c);
        if (!seg_letter(c))
            return false;
        i += l;
        letters++;
        if (i < z && s[i] != '.')
            return false;
        i += i < z;
    }
    return letters >= 2;
}

static bool all_caps(const char *s, size_t a, size_t z) {
    int n = 0;
    for (size_t i = a; i < z;) {
        uint32_t c;
        i += seg_cp(s, i, z, &c);
        if (!seg_upper(c))
            return false;
        n++;
    }
    return n >= 2;
}

/* A capitalised word that is not a sentence starter at I ("Code" in "U.S.
 * Flag Code"). */
static bool capitalised_word_at(const sscan *sc, size_t i) {
    uint32_t c;
    if (i >= sc->e || (seg_cp(sc->s, i, sc->e, &c), !seg_upper(c)))
        return false;
    size_t w = letters_end(sc->s, i, sc->e);
    return w > i + 1 && !nr_wordset_has(&sc->st->rules->starters, sc->s + i, w - i);
}

/* After an abbreviation that may end a sentence (DOTTED: one such as
 * "U.S."): does the word at NX open a new one? */
static bool break_after_abbr(const sscan *sc, size_t nx, bool dotted_abbr) {
    const char *s = sc->s;
    const nr_seg_rules *r = sc->st->rules;
    uint32_t c;
    size_t l = seg_cp(s, nx, sc->e, &c);
    if (c == '"' || c == 0x201C || c == 0xAB || c == 0x201E) {
        uint32_t c2;
        seg_cp(s, skip_sp(s, nx + l, sc->e), sc->e, &c2);
        return seg_upper(c2);
    }
    if (!seg_upper(c))
        return false;
    size_t w = letters_end(s, nx, sc->e);
    if (w < sc->e && s[w] == '.') {
        /* a.m. Gov. Hill, z. B.: a title or initial goes on with the sentence */
        if (nr_seg_abbr(r, s + nx, w + 1 - nx) == NR_ABBR_TITLE || initials(s, nx, w))
            return false;
    }
    bool starter = nr_wordset_has(&r->starters, s + nx, w - nx);
    if (r->starters_only || starter)
        return starter;
    if (nr_wordset_has(&r->continuations, s + nx, w - nx) || all_caps(s, nx, w))
        return false;
    /* "the U.S. Flag Code", "U.S. Games Systems": a name of capitalised
       words goes on after a dotted abbreviation */
    return !(dotted_abbr && capitalised_word_at(sc, skip_sp(s, w, sc->e)));
}

/* Does the single period at I end the sentence, NX being the next word? */
static bool period_ends(const sscan *sc, size_t i, size_t nx) {
    const char *s = sc->s;
    const nr_seg_rules *r = sc->st->rules;
    uint32_t next, before;
    seg_cp(s, nx, sc->e, &next);
    seg_cp_back(s, sc->b, i, &before);
    bool plain =
        opens_sentence(s, nx, sc->e, 0) || seg_digit(next) || inline_list_at(s, nx, sc->e, 2);
    size_t t = token_start(sc, i);
    if (t >= i || seg_closer(before))
        return plain;
    bool at_start = t <= sc->content;
    if (seg_digit(before)) {
        size_t d = t;
        while (d < i && (s[d] == '-' || (unsigned char)s[d] == 0xE2))
            d += s[d] == '-' ? 1 : 3;
        size_t n = 0;
        while (d + n < i && s[d + n] >= '0' && s[d + n] <= '9')
            n++;
        bool pure = d + n == i && n > 0;
        if (pure && at_start)
            return false; /* "1. The first item" */
        if (pure && r->ordinal_digits && (int)n <= r->ordinal_digits)
            return word_in(s, nx, sc->e, &r->starters); /* "am 12. Juni" */
        return plain;
    }
    nr_abbr_kind kind = nr_seg_abbr(r, s + t, i + 1 - t);
    if (kind == NR_ABBR_TITLE)
        return false;
    if (kind == NR_ABBR_NUMBER) {
        if (seg_digit(next) || (next == '(' && nx + 1 < sc->e && seg_digit((uint8_t)s[nx + 1])))
            return false;
        kind = NR_ABBR_GENERAL;
    }
    /* "U.S. Games sells ...": a sentence is never a dotted abbreviation alone */
    if ((kind == NR_ABBR_GENERAL || kind == NR_ABBR_NONE) && at_start && dotted(s, t, i))
        return false;
    if (kind == NR_ABBR_GENERAL)
        return break_after_abbr(sc, nx, dotted(s, t, i));
    if (initials(s, t, i)) {
        if (at_start)
            return false; /* "A. His name is ...", "J. R. R. Tolkien" */
        return opens_sentence(s, nx, sc->e, 0) && word_in(s, nx, sc->e, &r->starters);
    }
    if (dotted(s, t, i))
        return break_after_abbr(sc, nx, true);
    if (seg_digit(next) && all_caps(s, t, i))
        return false; /* "SEC. 1262" */
    return plain;
}

/* A period glued to a capital ("world.Today"): a sentence end unless in a
 * web address, an e-mail address, a file or domain name, or initials. */
static bool glued_end(const sscan *sc, size_t i, size_t next) {
    const char *s = sc->s;
    uint32_t c, c2;
    size_t l = seg_cp(s, next, sc->e, &c);
    seg_cp(s, next + l, sc->e, &c2);
    if (!seg_upper(c) || !seg_lower(c2))
        return false;
    size_t t = token_start(sc, i);
    size_t letters = 0, digits = 0;
    for (size_t k = t; k < i; k++) {
        unsigned char b = (unsigned char)s[k];
        if (b == '@' || b == '/' || b == ':' || b == '.' || b == '_')
            return false;
        letters += (b | 32) >= 'a' && (b | 32) <= 'z';
        digits += b >= '0' && b <= '9';
    }
    for (size_t k = next; k < sc->e && !seg_space((unsigned char)s[k]); k++)
        if (s[k] == '@' || s[k] == '/')
            return false;
    return letters >= 2 || digits >= 2;
}

/* Closing marks, brackets and footnote calls glued to a sentence end at J. */
static size_t closers_end(const sscan *sc, size_t j, bool plain_period, bool word_before) {
    const char *s = sc->s;
    for (;;) {
        uint32_t c;
        size_t l = seg_cp(s, j, sc->e, &c);
        if (!l)
            return j;
        if (seg_closer(c) && c != 0x201C && c != 0x2018) {
            j += l;
            continue;
        }
        if ((c == 0x201C || c == 0x2018) && (sc->st->rules->low_quotes)) {
            j += l;
            continue;
        }
        if (seg_fr_space(c)) {
            uint32_t c2;
            size_t l2 = seg_cp(s, j + l, sc->e, &c2);
            if (c2 == 0xBB) {
                j += l + l2;
                continue;
            }
            return j;
        }
        if (c == '[' && plain_period) {
            size_t k = j + 1;
            while (k < sc->e && s[k] >= '0' && s[k] <= '9')
                k++;
            if (k > j + 1 && k < sc->e && s[k] == ']') {
                j = k + 1;
                continue;
            }
        }
        if (seg_digit(c) && plain_period && word_before) {
            /* footnote calls: "martyr.12 The", "(1987).1 According" */
            size_t k = j;
            while (k < sc->e && k - j < 3 && s[k] >= '0' && s[k] <= '9')
                k++;
            if (k < sc->e && (s[k] >= '0' && s[k] <= '9'))
                return j;
            for (;;) {
                size_t m = k + 1, d = 0;
                if (k >= sc->e || s[k] != ' ')
                    break;
                while (m < sc->e && s[m] >= '0' && s[m] <= '9' && d < 3)
                    m++, d++;
                if (!d || m >= sc->e || s[m] != ' ' || !opens_sentence(s, m + 1, sc->e, 0))
                    break;
                k = m;
            }
            uint32_t after;
            seg_cp(s, k, sc->e, &after);
            if (after && !seg_space(after))
                return j;
            return k;
        }
        return j;
    }
}

/* Past a written-out line break between sentences at I ("\r\n", "\n" as a
 * word of its own, in text copied from a JSON string or a log) and the
 * spaces after it; I when there is none. */
static size_t escapes_end(const char *s, size_t i, size_t e) {
    size_t k = i;
    while (k + 1 < e && s[k] == '\\' && (s[k + 1] == 'n' || s[k + 1] == 'r' || s[k + 1] == 't'))
        k += 2;
    if (k == i || k >= e || (s[k] != ' ' && s[k] != '\t' && s[k] != '\n'))
        return i;
    return skip_sp(s, k, e);
}

/* After a run of dots at J: " 12", " 16-17" then the end of the line: the
 * dot leader of a table of contents. Returns the next line's start, or J. */
static size_t leader_end(const char *s, size_t j, size_t e) {
    size_t k = j;
    while (k < e && (s[k] == ' ' || s[k] == '\t'))
        k++;
    size_t d = k;
    while (k < e && ((s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == 'i' || s[k] == 'v' ||
                     s[k] == 'x'))
        k++;
    if (k == d || (k < e && s[k] != '\n' && s[k] != ' '))
        return j;
    while (k < e && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k >= e || s[k] == '\n' ? skip_sp(s, k, e) : j;
}

/* A spaced ellipsis ". . ." from J: returns its end, or J when there is none. */
static size_t spaced_ellipsis(const char *s, size_t j, size_t e) {
    size_t k = j;
    int n = 0;
    while (k + 1 < e && s[k] == ' ' && s[k + 1] == '.') {
        k += 2;
        n++;
        while (k < e && s[k] == '.')
            k++;
    }
    return n >= 2 ? k : j;
}

/* The sentence-end marks at I. Returns true when the sentence ends there,
 * with *SE its end and *NX the next sentence's start; *CONT is where the
 * scan goes on either way. */
static bool sentence_end(sscan *sc, size_t i, size_t l, uint32_t c, size_t *se, size_t *nx,
                         size_t *cont) {
    const char *s = sc->s;
    const nr_seg_rules *r = sc->st->rules;
    size_t e = sc->e;
    *cont = i + l;
    if (i < sc->content)
        return false; /* the period of a list marker: "a. The first item" */
    uint32_t before, after;
    seg_cp_back(s, sc->b, i, &before);
    seg_cp(s, i + l, e, &after);
    if (c == '.' && ((seg_digit(before) && seg_digit(after)) ||
                     ((seg_space(before) || !before) && (seg_letter(after) || seg_digit(after)))))
        return false; /* 3.5, .jpeg, .50 */
    if ((c == '!' || c == '?') && (seg_space(before) || !before) && seg_letter(after))
        return false; /* !Kung */
    size_t j = i;
    int dots = 0;
    bool qe = false, ell = false, wide = false;
    for (uint32_t t; (l = seg_cp(s, j, e, &t)) && seg_term(t); j += l) {
        dots += t == '.';
        qe |= t != '.' && t != 0x2026 && t != 0xFF0E && t != 0x3002;
        ell |= t == 0x2026;
        wide |= t == 0xFF0E || t == 0x3002;
    }
    if (dots >= 4 && leader_end(s, j, e) > j) {
        /* "About Me........ 5": a table of contents' leader and page are not read */
        size_t lead = i;
        while (s[lead] != '.')
            lead++;
        *se = lead;
        *nx = leader_end(s, j, e);
        return true;
    }
    if (dots >= 2)
        ell = true;

    if (dots == 1 && !qe && !ell) {
        size_t k = spaced_ellipsis(s, j, e);
        if (k > j) {
            if (seg_space(before) || !before) {
                ell = true; /* "a period . . . . Next" */
                j = k;
            } else {
                /* "compounds. . . . The practice": the period ends, the ellipsis opens */
                size_t n2 = skip_sp(s, k, e);
                if (opens_sentence(s, n2, e, 0) && !word_in(s, n2, e, &r->ellipsis_keep) &&
                    i >= sc->hold) {
                    *se = j;
                    *nx = j + 1;
                    return true;
                }
                *cont = k;
                return false;
            }
        }
    }
    if (i == sc->content) {
        *cont = j; /* ". . . The practice", "... and then" open the sentence */
        return false;
    }
    /* footnote calls come after a word ("martyr.12"), not an abbreviation ("No.12") */
    bool word_before = before == ')';
    if (seg_letter(before)) {
        size_t t = token_start(sc, i), n = 0;
        for (size_t k = t; k < i; k++)
            n += ((unsigned char)s[k] | 32) >= 'a' && ((unsigned char)s[k] | 32) <= 'z';
        word_before = n >= 3 && nr_seg_abbr(r, s + t, i + 1 - t) == NR_ABBR_NONE;
    }
    size_t k = closers_end(sc, j, dots == 1 && !qe && !ell, word_before);
    *cont = k;
    if (i < sc->hold && k <= sc->hold)
        return false; /* inside a bracket, unless it closes here: "(at last.) Then" */
    size_t n = skip_sp(s, k, e);
    if (n > k)
        n = escapes_end(s, n, e);
    if (n >= e)
        return false;
    if (n == k) {
        uint32_t nc;
        seg_cp(s, n, e, &nc);
        if (wide || (dots == 1 && !qe && !ell && k == j && glued_end(sc, i, n))) {
            *se = *nx = n;
            return true;
        }
        return false;
    }
    bool brk;
    if (qe)
        brk = opens_sentence(s, n, e, 0) || inline_list_at(s, n, e, 0);
    else if (ell)
        brk = opens_sentence(s, n, e, 0) && !word_in(s, n, e, &r->ellipsis_keep) && before != '[' &&
              before != '(';
    else
        brk = period_ends(sc, i, n);
    if (!brk)
        return false;
    *se = k;
    *nx = n;
    return true;
}

/* A bracket opened mid-sentence holds sentence ends until it closes, when
 * it closes soon in the block: "(Ind.) said he", "[16: firma? 13:28]". */
static void maybe_hold(sscan *sc, size_t i) {
    const char *s = sc->s;
    if (i <= sc->content || i < sc->hold || i < sc->unclosed)
        return;
    char open = s[i], close = open == '(' ? ')' : ']';
    int depth = 0;
    size_t limit = sc->e - i > 600 ? i + 600 : sc->e, k = i;
    for (; k < limit && s[k] != '\n'; k++) {
        if (s[k] == open)
            depth++;
        else if (s[k] == close && --depth == 0) {
            sc->hold = k;
            return;
        }
    }
    sc->unclosed = k; /* brackets opened before K do not close soon either */
}

/* A list item, a bullet or a dialogue turn starting at K mid-sentence. */
static bool item_starts(sscan *sc, size_t k, bool after_newline) {
    const char *s = sc->s;
    if (k <= sc->content || k < sc->hold)
        return false;
    unsigned char b0 = (unsigned char)s[k], b1 = k + 1 < sc->e ? (unsigned char)s[k + 1] : 0;
    bool maybe_marker = (b0 >= '0' && b0 <= '9') || b0 == '(' ||
                        (((b0 | 32) >= 'a' && (b0 | 32) <= 'z') && (b1 == '.' || b1 == ')'));
    if (b0 < 0x80 && !maybe_marker)
        return false; /* the common case: a word */
    uint32_t c;
    seg_cp(s, k, sc->e, &c);
    if (seg_bullet(c))
        return true;
    if (after_newline && nr_seg_is_turn(s, k, sc->e, NULL))
        return true;
    int kind;
    long v;
    size_t end;
    if (inline_list_at(s, k, sc->e, 0))
        return true;
    if (!sc->marker || !list_marker(s, k, sc->e, &kind, &v, &end))
        return false;
    if (kind != sc->marker || v != sc->marker_val + 1)
        return false;
    if (kind == 1 && s[end - 1] == '.') {
        uint32_t w;
        seg_cp(s, skip_sp(s, end, sc->e), sc->e, &w);
        return seg_upper(w);
    }
    return true;
}

static const unsigned char interesting[256] = {
    ['.'] = 1, ['!'] = 1,  ['?'] = 1,  ['('] = 2, ['['] = 2,
    [' '] = 3, ['\n'] = 4, ['\t'] = 3, ['-'] = 5,
};

/* Speech broken off: a dash glued to a word, a closing mark, then a new
 * sentence ("afore she comes, to--" At this moment"). At I, a dash; sets
 * *SE after the mark and *NX where the next sentence opens. */
static bool broken_off(const sscan *sc, size_t i, size_t *se, size_t *nx) {
    const char *s = sc->s;
    uint32_t c, before;
    size_t l = seg_cp(s, i, sc->e, &c), k = i;
    if (!seg_cp_back(s, sc->b, i, &before) || !seg_letter(before) || i < sc->hold)
        return false;
    size_t dashes = 0;
    while ((l = seg_cp(s, k, sc->e, &c)) && seg_dash(c))
        k += l, dashes++;
    if (!dashes || (dashes == 1 && s[i] == '-'))
        return false; /* a hyphen */
    if (!(l = seg_cp(s, k, sc->e, &c)) || (c != '"' && c != 0x201D && c != 0xBB && c != 0x2019))
        return false;
    k += l;
    size_t n = skip_sp(s, k, sc->e);
    if (n == k || n >= sc->e || !opens_sentence(s, n, sc->e, 0))
        return false;
    *se = k;
    *nx = n;
    return true;
}

/* Splits the block [B, E) into sentences, appended to st->sents. */
static bool split_block(seg_state *st, size_t b, size_t e) {
    const char *s = st->s;
    sscan sc = {.st = st, .s = s, .b = b, .e = e};
    begin_sentence(&sc, skip_sp(s, b, e));
    size_t i = sc.start;
    while (i < e) {
        unsigned char byte = (unsigned char)s[i];
        if (byte < 0x80 ? !interesting[byte] : byte != 0xE2 && byte != 0xE3 && byte != 0xEF) {
            /* sentence marks beyond ASCII (… ！ 。) all start with E2, E3 or EF */
            i += seg_seq_len(byte);
            continue;
        }
        if (byte == ' ' || byte == '\t' || byte == '\n') {
            size_t k = skip_sp(s, i, e);
            if (byte == '\n' && !speakable(s, sc.start, i)) {
                begin_sentence(&sc, k); /* a line of underscores before the text */
                i = k;
                continue;
            }
            if (k < e && item_starts(&sc, k, memchr(s + i, '\n', k - i) != NULL)) {
                if (!push_sentence(st, sc.start, i))
                    return false;
                begin_sentence(&sc, k);
            }
            i = k;
            continue;
        }
        if (byte == '(' || byte == '[') {
            maybe_hold(&sc, i);
            i++;
            continue;
        }
        uint32_t c;
        size_t l = seg_cp(s, i, e, &c);
        size_t se, nx, cont;
        if (seg_dash(c) && broken_off(&sc, i, &se, &nx)) {
            if (!push_sentence(st, sc.start, se))
                return false;
            begin_sentence(&sc, nx);
            i = nx;
            continue;
        }
        if (!seg_term(c)) {
            i += l;
            continue;
        }
        if (sentence_end(&sc, i, l, c, &se, &nx, &cont)) {
            if (!push_sentence(st, sc.start, se))
                return false;
            begin_sentence(&sc, nx);
            i = nx;
        } else
            i = cont > i ? cont : i + l;
    }
    return push_sentence(st, sc.start, e);
}

/* ---- spans ---- */

static bool push_span(seg_state *st, nr_span_kind kind, size_t a, size_t z, const seg_part *p,
                      bool cont, bool recovered) {
    nr_span *sp = nr_vec_push(&st->spans);
    if (!sp)
        return false;
    *sp = (nr_span){.kind = kind, .start = a, .end = z, .speaker = -1, .voice = 0};
    if (p) {
        sp->quote = p->quote;
        sp->continues = cont;
        sp->recovered = recovered;
    }
    return true;
}

/* Narration over [A, Z), without the quotation marks and spaces at its ends. */
static bool push_narration(seg_state *st, size_t a, size_t z, size_t *mark) {
    const char *s = st->s;
    const seg_mark *m = st->marks.data;
    for (bool moved = true; moved && a < z;) {
        moved = false;
        uint32_t c;
        size_t l;
        while ((l = seg_cp(s, a, z, &c)) && seg_space(c))
            a += l, moved = true;
        while ((l = seg_cp_back(s, a, z, &c)) && seg_space(c))
            z -= l, moved = true;
        while (*mark < st->marks.len && m[*mark].end <= a)
            (*mark)++;
        for (size_t k = *mark; k < st->marks.len && m[k].start < z; k++) {
            if (m[k].start <= a && m[k].end > a)
                a = m[k].end, moved = true;
            if (m[k].end >= z && m[k].start < z && m[k].start >= a)
                z = m[k].start, moved = true;
        }
    }
    return a >= z || push_span(st, NR_SPAN_NARRATION, a, z, NULL, false, false);
}

/* The spans of the sentence SN: quotation parts cut to it, narration between. */
static bool sentence_spans(seg_state *st, nr_sentence *sn, size_t *part, size_t *mark) {
    const char *s = st->s;
    const seg_part *p = st->parts.data;
    st->spans.len = 0;
    size_t pos = sn->start;
    while (*part < st->parts.len && p[*part].end <= sn->start)
        (*part)++;
    for (size_t k = *part; k < st->parts.len && p[k].start < sn->end; k++) {
        size_t a = p[k].start > sn->start ? p[k].start : sn->start;
        size_t z = p[k].end < sn->end ? p[k].end : sn->end;
        uint32_t c;
        size_t l;
        while ((l = seg_cp(s, a, z, &c)) && seg_space(c))
            a += l;
        while ((l = seg_cp_back(s, a, z, &c)) && seg_space(c))
            z -= l;
        if (a >= z)
            continue;
        if (!push_narration(st, pos, a, mark))
            return false;
        bool cont = p[k].continues || p[k].start < sn->start;
        bool rec = p[k].recovered && p[k].end <= sn->end; /* on the last piece only */
        if (!push_span(st, NR_SPAN_QUOTE, a, z, &p[k], cont, rec))
            return false;
        pos = z;
    }
    if (!st->spans.len) {
        if (!push_span(st, NR_SPAN_NARRATION, sn->start, sn->end, NULL, false, false))
            return false;
    } else if (!push_narration(st, pos, sn->end, mark))
        return false;
    sn->spans = nr_arena_memdup(st->doc->arena, st->spans.data, st->spans.len, sizeof(nr_span));
    sn->n_spans = st->spans.len;
    return sn->spans != NULL;
}

/* ---- dialogue turns ---- */

/* True when the turn block [B, E) ends with a question (or trails off). */
static bool turn_asks(const char *s, size_t b, size_t e) {
    while (e > b) {
        uint32_t c;
        size_t l = seg_cp_back(s, b, e, &c);
        if (seg_space(c) || seg_closer(c)) {
            e -= l;
            continue;
        }
        return c == '?' || c == 0x2026 || (c == '.' && e - b >= 3 && s[e - 2] == '.');
    }
    return false;
}

/* Marks each block's dialogue role. In a run of at least four turns where
 * every other turn asks and the others answer, the askers are an
 * interviewer: the article's own voice, narration. Otherwise every turn is
 * speech. */
static bool find_turns(seg_state *st) {
    nr_doc *doc = st->doc;
    size_t n = doc->blocks.len;
    st->turns = nr_arena_alloc(doc->arena, n ? n : 1);
    if (!st->turns)
        return false;
    if (!st->rules->dash_dialogue)
        return true;
    for (size_t i = 0; i < n;) {
        nr_block *bl = &NR_BLOCK(doc, i);
        if (!nr_seg_is_turn(st->s, bl->start, bl->end, NULL)) {
            i++;
            continue;
        }
        size_t idx[256], cnt = 0, j = i, gap = 0;
        for (; j < n && cnt < 256; j++) {
            nr_block *bj = &NR_BLOCK(doc, j);
            if (nr_seg_is_turn(st->s, bj->start, bj->end, NULL)) {
                idx[cnt++] = j;
                gap = 0;
            } else if (++gap > 1 || bj->kind == NR_BLOCK_HEADING || bj->kind == NR_BLOCK_TITLE)
                break;
        }
        size_t asks_even = 0, asks_odd = 0;
        for (size_t k = 0; k < cnt; k++) {
            nr_block *bk = &NR_BLOCK(doc, idx[k]);
            bool a = turn_asks(st->s, bk->start, bk->end);
            if (k % 2 == 0)
                asks_even += a;
            else
                asks_odd += a;
        }
        size_t n_even = (cnt + 1) / 2, n_odd = cnt / 2;
        bool interview = cnt >= 4 && asks_even * 10 >= n_even * 6 && asks_odd * 10 <= n_odd * 2;
        for (size_t k = 0; k < cnt; k++)
            st->turns[idx[k]] = interview && k % 2 == 0 ? SEG_TURN_QUESTION : SEG_TURN_SPEECH;
        i = idx[cnt - 1] + 1;
    }
    return true;
}

/* The index of the sentence of st->sents holding byte I, or the count. */
static size_t sentence_at(const seg_state *st, size_t i) {
    const nr_sentence *sn = st->sents.data;
    size_t k = 0;
    while (k < st->sents.len && sn[k].end <= i)
        k++;
    return k < st->sents.len && sn[k].start <= i ? k : st->sents.len;
}

/* A quotation embedded on both sides in the sentence that carries it
 * (narration before its opening mark; after its closing mark the sentence
 * goes on in lower case, or with a bracket in lower case): 'called out,
 * "The Queen! The Queen!" and the gardeners fell flat' is one sentence, as
 * cut at its inner ends the sentence would lose its middle. A quotation
 * that opens or closes its sentence is still cut at its inner ends. */
static void join_embedded(seg_state *st) {
    const char *s = st->s;
    const seg_part *p = st->parts.data;
    nr_sentence *sn = st->sents.data;
    for (size_t k = 0; k < st->parts.len; k++) {
        if (p[k].continues || p[k].recovered || p[k].end <= p[k].start)
            continue;
        size_t a = sentence_at(st, p[k].start), z = sentence_at(st, p[k].end - 1);
        if (a >= st->sents.len || z >= st->sents.len || z <= a)
            continue;
        /* narration before the opening mark, in the same sentence */
        size_t om = p[k].start;
        uint32_t c;
        size_t l;
        while ((l = seg_cp_back(s, sn[a].start, om, &c)) && (seg_opener(c) || seg_space(c)))
            om -= l;
        if (!speakable(s, sn[a].start, om))
            continue;
        /* the sentence goes on after the closing mark */
        size_t cm = p[k].end;
        while ((l = seg_cp(s, cm, sn[z].end, &c)) && (seg_closer(c) || seg_space(c)) && c != ')')
            cm += l;
        if (cm == p[k].end || !(l = seg_cp(s, cm, sn[z].end, &c)))
            continue;
        if (c == '(') /* "(translated by ...)", not "(Which was true.)" */
            seg_cp(s, cm + l, sn[z].end, &c);
        if (!seg_lower(c))
            continue;
        sn[a].end = sn[z].end;
        memmove(&sn[a + 1], &sn[z + 1], (st->sents.len - z - 1) * sizeof *sn);
        st->sents.len -= z - a;
    }
}

static bool segment_block(seg_state *st, size_t bi) {
    nr_doc *doc = st->doc;
    nr_block *bl = &NR_BLOCK(doc, bi);
    st->sents.len = 0;
    if (!split_block(st, bl->start, bl->end))
        return false;
    bool next_opens = false;
    if (bi + 1 < doc->blocks.len) {
        nr_block *nb = &NR_BLOCK(doc, bi + 1);
        next_opens = nb->kind != NR_BLOCK_TITLE && nb->kind != NR_BLOCK_HEADING &&
                     nr_seg_block_opens(st, nb->start, nb->end);
    }
    if (!nr_seg_quotes(st, bl->start, bl->end, next_opens, st->turns[bi]))
        return false;
    join_embedded(st);
    size_t part = 0, mark = 0;
    for (size_t k = 0; k < st->sents.len; k++)
        if (!sentence_spans(st, &NR_VEC_AT(&st->sents, nr_sentence, k), &part, &mark))
            return false;
    bl->sents = nr_arena_memdup(doc->arena, st->sents.data, st->sents.len, sizeof(nr_sentence));
    bl->n_sents = st->sents.len;
    return !st->sents.len || bl->sents;
}

/* A block left without a sentence (a lone ")" or "*" between two tags)
 * has nothing to say: it goes, so no stage meets an empty block. */
static void drop_silent_blocks(nr_doc *doc) {
    size_t k = 0;
    for (size_t i = 0; i < doc->blocks.len; i++)
        if (NR_BLOCK(doc, i).n_sents > 0)
            NR_BLOCK(doc, k++) = NR_BLOCK(doc, i);
    doc->blocks.len = k;
}

nr_status nr_segment(nr_ctx *ctx, nr_doc *doc) {
    seg_state st = {.ctx = ctx, .doc = doc, .s = doc->text, .carried_id = -1};
    st.rules = nr_seg_rules_get(ctx, doc->lang);
    if (!st.rules)
        return strncmp(ctx->err, "out of memory", 13) ? NR_E_DATA : NR_E_NOMEM;
    nr_vec_init(&st.sents, sizeof(nr_sentence));
    nr_vec_init(&st.parts, sizeof(seg_part));
    nr_vec_init(&st.marks, sizeof(seg_mark));
    nr_vec_init(&st.spans, sizeof(nr_span));
    bool ok = find_turns(&st);
    for (size_t i = 0; ok && i < doc->blocks.len; i++)
        ok = segment_block(&st, i);
    if (ok)
        drop_silent_blocks(doc);
    nr_vec_free(&st.sents);
    nr_vec_free(&st.parts);
    nr_vec_free(&st.marks);
    nr_vec_free(&st.spans);
    return ok ? NR_OK : nr_fail(ctx, NR_E_NOMEM, "out of memory");
}
