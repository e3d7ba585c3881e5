#!/usr/bin/env bash
# cmake --install puts the command, library, header, pkg-config file, man page
# and voices data in place, and a program built against the installed library
# through pkg-config works, from a prefix chosen at install time.
. "$(dirname "$0")/lib.sh"
: "${BUILDDIR:?}"
cmake --install "$BUILDDIR" --prefix "$WORK/prefix" >/dev/null
P="$WORK/prefix"
for f in bin/narrate include/narrate.h share/man/man1/narrate.1 share/narrate/voices/profiles.ini; do
  check "installed $f" test -f "$P/$f"
done
check "installed the shared library" sh -c "ls '$P'/lib*/libnarrate.so* >/dev/null 2>&1"
pc=$(dirname "$(find "$P" -name narrate.pc | head -1)")
check "pkg-config finds narrate ($pc)" env PKG_CONFIG_PATH="$pc" pkg-config --exists narrate
check "the installed command runs from the prefix" sh -c "'$P/bin/narrate' --version | grep -q narrate"
check "the man page is valid roff" sh -c "man -l '$P/share/man/man1/narrate.1' 2>/dev/null | grep -q 'EXIT STATUS' || groff -man -Tutf8 '$P/share/man/man1/narrate.1' 2>/dev/null | grep -q 'EXIT STATUS'"
cat >"$WORK/client.c" <<'C'
#include <narrate.h>
#include <stdio.h>
int main(void) {
    nr_narrator *nr;
    nr_document *doc;
    size_t n;
    const char *text = nr_sample_article(&n);
    if (nr_narrator_new(&nr) != NR_OK)
        return 1;
    if (nr_document_from_memory(nr, text, n, "sample", &doc) != NR_OK)
        return 2;
    printf("%zu\n", nr_document_sentence_count(doc));
    nr_document_free(doc);
    nr_narrator_free(nr);
    return 0;
}
C
libdir=$(dirname "$(ls "$P"/lib*/libnarrate.so | head -1)")
cc ${CLIENT_CFLAGS:-} "$WORK/client.c" $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs narrate) -Wl,-rpath,"$libdir" -o "$WORK/client"
count=$("$WORK/client")
check "a client of the public API analyses the sample ($count sentences)" test "${count:-0}" -gt 5
finish
