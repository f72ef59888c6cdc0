/* ct_event.c - -E: follow the conntrack or expectation events.
 *
 * One netlink socket joins the ctnetlink multicast groups of the events
 * asked for (-e) and every message it receives is parsed, filtered and
 * printed as it comes; the output is flushed whenever the socket has
 * nothing more queued, so a pipe sees each burst at once.
 *
 * Beyond conntrack: -b sizes the socket that receives the events (conntrack
 * sizes another one), the default buffer takes a large burst whole, a loss
 * is reported with the number of events the kernel dropped (the socket's
 * "Drops" in /proc/net/netlink), and --resync lists the table after a loss
 * so that the reader knows the state the lost events led to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "cmd.h"
#include "ct_event.h"
#include "ct_parse.h"
#include "ctadm.h"
#include "nl_ct.h"
#include "paths.h"
#include "proc_netlink.h"

/* The default receive buffer.  An event costs the socket the truesize of
 * its skb, 1280 bytes on 6.18 (100 unread events: Rmem 128000), and the
 * kernel doubles the size asked for to account for that.  200000 events
 * sent by one `conntrack -R` (~2.5 s, 80000/s) peaked at 1.7 MB queued
 * with ctadm writing to a file, 2.5 MB piped to awk, but 87 MB (68000
 * events) piped to a shell `while read` loop.  64 MiB (128 MiB of
 * accounting, 100000 events) keeps such a burst whole for a reader at half
 * the sender's pace; the kernel's default (208 KiB: 330 events) lost
 * events even with ctadm writing to a file.  The memory is only charged
 * while events wait unread. */
#define EVENT_RCVBUF_DEFAULT (64 << 20)

/* One ctnetlink event is one datagram of well under a page; this leaves
 * room for any attribute growth and for several messages in one read. */
#define EVENT_MSG_MAX (64 * 1024)

/* Set by SIGINT and SIGTERM.  The signals are blocked except inside the
 * wait for the next event, so the flag cannot be set between its check
 * and the wait. */
static volatile sig_atomic_t event_stop;

/* Who sent the last event that had a sender: the cache of the name
 * lookup, which walks /proc. */
struct sender {
	uint32_t portid;        /* 0: no lookup made yet */
	bool found;
	char name[64];
};

struct event_loop {
	struct ctadm *c;
	struct nl_sock s;
	unsigned long shown;
	bool begun;             /* fmt->begin() called */
	bool lost;              /* ENOBUFS not reported yet */
	uint32_t drops;         /* the socket's kernel drop count so far */
	struct sender sender;
	char buf[EVENT_MSG_MAX];
};

static void event_stop_set(int sig)
{
	(void)sig;
	event_stop = 1;
}

/* Catch SIGINT and SIGTERM without SA_RESTART and block them; wait_mask
 * is the signal mask to wait with, which lets them in. */
static int stop_signals_catch(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = event_stop_set };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigprocmask(SIG_BLOCK, &block, wait_mask) < 0)
		return -errno;
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	return 0;
}

/* --- /proc: a socket's drop count, the process behind a port id --- */

/* The name of the process whose socket portid sent an event, or NULL when
 * it is gone (short-lived commands often are by the time their event is
 * read).  A burst comes from one sender, so one cached answer suffices. */
static const char *sender_name(struct sender *sn, uint32_t portid)
{
	struct nl_sock_info si;
	pid_t pid;

	if (sn->portid != portid) {
		sn->portid = portid;
		sn->found = proc_netlink_find(NETLINK_NETFILTER, portid,
					      &si) == 0 &&
			    sock_inode_owner(si.inode, &pid, sn->name,
					     sizeof(sn->name)) == 0;
	}
	return sn->found ? sn->name : NULL;
}

/* --- the event socket --- */

/* The groups follow the EV_* bits: NEW, UPDATE, DESTROY in both the
 * conntrack and the expectation range. */
