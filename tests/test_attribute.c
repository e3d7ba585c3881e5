/* test_attribute.c: who says each quotation, table-driven.
 *
 * Each case is a small article. The test builds its document by hand so the
 * attribution rules are tested apart from the segmenter: blocks are
 * separated by a blank line (the first is the title), sentences by '|', and
 * quotations are what stands between « », “ ” or straight double quotes, as
 * the segmenter marks them: a quotation left open at the end of a sentence
 * or paragraph goes on in the next one (continues), and "{...}" marks an
 * incise inside a quotation. Each expected quotation gives the start of its
 * text, a name the speaker's name must contain (NULL: nobody), whether it
 * is embedded, and the speaker's gender. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/ctx.h"
#include "core/doc.h"
#include "speakers/attribute.h"
#include "speakers/lexicon.h"
#include "util/buf.h"

typedef struct want {
    const char *text;    /* start of the quotation */
    const char *speaker; /* contained in the speaker's name; NULL = unknown */
    int embedded;
    nr_gender gender;
} want;

typedef struct tcase {
    const char *name, *lang, *article;
    want quotes[8];
} tcase;

#define M NR_GENDER_MALE
#define F NR_GENDER_FEMALE
#define U NR_GENDER_UNKNOWN

static const tcase cases[] = {
    {"fr colon introduction",
     "fr",
     "Titre\n\nLa ministre des Transports, Hélène Marchetti, a déclaré : « Nous ne céderons pas. »",
     {{"Nous ne céderons pas.", "Hélène Marchetti", 0, F}}},
    {"fr inverted pronoun after the quotation",
     "fr",
     "Titre\n\nLe PDG de la SNCF, Bertrand Oudinot, a rappelé les chiffres.|« La porte reste "
     "ouverte », a-t-il affirmé.",
     {{"La porte reste ouverte", "Bertrand Oudinot", 0, M}}},
    {"fr pronoun agrees in gender",
     "fr",
     "Titre\n\nAnne Morel a rencontré Paul Girard mardi.|« Rien n'est décidé », estime-t-elle.|"
     "« Tout est possible », juge-t-il.",
     {{"Rien n'est décidé", "Anne Morel", 0, F}, {"Tout est possible", "Paul Girard", 0, M}}},
    {"fr a reflexive verb agreeing with a postposed speaker",
     "fr",
     "Titre\n\n« C'est une étape décisive », s'est félicitée la ministre du Travail, "
     "Catherine Vautrin.",
     {{"C'est une étape décisive", "Catherine Vautrin", 0, F}}},
    {"fr selon makes a body the speaker of an embedded quotation",
     "fr",
     "Titre\n\nSelon la SNCF, le trafic sera « très perturbé » jeudi.",
     {{"très perturbé", "SNCF", 1, U}}},
    {"fr attribution after the second sentence of a quotation",
     "fr",
     "Titre\n\nM. Oudinot était à Paris.|« Nous avons fait des propositions.|La porte reste "
     "ouverte », a-t-il dit.",
     {{"Nous avons fait", "Oudinot", 0, M}, {"La porte reste", "Oudinot", 0, M}}},
    {"fr incise inside a quotation",
     "fr",
     "Titre\n\nLa ministre, Anne-Laure Ferrand, a salué l'accord.|« Nous allons utiliser ces "
     "deux années,{ a-t-elle expliqué,} pour tout reprendre. »",
     {{"Nous allons", "Ferrand", 0, F}, {"pour tout reprendre", "Ferrand", 0, F}}},
    {"fr ce dernier is the last man named",
     "fr",
     "Titre\n\nSon homologue, Jens Ahlgrimm, s'est entretenu avec Marc Delaunay.|Ce dernier a "
     "plaidé pour une « initiative européenne » de production.",
     {{"initiative européenne", "Marc Delaunay", 1, M}}},
    {"fr cette dernière is the last woman named",
     "fr",
     "Titre\n\nM. Julien Maréchal a répondu à la demande de Claire Ménard.|Cette dernière assure "
     "que les fours seront « prélevés bloc par bloc ».",
     {{"prélevés bloc par bloc", "Claire Ménard", 1, F}}},
    {"fr role noun refers to the person named with it",
     "fr",
     "Titre\n\nLa ministre des Armées, Sophie Lenoir, est arrivée à Bruxelles.|Le président "
     "Karl Brenner l'a reçue.|« Il faut accélérer », a déclaré la ministre.",
     {{"Il faut accélérer", "Sophie Lenoir", 0, F}}},
    {"fr a role noun first met refers to the person of the title",
     "fr",
     "Antony Blinken appelle à la paix\n\nLe chef de la diplomatie américaine a demandé la "
     "« voie pacifique » mercredi.|« Nous voulons la paix », a dit le diplomate.",
     {{"voie pacifique", "Antony Blinken", 1, M}, {"Nous voulons la paix", "Blinken", 0, M}}},
    {"fr embedded quotation takes the clause's subject",
     "fr",
     "Titre\n\nLe président Volodymyr Zelensky a remercié Washington « pour l'aide militaire ».",
     {{"pour l'aide militaire", "Volodymyr Zelensky", 1, M}}},
    {"fr a new quotation continues the speaker's paragraph",
     "fr",
     "Titre\n\nLe syndicaliste Thierry Vasseur est en colère.|« Ce n'est pas nous qui bloquons "
     "», a répliqué M. Vasseur.|« Combien de temps encore ? »",
     {{"Ce n'est pas nous", "Thierry Vasseur", 0, M},
      {"Combien de temps", "Thierry Vasseur", 0, M}}},
    {"fr quotation over two paragraphs",
     "fr",
     "Titre\n\nLa maire, Nadine Caradec, a défendu le projet.\n\n« Nous ne pouvions pas rester "
     "les bras croisés,{ a rappelé l'élue.}|Certains font quarante kilomètres.\n\n« Ce centre ne "
     "réglera pas tout. »",
     {{"Nous ne pouvions", "Caradec", 0, F},
      {"Certains font", "Caradec", 0, F},
      {"Ce centre", "Caradec", 0, F}}},
    {"fr interview turns after em dashes",
     "fr",
     "Titre\n\nL'hydrologue Marion Leclerc étudie les nappes.|Elle a publié un livre.\n\n— Est-ce "
     "inédit ?\n\n— Ce n'est pas inédit.|Cela devient fréquent.\n\n— Que faire ?\n\n— Il faut "
     "partager l'eau.",
     {{"Ce n'est pas inédit.", "Marion Leclerc", 0, F},
      {"Cela devient fréquent.", "Marion Leclerc", 0, F},
      {"Il faut partager", "Marion Leclerc", 0, F}}},
    {"fr dialogue turns alternate between two people",
     "fr",
     "Titre\n\nPierre Durand retrouve Marie Lefèvre devant la gare.\n\n— Je pars demain.\n\n— "
     "Alors je viens avec toi.\n\n— C'est hors de question.",
     {{"Je pars demain.", "Pierre Durand", 0, M},
      {"Alors je viens", "Marie Lefèvre", 0, F},
      {"C'est hors de question.", "Pierre Durand", 0, M}}},
    {"fr unknown gender stays unknown",
     "fr",
     "Titre\n\nDominique Martin a déclaré : « Nous verrons. »",
     {{"Nous verrons.", "Dominique Martin", 0, U}}},
    {"en said X, a spokeswoman",
     "en",
     "Title\n\n\"We will support every employee,\" said Laura Jennings, a spokeswoman for "
     "Halvard.",
     {{"We will support", "Laura Jennings", 0, F}}},
    {"en subject before said, then a new quotation of the same speaker",
     "en",
     "Title\n\n\"These are painful decisions,\" Chief Executive Mark Brennan said in a "
     "statement.|\"But the economics no longer work.\"",
     {{"These are painful", "Mark Brennan", 0, M}, {"But the economics", "Mark Brennan", 0, M}}},
    {"en she refers back to the woman, Mrs. shows gender",
     "en",
     "Title\n\nMrs. Lindqvist, 67, has testified at every hearing.\n\n“I came here for him,” she "
     "said.|“He would have been proud.”",
     {{"I came here", "Lindqvist", 0, F}, {"He would have been", "Lindqvist", 0, F}}},
    {"en a body's spokesperson after a colon",
     "en",
     "Title\n\nA Department of Health and Social Care spokesperson said: “We are investing a "
     "record sum.”",
     {{"We are investing", "Department of Health", 0, U}}},
    {"en embedded quotation after said",
     "en",
     "Title\n\nSen. Raymond Ortiz, the Democrat who wrote the bill, said he had been “waiting "
     "four years for this morning.”",
     {{"waiting four years", "Raymond Ortiz", 1, M}}},
    {"en the judge and told the judge",
     "en",
     "Title\n\nU.S. District Judge Patricia Howell called the scheme \"deliberate.\"|\"You did "
     "not make a mistake, Mr. Aldane,\" the judge said.|\"I was told it was big,\" Mrs. Doyle "
     "told the judge.",
     {{"deliberate.", "Patricia Howell", 1, F},
      {"You did not make", "Patricia Howell", 0, F},
      {"I was told", "Doyle", 0, F}}},
    {"en according to",
     "en",
     "Title\n\nAccording to the Health Policy Institute, the list is \"far too long\" now.",
     {{"far too long", "Health Policy Institute", 1, U}}},
    {"en the latter",
     "en",
     "Title\n\nMaria Lopez met John Carter on Monday.|The latter called the deal \"a good "
     "start.\"",
     {{"a good start", "John Carter", 1, M}}},
    {"en a name qualified by a team and a role",
     "en",
     "Title\n\nCarver coach Phil Brandt said his team “gave them everything.” \"I'm proud of "
     "them,\" Brandt said.",
     {{"gave them everything", "Phil Brandt", 1, M}, {"I'm proud", "Phil Brandt", 0, M}}},
    {"fr the one spoken to is not the speaker",
     "fr",
     "Titre\n\n« Nous tiendrons », a déclaré à l'AFP Jean Dupont, maire de la ville.",
     {{"Nous tiendrons", "Jean Dupont", 0, M}}},
    {"fr a body named by a role noun",
     "fr",
     "Titre\n\nLa SNCF a annoncé des annulations.|« Le trafic reprendra lundi », a précisé "
     "l'entreprise.",
     {{"Le trafic reprendra", "SNCF", 0, U}}},
    {"fr an indefinite description is someone new",
     "fr",
     "Titre\n\nMarc Dupont a quitté la réunion.|Un porte-parole du syndicat a indiqué : « La "
     "grève continue. »",
     {{"La grève continue.", "porte-parole", 0, M}}},
    {"en titles before a name are not the name",
     "en",
     "Title\n\nForeign Minister Sergei Lavrov said: \"We are ready.\"",
     {{"We are ready.", "Sergei Lavrov", 0, M}}},
    {"en he refers to the subject just before, gender unknown",
     "en",
     "Title\n\nPresident Joe Biden spoke first.|Asked about a cut, Ade Okonkwo declined to "
     "commit.|\"I'm not going to give a date,\" he said.",
     {{"I'm not going", "Ade Okonkwo", 0, M}}},
    {"en a lone given name is a person",
     "en",
     "Title\n\n\"We deserve better,\" sighs Karim, a fan for twenty years.",
     {{"We deserve better", "Karim", 0, M}}},
    {"fr the whole clause after selon X is the speaker's",
     "fr",
     "Titre\n\nPour l'ancien ambassadeur Michel Duclos, « le président a voulu créer une "
     "ambiguïté ».|Selon elle, les cultures dépendent de ces molécules, « sans alternative ».",
     {{"le président a voulu", "Michel Duclos", 0, M},
      {"sans alternative", "Michel Duclos", 1, M}}},
    {"fr a body and its role noun, a person named after adjectives",
     "fr",
     "Titre\n\nAu Kremlin, le porte-parole Dmitri Peskov a jugé l'idée « inévitable ».|La "
     "Première ministre italienne Giorgia Meloni n'est « pas favorable ».",
     {{"inévitable", "Dmitri Peskov", 1, M}, {"pas favorable", "Giorgia Meloni", 1, F}}},
    {"en a body that speaks before the person it names",
     "en",
     "Title\n\nPolice said the suspect, John Lee, had \"fled on foot.\"",
     {{"fled on foot.", "Police", 1, U}}},
    {"en a long subject before said, a statement is not a speaker",
     "en",
     "Title\n\nOrders were given.|\"Safety will drive our timeline,\" Federal Aviation "
     "Administration chief Mike Whitaker said.|\"We acted,\" the statement read, adding that "
     "Whitaker said it.",
     {{"Safety will drive", "Mike Whitaker", 0, M}, {"We acted", "Mike Whitaker", 0, M}}},
    {"fr a quotation in an interviewer's question stays with the narrator",
     "fr",
     "Titre\n\nL'hydrologue Marion Leclerc étudie les nappes.\n\n— Vous parlez de « crise » "
     "?\n\n— Oui, c'est une crise.\n\n— Que faire ?\n\n— Partager l'eau.",
     {{"crise", NULL, 1, U},
      {"Oui, c'est une crise.", "Marion Leclerc", 0, F},
      {"Partager l'eau.", "Marion Leclerc", 0, F}}},
    {"fr a participle agreeing with the subject shows her gender",
     "fr",
     "Titre\n\nLa ministre Liina Kask est arrivée mardi.|Aino Tamm s'est montrée prudente : "
     "« Attendons. »|Interrogé par la presse, Jaan Tamm a répondu : « Non. »",
     {{"Attendons.", "Aino Tamm", 0, F}, {"Non.", "Jaan Tamm", 0, M}}},
};

