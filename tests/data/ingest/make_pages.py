#!/usr/bin/env python3
"""Writes the HTML and Markdown versions of gold articles kept in this folder.

Run once by hand (python3 make_pages.py ../../../../shared/corpus/articles); the
pages it wrote are committed. Each page wraps the article's own lines (title,
standfirst, byline, caption, credit, body, sub-headings) in the chrome of a
kind of news site: navigation, cookie banner, share bar, ad slots, related
links, newsletter box, comments, scripts and styles, JSON-LD, entities. The
body text is the text version's, so both must read the same sentences.
"""
import html, json, os, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/corpus/articles"
OUT = os.path.dirname(os.path.abspath(__file__))


def load(name):
    gold = json.load(open(f"{SRC}/{name}.gold.json", encoding="utf-8"))
    lines = [l.strip() for l in open(f"{SRC}/{name}.txt", encoding="utf-8").read().split("\n")]
    return gold, [l for l in lines if l]


def parts(gold, lines):
    """The article's pieces, from its gold annotation and its lines."""
    junk = set(gold["never_spoken"])
    once = gold["spoken_at_most_once"]
    title, byline = gold["title"], gold.get("byline")
    heads = gold["headings"]
    standfirst = None
    body, caption = [], None
    ti = lines.index(title)
    rest = lines[ti + 1:]
    if heads and heads[0] in rest[:2]:
        standfirst = heads[0]
    for l in rest:
        if l in junk or l == byline or l == standfirst:
            continue
        if any(o in l for o in once):
            if caption is None:
                caption = l
            continue
        if any(j and j in l for j in junk):
            continue
        if l in heads:
            body.append(("h2", l))
        else:
            body.append(("p", l))
    return title, standfirst, byline, caption, body


def ent(s, heavy=True):
    """HTML text with entities, as CMSs write them."""
    s = html.escape(s, quote=False)
    if heavy:
        for ch, e in (("«", "&laquo;"), ("»", "&raquo;"), ("’", "&rsquo;"), ("é", "&eacute;"),
                      ("“", "&#8220;"), ("”", "&#x201D;"), ("—", "&mdash;"), ("£", "&pound;")):
            s = s.replace(ch, e)
        s = s.replace("'", "&#39;")
    return s


def split_caption(caption, credit_words):
    for w in credit_words:
        i = caption.find(w)
        if i > 0:
            return caption[:i].strip(), caption[i:].strip()
    return caption, None


NAV_FR = """<nav class="main-nav" role="navigation"><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/economie">&Eacute;conomie</a></li><li><a href="/societe">Soci&eacute;t&eacute;</a></li><li><a href="/sport">Sport</a></li></ul>
<form class="search" action="/recherche"><input name="q" placeholder="Rechercher"><button>OK</button></form></nav>"""
NAV_EN = """<nav aria-label="Main"><a class="skip-link" href="#main">Skip to content</a><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/politics">Politics</a></li><li><a href="/science">Science</a></li></ul></nav>"""
COOKIE_FR = """<div id="cookie-banner" class="cmp-banner"><p>Nous utilisons des cookies pour am&eacute;liorer votre exp&eacute;rience.</p><button>Accepter</button><button>Param&eacute;trer</button></div>"""
COOKIE_EN = """<div class="consent-overlay"><p>We use cookies to personalise content and ads.</p><button>Accept all</button></div>"""
SCRIPT = """<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());var s="<p>not text</p>";</script>
<style>.article p{font-family:Georgia,serif}.ad-slot{min-height:250px}</style>"""


def comments(lang):
    if lang == "fr":
        return """<section id="comments" class="comments"><h2>Commentaires (3)</h2>
<div class="comment"><p class="comment-author">Jean75</p><p>Encore une gr&egrave;ve, on conna&icirc;t la chanson.</p></div>
<div class="comment"><p class="comment-author">Marie</p><p>Article tr&egrave;s clair, merci.</p></div></section>"""
    return """<section class="comments-section" id="comments"><h2>Comments (3)</h2>
<article class="comment"><p class="author">jsmith</p><p>This was always going to happen.</p></article>
<article class="comment"><p class="author">pat_r</p><p>Great reporting, thanks.</p></article></section>"""


