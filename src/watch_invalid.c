/* watch_invalid.c - ctadm watch-invalid [PROTO...]: the packets conntrack
 * finds invalid, live, with the kernel's reason; and the capture behind
 * it that report --invalid-seconds shares (watch_invalid.h).
 *
 * With nf_conntrack_log_invalid set, conntrack hands each invalid packet
 * to nf_log with its reason as the prefix and no loginfo of its own; the
 * nfnetlink_log backend then uses its default loginfo, whose group is 0.
 * So ctadm binds NFLOG group 0, makes nfnetlink_log the ipv4 and ipv6
 * backend and sets log_invalid, and puts both back at the end. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "ct_names.h"
#include "ctadm.h"
#include "diag_cmd.h"
#include "nf_state.h"
#include "nl.h"
#include "paths.h"
#include "proc_netlink.h"
#include "settings_cmd.h"
#include "watch_invalid.h"

/* Enough for an IPv6 header, some extension headers and the L4 header. */
#define COPY_RANGE 256
/* A burst of a few thousand packets (each costs ~1 KiB of truesize). */
#define CAPTURE_RCVBUF (4 << 20)

struct capture {
	struct ctadm *c;
	const struct invalid_capture_opts *o;
	struct invalid_counts *n;
	struct nl_sock s;
	int sigfd;
	sigset_t old_mask;
	struct sigaction old_pipe;
	bool changed;             /* settings written: saved must go back */
	struct nf_state saved;
};

/* --- protocols --- */

static bool protos_has(const struct invalid_protos *p, unsigned v)
{
	return p->all || (v < 256 && (p->want[v / 8] & (1u << (v % 8))));
}

int invalid_protos_parse(struct ctadm *c, char *const *words, int n,
			 struct invalid_protos *p)
{
	unsigned distinct = 0, last = 0;

	memset(p, 0, sizeof(*p));
	p->all = n == 0;
	for (int i = 0; i < n; i++) {
		int v = log_invalid_parse(words[i]);

		if (v <= 0)
			return ctadm_fail(c, CTADM_EUSAGE, "`%s' is not a "
					  "protocol, a number from 1 to 255 or "
					  "all", words[i]);
		if (v == 255) {
			p->all = true;
		} else if (!(p->want[v / 8] & (1u << (v % 8)))) {
			p->want[v / 8] |= (uint8_t)(1u << (v % 8));
			distinct++;
			last = (unsigned)v;
		}
	}
	p->log_invalid = !p->all && distinct == 1 ? last : 255;
	return 0;
}

/* --- signals --- */

/* SIGINT and SIGTERM (and SIGHUP unless ignored, as under nohup) end the
 * capture through a signalfd.  They are blocked from before the first
 * setting changes until all are back, so none can end ctadm between.
 * SIGPIPE is ignored meanwhile: a closed output is then a write error,
 * which ends the capture the same way. */
static int signals_take(struct capture *cap)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, hup;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &cap->old_mask) < 0)
		return ctadm_fail(cap->c, errno, "sigprocmask: %s",
				  strerror(errno));
	cap->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (cap->sigfd < 0) {
		int err = errno;

		sigprocmask(SIG_SETMASK, &cap->old_mask, NULL);
		return ctadm_fail(cap->c, err, "signalfd: %s", strerror(err));
	}
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &cap->old_pipe);
	return 0;
}

/* A signal that came while settings were put back is taken here rather
 * than left pending: the capture is over, the caller goes on. */
