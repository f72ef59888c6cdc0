/* settings_cmd.h - ctadm's word commands for the kernel's debug knobs:
 * log-invalid and nflog. */
#ifndef CTADM_SETTINGS_CMD_H
#define CTADM_SETTINGS_CMD_H

struct ctadm;

int log_invalid_run(struct ctadm *c);
int nflog_run(struct ctadm *c);
/* The meaning of a log_invalid value: "off", "all", a protocol's name
 * or NULL for a number without one. */
const char *log_invalid_meaning(unsigned v);

#endif
