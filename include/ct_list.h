/* ct_list.h - the read-only conntrack commands: -L, -G, -C, -S, -V. */
#ifndef CTADM_CT_LIST_H
#define CTADM_CT_LIST_H

struct ctadm;

int ct_list_run(struct ctadm *c);
int ct_get_run(struct ctadm *c);
int ct_count_run(struct ctadm *c);
int ct_stats_run(struct ctadm *c);
int ctadm_version_run(struct ctadm *c);

#endif
