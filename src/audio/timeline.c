#include "timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sent_ref {
    const nr_block *block;
    const nr_sentence *sent;
    bool first; /* first sentence of its block */
} sent_ref;

struct nr_timeline {
    const nr_doc *doc;
    int rate;
    FILE *vtt, *srt, *words;
    sent_ref *order;
    size_t n_sents;
    /* the open cue */
    bool in_cue;
    size_t cue_index;
    uint64_t cue_start, pause_at;
    bool paused;
    size_t n_cues;
    /* the open word */
    bool in_word;
    size_t word_start, word_end, word_sentence;
    uint64_t word_sample;
    size_t n_words;
    uint64_t sample; /* samples seen */
    nr_vec chapters; /* nr_chapter; titles malloc'd */
    const char *chapter0;
    size_t sent_base; /* sentences of the documents before (nr_timeline_next) */
};

/* The reading order of DOC's sentences; false on out-of-memory. */
static bool set_order(nr_timeline *t, const nr_doc *doc) {
    t->doc = doc;
    t->n_sents = 0;
    for (size_t b = 0; b < doc->blocks.len; b++)
        t->n_sents += NR_BLOCK(doc, b).n_sents;
    free(t->order);
    t->order = calloc(t->n_sents ? t->n_sents : 1, sizeof *t->order);
    if (!t->order)
        return false;
    size_t k = 0;
    for (size_t b = 0; b < doc->blocks.len; b++)
        for (size_t i = 0; i < NR_BLOCK(doc, b).n_sents; i++)
            t->order[k++] = (sent_ref){&NR_BLOCK(doc, b), &NR_BLOCK(doc, b).sents[i], i == 0};
    return true;
}

nr_timeline *nr_timeline_new(const nr_doc *doc, int rate, const char *chapter0, FILE *vtt,
                             FILE *srt, FILE *words) {
    nr_timeline *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    *t = (nr_timeline){
        .doc = doc, .rate = rate, .vtt = vtt, .srt = srt, .words = words, .chapter0 = chapter0};
    nr_vec_init(&t->chapters, sizeof(nr_chapter));
    if (!set_order(t, doc)) {
        free(t);
        return NULL;
    }
    if (vtt)
        fputs("WEBVTT\n", vtt);
    if (words)
        fputs("{\n  \"format\": \"narrate-words/1\",\n  \"words\": [", words);
    return t;
}

void nr_timeline_free(nr_timeline *t) {
    if (!t)
        return;
    for (size_t i = 0; i < t->chapters.len; i++)
        free((char *)NR_VEC_AT(&t->chapters, nr_chapter, i).title);
    nr_vec_free(&t->chapters);
    free(t->order);
    free(t);
}

static void stamp(FILE *f, uint64_t sample, int rate, char sep) {
    uint64_t ms = sample * 1000 / (uint64_t)rate;
    fprintf(f, "%02llu:%02llu:%02llu%c%03llu", (unsigned long long)(ms / 3600000),
            (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60), sep,
            (unsigned long long)(ms % 1000));
}

/* Text of [start, end) on one line; in WebVTT, '&', '<', '>' escaped. */
static void cue_text(FILE *f, const char *s, size_t len, bool vtt) {
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (vtt && c == '&')
            fputs("&amp;", f);
        else if (vtt && c == '<')
            fputs("&lt;", f);
        else if (vtt && c == '>')
            fputs("&gt;", f);
        else
            fputc(c, f);
    }
}

/* The speaker of the sentence's standalone quotation, if named. */
static const char *voice_of(const nr_timeline *t, const nr_sentence *se) {
    for (size_t i = 0; i < se->n_spans; i++) {
        const nr_span *sp = &se->spans[i];
        if (sp->kind == NR_SPAN_QUOTE && !sp->embedded && sp->speaker >= 0 &&
            (size_t)sp->speaker < t->doc->speakers.len)
            return NR_SPEAKER(t->doc, sp->speaker).name;
    }
    return NULL;
}

static void end_cue(nr_timeline *t, uint64_t end) {
    if (!t->in_cue)
        return;
    t->in_cue = false;
    if (t->paused && t->pause_at < end)
        end = t->pause_at;
    if (end * 1000 / (uint64_t)t->rate <= t->cue_start * 1000 / (uint64_t)t->rate)
        return; /* nothing was heard */
    const nr_sentence *se = t->order[t->cue_index].sent;
    const char *text = t->doc->text + se->start;
    size_t len = se->end - se->start;
    t->n_cues++;
    if (t->vtt) {
        fputc('\n', t->vtt);
        stamp(t->vtt, t->cue_start, t->rate, '.');
        fputs(" --> ", t->vtt);
        stamp(t->vtt, end, t->rate, '.');
        fputc('\n', t->vtt);
        const char *who = voice_of(t, se);
        if (who) {
            fputs("<v ", t->vtt);
            cue_text(t->vtt, who, strlen(who), true);
            fputc('>', t->vtt);
        }
        cue_text(t->vtt, text, len, true);
        fputc('\n', t->vtt);
    }
    if (t->srt) {
        fprintf(t->srt, "%s%zu\n", t->n_cues > 1 ? "\n" : "", t->n_cues);
        stamp(t->srt, t->cue_start, t->rate, ',');
        fputs(" --> ", t->srt);
        stamp(t->srt, end, t->rate, ',');
        fputc('\n', t->srt);
        cue_text(t->srt, text, len, false);
        fputc('\n', t->srt);
    }
}

