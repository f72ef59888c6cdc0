/* cmd.c - helpers every command file uses. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const char *nl_err_reason(int err, uint32_t cmd_bit)
{
	switch (err) {
	case -EPERM:
		return "permission denied (CAP_NET_ADMIN is needed)";
	case -EOPNOTSUPP:
	case -EPROTONOSUPPORT:
		if (cmd_bit & (CB_CREATE_EXP | CB_UPDATE))
			break;
		return "the kernel has no ctnetlink (nf_conntrack_netlink)";
	case -EEXIST:
		if (cmd_bit & (CB_CREATE | CB_CREATE_EXP))
			return "Such conntrack exists, try -U to update";
		break;
	case -ENOENT:
		if (cmd_bit & CB_CREATE_EXP)
			return "master conntrack not found";
		return "such conntrack doesn't exist";
	case -ENOSPC:
		if (cmd_bit & CB_UPDATE)
			return "the entry has no room for labels (the kernel "
			       "gives it only while a ruleset of the namespace "
			       "uses connection labels)";
		break;
	case -ETIME:
		return "conntrack has expired";
	case -EINVAL:
		return "invalid parameters";
	}
	return strerror(-err);
}

int nl_fail(struct ctadm *c, const struct nl_sock *s, const char *what,
	    int err)
{
	const char *why = nl_err_reason(err, c->cmd ? c->cmd->bit : 0);

	if (s && s->ext_ack[0])
		return ctadm_fail(c, -err, "%s: %s: %s", what, why, s->ext_ack);
	return ctadm_fail(c, -err, "%s: %s", what, why);
}

void entry_error_print(const char *where, int err, uint32_t cmd_bit,
		       const char *ext_ack)
{
	fprintf(stderr, "%s: %s: %s%s%s\n", CTADM_NAME, where,
		nl_err_reason(err, cmd_bit), ext_ack[0] ? ": " : "", ext_ack);
}

int cmd_sock_open(struct ctadm *c, struct nl_sock *s)
{
	int ret = nl_open(s);

	return ret < 0 ? nl_fail(c, NULL, "netlink socket", ret) : 0;
}

void fmt_begin(struct ctadm *c)
{
	if (c->fmt->begin)
		c->fmt->begin(&c->fctx);
}

void fmt_end(struct ctadm *c)
{
	if (c->fmt->end)
		c->fmt->end(&c->fctx);
	out_flush(c->out);
}
