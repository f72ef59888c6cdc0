/* proc_netlink.h - netlink sockets as the kernel lists them
 * (/proc/net/netlink, per network namespace; NETLINK_SOCK_DIAG for the
 * flags /proc does not show), their owners (/proc/PID/fd), and
 * nfnetlink_queue's queues (/proc/net/netfilter/nfnetlink_queue).
 * Paths come from paths.c's root so tests can use fixtures. */
#ifndef CTADM_PROC_NETLINK_H
#define CTADM_PROC_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One line of /proc/net/netlink. */
struct nl_sock_info {
	int protocol;          /* "Eth" column: NETLINK_NETFILTER is 12 */
	uint32_t portid;
	uint32_t groups;       /* groups 1-32 as a bitmap (bit 0: group 1) */
	unsigned long rmem, wmem;
	unsigned dump, locks;
	unsigned long drops;
	unsigned long inode;
	/* From NETLINK_SOCK_DIAG where the kernel has it (flags_known). */
	bool flags_known;
	bool broadcast_error;  /* NETLINK_BROADCAST_ERROR: reliable events */
	bool no_enobufs;       /* NETLINK_NO_ENOBUFS */
	unsigned long rcvbuf;  /* receive buffer size (meminfo), 0 unknown */
};

/* 0, 1 for the header line, -EINVAL for a malformed line. */
int proc_netlink_line_parse(const char *line, struct nl_sock_info *s);

/* Subscribed to a conntrack event group (NFNLGRP_CONNTRACK_NEW,
 * _UPDATE, _DESTROY) / an expectation event group. */
bool nl_sock_is_ct_listener(const struct nl_sock_info *s);
bool nl_sock_is_exp_listener(const struct nl_sock_info *s);

/* Call fn for each netlink socket of the current namespace, the diag
 * flags filled in where NETLINK_SOCK_DIAG answers.  fn returns 0 to go
 * on.  0, or -errno (fn's value if it stopped). */
int proc_netlink_each(int (*fn)(const struct nl_sock_info *s, void *arg),
		      void *arg);

/* The line of the socket of protocol bound to portid, without the diag
 * flags (no NETLINK_SOCK_DIAG dump: -E looks up senders as events come).
 * 0, -ENOENT, or -errno. */
int proc_netlink_find(int protocol, uint32_t portid, struct nl_sock_info *s);

/* The first process holding socket inode (scans /proc/[0-9]*\/fd):
 * 0 with pid and comm, -ENOENT if none found (or not visible). */
int sock_inode_owner(unsigned long inode, pid_t *pid, char *comm,
		     size_t comm_len);

/* One line of /proc/net/netfilter/nfnetlink_queue. */
struct nfq_info {
	unsigned queue;
	uint32_t portid;
	unsigned total;        /* packets waiting for a verdict */
	unsigned copy_mode, copy_range;
	unsigned long queue_dropped, user_dropped;
	unsigned long id_sequence;
};

int nfq_line_parse(const char *line, struct nfq_info *q);
/* fn for each queue; -ENOENT when the file does not exist (no
 * nfnetlink_queue in this kernel, or nothing ever bound). */
int nfq_each(int (*fn)(const struct nfq_info *q, void *arg), void *arg);

#endif