/* ---- building a document ----------------------------------------------- */

typedef struct builder {
    nr_doc *doc;
    nr_vec sents, spans;
    bool open;     /* a quotation is open */
    int quote;     /* id of the open or last quotation */
    size_t qstart; /* where the open quotation's text starts */
} builder;

static size_t mark_len(const char *s, int *kind) {
    if (!strncmp(s, "\xC2\xAB", 2) || !strncmp(s, "\xC2\xBB", 2))
        return *kind = s[1] == '\xAB' ? 1 : 2, 2;
    if (!strncmp(s, "\xE2\x80\x9C", 3) || !strncmp(s, "\xE2\x80\x9D", 3))
        return *kind = s[2] == '\x9C' ? 1 : 2, 3;
    if (*s == '"')
        return *kind = 3, 1;
    return *kind = 0, 0;
}

static void add_span(builder *b, nr_span_kind k, size_t start, size_t end, bool cont) {
    const char *t = b->doc->text;
    while (start < end && (t[start] == ' ' || !strncmp(t + start, "\xC2\xA0", 2)))
        start += t[start] == ' ' ? 1 : 2;
    while (end > start && t[end - 1] == ' ')
        end--;
    if (end <= start)
        return;
    nr_span *sp = nr_vec_push(&b->spans);
    *sp = (nr_span){.kind = k, .start = start, .end = end, .speaker = -1};
    if (k == NR_SPAN_QUOTE) {
        sp->quote = b->quote;
        sp->continues = cont;
    }
}

