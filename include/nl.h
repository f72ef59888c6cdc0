/* nl.h - the netlink layer: sockets, network namespaces, requests and
 * dumps, and the mapping of kernel errors (with extended-ack text) to
 * ctadm's messages. */
#ifndef CTADM_NL_H
#define CTADM_NL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* The kernel builds dump messages in buffers as large as the biggest read
 * the socket has seen, up to 32 KiB; reading with a smaller buffer would
 * make it send more, smaller batches. */
#define NL_RECV_SIZE (64 * 1024)

struct nl_sock {
	struct mnl_socket *mnl;
	uint32_t portid;
	uint32_t seq;
	char ext_ack[256];  /* the kernel's message for the last error */
	char *rbuf;         /* receive buffer, NL_RECV_SIZE bytes */
};

/* Enter the network namespace NAME (under /run/netns), PATH or PID. */
int netns_enter(const char *spec, char *err, size_t errlen);

int nl_open(struct nl_sock *s);
void nl_close(struct nl_sock *s);
/* Start a ctnetlink request of subsystem/type in buf; flags besides
 * NLM_F_REQUEST as given. */
struct nlmsghdr *nl_request_put(struct nl_sock *s, void *buf, uint8_t subsys,
				uint8_t type, uint16_t flags, uint8_t family);
/* Send req and run cb on every answer until the kernel is done: a dump
 * ends with NLMSG_DONE, any other request must ask for NLM_F_ACK (some
 * answers, e.g. to IPCTNL_MSG_CT_GET_STATS, carry NLM_F_MULTI but no DONE).
 * Returns 0, a negative callback result, or -errno from the kernel (with
 * s->ext_ack holding its explanation, if it gave one). */
int nl_talk(struct nl_sock *s, const struct nlmsghdr *req, mnl_cb_t cb,
	    void *data);

/* Start fn(arg) in a thread that takes no signals; 0 or -errno. */
int nl_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* Subscribe to multicast group (NFNLGRP_*); 0 or -errno. */
int nl_group_join(struct nl_sock *s, unsigned group);
/* Make the socket's receive buffer bytes large (beyond rmem_max where
 * CAP_NET_ADMIN allows); 0 or -errno. */
int nl_rcvbuf_set(struct nl_sock *s, int bytes);

/* Requests sent together with one sendmsg.  The kernel handles them in
 * order within that call and answers every failure (and every data
 * request) before the ack of the last request, the only one that asks
 * for an ack: one wait collects every answer. */
#define NL_BATCH_SIZE (64 * 1024)
/* Room a request may need; a batch with less room left is full. */
#define NL_BATCH_MSG_MAX 2048

struct nl_batch {
	char *buf;          /* NL_BATCH_SIZE bytes */
	size_t len;
	unsigned n, max;    /* requests queued, and the most one send takes */
	uint32_t first_seq;
};

/* Request index (0 for the first of the batch) failed with -err. */
typedef void (*nl_result_cb)(unsigned index, int err, const char *ext_ack,
			     void *data);

int nl_batch_init(struct nl_batch *b, unsigned max);
void nl_batch_free(struct nl_batch *b);
/* Where the next request is built (with nl_request_put). */
void *nl_batch_tail(struct nl_batch *b);
/* Count the request just built at the tail. */
void nl_batch_commit(struct nl_batch *b, struct nlmsghdr *nlh);
bool nl_batch_full(const struct nl_batch *b);
/* Send the queued requests and empty the batch: result_cb sees each
 * failure, reply_cb (may be NULL) each data answer, in request order.
 * Returns 0, or -errno when the exchange itself failed (answers lost). */
int nl_batch_send(struct nl_sock *s, struct nl_batch *b, mnl_cb_t reply_cb,
		  nl_result_cb result_cb, void *data);

/* A thread that sends batches for the caller, one at a time, in the
 * order handed over: the caller builds the next batch meanwhile.  result_cb
 * runs in that thread; what it touches is the caller's again once
 * nl_sender_wait has returned. */
struct nl_sender {
	struct nl_sock *s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* Under lock: */
	struct nl_batch *sending;      /* handed over, not yet answered */
	nl_result_cb result_cb;
	void *result_data;
	bool closing;
	int err;                       /* -errno of the first failed exchange */
};

/* 0 or -errno; s is the sender's until nl_sender_stop. */
int nl_sender_start(struct nl_sender *t, struct nl_sock *s);
/* Wait for the batch before to be answered, then hand b over; 0, or the
 * -errno of an exchange that failed (b is then not sent). */
int nl_sender_hand(struct nl_sender *t, struct nl_batch *b,
		   nl_result_cb result_cb, void *data);
/* Wait until what was handed over is answered: 0 or -errno as above. */
int nl_sender_wait(struct nl_sender *t);
void nl_sender_stop(struct nl_sender *t);

#endif
