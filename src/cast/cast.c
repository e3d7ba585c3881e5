/* cast.c: voices for the narrator and the speakers, from voices/profiles.ini
 * and voices/[<lang>/]cast.ini, with the user's --cast file on top. */
#include "cast.h"

#include "../synth/engine.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_PROFILES = 64, MAX_POOL = 16 };

typedef struct profile {
    char name[32];
    char variant[32];
    int rate, pitch, range, volume;
} profile;

typedef struct cast_rules {
    profile profiles[MAX_PROFILES];
    size_t n_profiles;
    nr_pauses pauses;
    float title_rate;
    char narrator[32];
    char pools[3][MAX_POOL][32]; /* male, female, neutral */
    size_t pool_len[3];
    char espeak[32];
} cast_rules;

static profile *find_profile(cast_rules *r, const char *name) {
    for (size_t i = 0; i < r->n_profiles; i++)
        if (!strcmp(r->profiles[i].name, name))
            return &r->profiles[i];
    return NULL;
}

static int on_profile(void *user, const char *section, const char *key, const char *value) {
    cast_rules *r = user;
    if (!strcmp(section, "pauses")) {
        int v = atoi(value);
        if (!strcmp(key, "sentence"))
            r->pauses.sentence = v;
        else if (!strcmp(key, "paragraph"))
            r->pauses.paragraph = v;
        else if (!strcmp(key, "heading"))
            r->pauses.heading = v;
        else if (!strcmp(key, "title"))
            r->pauses.title = v;
        else if (!strcmp(key, "quote"))
            r->pauses.quote = v;
        else if (!strcmp(key, "title_rate"))
            r->title_rate = (float)atof(value);
        else
            return 0;
        return 1;
    }
    profile *p = find_profile(r, section);
    if (!p) {
        if (r->n_profiles == MAX_PROFILES)
            return 0;
        p = &r->profiles[r->n_profiles++];
        *p = (profile){.rate = 175, .pitch = 50, .range = 50, .volume = 100};
        snprintf(p->name, sizeof p->name, "%s", section);
    }
    if (!strcmp(key, "variant"))
        snprintf(p->variant, sizeof p->variant, "%s", value);
    else if (!strcmp(key, "rate"))
        p->rate = atoi(value);
    else if (!strcmp(key, "pitch"))
        p->pitch = atoi(value);
    else if (!strcmp(key, "range"))
        p->range = atoi(value);
    else if (!strcmp(key, "volume"))
        p->volume = atoi(value);
    else
        return 0;
    return 1;
}

static void set_pool(cast_rules *r, int which, const char *value) {
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", value);
    r->pool_len[which] = 0;
    for (char *save, *tok = strtok_r(tmp, " ,\t", &save); tok && r->pool_len[which] < MAX_POOL;
         tok = strtok_r(NULL, " ,\t", &save))
        snprintf(r->pools[which][r->pool_len[which]++], 32, "%s", tok);
}

static int on_cast(void *user, const char *section, const char *key, const char *value) {
    cast_rules *r = user;
    if (strcmp(section, "cast"))
        return 0;
    if (!strcmp(key, "narrator"))
        snprintf(r->narrator, sizeof r->narrator, "%s", value);
    else if (!strcmp(key, "male"))
        set_pool(r, 0, value);
    else if (!strcmp(key, "female"))
        set_pool(r, 1, value);
    else if (!strcmp(key, "neutral"))
        set_pool(r, 2, value);
    else if (!strcmp(key, "espeak"))
        snprintf(r->espeak, sizeof r->espeak, "%s", value);
    else
        return 0;
    return 1;
}

static void *load_rules(nr_ctx *ctx, const char *lang) {
    cast_rules *r = calloc(1, sizeof *r);
    if (!r) {
        nr_fail(ctx, NR_E_NOMEM, "out of memory");
        return NULL;
    }
    r->pauses = (nr_pauses){300, 650, 800, 1000, 120};
    r->title_rate = 0.9f;
    snprintf(r->narrator, sizeof r->narrator, "narrator");
    const char *text = nr_data_get(ctx->data, "profiles.ini", NULL);
    int line = text ? ini_parse_string(text, on_profile, r) : 0;
    if (line != 0) {
        free(r);
        nr_fail(ctx, NR_E_DATA, "voices/profiles.ini: line %d is not a known setting", line);
        return NULL;
    }
    const char *which = "cast.ini";
    text = nr_data_get_lang(ctx->data, lang, "cast.ini", NULL);
    if (!text)
        text = nr_data_get(ctx->data, "cast.ini", NULL);
    else
        which = "<lang>/cast.ini";
    line = text ? ini_parse_string(text, on_cast, r) : 0;
    if (line != 0) {
        free(r);
        nr_fail(ctx, NR_E_DATA, "voices/%s: line %d is not a known setting", which, line);
        return NULL;
    }
    return r;
}

