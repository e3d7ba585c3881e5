/* words.c: words that eSpeak reads wrong as written: Roman numerals
 * ("XIXe", "Louis XIV", "World War II"), acronyms (spelled or said as a
 * word), and, with keep_lang, names that would switch eSpeak to English. */
#include <stdio.h>
#include <string.h>

#include "numwords.h"
#include "scan.h"

static int roman_value(char c) {
    switch (c) {
    case 'I':
        return 1;
    case 'V':
        return 5;
    case 'X':
        return 10;
    case 'L':
        return 50;
    case 'C':
        return 100;
    default:
        return 0;
    }
}

/* The value of a Roman numeral (I V X L C) written canonically, or 0.
 * L and C only in numerals of three letters or more: "CV", "XL" are more
 * often abbreviations. */
static unsigned roman(const char *s, size_t n) {
    if (!n || n > 9)
        return 0;
    if (n < 3 && (memchr(s, 'L', n) || memchr(s, 'C', n)))
        return 0;
    unsigned v = 0;
    for (size_t k = 0; k < n; k++) {
        int a = roman_value(s[k]), b = k + 1 < n ? roman_value(s[k + 1]) : 0;
        if (!a)
            return 0;
        v += (unsigned)(a < b ? -a : a);
    }
    /* canonical check: write it back */
    static const char *const hundreds[] = {"", "C", "CC", "CCC"};
    static const char *const tens[] = {"", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"};
    static const char *const ones[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
    if (v == 0 || v >= 400)
        return 0;
    char back[24];
    int bl =
        snprintf(back, sizeof back, "%s%s%s", hundreds[v / 100], tens[v / 10 % 10], ones[v % 10]);
    return ((size_t)bl == n && !memcmp(back, s, n)) ? v : 0;
}

/* "XIXe", "Ier", "IIe": a Roman numeral carrying an ordinal suffix. */
static bool try_roman_ordinal(nr_scan *sc, size_t wend) {
    size_t p = sc->i;
    if (!roman_value(sc->s[p]))
        return false;
    while (p < wend && roman_value(sc->s[p]) && roman_value(sc->s[p]) <= 10)
        p++;
    unsigned v = roman(sc->s + sc->i, p - sc->i);
    bool fem, plural;
    size_t e;
    if (!v || p == wend || !nr_sc_ordinal_suffix(sc, p, v == 1, &e, &fem, &plural) || e != wend ||
        plural)
        return false; /* "Vers" is a word, not "Ve" in the plural */
    if (!nr_sc_emit_ordinal(sc, v, fem, plural))
        return false;
    sc->i = wend;
    emit_end(sc, wend);
    return true;
}

/* "Louis XIV", "Henry VIII", "World War II". */
static bool try_roman_after_name(nr_scan *sc, size_t wend) {
    size_t len = wend - sc->i;
    if (!roman_value(sc->s[sc->i]))
        return false;
    unsigned v = roman(sc->s + sc->i, len);
    const char *style = num_val(sc, "roman-after-name");
    if (!v || !style)
        return false;
    /* after a listed word in any case ("World War II", "type II"), after a
     * name ("Louis XIV"), or anywhere where the language says so: French
     * numerals of two letters or more are numbers ("tome III") */
    bool listed = prev_word_in(sc, sc->i, num_val(sc, "roman-cardinal-after"));
    const char *anywhere = num_val(sc, "roman-anywhere");
    bool free_standing = anywhere && !strcmp(anywhere, "yes") && len >= 2;
    if (!listed && !prev_is_name(sc, sc->i) && !free_standing)
        return false;
    bool cardinal = !strcmp(style, "cardinal");
    /* a lone I, V or X only after a listed word ("World War I"), or where
     * the language allows it ("Charles X") */
    const char *single = num_val(sc, "roman-single-letters");
    if (len < 2 && !listed && !(single && strchr(single, sc->s[sc->i])))
        return false;
    cardinal = cardinal || listed;
    nr_buf w;
    nr_buf_init(&w);
    if (cardinal) {
        nr_sp_cardinal(sc->r, v, &w);
        if (w.len && w.data[0] >= 'a' && w.data[0] <= 'z' && !sc->fr && sc->prev_cap)
            w.data[0] = (char)(w.data[0] - 32);
    } else {
        const char *the = num_val(sc, "roman-article");
        if (the) {
            nr_buf_adds(&w, the);
            nr_buf_addc(&w, ' ');
        }
        size_t mark = w.len;
        nr_sp_ordinal(sc->r, v, false, &w);
        if (w.len > mark && w.data[mark] >= 'a' && w.data[mark] <= 'z')
            w.data[mark] = (char)(w.data[mark] - 32);
    }
    bool ok = nr_buf_ok(&w) && w.len;
    if (ok) {
        emit_words(sc, w.data, w.len);
        sc->i = wend;
        emit_end(sc, wend);
    }
    nr_buf_free(&w);
    return ok;
}

/* Spells an acronym so eSpeak says its letters: "A.F.P". */
static void emit_spelled(nr_scan *sc, size_t a, size_t b) {
    nr_buf *o = sc->out;
    /* eSpeak reads a capital "L'" before spelled letters as "L apostrophe" */
    size_t ol = o->len;
    if (ol >= 2 && o->data[ol - 1] == '\'' && o->data[ol - 2] == 'L' &&
        (ol == 2 || !is_alnum((unsigned char)o->data[ol - 3])))
        o->data[ol - 2] = 'l';
    else if (ol >= 4 && !memcmp(o->data + ol - 3, "\xE2\x80\x99", 3) && o->data[ol - 4] == 'L' &&
             (ol == 4 || !is_alnum((unsigned char)o->data[ol - 5])))
        o->data[ol - 4] = 'l';
    for (size_t p = a, l; p < b; p += l) {
        cp_at(sc, p, &l);
        if (p > a)
            nr_buf_addc(o, '.');
        nr_buf_add(o, sc->s + p, l);
    }
}

static bool is_vowel(char c) { return strchr("AEIOUY", c) != NULL; }

/* The rule for acronyms not in the table: a word when it can be said as
 * one (NASA, OTAN, UNESCO), letters otherwise (SNCF, FBI, OCDE). */
bool nr_sc_pronounceable(const char *s, size_t n) {
    if (n < 4 || n > 8)
        return false;
    size_t vowels = 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[k];
        if (c < 'A' || c > 'Z')
            return false;
        vowels += is_vowel(c);
    }
    if (vowels * 4 < n || vowels == n)
        return false;
    for (size_t k = 0; k + 1 < n; k++) {
        char a = s[k], b = s[k + 1];
        if (is_vowel(a) || is_vowel(b))
            continue;
        if (k + 2 < n && !is_vowel(s[k + 2]))
            return false; /* three consonants */
        bool liquid = strchr("LR", b) != NULL, first = strchr("MNLRS", a) != NULL;
        if (k == 0 && !(liquid || (a == 'S' && strchr("CPTK", b))))
            return false;
        if (k + 2 == n) { /* a final pair: "-NT", "-DS", "-CT" */
            if (!(first || b == 'S' || (b == 'T' && strchr("CPKF", a))))
                return false;
            continue;
        }
        if (!liquid && !first)
            return false;
    }
    if (n >= 2 && is_vowel(s[0]) && is_vowel(s[1]) && s[0] == s[1])
        return false;
    return true;
}

/* True when [A, B) is a word of two or more capitals. */
bool nr_sc_caps_span(const nr_scan *sc, size_t a, size_t b) {
    size_t n = 0, l;
    for (size_t p = a; p < b; p += l, n++)
        if (!nr_sp_is_upper(cp_at(sc, p, &l)))
            return false;
    return n >= 2;
}

static bool caps_word_next(const nr_scan *sc, size_t pos) {
    size_t a = skip_hspace(sc, pos);
    if (a == pos)
        return false;
    return nr_sc_caps_span(sc, a, letters_end(sc, a));
}

static bool caps_word_prev(const nr_scan *sc) {
    return sc->prev_end != SIZE_MAX && skip_hspace(sc, sc->prev_end) == sc->i &&
           nr_sc_caps_span(sc, sc->prev_start, sc->prev_end);
}

/* An all-capital word: the table says spell, word, or a respelling; else
 * the rule. Also "NGOs": the acronym with a plural s. */
static bool try_acronym(nr_scan *sc, size_t wend) {
    size_t p = sc->i, l, caps = 0;
    while (p < wend && nr_sp_is_upper(cp_at(sc, p, &l)))
        p += l, caps++;
    size_t aend = p;
    bool plural = false;
    if (p < wend) {
        if (p + 1 == wend && sc->s[p] == 's' && caps >= 2)
            plural = true;
        else
            return false;
    }
    if (caps < 2 || caps > 10)
        return false; /* long runs of capitals: never a string of dotted letters */
    bool listed = nr_sp_get(&sc->r->acronyms, sc->s + sc->i, aend - sc->i) != NULL;
    if (!listed && !plural && (caps_word_next(sc, wend) || caps_word_prev(sc)))
        return false; /* a line in capitals is words, not acronyms */
    /* "U.S."-style and "COVID-19" stay as written; so do words glued to digits */
    if (aend < sc->n && is_digit((unsigned char)sc->s[aend]))
        return false;
    const nr_sp_entry *e = nr_sp_get(&sc->r->acronyms, sc->s + sc->i, aend - sc->i);
    const char *how = e ? e->val[0] : NULL;
    bool spell;
    if (how && !strcmp(how, "spell"))
        spell = true;
    else if (how && !strcmp(how, "word"))
        spell = false;
    else if (how && *how) {
        emit_s(sc, how);
        if (plural && !sc->fr)
            nr_buf_addc(sc->out, 's');
        sc->i = wend;
        return true;
    } else
        spell = !nr_sc_pronounceable(sc->s + sc->i, aend - sc->i);
    if (spell) {
        emit_words(sc, "", 0);
        emit_spelled(sc, sc->i, aend);
        if (plural && !sc->fr)
            nr_buf_adds(sc->out, "'s");
    } else {
        /* one capital then small letters: eSpeak then never spells it */
        emit_words(sc, sc->s + sc->i, cp_at(sc, sc->i, &l) ? l : 0);
        for (size_t q = sc->i + l, ql; q < aend; q += ql) {
            uint32_t c = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp_at(sc, q, &ql));
            char enc[4];
            nr_buf_add(sc->out, enc, nr_utf8_encode(c, enc));
        }
        if (plural && !sc->fr)
            nr_buf_addc(sc->out, 's');
    }
    sc->i = wend;
    return true;
}

