/* ct_event.h - -E: follow the conntrack or expectation events. */
#ifndef CTADM_CT_EVENT_H
#define CTADM_CT_EVENT_H

struct ctadm;

int ct_event_run(struct ctadm *c);

#endif
