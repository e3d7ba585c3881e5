/* export_opts.h: the command's export, podcast and batch options.
 *
 * Kept apart from main.c so the options of other features merge cleanly:
 * main.c calls nr_cli_export_parse first, which takes its options out of
 * argv and leaves the rest to main's getopt. */
#ifndef NR_CLI_EXPORT_OPTS_H
#define NR_CLI_EXPORT_OPTS_H

#include <stdbool.h>

#include "narrate.h"

/* The lines these options add to --help. */
extern const char nr_cli_export_help[];

/* Takes the export options out of ARGV (updating *ARGC). Returns -1 to go
 * on, or an exit status (2) after printing a usage error. */
int nr_cli_export_parse(int *argc, char **argv);
/* True when the options ask for a batch (--out-dir or --feed). */
bool nr_cli_batch_wanted(void);
/* Gives the options to NR, and a progress bar on stderr when it is a
 * terminal and QUIET is false. */
nr_status nr_cli_export_apply(nr_narrator *nr, bool quiet);
/* Runs the batch over the N INPUTS (files or folders). */
nr_status nr_cli_batch_run(nr_narrator *nr, char **inputs, int n, bool quiet);

#endif
