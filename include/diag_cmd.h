/* diag_cmd.h - ctadm's troubleshooting commands: diagnose, report and
 * watch-invalid. */
#ifndef CTADM_DIAG_CMD_H
#define CTADM_DIAG_CMD_H

struct ctadm;

int diagnose_run(struct ctadm *c);
int report_run(struct ctadm *c);
int watch_invalid_run(struct ctadm *c);

#endif