void nr_json_fputs(FILE *f, const char *s, size_t len) {
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void end_word(nr_timeline *t, uint64_t end) {
    if (!t->in_word)
        return;
    t->in_word = false;
    if (!t->words)
        return;
    fprintf(t->words,
            "%s\n    {\"start\": %.3f, \"end\": %.3f, \"sentence\": %zu, \"offset\": %zu, "
            "\"text\": ",
            t->n_words++ ? "," : "", (double)t->word_sample / t->rate, (double)end / t->rate,
            t->word_sentence, t->word_start + t->doc->offset);
    size_t a = t->word_start, b = t->word_end > a ? t->word_end : a;
    nr_json_fputs(t->words, t->doc->text + a, b - a);
    fputc('}', t->words);
}

static void add_chapter(nr_timeline *t, uint64_t sample, const char *s, size_t len) {
    nr_chapter *c = nr_vec_push(&t->chapters);
    char *title = malloc(len + 1);
    if (!c || !title) {
        free(title);
        if (c)
            t->chapters.len--;
        return;
    }
    for (size_t i = 0; i < len; i++)
        title[i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
    title[len] = '\0';
    c->start = (double)sample / t->rate;
    c->title = title;
}

static void on_sentence(nr_timeline *t, const nr_event *ev) {
    end_word(t, ev->sample);
    end_cue(t, ev->sample);
    if (ev->index >= t->n_sents)
        return;
    const sent_ref *r = &t->order[ev->index];
    bool heading = r->block->kind == NR_BLOCK_TITLE || r->block->kind == NR_BLOCK_HEADING;
    if (t->chapters.len == 0 && !(heading && r->first)) {
        const char *c0 = t->chapter0 ? t->chapter0 : "Start";
        add_chapter(t, 0, c0, strlen(c0));
    }
    if (heading && r->first)
        add_chapter(t, t->chapters.len ? ev->sample : 0, t->doc->text + r->block->start,
                    r->block->end - r->block->start);
    t->in_cue = true;
    t->cue_index = ev->index;
    t->cue_start = ev->sample;
    t->paused = false;
}

void nr_timeline_feed(nr_timeline *t, const int16_t *pcm, size_t n, const nr_event *ev,
                      size_t n_ev) {
    uint64_t chunk = t->sample;
    t->sample += n;
    for (size_t i = 0; i < n_ev; i++) {
        switch (ev[i].kind) {
        case NR_EV_SENTENCE:
            on_sentence(t, &ev[i]);
            break;
        case NR_EV_WORD:
            end_word(t, ev[i].sample);
            t->in_word = true;
            t->word_start = ev[i].start;
            t->word_end = ev[i].end;
            t->word_sample = ev[i].sample;
            t->word_sentence = t->cue_index + t->sent_base;
            t->paused = false;
            break;
        case NR_EV_PAUSE:
            end_word(t, ev[i].sample);
            if (!t->paused) {
                t->paused = true;
                t->pause_at = ev[i].sample;
            }
            break;
        }
    }
    /* speech after a pause inside the sentence (a quotation's own voice)
       reopens it */
    if (t->paused && pcm)
        for (size_t i = 0; i < n; i++)
            if (pcm[i] != 0 && chunk + i >= t->pause_at) {
                t->paused = false;
                break;
            }
}

void nr_timeline_end_doc(nr_timeline *t) {
    end_word(t, t->sample);
    end_cue(t, t->sample);
}

bool nr_timeline_next(nr_timeline *t, const nr_doc *doc) {
    t->sent_base += t->n_sents;
    return set_order(t, doc);
}

void nr_timeline_finish(nr_timeline *t, uint64_t total) {
    end_word(t, total);
    end_cue(t, total);
    if (t->words)
        fputs("\n  ]\n}\n", t->words);
    double end = (double)total / t->rate;
    for (size_t i = t->chapters.len; i-- > 0;) {
        nr_chapter *c = &NR_VEC_AT(&t->chapters, nr_chapter, i);
        c->end = end;
        end = c->start;
    }
}

const nr_chapter *nr_timeline_chapters(const nr_timeline *t, size_t *n) {
    *n = t->chapters.len;
    return t->chapters.data;
}

void nr_chapters_write_json(FILE *f, const nr_chapter *ch, size_t n, const char *title) {
    fputs("{\n  \"version\": \"1.2.0\",\n", f);
    if (title) {
        fputs("  \"title\": ", f);
        nr_json_fputs(f, title, strlen(title));
        fputs(",\n", f);
    }
    fputs("  \"chapters\": [", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s\n    {\"startTime\": %.3f, \"endTime\": %.3f, \"title\": ", i ? "," : "",
                ch[i].start, ch[i].end);
        nr_json_fputs(f, ch[i].title, strlen(ch[i].title));
        fputc('}', f);
    }
    fputs("\n  ]\n}\n", f);
}

static void vtt_time(FILE *f, double s) {
    uint64_t ms = (uint64_t)llround(s * 1000);
    fprintf(f, "%02llu:%02llu:%02llu.%03llu", (unsigned long long)(ms / 3600000),
            (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
            (unsigned long long)(ms % 1000));
}

void nr_chapters_write_vtt(FILE *f, const nr_chapter *ch, size_t n) {
    fputs("WEBVTT\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "\nchapter-%zu\n", i + 1);
        vtt_time(f, ch[i].start);
        fputs(" --> ", f);
        vtt_time(f, ch[i].end);
        fputc('\n', f);
        cue_text(f, ch[i].title, strlen(ch[i].title), true);
        fputc('\n', f);
    }
}