/* Spans of the sentence [s, e): quotations between marks, '{' '}' incises. */
static void add_sentence(builder *b, size_t s, size_t e) {
    const char *t = b->doc->text;
    b->spans.len = 0;
    size_t run = s;
    bool cont = b->open;
    if (b->open)
        b->qstart = s;
    for (size_t i = s; i < e;) {
        int kind;
        size_t l = mark_len(t + i, &kind);
        bool opens = kind == 1 || (kind == 3 && !b->open);
        if (t[i] == '{' && b->open) {
            add_span(b, NR_SPAN_QUOTE, b->qstart, i, cont);
            cont = true;
            b->open = false;
            run = i + 1;
        } else if (t[i] == '}') {
            add_span(b, NR_SPAN_NARRATION, run, i, false);
            b->open = true;
            b->qstart = i + 1;
        } else if (l && opens) {
            if (!cont || !b->open) {
                add_span(b, NR_SPAN_NARRATION, run, i, false);
                b->quote += b->open ? 0 : 1;
                cont = cont && b->open;
            }
            b->open = true;
            b->qstart = i + l;
        } else if (l && b->open) {
            add_span(b, NR_SPAN_QUOTE, b->qstart, i, cont);
            b->open = false;
            cont = false;
            run = i + l;
        }
        i += l ? l : 1;
    }
    if (b->open) {
        add_span(b, NR_SPAN_QUOTE, b->qstart, e, cont);
        ((nr_span *)b->spans.data)[b->spans.len - 1].recovered = true;
    } else {
        add_span(b, NR_SPAN_NARRATION, run, e, false);
    }
    nr_sentence *se = nr_vec_push(&b->sents);
    se->start = s;
    se->end = e;
    se->spans = nr_arena_memdup(b->doc->arena, b->spans.data, b->spans.len, sizeof(nr_span));
    se->n_spans = b->spans.len;
}

