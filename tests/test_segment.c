/* test_segment.c: sentences and quotation spans, table-driven.
 *
 * Each case is a short text in a language, read through the plain-text
 * ingest (paragraphs at blank lines, one block per line) and segmented.
 * The expected sentences are written joined by '|'. The expected quotation
 * spans are listed in order with their text and flags: C = continues the
 * quotation before, R = recovered (closing mark assumed), S = same quotation
 * id as the span before, N = a new id. Every case also checks the model's
 * invariants: sentences and spans are byte ranges of the input, in order,
 * and the spans of a sentence cover it but for quotation marks and spaces. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/ctx.h"
#include "core/doc.h"
#include "ingest/ingest.h"
#include "text/segment.h"
#include "util/buf.h"
#include "util/utf8.h"

typedef struct qwant {
    const char *text;
    const char *flags; /* letters among C R S N */
} qwant;

typedef struct tcase {
    const char *name, *lang, *text;
    const char *sentences; /* joined by '|' */
    qwant quotes[8];
    bool check_quotes; /* quotes lists every quotation (none: there is none) */
} tcase;

/* S_: sentences only; Q_: sentences and every quotation; NOQ: no quotation at all. */
#define S_(n, l, t, s)                                                                             \
    { .name = n, .lang = l, .text = t, .sentences = s }
#define Q_(n, l, t, s, ...)                                                                        \
    {                                                                                              \
        .name = n, .lang = l, .text = t, .sentences = s, .quotes = {__VA_ARGS__},                  \
        .check_quotes = true                                                                       \
    }
#define NOQ(n, l, t, s)                                                                            \
    { .name = n, .lang = l, .text = t, .sentences = s, .check_quotes = true }
