/* nl_ct.h - ctnetlink requests: dumps with kernel-side filters, get,
 * counts and statistics. */
#ifndef CTADM_NL_CT_H
#define CTADM_NL_CT_H

#include <stdbool.h>

#include "ct.h"
#include "filter.h"
#include "fmt.h"
#include "nl.h"
#include "opt.h"

typedef int (*ct_entry_cb)(const struct ct_entry *ct, void *data);
typedef int (*ct_exp_cb)(const struct ct_exp *exp, void *data);
typedef int (*ct_stat_cb)(const struct ct_stat *st, void *data);

/* Dump table (conntrack, dying or unconfirmed), asking the kernel to
 * filter by what f allows; cb still sees only entries f matches. */
int ct_dump_filtered(struct nl_sock *s, enum ct_table table,
		     const struct ct_filter *f, bool zero, ct_entry_cb cb,
		     void *data);
/* The conntrack entries f selects, in no particular order (-D, -U): the
 * kernel filters more of them than ct_dump_filtered can in dump order. */
int ct_dump_selected(struct nl_sock *s, const struct ct_filter *f,
		     ct_entry_cb cb, void *data);
/* Let the kernel delete the entries f selects (one request per family);
 * only for filters the kernel evaluates exactly as ct_filter_match. */
int ct_flush_filtered(struct nl_sock *s, const struct ct_filter *f);
/* Get the entry whose tuple f describes; cb sees it if f matches. */
int ct_get(struct nl_sock *s, const struct ct_filter *f, ct_entry_cb cb,
	   void *data);
int exp_dump(struct nl_sock *s, uint8_t family, ct_exp_cb cb, void *data);
int exp_get(struct nl_sock *s, const struct ct_filter *f, ct_exp_cb cb,
	    void *data);
/* The table's entry count (IPCTNL_MSG_CT_GET_STATS). */
int ct_count_get(struct nl_sock *s, uint32_t *count);
int ct_stats_dump(struct nl_sock *s, bool expect, ct_stat_cb cb, void *data);

#endif
