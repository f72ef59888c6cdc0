/* ct_delete.c - -D and -F.
 *
 * -D selects with a filtered dump (kernel-side where it can, always
 * re-checked in user space) and deletes each selected entry by its
 * original tuple, zone and id, so a connection that reuses the tuple
 * meanwhile is not hit.  Deletes go out in batches on a second socket,
 * from a sender thread, while the dump runs; an entry is printed only once
 * the kernel has confirmed its delete, so the output lists exactly what
 * was deleted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "cmd.h"
#include "ct_build.h"
#include "ct_write.h"
#include "nl_ct.h"
#include "paths.h"

/* A delete request is about 100 bytes: 512 fill most of a batch. */
#define DELETE_BATCH_MAX 512

/* Two of these take turns: the kernel deletes one's entries (in the
 * sender thread) while the dump fills the other. */
struct delete_half {
	struct nl_batch b;
	unsigned queued;               /* requests handed to the sender */
	uint32_t off[DELETE_BATCH_MAX + 1];
	int err[DELETE_BATCH_MAX];
	struct out pend;               /* texts of the queued entries */
};

struct delete_ctx {
	struct ctadm *c;
	struct nl_sock w;              /* the deletes go out here */
	struct nl_sender tx;
	bool tx_on;
	struct fmt_ctx pf;             /* renders into fill->pend */
	struct delete_half half[2];
	struct delete_half *fill;      /* filled by the dump */
	struct delete_half *sent;      /* with the sender, not yet printed */
	unsigned deleted, vanished, failed;
};

/* In the sender thread: a delete the kernel refused. */
static void delete_result(unsigned index, int err, const char *ext_ack,
			  void *data)
{
	struct delete_half *h = data;

	h->err[index] = err;
	if (err != -ENOENT)
		entry_error_print("-D", err, CB_DELETE, ext_ack);
}

/* Wait for the deletes the sender has; print the entries the kernel
 * deleted. */
static int delete_settle(struct delete_ctx *d)
{
	struct delete_half *h = d->sent;
	int ret = nl_sender_wait(&d->tx);

	if (ret < 0)
		return nl_fail(d->c, &d->w, "-D", ret);
	if (!h)
		return 0;
	for (unsigned i = 0; i < h->queued; i++) {
		if (h->err[i] == -ENOENT) {
			d->vanished++;
			continue;
		}
		if (h->err[i]) {
			d->failed++;
			continue;
		}
		d->deleted++;
		if (!d->c->quiet)
			out_mem(d->c->out, h->pend.buf + h->off[i],
				h->off[i + 1] - h->off[i]);
	}
	h->pend.len = 0;
	d->sent = NULL;
	return d->c->out->error;
}

/* Hand the queued deletes to the sender; the dump fills the other half. */
static int delete_handoff(struct delete_ctx *d)
{
	struct delete_half *h = d->fill;
	int ret = delete_settle(d);

	if (ret < 0)
		return ret;
	h->queued = h->b.n;
	h->off[h->queued] = (uint32_t)h->pend.len;
	memset(h->err, 0, h->queued * sizeof(h->err[0]));
	ret = nl_sender_hand(&d->tx, &h->b, delete_result, h);
	if (ret < 0)
		return nl_fail(d->c, &d->w, "-D", ret);
	d->sent = h;
	d->fill = h == &d->half[0] ? &d->half[1] : &d->half[0];
	d->pf.out = &d->fill->pend;
	return 0;
}

static void delete_put(struct nl_sock *s, struct nl_batch *b,
		       const struct ct_entry *ct)
{
	struct nlmsghdr *nlh;

	nlh = nl_request_put(s, nl_batch_tail(b), NFNL_SUBSYS_CTNETLINK,
			     IPCTNL_MSG_CT_DELETE, 0, ct->orig.l3);
	ct_tuple_put(nlh, CTA_TUPLE_ORIG, &ct->orig);
	if (ct->has & CT_A_ZONE)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(ct->zone));
	if (ct->has & CT_A_ID)
		mnl_attr_put_u32(nlh, CTA_ID, htonl(ct->id));
	nl_batch_commit(b, nlh);
}