/* Respells a capitalised word by table T: "=Word" replaces a whole word,
 * "^x" a start, "x$" an end, "x" anything, longest first. respell.txt is
 * always applied (French "McConnell" would be spelled "M C"); keep-lang.txt
 * only with keep_lang, for names that make eSpeak switch to English
 * phonemes ("Blinken" -> "Blinkène"). */
static bool try_respell(nr_scan *sc, size_t wend, const nr_sp_table *t, const nr_sp_filter *f) {
    size_t wl = wend - sc->i;
    if (!t->count || wl > 64 || !nr_sp_is_upper(cp_at(sc, sc->i, NULL)) ||
        nr_sc_caps_span(sc, sc->i, wend))
        return false;
    const char *w = sc->s + sc->i;
    char key[80];
    const nr_sp_entry *e = NULL;
    if (f->whole) {
        key[0] = '=';
        memcpy(key + 1, w, wl);
        e = nr_sp_get(t, key, wl + 1);
    }
    if (e) {
        emit_s(sc, e->val[0]);
        sc->i = wend;
        return true;
    }
    bool ends = f->end[(unsigned char)w[wl - 1]];
    nr_buf o;
    nr_buf_init(&o);
    size_t copied = 0; /* w[copied..p) is still to be copied to O */
    for (size_t p = 0; p < wl;) {
        const nr_sp_entry *hit = NULL;
        size_t kmax = wl - p < 6 ? wl - p : 6;
        bool start = p == 0 && f->start[(unsigned char)w[0]];
        bool any = f->any[(unsigned char)w[p]];
        for (size_t k = kmax; k >= 1 && !hit && (start || any || ends); k--) {
            if (start) {
                key[0] = '^';
                memcpy(key + 1, w, k);
                hit = nr_sp_get(t, key, k + 1);
            }
            if (!hit && ends && p + k == wl) {
                memcpy(key, w + p, k);
                key[k] = '$';
                hit = nr_sp_get(t, key, k + 1);
            }
            if (!hit && any)
                hit = nr_sp_get(t, w + p, k);
        }
        if (!hit) {
            p++;
            continue;
        }
        nr_buf_add(&o, w + copied, p - copied);
        nr_buf_adds(&o, hit->val[0]);
        p += hit->klen - (hit->key[0] == '^' || hit->key[hit->klen - 1] == '$');
        copied = p;
    }
    bool changed = copied > 0;
    if (changed) {
        nr_buf_add(&o, w + copied, wl - copied);
        if (nr_buf_ok(&o))
            emit_words(sc, o.data, o.len);
        sc->i = wend;
    }
    nr_buf_free(&o);
    return changed;
}

static bool try_keep_lang(nr_scan *sc, size_t wend) {
    return sc->ctx && sc->ctx->keep_lang &&
           try_respell(sc, wend, &sc->r->keeplang, &sc->r->keeplang_f);
}

void nr_sc_note_word(nr_scan *sc, size_t start, size_t end) {
    sc->prev_word_start = start;
    sc->prev_word_end = end;
    sc->prev_start = start;
    sc->prev_end = end;
    sc->prev_cap = nr_sp_is_upper(cp_at(sc, start, NULL));
}

void nr_sc_word(nr_scan *sc) {
    size_t start = sc->i, wend = letters_end(sc, sc->i);
    bool done = try_roman_ordinal(sc, wend) || try_roman_after_name(sc, wend) ||
                try_acronym(sc, wend) || try_keep_lang(sc, wend) ||
                try_respell(sc, wend, &sc->r->respell, &sc->r->respell_f);
    if (!done)
        copy_to(sc, wend);
    nr_sc_note_word(sc, start, wend);
}
