/* feed.c: episode records and the RSS feed built from them. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../audio/timeline.h"
#include "batch.h"

static void jfield(FILE *f, const char *key, const char *v, bool last) {
    fprintf(f, "  \"%s\": ", key);
    nr_json_fputs(f, v, strlen(v));
    fputs(last ? "\n" : ",\n", f);
}

void nr_episode_write(FILE *f, const nr_episode *e) {
    fputs("{\n  \"format\": \"narrate-episode/1\",\n", f);
    jfield(f, "name", e->name, false);
    jfield(f, "hash", e->hash, false);
    jfield(f, "audio", e->audio, false);
    jfield(f, "type", e->type, false);
    fprintf(f, "  \"bytes\": %llu,\n  \"duration\": %.3f,\n", (unsigned long long)e->bytes,
            e->duration);
    jfield(f, "title", e->title, false);
    jfield(f, "author", e->author, false);
    jfield(f, "date", e->date, false);
    jfield(f, "language", e->lang, false);
    jfield(f, "source", e->source, false);
    jfield(f, "transcript", e->transcript, false);
    jfield(f, "chapters", e->chapters, true);
    fputs("}\n", f);
}

static void jget(json_t *o, const char *key, char *out, size_t size) {
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(out, size, "%s", v ? v : "");
}

bool nr_episode_read(const char *path, nr_episode *e) {
    json_t *o = json_load_file(path, 0, NULL);
    memset(e, 0, sizeof *e);
    if (!o)
        return false;
    const char *fmt = json_string_value(json_object_get(o, "format"));
    bool ok = fmt && !strcmp(fmt, "narrate-episode/1");
    jget(o, "name", e->name, sizeof e->name);
    jget(o, "hash", e->hash, sizeof e->hash);
    jget(o, "audio", e->audio, sizeof e->audio);
    jget(o, "type", e->type, sizeof e->type);
    jget(o, "title", e->title, sizeof e->title);
    jget(o, "author", e->author, sizeof e->author);
    jget(o, "date", e->date, sizeof e->date);
    jget(o, "language", e->lang, sizeof e->lang);
    jget(o, "source", e->source, sizeof e->source);
    jget(o, "transcript", e->transcript, sizeof e->transcript);
    jget(o, "chapters", e->chapters, sizeof e->chapters);
    json_t *b = json_object_get(o, "bytes"), *d = json_object_get(o, "duration");
    ok = ok && json_is_integer(b) && json_is_number(d) && e->audio[0];
    e->bytes = ok ? (uint64_t)json_integer_value(b) : 0;
    e->duration = ok ? json_number_value(d) : 0;
    json_decref(o);
    return ok;
}

static int by_date_then_name(const void *a, const void *b) {
    const nr_episode *x = a, *y = b;
    int c = strcmp(y->date, x->date);
    return c ? c : strcmp(x->name, y->name);
}

nr_episode *nr_episodes_scan(const char *dir, size_t *n) {
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    nr_episode *eps = NULL;
    size_t cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        static const char suffix[] = ".episode.json";
        if (de->d_name[0] == '.' || len <= sizeof suffix - 1 ||
            strcmp(de->d_name + len - (sizeof suffix - 1), suffix))
            continue;
        if (*n == cap) {
            nr_episode *p = realloc(eps, (cap = cap ? cap * 2 : 16) * sizeof *eps);
            if (!p)
                break;
            eps = p;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (nr_episode_read(path, &eps[*n]))
            (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(eps, *n, sizeof *eps, by_date_then_name);
    return eps;
}

/* Text for XML: the five entities escaped, characters XML 1.0 forbids
 * (C0 controls but tab and line ends) left out. */
static void xml_text(FILE *f, const char *s) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            fputs("&amp;", f);
        else if (c == '<')
            fputs("&lt;", f);
        else if (c == '>')
            fputs("&gt;", f);
        else if (c == '"')
            fputs("&quot;", f);
        else if (c == '\'')
            fputs("&apos;", f);
        else if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
            fputc(c, f);
    }
}

static void element(FILE *f, const char *indent, const char *tag, const char *v) {
    if (!v || !*v)
        return;
    fprintf(f, "%s<%s>", indent, tag);
    xml_text(f, v);
    fprintf(f, "</%s>\n", tag);
}

