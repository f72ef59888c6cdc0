/* stats_proc.h - per-CPU statistics from /proc/net/stat/nf_conntrack, for
 * kernels that do not answer IPCTNL_MSG_CT_GET_STATS_CPU. */
#ifndef CTADM_STATS_PROC_H
#define CTADM_STATS_PROC_H

#include <stdbool.h>
#include <stdio.h>

#include "nl_ct.h"

/* Columns are found by their header names, never by position, and named
 * as ctnetlink names them; expect selects the expect_* columns. */
int stats_proc_read(FILE *f, bool expect, ct_stat_cb cb, void *data);
int stats_from_proc(bool expect, ct_stat_cb cb, void *data);

#endif