static void signals_give_back(struct capture *cap)
{
	struct signalfd_siginfo si;

	while (read(cap->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	close(cap->sigfd);
	sigaction(SIGPIPE, &cap->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &cap->old_mask, NULL);
}

/* --- NFLOG group 0 --- */

struct sock_find {
	uint32_t portid;
	unsigned long inode;
};

static int sock_find_cb(const struct nl_sock_info *s, void *arg)
{
	struct sock_find *f = arg;

	if (s->protocol != NETLINK_NETFILTER || s->portid != f->portid)
		return 0;
	f->inode = s->inode;
	return 1;
}

/* The kernel refuses a group bound by another socket with EPERM (EBUSY
 * for a second bind of its own); EPERM also means no CAP_NET_ADMIN. */
static int group_bind_fail(struct capture *cap, int err)
{
	struct sock_find f = { nflog_group_portid(0), 0 };
	char comm[64];
	pid_t pid;

	if (f.portid == 0 || f.portid == cap->s.portid)
		return ctadm_fail(cap->c, -err, "binding NFLOG group 0: %s%s",
				  strerror(-err), err == -EPERM ? " (needs "
				  "CAP_NET_ADMIN)" : "");
	proc_netlink_each(sock_find_cb, &f);
	if (f.inode && sock_inode_owner(f.inode, &pid, comm,
					sizeof(comm)) == 0)
		return ctadm_fail(cap->c, EBUSY, "NFLOG group 0 is bound by "
				  "%s (pid %d, port id %u), and conntrack logs "
				  "invalid packets to group 0 only: stop it "
				  "first", comm, (int)pid, f.portid);
	return ctadm_fail(cap->c, EBUSY, "NFLOG group 0 is bound by another "
			  "socket (port id %u), and conntrack logs invalid "
			  "packets to group 0 only: stop its program first",
			  f.portid);
}

/* Bind group 0 with a copy of each packet's headers.  A threshold of one
 * packet sends each at once instead of after the flush timeout. */
static int group_bind(struct capture *cap)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nfulnl_msg_config_cmd cmd = { NFULNL_CFG_CMD_BIND };
	struct nfulnl_msg_config_mode mode = {
		.copy_range = htonl(COPY_RANGE),
		.copy_mode = NFULNL_COPY_PACKET,
	};
	struct nlmsghdr *nlh;
	int ret;

	ret = nl_open(&cap->s);
	if (ret < 0)
		return ctadm_fail(cap->c, -ret, "netlink socket: %s",
				  strerror(-ret));
	nl_rcvbuf_set(&cap->s, CAPTURE_RCVBUF);
	nlh = nl_request_put(&cap->s, buf, NFNL_SUBSYS_ULOG,
			     NFULNL_MSG_CONFIG, NLM_F_ACK, AF_UNSPEC);
	mnl_attr_put(nlh, NFULA_CFG_CMD, sizeof(cmd), &cmd);
	mnl_attr_put(nlh, NFULA_CFG_MODE, sizeof(mode), &mode);
	mnl_attr_put_u32(nlh, NFULA_CFG_QTHRESH, htonl(1));
	ret = nl_talk(&cap->s, nlh, NULL, NULL);
	if (ret == -EPERM || ret == -EBUSY)
		return group_bind_fail(cap, ret);
	if (ret == -EOPNOTSUPP)
		return ctadm_fail(cap->c, -ret, "binding NFLOG group 0: %s (a "
				  "kernel without nfnetlink_log?)",
				  strerror(-ret));
	if (ret < 0)
		return ctadm_fail(cap->c, -ret, "binding NFLOG group 0: %s%s%s",
				  strerror(-ret), cap->s.ext_ack[0] ? ": " : "",
				  cap->s.ext_ack);
	return 0;
}

/* --- settings --- */

static int settings_change(struct capture *cap)
{
	struct ctadm *c = cap->c;
	int ret = nf_state_read(c, &cap->saved);

	if (ret < 0)
		return ret;
	cap->changed = true;
	ret = nf_backend_set(c, NFPROTO_IPV4, "nfnetlink_log");
	if (ret == 0)
		ret = nf_backend_set(c, NFPROTO_IPV6, "nfnetlink_log");
	if (ret == 0)
		ret = nf_log_invalid_set(c, cap->n->protos.log_invalid);
	return ret;
}

/* Put the settings back; the first error (ret) keeps its message, a
 * failure to restore after it is a warning. */
static int settings_restore(struct capture *cap, int ret)
{
	char msg[sizeof(cap->c->err)];
	int r;

	if (!cap->changed)
		return ret;
	snprintf(msg, sizeof(msg), "%s", cap->c->err);
	r = nf_state_restore(cap->c, &cap->saved);
	if (r == 0 || ret == 0)
		return r == 0 ? ret : ctadm_fail_prefix(cap->c, r, "putting "
							"the settings back");
	fprintf(stderr, "%s: warning: putting the settings back: %s\n",
		CTADM_NAME, cap->c->err);
	snprintf(cap->c->err, sizeof(cap->c->err), "%s", msg);
	return ret;
}

/* --- counting --- */

/* The tables stay most counted first, ties in the order first seen: an
 * entry counted moves up past those it now outnumbers. */
#define COUNT_UP(tab, i)                                                \
	for (; (i) > 0 && (tab)[i].count > (tab)[(i) - 1].count; (i)--) { \
		__typeof__((tab)[0]) t_ = (tab)[i];                      \
		(tab)[i] = (tab)[(i) - 1];                               \
		(tab)[(i) - 1] = t_;                                     \
	}

static void reason_count(struct invalid_counts *n, const char *reason)
{
	for (unsigned i = 0; i < n->n_reasons; i++)
		if (strcmp(n->reason[i].reason, reason) == 0) {
			n->reason[i].count++;
			COUNT_UP(n->reason, i);
			return;
		}
	if (n->n_reasons == INVALID_REASONS_MAX) {
		n->other_reasons++;
		return;
	}
	snprintf(n->reason[n->n_reasons].reason, NFLOG_PREFIX_MAX, "%s",
		 reason);
	n->reason[n->n_reasons++].count = 1;
}

static bool flow_is(const struct invalid_flow *f, const struct invalid_flow *k)
{
	size_t alen = k->l3 == AF_INET6 ? 16 : 4;

	return f->l3 == k->l3 && f->l4 == k->l4 &&
	       f->has_ports == k->has_ports && f->sport == k->sport &&
	       f->dport == k->dport && memcmp(f->src.b, k->src.b, alen) == 0 &&
	       memcmp(f->dst.b, k->dst.b, alen) == 0;
}

static void pkt_flow(const struct nflog_pkt *p, struct invalid_flow *f)
{
	bool ports = p->has & NFLOG_PKT_PORTS;

	*f = (struct invalid_flow){ .l3 = p->l3, .l4 = p->l4,
		.has_ports = ports, .sport = ports ? p->sport : 0,
		.dport = ports ? p->dport : 0, .src = p->src, .dst = p->dst };
}

static void flow_count(struct invalid_counts *n, const struct nflog_pkt *p)
{
	struct invalid_flow k;

	pkt_flow(p, &k);
	for (unsigned i = 0; i < n->n_flows; i++)
		if (flow_is(&n->flow[i], &k)) {
			n->flow[i].count++;
			COUNT_UP(n->flow, i);
			return;
		}
	if (n->n_flows == INVALID_FLOWS_MAX) {
		n->other_flows++;
		return;
	}
	k.count = 1;
	n->flow[n->n_flows++] = k;
}

/* --- the capture --- */

/* 1 when max_count packets are caught, 0 to go on, or an error.  Logs
 * of other prefixes come from log rules that send to group 0. */
static int capture_msg(struct capture *cap, const struct nlmsghdr *nlh)
{
	const struct invalid_capture_opts *o = cap->o;
	struct invalid_counts *n = cap->n;
	struct nflog_pkt p;
	int ret = nflog_pkt_parse(nlh, &p), proto;

	if (ret == -EPROTO)
		return 0;
	if (ret < 0)
		return ctadm_fail(cap->c, EBADMSG, "a malformed NFLOG message");
	if (strncmp(p.prefix, "nf_ct_", 6) != 0) {
		n->foreign++;
		return 0;
	}
	proto = p.l3 ? p.l4 : nflog_prefix_proto(p.prefix);
	if (!n->protos.all && (proto < 0 || !protos_has(&n->protos,
							(unsigned)proto))) {
		n->filtered++;
		return 0;
	}
	n->packets++;
	reason_count(n, p.prefix);
	flow_count(n, &p);
	if (o->cb && (ret = o->cb(&p, clock_realtime_ns(), o->arg)) < 0)
		return ret;
	return o->max_count && n->packets >= o->max_count;
}

static int capture_recv(struct capture *cap)
{
	int len = (int)mnl_socket_recvfrom(cap->s.mnl, cap->s.rbuf,
					   NL_RECV_SIZE);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)cap->s.rbuf;
	int ret = 0;

	if (len < 0) {
		if (errno == ENOBUFS) {
			cap->n->overruns++;
			return 0;
		}
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		return ctadm_fail(cap->c, errno, "receiving from NFLOG group 0: "
				  "%s", strerror(errno));
	}
	for (; ret == 0 && mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len))
		ret = capture_msg(cap, nlh);
	return ret;
}