static const tcase cases[] = {
    /* sentence ends */
    S_("en period, question and exclamation", "en", "Hello World. What is it? There it is! Go.",
       "Hello World.|What is it?|There it is!|Go."),
    S_("en a keyboard rule glued to the text is not read", "en",
       "////////Header starts here\n=====\n***The text. Go.", "Header starts here|The text.|Go."),
    S_("en a written-out line break between sentences is not read", "en",
       "Hello World. \\r\\n Hello. Use \\n in the string.",
       "Hello World.|Hello.|Use \\n in the string."),
    S_("en speech broken off by a dash before a capital ends the sentence", "en",
       "\"We are doing our best, to--\" At this moment, Five called out. \"Wait--\" she began.",
       "\"We are doing our best, to--\"|At this moment, Five called out.|\"Wait--\" she began."),
    S_("en emphasis and TeX's backquote open a sentence", "en",
       "Things went on as usual. _Was_ I the same? It was 1990. `So what?' he asks.",
       "Things went on as usual.|_Was_ I the same?|It was 1990.|`So what?' he asks."),
    S_("en a quotation embedded on both sides keeps its inner sentence ends", "en",
       "Five called out, \"The Queen! The Queen!\" and the gardeners fell flat. He said: \"We "
       "lost. It's over.\" Then he left.",
       "Five called out, \"The Queen! The Queen!\" and the gardeners fell flat.|He said: \"We "
       "lost.|It's over.\"|Then he left."),
    S_("fr une citation enchâssée des deux côtés", "fr",
       "Il a lancé « Nous partons. C'est fini » avant de quitter la salle. « Non. Jamais », "
       "a-t-elle répondu.",
       "Il a lancé « Nous partons. C'est fini » avant de quitter la salle.|« Non.|Jamais », "
       "a-t-elle répondu."),
    S_("en ?! and ?? and !!", "en", "Really?! Yes!! Who?? Me.", "Really?!|Yes!!|Who??|Me."),
    S_("en ellipsis character at a sentence end", "en", "He paused… Then he left.",
       "He paused…|Then he left."),
    S_("fr ellipsis inside a sentence", "fr", "C'était... comment dire... assez inattendu.",
       "C'était... comment dire... assez inattendu."),
    S_("en spaced ellipsis before I stays inside", "en",
       "The thing is . . . I didn't mean it. Then he left.",
       "The thing is . . . I didn't mean it.|Then he left."),
    S_("en period inside the closing mark", "en",
       "He called it \"dead on arrival.\" Others agreed.",
       "He called it \"dead on arrival.\"|Others agreed."),
    S_("en British period after the closing mark", "en",
       "He called it “deeply flawed”. Ministers disagreed.",
       "He called it “deeply flawed”.|Ministers disagreed."),
    S_("en closing bracket after the period", "en", "It ended (at last.) Then we left.",
       "It ended (at last.)|Then we left."),
    S_("fr period inside the guillemets ends the sentence", "fr",
       "Elle a dit : « Nous partons. » Le train démarre.",
       "Elle a dit : « Nous partons. »|Le train démarre."),
    S_("fr period outside the guillemets", "fr", "Il parle d'une « trahison ». Le débat reprend.",
       "Il parle d'une « trahison ».|Le débat reprend."),
    S_("fr ? before » and a lower-case attribution: one sentence", "fr",
       "« Qui paiera ? » demande le maire. Personne ne répond.",
       "« Qui paiera ? » demande le maire.|Personne ne répond."),
    S_("en lines without final punctuation are sentences", "en",
       "Storm Warning\nResidents were told to stay home.",
       "Storm Warning|Residents were told to "
       "stay home."),
    S_("en a list item per line", "en", "features\ncontact manager\nevents, activities",
       "features|contact manager|events, activities"),
    S_("en inline numbered list", "en", "1. The first item 2. The second item",
       "1. The first item|2. The second item"),
    S_("en sentence run together without a space", "en", "Hello world.Today is Tuesday.",
       "Hello world.|Today is Tuesday."),
    S_("en footnote calls after the period", "en", "It was a saint.[1] The emperor died.",
       "It was a saint.[1]|The emperor died."),
    S_("en table of contents leaders are not read", "en",
       "About Me........... 5\nChapter 2 ....... 6", "About Me|Chapter 2"),
    S_("de ordinal number before a noun", "de",
       "Die Abstimmung vom 12. Juni war knapp. Wir gingen.",
       "Die Abstimmung vom 12. Juni war knapp.|Wir gingen."),
    S_("es inverted marks open sentences", "es", "Pablo, ¿adónde vas? ¡¿Qué viste?!",
       "Pablo, ¿adónde vas?|¡¿Qué viste?!"),
    /* not sentence ends */
    S_("fr titles and abbreviations", "fr",
       "M. Dupont et MM. Faure et Benali ont vu Mme Roussel, le Dr Lemaire et le Pr Nguyen. "
       "Ils repartent.",
       "M. Dupont et MM. Faure et Benali ont vu Mme Roussel, le Dr Lemaire et le Pr Nguyen.|Ils "
       "repartent."),
    S_("fr av. J.-C. mid-sentence and at the end", "fr",
       "Fondée vers 600 av. J.-C. par des Grecs, elle prospère. Elle date de 600 av. J.-C. Elle "
       "devient un port.",
       "Fondée vers 600 av. J.-C. par des Grecs, elle prospère.|Elle date de 600 av. J.-C.|Elle "
       "devient un port."),
    S_("fr p., n°, St-, etc.", "fr",
       "Le rapport n° 5 (p. 12) cite St-Étienne, Lyon, etc. dans sa liste. Il est publié.",
       "Le rapport n° 5 (p. 12) cite St-Étienne, Lyon, etc. dans sa liste.|Il est publié."),
    S_("en titles before names", "en",
       "Mr. Smith met Mrs. Ortega, Dr. Patel, Sen. Ray Collins and Gov. Hill. They talked.",
       "Mr. Smith met Mrs. Ortega, Dr. Patel, Sen. Ray Collins and Gov. Hill.|They talked."),
    S_("en Jan., No., e.g., i.e., Inc. mid-sentence", "en",
       "On Jan. 5 No. 3 Acme Inc. said some birds, e.g., finches, i.e. most, stay. Others fly.",
       "On Jan. 5 No. 3 Acme Inc. said some birds, e.g., finches, i.e. most, stay.|Others fly."),
    S_("en U.S. mid-sentence and at the end", "en",
       "The U.S. Senate voted. It is based in the U.S. Its market is Europe.",
       "The U.S. Senate voted.|It is based in the U.S.|Its market is Europe."),
    S_("en a name of capitalised words goes on after U.S., a day after a.m.", "en",
       "The U.S. Flag Code has rules. He landed at 4:30 a.m. Wednesday. Staff left the U.K. "
       "They came back.",
       "The U.S. Flag Code has rules.|He landed at 4:30 a.m. Wednesday.|Staff left the "
       "U.K.|They came back."),
    S_("en a sentence is never a dotted abbreviation alone", "en",
       "Decks came from one place. U.S. Games sells them for $20.",
       "Decks came from one place.|U.S. Games sells them for $20."),
    S_("en a.m. before lower case and p.m. before a capital", "en",
       "We met at 10:30 a.m. on Friday. Polls close at 8 p.m. Results come later.",
       "We met at 10:30 a.m. on Friday.|Polls close at 8 p.m.|Results come later."),
    S_("en initials", "en", "J. R. R. Tolkien met George W. Bush. Both spoke.",
       "J. R. R. Tolkien met George W. Bush.|Both spoke."),
    S_("fr numbers", "fr",
       "Il a payé 3,5 millions, 1 000 euros et 3.5 dollars à 10:30 puis à 15 h 30. C'est fini.",
       "Il a payé 3,5 millions, 1 000 euros et 3.5 dollars à 10:30 puis à 15 h 30.|C'est fini."),
    S_("fr ordinals", "fr", "Le 1er mai, le château du XIXe siècle ouvre. Il est le 21e.",
       "Le 1er mai, le château du XIXe siècle ouvre.|Il est le 21e."),
    S_("en ordinal, URL, e-mail and file name", "en",
       "The 21st report is at https://www.example.com/a.pdf and mail@example.org has data.csv "
       "files. Read it.",
       "The 21st report is at https://www.example.com/a.pdf and mail@example.org has data.csv "
       "files.|Read it."),
    S_("en URL and e-mail address at a sentence end", "en",
       "See www.example.com. Write to news@example.com. We read it.",
       "See www.example.com.|Write to news@example.com.|We read it."),
    S_("en cut mark inside a quotation", "en", "\"Bohr [...] used the analogy\" (Smith 55).",
       "\"Bohr [...] used the analogy\" (Smith 55)."),
    /* quotations */
    Q_("en straight quotes, attribution, second quotation", "en",
       "\"We did everything we could,\" she said. \"It was not enough.\"",
       "\"We did everything we could,\" she said.|\"It was not enough.\"",
       {"We did everything we could,", "N"}, {"It was not enough.", "N"}),
    Q_("en a quotation resumed after its attribution is one quotation", "en",
       "\"We are ready,\" he said, \"and we will win.\" \"Believe it.\"",
       "\"We are ready,\" he said, \"and we will win.\"|\"Believe it.\"", {"We are ready,", "N"},
       {"and we will win.", "CS"}, {"Believe it.", "N"}),
    Q_("en curly double quotes", "en", "“It was chaos,” said Laura Kim.",
       "“It was chaos,” said Laura Kim.", {"It was chaos,", "N"}),
    Q_("en single quotes nested in double quotes belong to the outer one", "en",
       "\"They called it 'a temporary fix,' and left,\" she said.",
       "\"They called it 'a temporary fix,' and left,\" she said.",
       {"They called it 'a temporary fix,' and left,", "N"}),
    Q_("en curly single quotes", "en", "She said ‘never again’ twice.",
       "She said ‘never again’ twice.", {"never again", "N"}),
    Q_("fr guillemets with a plain space", "fr", "Il a dénoncé une « provocation ».",
       "Il a dénoncé une « provocation ».", {"provocation", "N"}),
    Q_("fr guillemets with no-break spaces", "fr",
       "Elle a prévenu\u00a0: «\u00a0Nous ne céderons pas.\u00a0»",
       "Elle a prévenu\u00a0: «\u00a0Nous ne céderons pas.\u00a0»", {"Nous ne céderons pas.", "N"}),
    Q_("fr guillemets with narrow no-break spaces", "fr",
       "Il a lancé\u00a0: «\u202fQui va payer\u202f?\u202f»",
       "Il a lancé\u00a0: «\u202fQui va payer\u202f?\u202f»", {"Qui va payer\u202f?", "N"}),
    Q_("fr guillemets without spaces", "fr", "Elle parle d'une «victoire».",
       "Elle parle d'une «victoire».", {"victoire", "N"}),
    Q_("de low-high quotes", "de", "„Ich habe keine Zeit“, sagte die Frau.",
       "„Ich habe keine Zeit“, sagte die Frau.", {"Ich habe keine Zeit", "N"}),
    Q_("fr curly quotes nested in guillemets", "fr",
       "« On nous a vendu la “sobriété heureuse”. Je n'y crois pas », dit-il.",
       "« On nous a vendu la “sobriété heureuse”.|Je n'y crois pas », dit-il.",
       {"On nous a vendu la “sobriété heureuse”.", "N"}, {"Je n'y crois pas", "CS"}),
    Q_("en quotation of two sentences, closing mark with the last", "en",
       "\"It's over. We lost,\" said Sen. Ray Collins.",
       "\"It's over.|We lost,\" said Sen. Ray Collins.", {"It's over.", "N"}, {"We lost,", "CS"}),
    Q_("en quotation over two paragraphs", "en",
       "\"The first thing we did was call the families.\n\n\"Then we called the insurers,\" he "
       "said.",
       "\"The first thing we did was call the families.|\"Then we called the insurers,\" he said.",
       {"The first thing we did was call the families.", "N"},
       {"Then we called the insurers,", "CS"}),
    Q_("fr quotation over two paragraphs, « reopened", "fr",
       "« Nous avons perdu une bataille.\n\n« Le combat continue », a lancé le syndicaliste.",
       "« Nous avons perdu une bataille.|« Le combat continue », a lancé le syndicaliste.",
       {"Nous avons perdu une bataille.", "N"}, {"Le combat continue", "CS"}),
    Q_("fr incise inside the guillemets", "fr", "« Nous allons, a-t-elle dit, tout reprendre. »",
       "« Nous allons, a-t-elle dit, tout reprendre. »", {"Nous allons,", "N"},
       {"tout reprendre.", "CS"}),
    Q_("fr incise that ends the sentence", "fr",
       "« Je ne me représenterai pas, a annoncé le maire. C'est mûrement réfléchi. »",
       "« Je ne me représenterai pas, a annoncé le maire.|C'est mûrement réfléchi. »",
       {"Je ne me représenterai pas,", "N"}, {"C'est mûrement réfléchi.", "CS"}),
    Q_("fr incise naming the speaker, then a description up to the full stop", "fr",
       "« C'est une étape, estime Mme Durand, secrétaire générale du syndicat. Mais le plus dur "
       "reste à faire. »",
       "« C'est une étape, estime Mme Durand, secrétaire générale du syndicat.|Mais le plus dur "
       "reste à faire. »",
       {"C'est une étape,", "N"}, {"Mais le plus dur reste à faire.", "CS"}),
    Q_("fr quotation resumed after an incise with a pronoun", "fr",
       "« Nous allons, explique-t-il, tout reprendre. »",
       "« Nous allons, explique-t-il, tout reprendre. »", {"Nous allons,", "N"},
       {"tout reprendre.", "CS"}),
    Q_("fr em-dash dialogue turns", "fr", "— Vous viendrez demain ?\n— Bien sûr. Je serai là.",
       "— Vous viendrez demain ?|— Bien sûr.|Je serai là.", {"Vous viendrez demain ?", "N"},
       {"Bien sûr.", "N"}, {"Je serai là.", "CS"}),
    Q_("fr dialogue turn with an incise", "fr",
       "— Je n'en sais rien, répondit-il. Demandez au directeur.",
       "— Je n'en sais rien, répondit-il.|Demandez au directeur.", {"Je n'en sais rien,", "N"},
       {"Demandez au directeur.", "CS"}),
    Q_("fr interview: questions are narration, answers quotations", "fr",
       "— Est-ce inédit ?\n\n— Non, mais c'est fréquent.\n\n— Qui consomme le plus ?\n\n"
       "— L'agriculture.\n\n— Êtes-vous optimiste ?\n\n— Plutôt, oui.",
       "— Est-ce inédit ?|— Non, mais c'est fréquent.|— Qui consomme le plus ?|— L'agriculture.|"
       "— Êtes-vous optimiste ?|— Plutôt, oui.",
       {"Non, mais c'est fréquent.", "N"}, {"L'agriculture.", "N"}, {"Plutôt, oui.", "N"}),
    NOQ("fr apostrophes are not quotation marks", "fr",
        "Aujourd'hui, l'Ukraine et l’Europe s’entendent.",
        "Aujourd'hui, l'Ukraine et l’Europe s’entendent."),
    NOQ("en curly apostrophes are not quotation marks", "en",
        "Rock ‘n’ roll from the ’90s isn’t dead, says Brooks’ band.",
        "Rock ‘n’ roll from the ’90s isn’t dead, says Brooks’ band."),
    NOQ("en apostrophes are not quotation marks", "en",
        "We don't play rock 'n' roll from the '90s. The Joneses' house sold.",
        "We don't play rock 'n' roll from the '90s.|The Joneses' house sold."),
    Q_("en unbalanced mark recovered at the end of its paragraph", "en",
       "He said \"we will win the vote. Nobody doubts it.\n\nThe vote is on Monday.",
       "He said \"we will win the vote.|Nobody doubts it.|The vote is on Monday.",
       {"we will win the vote.", "N"}, {"Nobody doubts it.", "CSR"}),
    Q_("fr unbalanced guillemet never swallows the next paragraph", "fr",
       "Il a parlé d'une « erreur grave.\n\nLe vote aura lieu lundi.",
       "Il a parlé d'une « erreur grave.|Le vote aura lieu lundi.", {"erreur grave.", "NR"}),
};