static int delete_queue(const struct ct_entry *ct, void *data)
{
	struct delete_ctx *d = data;
	struct delete_half *h = d->fill;

	if (!d->c->quiet) {
		h->off[h->b.n] = (uint32_t)h->pend.len;
		/* -o save prints a deleted entry as "-D ...". */
		if (d->c->fmt == &fmt_save) {
			struct ct_entry shown = *ct;

			shown.kind = CT_MSG_DESTROY;
			d->c->fmt->ct(&d->pf, &shown);
		} else {
			d->c->fmt->ct(&d->pf, ct);
		}
	}
	delete_put(&d->w, &h->b, ct);
	if (nl_batch_full(&h->b) || OUT_BUF_SIZE - h->pend.len < FMT_ENTRY_MAX)
		return delete_handoff(d);
	return 0;
}

static void delete_ctx_free(struct delete_ctx *d)
{
	if (d->tx_on)
		nl_sender_stop(&d->tx);
	nl_batch_free(&d->half[0].b);
	nl_batch_free(&d->half[1].b);
	nl_close(&d->w);
	free(d);
}

static int delete_ctx_init(struct delete_ctx *d, struct ctadm *c)
{
	int ret;

	d->c = c;
	ret = cmd_sock_open(c, &d->w);
	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < 2; i++) {
		if (nl_batch_init(&d->half[i].b, DELETE_BATCH_MAX) < 0)
			return ctadm_fail(c, ENOMEM, "out of memory");
		/* The texts wait in memory for their deletes' answers:
		 * pend is never written to a file. */
		out_init(&d->half[i].pend, -1);
	}
	ret = nl_sender_start(&d->tx, &d->w);
	if (ret < 0)
		return ctadm_fail(c, -ret, "-D: sender thread: %s",
				  strerror(-ret));
	d->tx_on = true;
	d->fill = &d->half[0];
	d->pf = c->fctx;
	d->pf.out = &d->fill->pend;
	/* As conntrack, -D prints entries with -o extended and id only,
	 * and without labels but in save lines. */
	d->pf.flags &= FMT_F_EXTENDED | FMT_F_ID;
	if (c->fmt == &fmt_text || c->fmt == &fmt_xml)
		d->pf.labelmap = NULL;
	return 0;
}

/* The summary, as conntrack's, then what conntrack does not say: entries
 * that matched but were gone before their delete (not an error: the user
 * wanted them gone), and deletes the kernel refused. */
static int delete_report(struct ctadm *c, unsigned deleted, unsigned vanished,
			 unsigned failed)
{
	ctadm_summary(c, "%u flow entries have been deleted.\n", deleted);
	if (vanished)
		fprintf(stderr, "%s: note: %u matching entries were already "
			"gone\n", CTADM_NAME, vanished);
	if (failed)
		return ctadm_fail(c, EIO, "-D: %u entries could not be deleted",
				  failed);
	return deleted ? 0 : -CTADM_ENOMATCH;
}

static int delete_conntrack(struct ctadm *c, struct nl_sock *s)
{
	struct delete_ctx *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return ctadm_fail(c, ENOMEM, "out of memory");
	ret = delete_ctx_init(d, c);
	if (ret == 0)
		ret = ct_dump_selected(s, &c->filter, delete_queue, d);
	if (ret < 0 && !c->err[0])
		ret = nl_fail(c, s, "-D", ret);
	if (ret == 0 && d->fill->b.n)
		ret = delete_handoff(d);
	if (ret == 0)
		ret = delete_settle(d);
	out_flush(c->out);
	if (ret == 0)
		ret = delete_report(c, d->deleted, d->vanished, d->failed);
	delete_ctx_free(d);
	return ret;
}

/* Filters the kernel's flush evaluates exactly as ct_filter_match does:
 * mark, status, a zone other than 0, protocol, tcp/udp ports and exact
 * IPv4 addresses (the kernel's IPv6 address test is inverted). */
static bool kernel_flush_fits(const struct ct_filter *f)
{
	uint32_t ports = F_ORIG_SPORT | F_ORIG_DPORT | F_REPLY_SPORT |
			 F_REPLY_DPORT;
	uint32_t addrs = F_ORIG_SRC | F_ORIG_DST | F_REPLY_SRC | F_REPLY_DST;
	uint32_t fits = F_L4PROTO | ports | F_MARK | F_STATUS | F_ZONE;

	if (f->family == AF_INET)
		fits |= addrs;
	if (!f->set || (f->set & ~fits) || f->orig_src_cidr || f->orig_dst_cidr)
		return false;
	if ((f->set & ports) &&
	    f->l4proto != IPPROTO_TCP && f->l4proto != IPPROTO_UDP)
		return false;
	return !(f->set & F_ZONE) || f->zone != 0;
}

/* Every entry has destroy events only with nf_conntrack_events = 1: with
 * 2 (the default), only those created while a listener existed do. */
