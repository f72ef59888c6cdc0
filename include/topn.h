/* topn.h - counting keys (addresses, ports) in bounded memory, and the
 * most counted ones: report's top sources, destinations and ports.
 *
 * Up to cap distinct keys are counted exactly.  Past that the map keeps
 * its size by the Space-Saving method (Metwally, Agrawal, El Abbadi): a
 * new key takes the place of the least counted one and starts from that
 * count plus one, the inherited part being its possible overcount
 * (error).  Then every count c holds c - error <= true count <= c, and
 * any key seen more than total / cap times is still in the map, so the
 * top of a big table is right while memory stays at cap items. */
#ifndef CTADM_TOPN_H
#define CTADM_TOPN_H

#include <stdbool.h>
#include <stdint.h>

#define TOPN_KEY_MAX 17

struct topn_item {
	uint32_t count;
	uint32_t error;           /* count may exceed the truth by this */
	uint32_t heap;            /* the item's place in topn.heap */
	uint8_t key[TOPN_KEY_MAX];
};

struct topn {
	unsigned key_len;
	uint32_t cap, n;
	uint32_t mask;            /* hash slots - 1 */
	struct topn_item *item;   /* cap items, n in use */
	uint32_t *heap;           /* item numbers, least counted first */
	uint32_t *slot;           /* open addressing: item number + 1, 0 empty */
	uint64_t total;           /* keys added */
	uint64_t replaced;        /* keys that took another one's place */
};

/* cap distinct keys of key_len bytes (at most TOPN_KEY_MAX) before the
 * counts become approximate.  0 or -ENOMEM. */
int topn_init(struct topn *t, unsigned key_len, uint32_t cap);
void topn_free(struct topn *t);
/* Count one more of key (key_len bytes). */
void topn_add(struct topn *t, const void *key);
/* Were counts replaced?  Then they are upper bounds (see error). */
bool topn_approximate(const struct topn *t);
/* Up to max items with the highest counts into top, highest first, ties
 * by key bytes; returns how many. */
unsigned topn_top(const struct topn *t, const struct topn_item **top,
		  unsigned max);

#endif