/* The sentences of DOC joined by '|'. */
static char *joined_sentences(const nr_doc *doc) {
    nr_buf b;
    nr_buf_init(&b);
    for (size_t i = 0; i < doc->blocks.len; i++) {
        const nr_block *bl = &NR_BLOCK(doc, i);
        for (size_t k = 0; k < bl->n_sents; k++) {
            if (b.len)
                nr_buf_addc(&b, '|');
            nr_buf_add(&b, doc->text + bl->sents[k].start, bl->sents[k].end - bl->sents[k].start);
        }
    }
    nr_buf_addc(&b, '\0');
    return nr_buf_take(&b, NULL);
}

static bool is_mark_or_space(uint32_t c) {
    return nr_is_space(c) || c == '"' || c == '\'' || c == 0xAB || c == 0xBB || c == 0x201C ||
           c == 0x201D || c == 0x201E || c == 0x2018 || c == 0x2019 || c == 0x2014 || c == 0x2013 ||
           c == 0x2039 || c == 0x203A || c == ',';
}

/* The spans of every sentence are in order inside it and cover it but for
 * marks and spaces (a ',' of a ",," mark included). */
static void check_invariants(const tcase *tc, const nr_doc *doc) {
    for (size_t i = 0; i < doc->blocks.len; i++) {
        const nr_block *bl = &NR_BLOCK(doc, i);
        size_t prev_end = bl->start;
        for (size_t k = 0; k < bl->n_sents; k++) {
            const nr_sentence *sn = &bl->sents[k];
            CHECK(sn->start >= prev_end && sn->end <= bl->end && sn->start < sn->end,
                  "%s: sentence %zu [%zu,%zu) out of its block [%zu,%zu)", tc->name, k, sn->start,
                  sn->end, prev_end, bl->end);
            CHECK(sn->n_spans > 0, "%s: sentence %zu has no span", tc->name, k);
            size_t pos = sn->start;
            for (size_t j = 0; j < sn->n_spans; j++) {
                const nr_span *sp = &sn->spans[j];
                CHECK(sp->start >= pos && sp->end <= sn->end && sp->start < sp->end,
                      "%s: span %zu [%zu,%zu) of sentence %zu misplaced", tc->name, j, sp->start,
                      sp->end, k);
                for (size_t g = pos; g < sp->start && g < sn->end;) {
                    uint32_t c;
                    g += nr_utf8_decode(doc->text + g, sn->end - g, &c);
                    CHECK(is_mark_or_space(c), "%s: U+%04X at %zu uncovered", tc->name, c, g);
                }
                pos = sp->end > pos ? sp->end : pos;
            }
            for (size_t g = pos; g < sn->end;) {
                uint32_t c;
                g += nr_utf8_decode(doc->text + g, sn->end - g, &c);
                CHECK(is_mark_or_space(c), "%s: U+%04X at the end uncovered", tc->name, c);
            }
            prev_end = sn->end;
        }
    }
}

