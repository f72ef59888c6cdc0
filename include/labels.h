/* labels.h - connlabel.conf, the names of the conntrack label bits.
 *
 * The file format is libnetfilter_conntrack's: one "bit name" per line,
 * '#' in the first column starts a comment; lines that do not parse are
 * skipped, as conntrack skips them.  The names live in one allocation
 * made by labelmap_load, so there is nothing to allocate per entry.
 */
#ifndef CTADM_LABELS_H
#define CTADM_LABELS_H

#include "fmt.h"

/* Where libnetfilter_conntrack (and so conntrack) looks by default. */
#define LABELMAP_DEFAULT_PATH "/etc/xtables/connlabel.conf"

/* Load path (NULL: the default path) into m.  Returns 0, -errno when the
 * file cannot be read, or -ENOMSG when it names no label at all (where
 * conntrack prints "nfct_labelmap_new: Success" and carries on without
 * label names).  On error m is left empty. */
int labelmap_load(struct labelmap *m, const char *path);
/* Release what labelmap_load allocated; m is empty afterwards. */
void labelmap_free(struct labelmap *m);
/* The bit named name, or -1. */
int labelmap_bit(const struct labelmap *m, const char *name);

#endif
