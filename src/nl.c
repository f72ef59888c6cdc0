/* nl.c - libmnl sockets, requests and dumps, and kernel error mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "nl.h"

static int netns_path(const char *spec, char *path, size_t len)
{
	if (strchr(spec, '/'))
		return snprintf(path, len, "%s", spec) < (int)len ? 0 : -1;
	if (spec[0] && strspn(spec, "0123456789") == strlen(spec))
		return snprintf(path, len, "/proc/%s/ns/net", spec) < (int)len
			       ? 0
			       : -1;
	return snprintf(path, len, "/run/netns/%s", spec) < (int)len ? 0 : -1;
}

int netns_enter(const char *spec, char *err, size_t errlen)
{
	char path[512];
	int fd, ret = 0;

	if (netns_path(spec, path, sizeof(path)) < 0) {
		snprintf(err, errlen, "--netns %s: name too long", spec);
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "--netns %s: %s: %s", spec, path,
			 strerror(errno));
		return ret;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		ret = -errno;
		snprintf(err, errlen, "--netns %s: %s", spec, strerror(errno));
	}
	close(fd);
	return ret;
}

int nl_open(struct nl_sock *s)
{
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->rbuf = malloc(NL_RECV_SIZE);
	if (!s->rbuf)
		return -ENOMEM;
	s->mnl = mnl_socket_open(NETLINK_NETFILTER);
	if (!s->mnl) {
		int err = -errno;

		nl_close(s);
		return err;
	}
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		nl_close(s);
		return err;
	}
	/* Older kernels lack these; errors then simply carry no text. */
	mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &one, sizeof(one));
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (uint32_t)getpid() << 8;
	return 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->mnl)
		mnl_socket_close(s->mnl);
	s->mnl = NULL;
	free(s->rbuf);
	s->rbuf = NULL;
}

struct nlmsghdr *nl_request_put(struct nl_sock *s, void *buf, uint8_t subsys,
				uint8_t type, uint16_t flags, uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (uint16_t)(subsys << 8 | type);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++s->seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static int ext_ack_attr_cb(const struct nlattr *attr, void *data)
{
	char *msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(msg, 256, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ack (error 0) or a failure with optional TLVs. */
static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_sock *s = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_parse(nlh, off, ext_ack_attr_cb, s->ext_ack);
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int nl_cb_run(struct nl_sock *s, const char *buf, int len,
		     uint32_t seq, mnl_cb_t cb, void *data)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = nl_error_cb };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int ret = MNL_CB_OK;

	/* mnl_cb_run2 passes one data pointer to every callback; errors
	 * need the socket, so error messages are handled here first. */
	for (; mnl_nlmsg_ok(nlh, len) && ret > MNL_CB_STOP;
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_seq != seq) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR)
			ret = nl_error_cb(nlh, s);
		else
			ret = mnl_cb_run2(nlh, nlh->nlmsg_len, seq, s->portid,
					  cb, data, ctl, 0);
	}
	return ret;
}

int nl_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int err;

	/* Created with every signal blocked, the thread never takes one:
	 * SIGINT and the like reach the caller's thread, as without it. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

/* --- dumps read ahead in a thread ---
 *
 * The kernel builds a dump's next message inside the recvmsg() that takes
 * the one before, so a single thread alternates between waiting for the
 * kernel and parsing and printing. A reader thread keeps the kernel busy
 * while the caller's thread works through what was read before: on two
 * CPUs a listing then takes about as long as the kernel's dump alone. */

#define DUMP_SLOTS 8

struct dump_slot {
	char *buf;          /* NL_RECV_SIZE bytes */
	ssize_t len;        /* what recvmsg() returned */
	int err;            /* its errno when len < 0 */
};

struct dump_pipe {
	struct nl_sock *s;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct dump_slot slot[DUMP_SLOTS];
	unsigned head, tail;  /* slots read and not yet parsed: [tail, head) */
	bool stop;            /* the caller wants no more */
};

/* Whether buf holds the dump's last message: the reader must not wait for
 * a message that will never come. */
static bool dump_ends(const char *buf, ssize_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)len;

	if (len <= 0)
		return true;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == NLMSG_DONE ||
		    nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