/* "base/" + name, with exactly one slash between. */
static void url(FILE *f, const char *base, const char *name) {
    size_t n = strlen(base);
    xml_text(f, base);
    if (n && base[n - 1] != '/')
        fputc('/', f);
    xml_text(f, name);
}

/* RFC 822 date of "YYYY-MM-DD" (noon UTC is not needed: midnight). */
static void rfc822(const char *date, char out[64]) {
    struct tm tm = {0};
    out[0] = '\0';
    if (sscanf(date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) < 1)
        return;
    tm.tm_year -= 1900;
    tm.tm_mon = tm.tm_mon ? tm.tm_mon - 1 : 0;
    if (!tm.tm_mday)
        tm.tm_mday = 1;
    time_t t = timegm(&tm);
    struct tm norm;
    gmtime_r(&t, &norm);
    strftime(out, 64, "%a, %d %b %Y %H:%M:%S +0000", &norm);
}

static void item(FILE *f, const nr_feed_info *info, const nr_episode *e) {
    fputs("    <item>\n", f);
    element(f, "      ", "title", e->title[0] ? e->title : e->name);
    element(f, "      ", "description", e->title[0] ? e->title : e->name);
    element(f, "      ", "itunes:author", e->author[0] ? e->author : info->author);
    fputs("      <enclosure url=\"", f);
    url(f, info->base_url, e->audio);
    fprintf(f, "\" length=\"%llu\" type=\"", (unsigned long long)e->bytes);
    xml_text(f, e->type);
    fputs("\"/>\n      <guid isPermaLink=\"false\">narrate:", f);
    xml_text(f, e->name);
    fputs("</guid>\n", f);
    char date[64];
    rfc822(e->date, date);
    element(f, "      ", "pubDate", date);
    fprintf(f, "      <itunes:duration>%llu</itunes:duration>\n",
            (unsigned long long)(e->duration + 0.5));
    fputs("      <itunes:episodeType>full</itunes:episodeType>\n", f);
    fputs("      <itunes:explicit>false</itunes:explicit>\n", f);
    if (e->source[0] && strstr(e->source, "://"))
        element(f, "      ", "link", e->source);
    if (e->transcript[0]) {
        fputs("      <podcast:transcript url=\"", f);
        url(f, info->base_url, e->transcript);
        fputs("\" type=\"text/vtt\"/>\n", f);
    }
    if (e->chapters[0]) {
        fputs("      <podcast:chapters url=\"", f);
        url(f, info->base_url, e->chapters);
        fputs("\" type=\"application/json+chapters\"/>\n", f);
    }
    fputs("    </item>\n", f);
}

void nr_feed_write(FILE *f, const nr_feed_info *info, const nr_episode *eps, size_t n) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"\n"
          "     xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"\n"
          "     xmlns:atom=\"http://www.w3.org/2005/Atom\">\n  <channel>\n",
          f);
    element(f, "    ", "title", info->title);
    element(f, "    ", "link", info->link ? info->link : info->base_url);
    element(f, "    ", "description", info->description ? info->description : info->title);
    element(f, "    ", "language", info->lang ? info->lang : n ? eps[0].lang : NULL);
    element(f, "    ", "generator", "narrate " NR_VERSION);
    if (info->self) {
        fputs("    <atom:link href=\"", f);
        url(f, info->base_url, info->self);
        fputs("\" rel=\"self\" type=\"application/rss+xml\"/>\n", f);
    }
    element(f, "    ", "itunes:author", info->author);
    if (info->image && *info->image) {
        fputs("    <itunes:image href=\"", f);
        xml_text(f, info->image);
        fputs("\"/>\n", f);
    }
    fputs("    <itunes:category text=\"", f);
    xml_text(f, info->category && *info->category ? info->category : "News");
    fputs("\"/>\n    <itunes:explicit>false</itunes:explicit>\n", f);
    fputs("    <itunes:type>episodic</itunes:type>\n", f);
    for (size_t i = 0; i < n; i++)
        item(f, info, &eps[i]);
    fputs("  </channel>\n</rss>\n", f);
}