static uint64_t clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Milliseconds to wait for: until end (0: no end), at most a minute. */
static int wait_ms(uint64_t end)
{
	uint64_t now = clock_mono_ns();

	if (end == 0)
		return 60000;
	if (now >= end)
		return 0;
	return (end - now) / 1000000 >= 60000
		       ? 60000
		       : (int)((end - now + 999999) / 1000000);
}

/* Did a signal come?  Then the capture stops with it. */
static bool signal_taken(struct capture *cap)
{
	struct signalfd_siginfo si;

	if (read(cap->sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return false;
	cap->n->stop = INVALID_STOP_SIGNAL;
	cap->n->signal = (int)si.ssi_signo;
	return true;
}

static int capture_loop(struct capture *cap)
{
	struct invalid_counts *n = cap->n;
	uint64_t start = clock_mono_ns(), end = 0;
	int fd = mnl_socket_get_fd(cap->s.mnl), ret = 0;
	struct pollfd pfd[2] = {
		{ .fd = cap->sigfd, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};

	if (cap->o->seconds)
		end = start + (uint64_t)cap->o->seconds * 1000000000u;
	/* The capture waits in poll() only. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (ret == 0) {
		int ready;

		if (end && clock_mono_ns() >= end) {
			n->stop = INVALID_STOP_TIME;
			break;
		}
		ready = poll(pfd, 2, wait_ms(end));
		if (ready < 0 && errno != EINTR)
			ret = ctadm_fail(cap->c, errno, "poll: %s",
					 strerror(errno));
		else if (ready <= 0)
			continue;
		else if (pfd[0].revents && signal_taken(cap))
			break;
		else if (pfd[1].revents)
			ret = capture_recv(cap);
	}
	if (ret > 0)
		n->stop = INVALID_STOP_COUNT;
	n->elapsed_ns = clock_mono_ns() - start;
	return ret < 0 ? ret : 0;
}

int invalid_capture(struct ctadm *c, const struct invalid_capture_opts *o,
		    struct invalid_counts *n)
{
	struct capture cap;
	int ret;

	memset(n, 0, sizeof(*n));
	if (o->protos)
		n->protos = *o->protos;
	else
		n->protos = (struct invalid_protos){ .log_invalid = 255,
						     .all = true };
	memset(&cap, 0, sizeof(cap));
	cap.c = c;
	cap.o = o;
	cap.n = n;
	ret = signals_take(&cap);
	if (ret < 0)
		return ret;
	ret = group_bind(&cap);
	if (ret == 0)
		ret = settings_change(&cap);
	if (ret == 0)
		ret = capture_loop(&cap);
	ret = settings_restore(&cap, ret);
	nl_close(&cap.s);
	signals_give_back(&cap);
	return ret;
}

/* --- output --- */

static const char *l3_name(uint8_t l3)
{
	return l3 == AF_INET ? "ipv4" : l3 == AF_INET6 ? "ipv6" : NULL;
}

static void proto_text(struct out *o, uint8_t l4)
{
	if (proto_name(l4))
		out_str(o, proto_name(l4));
	else
		out_u32(o, l4);
}

static void endpoint_text(struct out *o, uint8_t l3, const union ct_addr *a,
			  bool ports, uint16_t port)
{
	if (!l3) {
		out_char(o, '?');
		return;
	}
	if (l3 == AF_INET6 && ports)
		out_char(o, '[');
	out_addr(o, l3, a);
	if (l3 == AF_INET6 && ports)
		out_char(o, ']');
	if (ports) {
		out_char(o, ':');
		out_u32(o, port);
	}
}

/* "tcp 10.0.0.1:1234 > 10.0.0.2:80" */
static void flow_text(struct out *o, const struct invalid_flow *f)
{
	if (f->l3)
		proto_text(o, f->l4);
	else
		out_char(o, '?');
	out_char(o, ' ');
	endpoint_text(o, f->l3, &f->src, f->has_ports, f->sport);
	out_str(o, " > ");
	endpoint_text(o, f->l3, &f->dst, f->has_ports, f->dport);
}

/* The members of a flow, without braces. */
static void flow_json_fields(struct out *o, const struct invalid_flow *f)
{
	out_str(o, "\"family\":");
	if (!f->l3) {
		out_str(o, "null");
		return;
	}
	out_printf(o, "\"%s\",\"protonum\":%u,\"protocol\":",
		   l3_name(f->l3), f->l4);
	if (proto_name(f->l4))
		out_printf(o, "\"%s\"", proto_name(f->l4));
	else
		out_str(o, "null");
	out_str(o, ",\"src\":\"");
	out_addr(o, f->l3, &f->src);
	out_str(o, "\",\"dst\":\"");
	out_addr(o, f->l3, &f->dst);
	out_char(o, '"');
	if (f->has_ports)
		out_printf(o, ",\"sport\":%u,\"dport\":%u", f->sport, f->dport);
}

static const char *stop_name(const struct invalid_counts *n)
{
	switch (n->stop) {
	case INVALID_STOP_COUNT:
		return "count";
	case INVALID_STOP_SIGNAL:
		return "signal";
	default:
		return "time";
	}
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
	       : sig == SIGHUP ? "SIGHUP" : NULL;
}

static void counts_notes_text(struct out *o, const struct invalid_counts *n)
{
	if (n->other_reasons)
		out_printf(o, "%lu packets of other reasons not in the table\n",
			   n->other_reasons);
	if (n->other_flows)
		out_printf(o, "%lu packets of other flows not in the table\n",
			   n->other_flows);
	if (n->filtered)
		out_printf(o, "%lu invalid packets of other protocols not "
			   "shown\n", n->filtered);
	if (n->foreign)
		out_printf(o, "%lu other logs on NFLOG group 0 (log rules) not "
			   "shown\n", n->foreign);
	if (n->overruns)
		out_printf(o, "the receive buffer overflowed %lu times: packets "
			   "were lost\n", n->overruns);
}

void invalid_counts_text(struct out *o, const struct invalid_counts *n)
{
	out_printf(o, "%lu invalid packet%s in %.1f s", n->packets,
		   n->packets == 1 ? "" : "s", n->elapsed_ns / 1e9);
	if (n->stop == INVALID_STOP_SIGNAL && signal_name(n->signal))
		out_printf(o, " (stopped by %s)", signal_name(n->signal));
	out_char(o, '\n');
	if (n->n_reasons) {
		out_str(o, "COUNT    REASON\n");
		for (unsigned i = 0; i < n->n_reasons; i++)
			out_printf(o, "%-8lu %s\n", n->reason[i].count,
				   n->reason[i].reason);
	}
	if (n->n_flows) {
		out_str(o, "COUNT    FLOW\n");
		for (unsigned i = 0; i < n->n_flows; i++) {
			out_printf(o, "%-8lu ", n->flow[i].count);
			flow_text(o, &n->flow[i]);
			out_char(o, '\n');
		}
	}
	counts_notes_text(o, n);
}

static void protos_json(struct out *o, const struct invalid_protos *p)
{
	bool first = true;

	if (p->all) {
		out_str(o, "null");
		return;
	}
	out_char(o, '[');
	for (unsigned v = 1; v < 255; v++)
		if (protos_has(p, v)) {
			out_printf(o, "%s%u", first ? "" : ",", v);
			first = false;
		}
	out_char(o, ']');
}

void invalid_counts_json_fields(struct out *o, const struct invalid_counts *n)
{
	const char *sig = signal_name(n->signal);

	out_printf(o, "\"seconds\":%.3f,\"stopped_by\":\"%s\",\"signal\":",
		   n->elapsed_ns / 1e9, stop_name(n));
	out_json_string_or_null(o, n->stop == INVALID_STOP_SIGNAL ? sig : NULL);
	out_printf(o, ",\"log_invalid\":%u,\"protocols\":",
		   n->protos.log_invalid);
	protos_json(o, &n->protos);
	out_printf(o, ",\"packets\":%lu,\"filtered\":%lu,\"foreign\":%lu,"
		   "\"overruns\":%lu,\"reasons\":[", n->packets, n->filtered,
		   n->foreign, n->overruns);
	for (unsigned i = 0; i < n->n_reasons; i++) {
		out_str(o, i ? ",{\"reason\":\"" : "{\"reason\":\"");
		out_json_escaped(o, n->reason[i].reason);
		out_printf(o, "\",\"count\":%lu}", n->reason[i].count);
	}
	out_printf(o, "],\"other_reasons\":%lu,\"flows\":[", n->other_reasons);
	for (unsigned i = 0; i < n->n_flows; i++) {
		out_str(o, i ? ",{" : "{");
		flow_json_fields(o, &n->flow[i]);
		out_printf(o, ",\"count\":%lu}", n->flow[i].count);
	}
	out_printf(o, "],\"other_flows\":%lu", n->other_flows);
}

/* Conntrack runs at prerouting for packets that come in (an input
 * device) and at output for local ones (an output device); the kernel
 * gives hook 0 for all its invalid-packet logs. */
static const char *ct_hook_name(const struct nflog_pkt *p)
{
	if (p->indev && !p->outdev)
		return "prerouting";
	if (p->outdev && !p->indev)
		return "output";
	return NULL;
}

static const char *dev_name(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

static void pkt_text(struct out *o, const struct nflog_pkt *p, uint64_t t)
{
	time_t sec = (time_t)(t / 1000000000u);
	char dev[IF_NAMESIZE], flags[64];
	struct invalid_flow f;
	struct tm tm;

	localtime_r(&sec, &tm);
	out_printf(o, "%02d:%02d:%02d.%03u %s", tm.tm_hour, tm.tm_min,
		   tm.tm_sec, (unsigned)(t % 1000000000u / 1000000u),
		   ct_hook_name(p) ? ct_hook_name(p) : "-");
	if (p->indev || p->outdev)
		out_printf(o, ":%s", dev_name(p->indev ? p->indev : p->outdev,
					      dev));
	out_char(o, ' ');
	pkt_flow(p, &f);
	flow_text(o, &f);
	if (p->has & NFLOG_PKT_TCP_FLAGS)
		out_printf(o, " [%s]", tcp_flags_format(p->tcp_flags, flags,
							sizeof(flags)));
	if (p->has & NFLOG_PKT_ICMP)
		out_printf(o, " [type %u code %u]", p->icmp_type, p->icmp_code);
	if (p->has & NFLOG_PKT_FRAGMENT)
		out_str(o, " [fragment]");
	out_char(o, ' ');
	out_str(o, p->prefix);
	out_char(o, '\n');
}

static void dev_json(struct out *o, const char *key, uint32_t ifindex)
{
	char dev[IF_NAMESIZE];

	out_printf(o, ",\"%s\":", key);
	out_json_string_or_null(o, ifindex ? dev_name(ifindex, dev) : NULL);
}

static void pkt_json(struct out *o, const struct nflog_pkt *p, uint64_t t)
{
	const char *hook = ct_hook_name(p);
	struct invalid_flow f;

	out_str(o, "{\"schema\":1,\"type\":\"packet\",\"time\":");
	out_u64(o, t);
	out_str(o, ",\"reason\":\"");
	out_json_escaped(o, p->prefix);
	out_str(o, "\",\"hook\":");
	out_json_string_or_null(o, hook);
	dev_json(o, "in", p->indev);
	dev_json(o, "out", p->outdev);
	out_char(o, ',');
	pkt_flow(p, &f);
	flow_json_fields(o, &f);
	if (p->has & NFLOG_PKT_TCP_FLAGS) {
		out_str(o, ",\"tcp_flags\":[");
		for (unsigned bit = 0, first = 1; bit < 8; bit++)
			if (p->tcp_flags & (1u << bit)) {
				out_printf(o, "%s\"%s\"", first ? "" : ",",
					   tcp_flag_name(bit));
				first = 0;
			}
		out_char(o, ']');
	}
	if (p->has & NFLOG_PKT_ICMP)
		out_printf(o, ",\"icmp_type\":%u,\"icmp_code\":%u",
			   p->icmp_type, p->icmp_code);
	if (p->l3)
		out_printf(o, ",\"length\":%u,\"fragment\":%s", p->length,
			   p->has & NFLOG_PKT_FRAGMENT ? "true" : "false");
	out_printf(o, ",\"mark\":%u}\n", p->mark);
}

static int pkt_print(const struct nflog_pkt *p, uint64_t time_ns, void *arg)
{
	struct ctadm *c = arg;

	if (c->fmt == &fmt_json)
		pkt_json(c->out, p, time_ns);
	else
		pkt_text(c->out, p, time_ns);
	return out_flush(c->out);
}

int watch_invalid_run(struct ctadm *c)
{
	struct invalid_protos protos;
	struct invalid_capture_opts o = {
		.protos = &protos, .seconds = c->word.seconds,
		.max_count = c->word.max_count, .cb = pkt_print, .arg = c,
	};
	struct invalid_counts n;
	int ret = invalid_protos_parse(c, c->args, c->nargs, &protos);

	if (ret == 0)
		ret = invalid_capture(c, &o, &n);
	if (ret < 0)
		return c->err[0] ? ctadm_fail_prefix(c, ret, "watch-invalid")
				 : ret;
	if (c->fmt == &fmt_json) {
		out_str(c->out, "{\"schema\":1,\"type\":\"summary\",");
		invalid_counts_json_fields(c->out, &n);
		out_str(c->out, "}\n");
	} else {
		if (n.packets)
			out_char(c->out, '\n');
		invalid_counts_text(c->out, &n);
	}
	return out_flush(c->out);
}