static void check_quotes(const tcase *tc, const nr_doc *doc) {
    size_t n = 0;
    int prev_id = -1;
    for (size_t i = 0; i < doc->blocks.len; i++) {
        const nr_block *bl = &NR_BLOCK(doc, i);
        for (size_t k = 0; k < bl->n_sents; k++) {
            for (size_t j = 0; j < bl->sents[k].n_spans; j++) {
                const nr_span *sp = &bl->sents[k].spans[j];
                if (sp->kind != NR_SPAN_QUOTE)
                    continue;
                const qwant *w = n < 8 ? &tc->quotes[n] : NULL;
                n++;
                if (!w || !w->text) {
                    CHECK(false, "%s: extra quotation \"%.*s\"", tc->name,
                          (int)(sp->end - sp->start), doc->text + sp->start);
                    continue;
                }
                char got[512];
                snprintf(got, sizeof got, "%.*s", (int)(sp->end - sp->start),
                         doc->text + sp->start);
                CHECK_STR(got, w->text, "%s", tc->name);
                bool cont = strchr(w->flags, 'C'), rec = strchr(w->flags, 'R');
                CHECK(sp->continues == cont, "%s: \"%s\" continues=%d", tc->name, w->text,
                      sp->continues);
                CHECK(sp->recovered == rec, "%s: \"%s\" recovered=%d", tc->name, w->text,
                      sp->recovered);
                if (strchr(w->flags, 'S'))
                    CHECK(sp->quote == prev_id, "%s: \"%s\" should share id %d, has %d", tc->name,
                          w->text, prev_id, sp->quote);
                if (strchr(w->flags, 'N'))
                    CHECK(sp->quote != prev_id, "%s: \"%s\" should have a new id", tc->name,
                          w->text);
                prev_id = sp->quote;
            }
        }
    }
    size_t want = 0;
    while (want < 8 && tc->quotes[want].text)
        want++;
    CHECK(n == want, "%s: %zu quotations, want %zu", tc->name, n, want);
}