static int groups_join(struct ctadm *c, struct nl_sock *s)
{
	unsigned events = c->events ? c->events : EV_ALL;
	int first = c->table == TABLE_EXPECT ? NFNLGRP_CONNTRACK_EXP_NEW
					     : NFNLGRP_CONNTRACK_NEW;

	for (int i = 0; i < 3; i++) {
		int ret;

		if (!(events & (1u << i)))
			continue;
		ret = nl_group_join(s, (unsigned)(first + i));
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The buffer as the kernel set it: twice the size asked for, to account
 * for its own overhead. */
static int rcvbuf_get(struct nl_sock *s, int *size)
{
	socklen_t len = sizeof(*size);

	return getsockopt(mnl_socket_get_fd(s->mnl), SOL_SOCKET, SO_RCVBUF,
			  size, &len) < 0 ? -errno : 0;
}

/* -b, with conntrack's notice of what the kernel made of it; without -b
 * ctadm's default, which without CAP_NET_ADMIN is cut to
 * net.core.rmem_max: no reason to stop. */
static int buffer_size_apply(struct ctadm *c, struct nl_sock *s)
{
	int ret, size;

	if (!(c->seen & (1ull << O_BUFFER_SIZE))) {
		nl_rcvbuf_set(s, EVENT_RCVBUF_DEFAULT);
		return 0;
	}
	ret = nl_rcvbuf_set(s, (int)c->buffer_size);
	if (ret == 0)
		ret = rcvbuf_get(s, &size);
	if (ret < 0)
		return nl_fail(c, NULL, "-E: --buffer-size", ret);
	fprintf(stderr, "NOTICE: Netlink socket buffer size has been set to "
		"%zu bytes.\n", (size_t)size);
	return 0;
}

static int event_sock_open(struct ctadm *c, struct nl_sock *s)
{
	int ret = nl_open(s);

	if (ret < 0)
		return nl_fail(c, NULL, "-E: netlink socket", ret);
	ret = groups_join(c, s);
	if (ret < 0)
		return nl_fail(c, NULL, "-E: cannot subscribe to the events",
			       ret);
	return buffer_size_apply(c, s);
}

/* --- showing events --- */

/* The document frame (xml), which conntrack opens at the first event it
 * shows, not when it starts listening. */
static void doc_begin(struct event_loop *ev)
{
	if (!ev->begun)
		fmt_begin(ev->c);
	ev->begun = true;
}

/* The per-event fields of the formatter context. */
static void event_ctx_set(struct event_loop *ev, const struct nlmsghdr *nlh,
			  uint64_t now)
{
	struct fmt_ctx *f = &ev->c->fctx;

	f->event_ns = now;
	f->portid = nlh->nlmsg_pid;
	f->progname = nlh->nlmsg_pid ? sender_name(&ev->sender, nlh->nlmsg_pid)
				     : NULL;
}

/* Messages that do not parse (or are not events) are passed over. */
static void exp_event_show(struct event_loop *ev, const struct nlmsghdr *nlh,
			   uint64_t now)
{
	struct ctadm *c = ev->c;
	struct ct_exp exp;

	if (exp_parse(nlh, &exp) < 0 || exp.kind == CT_MSG_DUMP ||
	    (c->filter.family && exp.family != c->filter.family))
		return;
	doc_begin(ev);
	event_ctx_set(ev, nlh, now);
	c->fmt->exp(&c->fctx, &exp);
	ev->shown++;
}

/* -f is checked here: ct_filter_match() looks at the family only when
 * some other part of the filter is set. */
static void ct_event_show(struct event_loop *ev, const struct nlmsghdr *nlh,
			  uint64_t now)
{
	struct ctadm *c = ev->c;
	struct ct_entry ct;

	if (ct_parse(nlh, &ct) < 0 || ct.kind == CT_MSG_DUMP ||
	    (c->filter.family && ct.family != c->filter.family) ||
	    !ct_filter_match(&c->filter, &ct))
		return;
	doc_begin(ev);
	event_ctx_set(ev, nlh, now);
	c->fmt->ct(&c->fctx, &ct);
	ev->shown++;
}

static void datagram_show(struct event_loop *ev, int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)ev->buf;
	uint64_t now = clock_realtime_ns();

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (ev->c->table == TABLE_EXPECT)
			exp_event_show(ev, nlh, now);
		else
			ct_event_show(ev, nlh, now);
	}
}

/* Show everything queued on the socket; returns at the first read that
 * would block.  ENOBUFS (the kernel dropped events) is only noted: the
 * drops of one loss go on until the queue is empty. */
