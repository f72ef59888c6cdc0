/* ct_parse.h - netlink messages of ctnetlink into ct.h structs.
 *
 * Each parser checks every attribute it reads (header within its container,
 * exact size for integers, NUL-terminated strings) with its own inline walk,
 * which costs a fraction of libmnl's per-attribute callbacks, and returns 0
 * or -EINVAL for a malformed message.  No allocation: string
 * fields of the result point into the message.
 */
#ifndef CTADM_CT_PARSE_H
#define CTADM_CT_PARSE_H

#include <linux/netlink.h>

#include "ct.h"
#include "fmt.h"

/* IPCTNL_MSG_CT_NEW / _DELETE (dump, get or event). */
int ct_parse(const struct nlmsghdr *nlh, struct ct_entry *ct);
/* IPCTNL_MSG_EXP_NEW / _DELETE. */
int exp_parse(const struct nlmsghdr *nlh, struct ct_exp *exp);
/* One record of IPCTNL_MSG_CT_GET_STATS_CPU (CTA_STATS_*), cpu from
 * nfgenmsg.res_id; attributes this build does not know become
 * "unknownN" items, as conntrack prints them. */
int ct_stat_parse(const struct nlmsghdr *nlh, struct ct_stat *st);
/* One record of IPCTNL_MSG_EXP_GET_STATS_CPU (CTA_STATS_EXP_*). */
int exp_stat_parse(const struct nlmsghdr *nlh, struct ct_stat *st);
/* IPCTNL_MSG_CT_GET_STATS reply: CTA_STATS_GLOBAL_ENTRIES and _MAX_ENTRIES
 * (max is 0 where the kernel does not send it). */
int ct_global_stats_parse(const struct nlmsghdr *nlh, uint32_t *entries,
			  uint32_t *max_entries);

#endif