static void run_case(nr_ctx *ctx, const tcase *tc) {
    nr_doc *doc = nr_doc_new(tc->text, strlen(tc->text), tc->name);
    CHECK(doc != NULL, "%s: no document", tc->name);
    if (!doc)
        return;
    snprintf(doc->lang, sizeof doc->lang, "%s", tc->lang);
    CHECK(nr_ingest_text(ctx, doc) == NR_OK, "%s: ingest: %s", tc->name, ctx->err);
    nr_status st = nr_segment(ctx, doc);
    CHECK(st == NR_OK, "%s: segment: %s", tc->name, ctx->err);
    char *got = joined_sentences(doc);
    CHECK_STR(got, tc->sentences, "%s", tc->name);
    free(got);
    check_invariants(tc, doc);
    if (tc->check_quotes)
        check_quotes(tc, doc);
    nr_doc_free(doc);
}

/* A block with nothing to say (a lone bracket between two tags of a page)
 * leaves the document: no later stage meets a block without a sentence. */
static void check_silent_block(nr_ctx *ctx) {
    static const char text[] = "First paragraph, with words.\n\n)\n\nSecond one.";
    nr_doc *doc = nr_doc_new(text, sizeof text - 1, "silent");
    CHECK(doc != NULL, "silent block: no document");
    if (!doc)
        return;
    memcpy(doc->lang, "en", 3);
    nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 0, 28);
    nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 30, 31);
    nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 33, sizeof text - 1);
    CHECK(nr_segment(ctx, doc) == NR_OK, "silent block: segment: %s", ctx->err);
    CHECK(doc->blocks.len == 2, "silent block: %zu blocks, want 2", doc->blocks.len);
    for (size_t i = 0; i < doc->blocks.len; i++)
        CHECK(NR_BLOCK(doc, i).n_sents == 1, "silent block: block %zu has %zu sentences", i,
              NR_BLOCK(doc, i).n_sents);
    nr_doc_free(doc);
}