static int events_drain(struct event_loop *ev)
{
	int fd = mnl_socket_get_fd(ev->s.mnl);

	for (;;) {
		ssize_t n = recv(fd, ev->buf, sizeof(ev->buf),
				 MSG_DONTWAIT | MSG_TRUNC);

		if (n > (ssize_t)sizeof(ev->buf))
			return -EMSGSIZE;
		if (n >= 0)
			datagram_show(ev, (int)n);
		else if (errno == ENOBUFS)
			ev->lost = true;
		else if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		else if (errno != EINTR)
			return -errno;
	}
}

/* --- losses --- */

struct resync_count {
	struct ctadm *c;
	unsigned long n;
};

static int resync_entry_show(const struct ct_entry *ct, void *data)
{
	struct resync_count *rc = data;

	rc->c->fmt->ct(&rc->c->fctx, ct);
	rc->n++;
	return rc->c->out->error;
}

/* --resync: the table as it is now, through a socket of its own (the
 * event socket's queue must not mix with the dump's answers). */
static int table_resync(struct event_loop *ev)
{
	struct ctadm *c = ev->c;
	struct resync_count rc = { c, 0 };
	struct nl_sock d;
	int ret;

	fprintf(stderr, "%s: resync: listing the conntrack table as it is "
		"now\n", CTADM_NAME);
	ret = nl_open(&d);
	if (ret < 0)
		return nl_fail(c, NULL, "-E: resync: netlink socket", ret);
	doc_begin(ev);
	c->fctx.portid = 0;
	c->fctx.progname = NULL;
	ret = ct_dump_filtered(&d, TABLE_CONNTRACK, &c->filter, false,
			       resync_entry_show, &rc);
	nl_close(&d);
	out_flush(c->out);
	if (ret < 0)
		return nl_fail(c, &d, "-E: resync", ret);
	fprintf(stderr, "%s: resync: %lu entries listed, following events "
		"again\n", CTADM_NAME, rc.n);
	return 0;
}

/* Called once the queue is empty after an ENOBUFS, when the kernel's drop
 * count holds the whole loss. */
static int loss_report(struct event_loop *ev)
{
	struct nl_sock_info si;

	ev->lost = false;
	if (proc_netlink_find(NETLINK_NETFILTER, ev->s.portid, &si) == 0) {
		fprintf(stderr, "%s: warning: %u events lost (receive buffer "
			"full); use -b to enlarge it\n", CTADM_NAME,
			(uint32_t)si.drops - ev->drops);
		ev->drops = (uint32_t)si.drops;
	} else {
		fprintf(stderr, "%s: warning: events lost (receive buffer "
			"full); use -b to enlarge it\n", CTADM_NAME);
	}
	return ev->c->resync ? table_resync(ev) : 0;
}

/* --- the loop --- */

static int events_follow(struct event_loop *ev, const sigset_t *wait_mask)
{
	struct ctadm *c = ev->c;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(ev->s.mnl),
			      .events = POLLIN };
	int ret;

	while (!event_stop) {
		ret = events_drain(ev);
		out_flush(c->out);
		if (ret < 0)
			return nl_fail(c, NULL, "-E: receiving events", ret);
		if (c->out->error)
			return nl_fail(c, NULL, "-E: writing events",
				       c->out->error);
		if (ev->lost) {
			ret = loss_report(ev);
			if (ret < 0)
				return ret;
		}
		if (ppoll(&pfd, 1, NULL, wait_mask) < 0 && errno != EINTR)
			return nl_fail(c, NULL, "-E: waiting for events",
				       -errno);
	}
	return 0;
}

static int event_loop_run(struct event_loop *ev)
{
	struct ctadm *c = ev->c;
	sigset_t wait_mask;
	int ret;

	ret = stop_signals_catch(&wait_mask);
	if (ret < 0)
		return nl_fail(c, NULL, "-E: signals", ret);
	ret = event_sock_open(c, &ev->s);
	if (ret < 0)
		return ret;
	ret = events_follow(ev, &wait_mask);
	if (ev->begun)
		fmt_end(c);
	if (ret < 0)
		return ret;
	ctadm_summary(c, c->table == TABLE_EXPECT
				 ? "%lu expectation events have been shown.\n"
				 : "%lu flow events have been shown.\n",
		      ev->shown);
	return 0;
}

int ct_event_run(struct ctadm *c)
{
	struct event_loop ev = { .c = c };
	int ret = event_loop_run(&ev);

	nl_close(&ev.s);
	return ret;
}