static bool destroy_events_on(void)
{
	FILE *fp = proc_open("sys/net/netfilter/nf_conntrack_events");
	int v = 0;

	if (!fp)
		return false;
	if (fscanf(fp, "%d", &v) != 1)
		v = 0;
	fclose(fp);
	return v == 1;
}

/* Destroy events the deleting socket caused: they carry its port id. */
static int destroy_events_count(struct nl_sock *ev, uint32_t portid,
				unsigned *n)
{
	int fd = mnl_socket_get_fd(ev->mnl);

	for (;;) {
		ssize_t len = recv(fd, ev->rbuf, NL_RECV_SIZE, MSG_DONTWAIT);
		struct nlmsghdr *nlh = (struct nlmsghdr *)ev->rbuf;
		int left = (int)len;

		if (len < 0)
			return errno == EAGAIN ? 0 : -errno;
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (nlh->nlmsg_pid == portid)
				(*n)++;
	}
}

/* --quiet with a filter the kernel can apply: one flush request per
 * family instead of a dump and a delete per entry.  The kernel does not
 * say how many it deleted; a destroy-event listener counts them. */
static int delete_in_kernel(struct ctadm *c, struct nl_sock *s)
{
	unsigned deleted = 0;
	uint32_t count = 0;
	struct nl_sock ev;
	int ret = cmd_sock_open(c, &ev);

	if (ret < 0)
		return ret;
	ct_count_get(s, &count);
	/* Every event of the flush waits in the queue until it is done:
	 * about 1 KiB of buffer each. */
	nl_rcvbuf_set(&ev, (int)((count < (1u << 20) ? count : 1u << 20) + 1024) * 1024);
	ret = nl_group_join(&ev, NFNLGRP_CONNTRACK_DESTROY);
	if (ret == 0)
		ret = ct_flush_filtered(s, &c->filter);
	if (ret == 0)
		ret = destroy_events_count(&ev, s->portid, &deleted);
	nl_close(&ev);
	if (ret == -ENOBUFS)
		fprintf(stderr, "%s: warning: destroy events were lost: more "
			"than %u entries were deleted\n", CTADM_NAME, deleted);
	else if (ret < 0)
		return nl_fail(c, s, "-D", ret);
	return delete_report(c, deleted, 0, 0);
}

/* As conntrack, the tuple given is the expectation's own. */
static int delete_expect(struct ctadm *c, struct nl_sock *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ct_tuple t = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	nlh = nl_request_put(s, buf, NFNL_SUBSYS_CTNETLINK_EXP,
			     IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, c->filter.family);
	ct_tuple_from_filter(&t, &c->filter, false);
	ct_tuple_put(nlh, CTA_EXPECT_TUPLE, &t);
	ret = nl_talk(s, nlh, NULL, NULL);
	if (ret < 0)
		return nl_fail(c, s, "-D expect", ret);
	ctadm_summary(c, "1 expectations have been deleted.\n");
	return 0;
}

int ct_delete_run(struct ctadm *c)
{
	struct nl_sock s;
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	if (c->table == TABLE_EXPECT)
		ret = delete_expect(c, &s);
	else if (c->quiet && kernel_flush_fits(&c->filter) &&
		 KERNEL_VERSION_AT_LEAST(6, 12) && destroy_events_on())
		ret = delete_in_kernel(c, &s);
	else
		ret = delete_conntrack(c, &s);
	nl_close(&s);
	return ret;
}

int ct_flush_run(struct ctadm *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	bool exp = c->table == TABLE_EXPECT;
	struct nlmsghdr *nlh;
	struct nl_sock s;
	int ret = cmd_sock_open(c, &s);

	if (ret < 0)
		return ret;
	nlh = nl_request_put(&s, buf,
			     exp ? NFNL_SUBSYS_CTNETLINK_EXP
				 : NFNL_SUBSYS_CTNETLINK,
			     exp ? IPCTNL_MSG_EXP_DELETE : IPCTNL_MSG_CT_DELETE,
			     NLM_F_ACK, c->filter.family);
	/* Version 1 asks the kernel to flush the given family only; with
	 * version 0 (what conntrack sends) it empties every family. */
	if (c->filter.family) {
		struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

		nfg->version = 1;
	}
	ret = nl_talk(&s, nlh, NULL, NULL);
	nl_close(&s);
	if (ret < 0)
		return nl_fail(c, &s, "-F", ret);
	ctadm_summary(c, exp ? "expectation table has been emptied.\n"
			     : "connection tracking table has been emptied.\n");
	return 0;
}