static void voice_from(nr_voice *v, const char *espeak_lang, const profile *p) {
    if (p->variant[0])
        snprintf(v->espeak, sizeof v->espeak, "%s+%s", espeak_lang, p->variant);
    else
        snprintf(v->espeak, sizeof v->espeak, "%s", espeak_lang);
    v->rate = p->rate;
    v->pitch = p->pitch;
    v->range = p->range;
    v->volume = p->volume;
}

/* --cast FILE: [Speaker name] sections (or [narrator]) with voice, variant,
 * profile, rate, pitch. A section matches a speaker whose name contains it. */
typedef struct user_cast {
    nr_doc *doc;
    cast_rules *rules;
    const char *espeak_lang;
    int bad_line_key;
} user_cast;

static nr_speaker *match_speaker(nr_doc *doc, const char *name) {
    if (!strcasecmp(name, "narrator"))
        return doc->speakers.len ? &NR_SPEAKER(doc, 0) : NULL;
    for (size_t i = 1; i < doc->speakers.len; i++) {
        nr_speaker *s = &NR_SPEAKER(doc, i);
        if (s->name && strcasestr(s->name, name))
            return s;
    }
    for (size_t i = 1; i < doc->speakers.len; i++) { /* "M. Blinken", "la SNCF" */
        nr_speaker *s = &NR_SPEAKER(doc, i);
        for (size_t m = 0; m < s->n_mentions; m++)
            if (!strcasecmp(s->mentions[m], name))
                return s;
    }
    return NULL;
}

/* A numeric setting of a --cast section: its field and valid range. */
static int *number_field(nr_voice *v, const char *key, long *lo, long *hi) {
    static const struct {
        const char *key;
        long lo, hi;
    } keys[] = {{"rate", 80, 900}, {"pitch", 0, 99}, {"range", 0, 99}, {"volume", 0, 200}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(key, keys[i].key))
            continue;
        *lo = keys[i].lo;
        *hi = keys[i].hi;
        return i == 0 ? &v->rate : i == 1 ? &v->pitch : i == 2 ? &v->range : &v->volume;
    }
    return NULL;
}

/* A voice or variant name: letters, digits and "-_+" only. */
static bool voice_name_ok(const char *s) {
    if (!*s || strlen(s) > 40)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("-_+", *s)))
            return false;
    return true;
}

/* One setting of the --cast file. A section that names no speaker of this
 * article is checked and ignored: one cast file serves many articles. */
static int on_user_cast(void *user, const char *section, const char *key, const char *value) {
    user_cast *u = user;
    nr_speaker *s = match_speaker(u->doc, section);
    nr_voice scratch, *v = s ? &s->voice : &scratch;
    long lo, hi;
    int *field = number_field(v, key, &lo, &hi);
    if (!strcmp(key, "profile")) {
        profile *p = find_profile(u->rules, value);
        if (!p)
            return 0;
        voice_from(v, u->espeak_lang, p);
    } else if (!strcmp(key, "voice") || !strcmp(key, "variant")) {
        if (!voice_name_ok(value))
            return 0;
        if (key[0] == 'v' && key[1] == 'o')
            snprintf(v->espeak, sizeof v->espeak, "%s", value);
        else
            snprintf(v->espeak, sizeof v->espeak, "%s+%s", u->espeak_lang, value);
    } else if (field) {
        char *end;
        long n = strtol(value, &end, 10);
        if (!*value || *end || n < lo || n > hi)
            return 0;
        *field = (int)n;
    } else {
        return 0;
    }
    return 1;
}

static nr_status apply_user_cast(nr_ctx *ctx, nr_doc *doc, cast_rules *r, const char *lang) {
    FILE *f = fopen(ctx->cast_file, "r");
    if (!f)
        return nr_fail(ctx, NR_E_IO, "%s: cannot read the cast file", ctx->cast_file);
    user_cast u = {doc, r, lang, 0};
    int line = ini_parse_file(f, on_user_cast, &u);
    fclose(f);
    if (line != 0)
        return nr_fail(ctx, NR_E_DATA,
                       "%s: line %d: expected 'profile', 'voice', 'variant', "
                       "'rate', 'pitch', 'range' or 'volume' with a valid value",
                       ctx->cast_file, line);
    return NR_OK;
}

/* Distinct from the narrator and, as far as the pool allows, from every
 * other speaker: the pool is walked in order of first appearance, and a
 * second round through a pool shifts pitch so reuse is still audible. */
static void cast_speaker(nr_speaker *s, cast_rules *r, const char *espeak_lang, size_t used[3],
                         const nr_voice *narrator) {
    int which = s->gender == NR_GENDER_MALE ? 0 : s->gender == NR_GENDER_FEMALE ? 1 : 2;
    size_t n = r->pool_len[which];
    profile fallback = {.rate = 170, .pitch = 40, .range = 50, .volume = 100};
    snprintf(fallback.variant, sizeof fallback.variant, "%s", which == 1 ? "f3" : "m1");
    for (size_t tries = 0; tries < (n ? n : 1); tries++) {
        size_t k = used[which]++;
        const profile *p = n ? find_profile(r, r->pools[which][k % n]) : NULL;
        voice_from(&s->voice, espeak_lang, p ? p : &fallback);
        if (n && k >= n)
            s->voice.pitch = (s->voice.pitch + 7 * (int)(k / n)) % 90 + 5;
        if (strcmp(s->voice.espeak, narrator->espeak))
            break;
    }
}