/* The document for ARTICLE: '|', '{' and '}' are replaced by spaces so
 * offsets stay those of the article. */
static nr_doc *build(const char *article, const char *lang) {
    char *text = strdup(article);
    for (char *p = text; *p; p++)
        if (*p == '|')
            *p = ' ';
    nr_doc *doc = nr_doc_new(text, strlen(text), "case");
    snprintf(doc->lang, sizeof doc->lang, "%s", lang);
    memcpy(doc->text, article, strlen(article)); /* keep the markers while building */
    builder b = {doc, {0}, {0}, false, -1, 0};
    nr_vec_init(&b.sents, sizeof(nr_sentence));
    nr_vec_init(&b.spans, sizeof(nr_span));
    size_t n = strlen(article), start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && strncmp(article + i, "\n\n", 2))
            continue;
        nr_block *blk =
            nr_doc_add_block(doc, start ? NR_BLOCK_PARAGRAPH : NR_BLOCK_TITLE, start, i);
        b.sents.len = 0;
        size_t s = start;
        for (size_t k = start; k <= i; k++) {
            if (k < i && article[k] != '|')
                continue;
            add_sentence(&b, s, k);
            s = k + 1;
        }
        blk->sents = nr_arena_memdup(doc->arena, b.sents.data, b.sents.len, sizeof(nr_sentence));
        blk->n_sents = b.sents.len;
        start = i + 2;
        i++;
    }
    memcpy(doc->text, text, n);
    for (char *p = doc->text; *p; p++)
        if (*p == '{' || *p == '}')
            *p = ' ';
    nr_vec_free(&b.sents);
    nr_vec_free(&b.spans);
    free(text);
    return doc;
}

