/* settings_cmd.h - ctadm's word commands for the kernel's debug knobs:
 * log-invalid, nflog, dyndbg and debug. */
#ifndef CTADM_SETTINGS_CMD_H
#define CTADM_SETTINGS_CMD_H

struct ctadm;

int log_invalid_run(struct ctadm *c);
int nflog_run(struct ctadm *c);
int dyndbg_run(struct ctadm *c);
int debug_run(struct ctadm *c);
/* The meaning of a log_invalid value: "off", "all", a protocol's name
 * or NULL for a number without one. */
const char *log_invalid_meaning(unsigned v);
/* off (0), all (255), 0-255, or a protocol name; -1 if none of them. */
int log_invalid_parse(const char *s);

#endif