/* A malformed table is reported with its file and line, not ignored. */
static void check_bad_table(void) {
    char dir[] = "/tmp/narrate-seg-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(false, "mkdtemp failed");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/fr", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/fr/abbreviations.txt", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("# a comment\nM. title\nav. sometimes\n", f);
        fclose(f);
    }
    nr_ctx ctx;
    nr_ctx_init(&ctx);
    nr_data_free(ctx.data);
    ctx.data = nr_data_new(dir);
    nr_doc *doc = nr_doc_new("Un texte.", 9, "bad");
    memcpy(doc->lang, "fr", 3);
    nr_doc_add_block(doc, NR_BLOCK_PARAGRAPH, 0, 9);
    nr_status st = nr_segment(&ctx, doc);
    CHECK(st == NR_E_DATA, "a bad abbreviation kind gives NR_E_DATA, got %d", st);
    CHECK(strstr(ctx.err, "abbreviations.txt:3") != NULL, "message names the line: %s", ctx.err);
    nr_doc_free(doc);
    nr_ctx_fini(&ctx);
    unlink(path);
    snprintf(path, sizeof path, "%s/fr", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void) {
    nr_ctx ctx;
    if (nr_ctx_init(&ctx) != NR_OK)
        return 1;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&ctx, &cases[i]);
    check_silent_block(&ctx);
    nr_ctx_fini(&ctx);
    check_bad_table();
    return check_done("test_segment");
}