/* ---- checking ---------------------------------------------------------- */

static void check_case(nr_ctx *ctx, const tcase *c) {
    nr_doc *doc = build(c->article, c->lang);
    CHECK(nr_attribute(ctx, doc) == NR_OK, "%s: attribute: %s", c->name, ctx->err);
    size_t k = 0;
    for (size_t b = 0; b < doc->blocks.len; b++) {
        const nr_block *blk = &NR_BLOCK(doc, b);
        for (size_t i = 0; i < blk->n_sents; i++)
            for (size_t j = 0; j < blk->sents[i].n_spans; j++) {
                const nr_span *sp = &blk->sents[i].spans[j];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                const want *w = k < 8 ? &c->quotes[k] : NULL;
                k++;
                CHECK(w && w->text, "%s: unexpected quotation %.*s", c->name,
                      (int)(sp->end - sp->start), doc->text + sp->start);
                if (!w || !w->text)
                    continue;
                CHECK(!strncmp(doc->text + sp->start, w->text, strlen(w->text)),
                      "%s: quotation %zu is \"%.*s\", want \"%s\"", c->name, k,
                      (int)(sp->end - sp->start), doc->text + sp->start, w->text);
                const nr_speaker *spk = sp->speaker > 0 && (size_t)sp->speaker < doc->speakers.len
                                            ? &NR_SPEAKER(doc, (size_t)sp->speaker)
                                            : NULL;
                const char *name = spk && spk->name ? spk->name : "(none)";
                if (w->speaker)
                    CHECK(spk && spk->name && strstr(spk->name, w->speaker),
                          "%s: \"%s\" said by %s, want %s", c->name, w->text, name, w->speaker);
                else
                    CHECK(!spk, "%s: \"%s\" said by %s, want nobody", c->name, w->text, name);
                CHECK(sp->embedded == (bool)w->embedded, "%s: \"%s\" embedded=%d", c->name, w->text,
                      sp->embedded);
                CHECK(sp->voice == (w->embedded ? 0 : sp->speaker) &&
                          (w->embedded || sp->voice > 0),
                      "%s: \"%s\" voice %d, speaker %d", c->name, w->text, sp->voice, sp->speaker);
                if (spk)
                    CHECK(spk->gender == w->gender, "%s: %s gender %d, want %d", c->name, name,
                          spk->gender, w->gender);
            }
    }
    size_t want_n = 0;
    while (want_n < 8 && c->quotes[want_n].text)
        want_n++;
    CHECK(k == want_n, "%s: %zu quotations, want %zu", c->name, k, want_n);
    CHECK(doc->speakers.len >= 1 && !NR_SPEAKER(doc, 0).name, "%s: speaker 0 is the narrator",
          c->name);
    nr_doc_free(doc);
}

