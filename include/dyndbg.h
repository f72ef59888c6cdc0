/* dyndbg.h - the kernel's dynamic-debug control file, for nf_conntrack's
 * pr_debug() sites: read, filter, and change their flags.
 *
 * The control file is $CTADM_DYNDBG_CONTROL when set (tests), else
 * /proc/dynamic_debug/control, else <debugfs>/dynamic_debug/control. */
#ifndef CTADM_DYNDBG_H
#define CTADM_DYNDBG_H

#include <stdbool.h>
#include <stddef.h>

struct ctadm;

/* One line of the control file:
 * "net/netfilter/nf_conntrack_proto_tcp.c:1145 [nf_conntrack]func =_ \"fmt\"" */
struct dyndbg_site {
	char file[160];        /* as printed, e.g. net/netfilter/nf_conntrack_core.c */
	unsigned line;
	char module[64];       /* without the brackets: nf_conntrack */
	char func[96];
	char flags[16];        /* as printed without '=': "_" for none, "p", "pflmt" */
	char format[256];      /* the format string, unquoted as printed */
};

/* 0 for a site, 1 for the header ("# filename:lineno ...") or an empty
 * line, -EINVAL for a malformed line, -ENAMETOOLONG for a site whose file,
 * module or function does not fit s (s->module is set when it fits).
 * What follows the format's closing quote (" class:NAME", 6.1 on) is not
 * kept; the format stays escaped as the kernel prints it, cut to fit. */
int dyndbg_line_parse(const char *line, struct dyndbg_site *s);

/* Is this site one of the nf_conntrack modules' (nf_conntrack,
 * nf_conntrack_*, nf_nat*, nf_log_syslog)?  These are what `all` means. */
bool dyndbg_site_is_conntrack(const struct dyndbg_site *s);

/* Whether a control file can be read, without mounting anything. */
bool dyndbg_available(void);

/* Find the control file into path.  0, or a ctadm_fail() error: a kernel
 * without CONFIG_DYNAMIC_DEBUG, or debugfs not mounted (mounted only
 * when mount_debugfs). */
int dyndbg_control_find(struct ctadm *c, bool mount_debugfs, char *path,
			size_t len);

/* Call fn for every nf_conntrack site of the control file at path; fn
 * returns 0 to go on, anything else stops and is returned. */
int dyndbg_sites_each(struct ctadm *c, const char *path,
		      int (*fn)(const struct dyndbg_site *s, void *arg),
		      void *arg);

/* Write the kernel's query "file F line N FLAGSPEC" (FLAGSPEC "+p", "-p"
 * or "=pflmt"/"=_" to restore exactly) for site s, with "module M " first
 * when s->module is set, then re-read the file and check the flags took
 * on every site with that file and line (and module).  0 or a
 * ctadm_fail() error. */
int dyndbg_site_set(struct ctadm *c, const char *path,
		    const struct dyndbg_site *s, const char *flagspec);

#endif
