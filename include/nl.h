/* nl.h - the netlink layer: sockets, network namespaces, requests and
 * dumps, and the mapping of kernel errors (with extended-ack text) to
 * ctadm's messages. */
#ifndef CTADM_NL_H
#define CTADM_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

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

#endif
