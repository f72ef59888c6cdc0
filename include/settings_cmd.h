/* settings_cmd.h - ctadm's word commands for the kernel's debug knobs:
 * log-invalid, nflog, dyndbg and debug. */
#ifndef CTADM_SETTINGS_CMD_H
#define CTADM_SETTINGS_CMD_H

struct ctadm;
struct nflog_family;
struct nflog_table;
struct out;

int log_invalid_run(struct ctadm *c);
int nflog_run(struct ctadm *c);
int dyndbg_run(struct ctadm *c);
int debug_run(struct ctadm *c);
/* /proc/net/netfilter/nf_log into t: 0 or a ctadm_fail() error (nflog
 * and report show it). */
int nflog_table_read(struct ctadm *c, struct nflog_table *t);
/* The row of family in t, or NULL. */
const struct nflog_family *nflog_table_find(const struct nflog_table *t,
					    int family);
/* The table as nflog shows it: text with a header line, or a JSON array
 * of {"family","name","active","registered"}. */
void nflog_table_text(struct out *o, const struct nflog_table *t);
void nflog_table_json(struct out *o, const struct nflog_table *t);
/* The meaning of a log_invalid value: "off", "all", a protocol's name
 * or NULL for a number without one. */
const char *log_invalid_meaning(unsigned v);
/* off (0), all (255), 0-255, or a protocol name; -1 if none of them. */
int log_invalid_parse(const char *s);

#endif