static bool same_voice(const nr_voice *a, const nr_voice *b) {
    return !strcmp(a->espeak, b->espeak) && abs(a->pitch - b->pitch) < 4;
}

/* Moves speaker I's pitch until its voice differs from the narrator's and
 * from every speaker before it: two speakers never sound alike, whatever
 * the size of the pools. */
static void make_distinct(nr_doc *doc, size_t i) {
    nr_voice *v = &NR_SPEAKER(doc, i).voice;
    if (i > 256)
        return; /* past what the pools and pitches can keep apart anyway */
    for (int tries = 0; tries < 24; tries++) {
        bool clash = false;
        for (size_t k = 0; k < i && !clash; k++)
            clash = same_voice(v, &NR_SPEAKER(doc, k).voice);
        if (!clash)
            return;
        v->pitch = (v->pitch + 6 - 10) % 80 + 10; /* stay within 10..89 */
    }
}

static void *load_rules_cb(nr_ctx *ctx, const char *lang) { return load_rules(ctx, lang); }

/* The eSpeak voice of DOC's language (cast.ini's, or the user's --lang
 * with its region) into OUT, before the check that eSpeak has it. */
static void language_voice(const nr_ctx *ctx, const nr_doc *doc, const cast_rules *r,
                           char out[32]) {
    snprintf(out, 32, "%s", r->espeak[0] ? r->espeak : doc->lang);
    if (ctx->lang[0] && strcmp(ctx->lang, doc->lang) == 0 && strchr(ctx->lang, '-'))
        snprintf(out, 32, "%s", ctx->lang);
}

void nr_cast_expect(nr_ctx *ctx, const nr_doc *doc) {
    cast_rules *r = nr_ctx_rules(ctx, "cast", doc->lang, load_rules_cb, free);
    char espeak_lang[32];
    if (r)
        language_voice(ctx, doc, r, espeak_lang);
    nr_engine_expect(r ? espeak_lang : NULL);
}

nr_status nr_cast(nr_ctx *ctx, nr_doc *doc) {
    cast_rules *r = nr_ctx_rules(ctx, "cast", doc->lang, load_rules_cb, free);
    if (!r)
        return NR_E_DATA;
    if (doc->speakers.len == 0 && !nr_vec_push(&doc->speakers))
        return nr_fail(ctx, NR_E_NOMEM, "out of memory");
    char espeak_lang[32];
    language_voice(ctx, doc, r, espeak_lang);
    /* A detected language eSpeak cannot speak (language identification knows
       more languages than eSpeak NG, e.g. Romansh) is read with the English
       voice rather than failing; a language the user forced is kept, so a
       wrong --lang still gets its clear error. */
    if (!ctx->lang[0] && !nr_engine_voice_ok(ctx, espeak_lang))
        snprintf(espeak_lang, sizeof espeak_lang, "%s", "en");

    nr_speaker *nar = &NR_SPEAKER(doc, 0);
    nar->id = "narrator";
    nar->name = NULL;
    profile *np = find_profile(r, r->narrator);
    profile dflt = {.rate = 175, .pitch = 50, .range = 50, .volume = 100};
    voice_from(&nar->voice, espeak_lang, np ? np : &dflt);
    if (ctx->voice[0])
        snprintf(nar->voice.espeak, sizeof nar->voice.espeak, "%s", ctx->voice);

    size_t used[3] = {0, 0, 0};
    for (size_t i = 1; i < doc->speakers.len; i++) {
        cast_speaker(&NR_SPEAKER(doc, i), r, espeak_lang, used, &nar->voice);
        make_distinct(doc, i);
    }

    if (ctx->cast_file[0]) {
        nr_status st = apply_user_cast(ctx, doc, r, espeak_lang);
        if (st != NR_OK)
            return st;
    }
    /* --rate and --pitch set the narrator; speakers keep their offsets. */
    int base_rate = nar->voice.rate, base_pitch = nar->voice.pitch;
    for (size_t i = 0; i < doc->speakers.len; i++) {
        nr_voice *v = &NR_SPEAKER(doc, i).voice;
        if (ctx->rate > 0)
            v->rate = v->rate * ctx->rate / (base_rate > 0 ? base_rate : 175);
        if (ctx->pitch >= 0) {
            v->pitch += ctx->pitch - base_pitch;
            v->pitch = v->pitch < 0 ? 0 : v->pitch > 99 ? 99 : v->pitch;
        }
    }
    doc->pauses = r->pauses;
    doc->title_rate = r->title_rate > 0.3f && r->title_rate < 3.0f ? r->title_rate : 1.0f;
    return NR_OK;
}