/* Speaker ids are "s1", "s2"... in order, each with its name among its mentions'
 * words, and a document without quotations gets only the narrator. */
static void check_ids(nr_ctx *ctx) {
    nr_doc *doc = build(cases[2].article, cases[2].lang);
    CHECK(nr_attribute(ctx, doc) == NR_OK, "attribute");
    for (size_t i = 1; i < doc->speakers.len; i++) {
        char id[32];
        snprintf(id, sizeof id, "s%zu", i);
        CHECK_STR(NR_SPEAKER(doc, i).id, id);
        CHECK(NR_SPEAKER(doc, i).n_mentions > 0, "speaker %zu has mentions", i);
    }
    nr_doc_free(doc);
    doc = build("Titre\n\nIl pleut sur Paris.|Rien de neuf.", "fr");
    CHECK(nr_attribute(ctx, doc) == NR_OK, "attribute without quotations");
    CHECK(doc->speakers.len <= 1, "no speakers: %zu", doc->speakers.len);
    nr_doc_free(doc);
}

/* Every word list is read from voices/<lang>/: one known entry each. */
static void check_lexicon(nr_ctx *ctx) {
    static const struct {
        const char *lang;
        nr_lx_list list;
        const char *form;
        unsigned tag; /* bits that must be set */
    } lists[] = {
        {"fr", NR_LX_VERBS, "déclaré", 0},
        {"fr", NR_LX_TITLES, "Mme", NR_LX_FEMALE},
        {"fr", NR_LX_ROLES, "élue", NR_LX_FEMALE},
        {"fr", NR_LX_PRONOUNS, "ce dernier", NR_LX_LAST},
        {"fr", NR_LX_DETERMINERS, "la", NR_LX_FEMALE},
        {"fr", NR_LX_SOURCES, "selon", 0},
        {"fr", NR_LX_ORGS, "Conseil", 0},
        {"fr", NR_LX_FUNCTION, "dans", 0},
        {"fr", NR_LX_NAMES, "Hélène", NR_LX_FEMALE},
        {"fr", NR_LX_IMPERSONAL, "faut", 0},
        {"fr", NR_LX_CONNECTORS, "de", 0},
        {"fr", NR_LX_ADDRESSEE, "à", 0},
        {"en", NR_LX_VERBS, "said", 0},
        {"en", NR_LX_TITLES, "Mrs.", NR_LX_FEMALE},
        {"en", NR_LX_ROLES, "spokeswoman", NR_LX_FEMALE},
        {"en", NR_LX_ROLES, "company", NR_LX_ORG},
        {"en", NR_LX_PRONOUNS, "she", NR_LX_FEMALE},
        {"en", NR_LX_DETERMINERS, "a", NR_LX_INDEF},
        {"en", NR_LX_SOURCES, "according to", 0},
        {"en", NR_LX_CONNECTORS, "of", NR_LX_ORG},
        {"en", NR_LX_NAMES, "Mark", NR_LX_MALE},
        {"en", NR_LX_ADDRESSEE, "to", 0},
        {"en-GB", NR_LX_VERBS, "said", 0},
        {"fr", NR_LX_PREPOSITIONS, "dans", 0},
        {"en", NR_LX_PREPOSITIONS, "in", 0},
        {"fr", NR_LX_COPULAS, "est", 0},
        {"fr", NR_LX_ENDINGS, "ée", NR_LX_FEMALE},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const nr_lexicon *lx = nr_lexicon_get(ctx, lists[i].lang);
        unsigned tag =
            lx ? nr_lexicon_find(lx, lists[i].list, lists[i].form, strlen(lists[i].form)) : 0;
        CHECK((tag & NR_LX_PRESENT) && (tag & lists[i].tag) == lists[i].tag,
              "%s list %d: %s has tag %u", lists[i].lang, lists[i].list, lists[i].form, tag);
    }
    const nr_lexicon *lx = nr_lexicon_get(ctx, "xx");
    CHECK(lx && !nr_lexicon_find(lx, NR_LX_VERBS, "said", 4), "a language without lists");
}

int main(void) {
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 2;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&ctx, &cases[i]);
    check_ids(&ctx);
    check_lexicon(&ctx);
    nr_ctx_fini(&ctx);
    return check_done("test_attribute");
}