def related(lang):
    if lang == "fr":
        return """<aside class="related-articles"><h2>Sur le m&ecirc;me sujet</h2><ul>
<li><a href="/a1">Retraites : ce qui change au 1er avril</a></li><li><a href="/a2">Les prix de l'&eacute;nergie reculent en f&eacute;vrier</a></li>
<li><a href="/a3">Le gouvernement pr&eacute;sente son budget</a></li></ul></aside>"""
    return """<div class="more-stories"><h2>More from this section</h2><ul>
<li><a href="/s1">Markets close higher as inflation cools</a></li><li><a href="/s2">What the jobs report means for rates</a></li>
<li><a href="/s3">Five things to know this week</a></li></ul></div>"""


def footer(lang):
    t = "Mentions l&eacute;gales · Contact · Plan du site" if lang == "fr" else "Terms · Privacy · Contact us · Site map"
    return f"""<footer class="site-footer"><p>{t}</p><p>&copy; 2024 Le Groupe</p></footer>"""


def page(name, style, lang, site, credit_words):
    gold, lines = load(name)
    title, standfirst, byline, caption, body = parts(gold, lines)
    cap, credit = split_caption(caption, credit_words) if caption else (None, None)
    credit_line = next((l for l in gold["never_spoken"] if any(w in l for w in credit_words)), None)
    if credit is None:
        credit = credit_line
    heavy = style != "plain"
    ad = ("<div class=\"ad-slot\" id=\"pub-1\"><span>Publicit&eacute;</span><div id=\"dfp-ad-1\"></div></div>" if lang == "fr"
          else "<div class=\"ad-container advertisement\"><p>Advertisement</p><p>SKIP ADVERTISEMENT</p></div>")
    share = ("<div class=\"share-bar\"><button>Partager</button><a href=\"#\">Facebook</a> <a href=\"#\">X</a> <a href=\"#\">E-mail</a></div>" if lang == "fr"
             else "<ul class=\"social-share\"><li><a href=\"#\">Share on Facebook</a></li><li><a href=\"#\">Share on X</a></li><li><a href=\"#\">Email</a></li></ul>")
    readmore = (f"<p class=\"lire-aussi\"><strong>Lire aussi :</strong> <a href=\"/x\">Les cheminots et la r&eacute;forme, une longue histoire</a></p>" if lang == "fr"
                else f"<p><strong>Read more:</strong> <a href=\"/x\">Analysts see more cuts ahead in the sector</a></p>")
    out = [f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">",
           f"<title>{ent(title, False)} | {site}</title>",
           f"<meta property=\"og:title\" content=\"{html.escape(title)}\">",
           f"<meta property=\"og:site_name\" content=\"{site}\">",
           f"<meta name=\"author\" content=\"{html.escape(byline or site)}\">",
           "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"x\"}</script>",
           SCRIPT, "</head>\n<body>",
           COOKIE_FR if lang == "fr" else COOKIE_EN,
           f"<header class=\"site-header\"><a class=\"logo\" href=\"/\">{site}</a>",
           NAV_FR if lang == "fr" else NAV_EN, "</header>"]
    if style == "main-only":
        out.append("<main id=\"main\"><div class=\"story-wrapper\">")
    else:
        out.append("<main id=\"main\"><article class=\"article\">")
    out.append("<header class=\"article-header\">")
    if style == "kicker":
        out.append(f"<p class=\"kicker\"><a href=\"/rubrique\">{'Actualité' if lang == 'fr' else 'News'}</a></p>")
    out.append(f"<h1 class=\"headline\">{ent(title, heavy)}</h1>")
    if standfirst:
        cls = "chapo" if lang == "fr" else "standfirst"
        out.append(f"<p class=\"{cls}\">{ent(standfirst, heavy)}</p>")
    if byline:
        out.append(f"<div class=\"byline\"><span class=\"author-name\">{ent(byline, heavy)}</span></div>")
    when = "Publié le 12/03/2024 à 14h10" if lang == "fr" else "Published March 12, 2024"
    out.append(f"<p class=\"article-date\"><time datetime=\"2024-03-12T14:10\">{when}</time></p>")
    out.append(share)
    out.append("</header>")
    if cap:
        out.append("<figure class=\"article-figure\"><img src=\"photo.jpg\" alt=\"photo\" width=\"800\">")
        cr = f" <span class=\"credit\">{ent(credit, heavy)}</span>" if credit else ""
        out.append(f"<figcaption>{ent(cap, heavy)}{cr}</figcaption></figure>")
    out.append("<div class=\"article-body\">")
    for i, (kind, text) in enumerate(body):
        if kind == "h2":
            out.append(f"<h2 class=\"subheading\">{ent(text, heavy)}</h2>")
        else:
            if style == "br-lines" and i % 3 == 2:
                out.append(f"<p>\n  {ent(text, heavy)}\n</p>")
            else:
                out.append(f"<p>{ent(text, heavy)}</p>")
        if i == 2:
            out.append(ad)
        if i == 4:
            out.append(readmore)
        if i == 5 and lang == "en":
            out.append("<blockquote class=\"twitter-tweet\"><p>Big news today. pic.twitter.com/xyz</p>&mdash; Someone (@someone)</blockquote>")
    out.append("</div>")
    nl = ("<div class=\"newsletter-box\"><p>Abonnez-vous &agrave; notre newsletter</p><form><input type=\"email\"><button>Je m'abonne</button></form></div>" if lang == "fr"
          else "<div class=\"newsletter-signup\"><p>Sign up for our daily newsletter</p><form><input type=\"email\"><button>Sign up</button></form></div>")
    out.append(nl)
    out.append("</div></main>" if style == "main-only" else "</article>")
    out.append(related(lang))
    out.append(comments(lang))
    if style != "main-only":
        out.append("</main>")
    out.append(footer(lang))
    out.append("<script src=\"/js/app.js\"></script>\n</body>\n</html>\n")
    with open(f"{OUT}/{name}.html", "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def markdown(name, lang):
    gold, lines = load(name)
    title, standfirst, byline, caption, body = parts(gold, lines)
    out = [f"# {title}", ""]
    if standfirst:
        out += [f"*{standfirst}*" if False else standfirst, ""]
    if byline:
        out += [f"*{byline}*", ""]
    out += ["![Photo](photo.jpg)", ""]
    for i, (kind, text) in enumerate(body):
        if kind == "h2":
            out += [f"## {text}", ""]
        else:
            # emphasis and a link in the middle of the text, as Markdown writers do
            words = text.split(" ")
            if len(words) > 8 and i % 2 == 0:
                words[3] = f"**{words[3]}**" if not any(c in words[3] for c in "*_[]«»\"“”") else words[3]
                words[6] = f"[{words[6]}](https://example.org/{i})" if not any(c in words[6] for c in "*_[]«»\"“”") else words[6]
            out += [" ".join(words), ""]
        if i == 3:
            out += ["```", "print('code is announced, not read')", "```", ""]
    with open(f"{OUT}/{name}.md", "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    page("fr-01-sncf-greve", "plain", "fr", "Le Quotidien", ["Photo :"])
    page("fr-02-marseille-fouilles", "kicker", "fr", "Le Monde", ["THÉO"])
    page("fr-05-centre-de-sante", "main-only", "fr", "Ouest Régions", ["Photo :"])
    page("en-01-halvard-jobs", "plain", "en", "Reuters", ["REUTERS/"])
    page("en-02-minnesota-rail", "br-lines", "en", "The Daily Record", ["Credit..."])
    page("en-03-nhs-waiting-list", "kicker", "en", "The Guardian", ["Photograph:"])
    page("fr-afp-blinken", "plain", "fr", "Le Parisien", ["AP Photo/"])
    markdown("fr-03-pesticides-ue", "fr")
    markdown("en-04-songbirds", "en")