static void *dump_read(void *arg)
{
	struct dump_pipe *p = arg;
	bool last = false;

	while (!last) {
		struct dump_slot *sl;

		pthread_mutex_lock(&p->lock);
		while (p->head - p->tail == DUMP_SLOTS && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		sl = &p->slot[p->head % DUMP_SLOTS];
		pthread_mutex_unlock(&p->lock);

		sl->len = mnl_socket_recvfrom(p->s->mnl, sl->buf, NL_RECV_SIZE);
		sl->err = sl->len < 0 ? errno : 0;
		last = dump_ends(sl->buf, sl->len);

		pthread_mutex_lock(&p->lock);
		p->head++;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

static int dump_parse(struct dump_pipe *p, uint32_t seq, mnl_cb_t cb,
		      void *data)
{
	int ret;

	do {
		struct dump_slot *sl;

		pthread_mutex_lock(&p->lock);
		while (p->head == p->tail)
			pthread_cond_wait(&p->cond, &p->lock);
		sl = &p->slot[p->tail % DUMP_SLOTS];
		pthread_mutex_unlock(&p->lock);

		if (sl->len < 0) {
			errno = sl->err;
			return MNL_CB_ERROR;
		}
		errno = 0;
		ret = nl_cb_run(p->s, sl->buf, (int)sl->len, seq, cb, data);

		pthread_mutex_lock(&p->lock);
		p->tail++;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	} while (ret > MNL_CB_STOP);
	return ret;
}

static void dump_pipe_free(struct dump_pipe *p)
{
	for (unsigned i = 0; i < DUMP_SLOTS; i++)
		free(p->slot[i].buf);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}

/* The answers to a dump request already sent, through a reader thread;
 * returns what nl_cb_run returned last, with errno set on MNL_CB_ERROR. */
static int dump_piped(struct nl_sock *s, uint32_t seq, mnl_cb_t cb,
		      void *data)
{
	struct dump_pipe p = { .s = s };
	pthread_t reader;
	int ret, err;

	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	for (unsigned i = 0; i < DUMP_SLOTS; i++) {
		p.slot[i].buf = malloc(NL_RECV_SIZE);
		if (!p.slot[i].buf) {
			dump_pipe_free(&p);
			errno = ENOMEM;
			return MNL_CB_ERROR;
		}
	}
	err = nl_thread_start(&reader, dump_read, &p);
	if (err) {
		dump_pipe_free(&p);
		errno = -err;
		return MNL_CB_ERROR;
	}
	ret = dump_parse(&p, seq, cb, data);
	err = errno;
	pthread_mutex_lock(&p.lock);
	p.stop = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	pthread_join(reader, NULL);
	dump_pipe_free(&p);
	errno = err;
	return ret;
}

int nl_talk(struct nl_sock *s, const struct nlmsghdr *req, mnl_cb_t cb,
	    void *data)
{
	int ret;

	s->ext_ack[0] = '\0';
	if (mnl_socket_sendto(s->mnl, req, req->nlmsg_len) < 0)
		return -errno;
	if ((req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		ret = dump_piped(s, req->nlmsg_seq, cb, data);
		goto out;
	}
	do {
		ret = (int)mnl_socket_recvfrom(s->mnl, s->rbuf, NL_RECV_SIZE);
		if (ret < 0)
			return -errno;
		errno = 0;
		ret = nl_cb_run(s, s->rbuf, ret, req->nlmsg_seq, cb, data);
	} while (ret > MNL_CB_STOP);
out:
	if (ret == MNL_CB_ERROR)
		return errno ? -errno : -EIO;
	return 0;
}

/* --- socket buffers and batches --- */

int nl_group_join(struct nl_sock *s, unsigned group)
{
	return mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &group,
				     sizeof(group)) < 0 ? -errno : 0;
}

int nl_rcvbuf_set(struct nl_sock *s, int bytes)
{
	int fd = mnl_socket_get_fd(s->mnl);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) == 0
		       ? 0
		       : -errno;
}

int nl_batch_init(struct nl_batch *b, unsigned max)
{
	memset(b, 0, sizeof(*b));
	b->buf = malloc(NL_BATCH_SIZE);
	b->max = max;
	return b->buf ? 0 : -ENOMEM;
}

void nl_batch_free(struct nl_batch *b)
{
	free(b->buf);
	b->buf = NULL;
}

void *nl_batch_tail(struct nl_batch *b)
{
	return b->buf + b->len;
}

void nl_batch_commit(struct nl_batch *b, struct nlmsghdr *nlh)
{
	if (b->n++ == 0)
		b->first_seq = nlh->nlmsg_seq;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

bool nl_batch_full(const struct nl_batch *b)
{
	return b->n >= b->max || NL_BATCH_SIZE - b->len < NL_BATCH_MSG_MAX;
}

/* The last request of the batch: the one whose answer ends the wait. */
static struct nlmsghdr *batch_last(struct nl_batch *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->buf, *last = nlh;
	int len = (int)b->len;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		last = nlh;
	return last;
}

struct batch_wait {
	struct nl_batch *b;
	uint32_t last_seq;
	mnl_cb_t reply_cb;
	nl_result_cb result_cb;
	void *data;
	bool done;
};

/* One answer: a failure, the final ack, or data for reply_cb. */
static int batch_answer(struct batch_wait *w, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	char ext_ack[256] = "";
	unsigned off;

	if (nlh->nlmsg_seq < w->b->first_seq || nlh->nlmsg_seq > w->last_seq)
		return -EPROTO;
	if (nlh->nlmsg_type != NLMSG_ERROR) {
		if (w->reply_cb && w->reply_cb(nlh, w->data) < MNL_CB_OK)
			return errno ? -errno : -EIO;
		return 0;
	}
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_parse(nlh, off, ext_ack_attr_cb, ext_ack);
	}
	if (e->error)
		w->result_cb(nlh->nlmsg_seq - w->b->first_seq, e->error,
			     ext_ack, w->data);
	if (nlh->nlmsg_seq == w->last_seq)
		w->done = true;
	return 0;
}

static int batch_wait_answers(struct nl_sock *s, struct batch_wait *w)
{
	while (!w->done) {
		int len = (int)mnl_socket_recvfrom(s->mnl, s->rbuf,
						   NL_RECV_SIZE);
		struct nlmsghdr *nlh = (struct nlmsghdr *)s->rbuf;

		if (len < 0)
			return -errno;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			int ret = batch_answer(w, nlh);

			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

int nl_batch_send(struct nl_sock *s, struct nl_batch *b, mnl_cb_t reply_cb,
		  nl_result_cb result_cb, void *data)
{
	struct batch_wait w = { b, 0, reply_cb, result_cb, data, false };
	struct nlmsghdr *last;
	int ret = 0;

	if (b->n == 0)
		return 0;
	last = batch_last(b);
	last->nlmsg_flags |= NLM_F_ACK;
	w.last_seq = last->nlmsg_seq;
	if (mnl_socket_sendto(s->mnl, b->buf, b->len) < 0)
		ret = -errno;
	else
		ret = batch_wait_answers(s, &w);
	b->len = 0;
	b->n = 0;
	return ret;
}

/* --- a sender thread for batches ---
 *
 * The kernel acts on a batch inside the sendmsg() that carries it.  With
 * a sender thread the caller builds the next batch meanwhile: batches go
 * out in the order handed over, one at a time. */

static void *sender_loop(void *arg)
{
	struct nl_sender *t = arg;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct nl_batch *b;
		int ret;

		while (!t->sending && !t->closing)
			pthread_cond_wait(&t->cond, &t->lock);
		if (!t->sending)
			break;
		b = t->sending;
		pthread_mutex_unlock(&t->lock);

		ret = nl_batch_send(t->s, b, NULL, t->result_cb, t->result_data);

		pthread_mutex_lock(&t->lock);
		if (ret < 0 && !t->err)
			t->err = ret;
		t->sending = NULL;
		pthread_cond_broadcast(&t->cond);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

int nl_sender_start(struct nl_sender *t, struct nl_sock *s)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->s = s;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	ret = nl_thread_start(&t->thread, sender_loop, t);
	if (ret < 0) {
		pthread_cond_destroy(&t->cond);
		pthread_mutex_destroy(&t->lock);
	}
	return ret;
}

int nl_sender_wait(struct nl_sender *t)
{
	int err;

	pthread_mutex_lock(&t->lock);
	while (t->sending)
		pthread_cond_wait(&t->cond, &t->lock);
	err = t->err;
	pthread_mutex_unlock(&t->lock);
	return err;
}

int nl_sender_hand(struct nl_sender *t, struct nl_batch *b,
		   nl_result_cb result_cb, void *data)
{
	int err = nl_sender_wait(t);

	if (err < 0)
		return err;
	pthread_mutex_lock(&t->lock);
	t->sending = b;
	t->result_cb = result_cb;
	t->result_data = data;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void nl_sender_stop(struct nl_sender *t)
{
	nl_sender_wait(t);
	pthread_mutex_lock(&t->lock);
	t->closing = true;
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
}
