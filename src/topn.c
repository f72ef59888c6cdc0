/* topn.c - the bounded counting map of topn.h: items in one array, a
 * hash index over them (linear probing, deletion by backward shift, so
 * no tombstones pile up as keys are replaced) and a min-heap by count
 * that names the item to replace once the array is full. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "topn.h"

/* FNV-1a, then a murmur3 finaliser: the low bits pick the slot, and
 * addresses of one subnet differ only in a few bytes. */
static uint32_t key_hash(const uint8_t *key, unsigned len)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

int topn_init(struct topn *t, unsigned key_len, uint32_t cap)
{
	uint32_t slots = 2;

	memset(t, 0, sizeof(*t));
	if (key_len == 0 || key_len > TOPN_KEY_MAX || cap == 0 ||
	    cap > (1u << 30))
		return -EINVAL;
	/* At most half full: short probe runs. */
	while (slots < 2 * cap)
		slots *= 2;
	t->key_len = key_len;
	t->cap = cap;
	t->mask = slots - 1;
	/* calloc: pages a small table never touches stay unallocated. */
	t->item = calloc(cap, sizeof(*t->item));
	t->heap = calloc(cap, sizeof(*t->heap));
	t->slot = calloc(slots, sizeof(*t->slot));
	if (!t->item || !t->heap || !t->slot) {
		topn_free(t);
		return -ENOMEM;
	}
	return 0;
}

void topn_free(struct topn *t)
{
	free(t->item);
	free(t->heap);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* --- the min-heap ------------------------------------------------------- */

static uint32_t heap_count(const struct topn *t, uint32_t pos)
{
	return t->item[t->heap[pos]].count;
}

static void heap_swap(struct topn *t, uint32_t a, uint32_t b)
{
	uint32_t ia = t->heap[a], ib = t->heap[b];

	t->heap[a] = ib;
	t->heap[b] = ia;
	t->item[ib].heap = a;
	t->item[ia].heap = b;
}

static void heap_up(struct topn *t, uint32_t pos)
{
	while (pos > 0 && heap_count(t, (pos - 1) / 2) > heap_count(t, pos)) {
		heap_swap(t, pos, (pos - 1) / 2);
		pos = (pos - 1) / 2;
	}
}

/* After the count at pos grew. */
static void heap_down(struct topn *t, uint32_t pos)
{
	for (;;) {
		uint32_t l = 2 * pos + 1, r = l + 1, least = pos;

		if (l < t->n && heap_count(t, l) < heap_count(t, least))
			least = l;
		if (r < t->n && heap_count(t, r) < heap_count(t, least))
			least = r;
		if (least == pos)
			return;
		heap_swap(t, pos, least);
		pos = least;
	}
}

/* --- the hash index ----------------------------------------------------- */

/* The slot holding key, or the empty slot where it would go. */
static uint32_t slot_find(const struct topn *t, const uint8_t *key)
{
	uint32_t s = key_hash(key, t->key_len) & t->mask;

	while (t->slot[s] &&
	       memcmp(t->item[t->slot[s] - 1].key, key, t->key_len) != 0)
		s = (s + 1) & t->mask;
	return s;
}

/* Empty slot s, moving back the later items of its probe run that may
 * sit before their home slot no longer. */
static void slot_clear(struct topn *t, uint32_t s)
{
	uint32_t next = s;

	for (;;) {
		uint32_t home;

		next = (next + 1) & t->mask;
		if (!t->slot[next])
			break;
		home = key_hash(t->item[t->slot[next] - 1].key, t->key_len) &
		       t->mask;
		/* The item may fill the hole unless its home lies after the
		 * hole, up to where it sits. */
		if (((next - home) & t->mask) >= ((next - s) & t->mask)) {
			t->slot[s] = t->slot[next];
			s = next;
		}
	}
	t->slot[s] = 0;
}

/* --- counting ----------------------------------------------------------- */

/* The least counted item gives its place to key. */
static void item_replace(struct topn *t, const uint8_t *key)
{
	uint32_t i = t->heap[0];
	struct topn_item *it = &t->item[i];

	slot_clear(t, slot_find(t, it->key));
	memset(it->key, 0, sizeof(it->key));
	memcpy(it->key, key, t->key_len);
	it->error = it->count;
	it->count++;
	t->slot[slot_find(t, key)] = i + 1;
	heap_down(t, 0);
	t->replaced++;
}

void topn_add(struct topn *t, const void *key)
{
	uint32_t s = slot_find(t, key), i;
	struct topn_item *it;

	t->total++;
	if (t->slot[s]) {
		it = &t->item[t->slot[s] - 1];
		it->count++;
		heap_down(t, it->heap);
		return;
	}
	if (t->n == t->cap) {
		item_replace(t, key);
		return;
	}
	i = t->n++;
	it = &t->item[i];
	memcpy(it->key, key, t->key_len);
	it->count = 1;
	it->heap = i;
	t->heap[i] = i;
	t->slot[s] = i + 1;
	heap_up(t, i);
}

bool topn_approximate(const struct topn *t)
{
	return t->replaced != 0;
}

/* Does a come before b in the top: more counted, or as many and a
 * smaller key? */
static bool item_before(const struct topn *t, const struct topn_item *a,
			const struct topn_item *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return memcmp(a->key, b->key, t->key_len) < 0;
}

unsigned topn_top(const struct topn *t, const struct topn_item **top,
		  unsigned max)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < t->n && max; i++) {
		const struct topn_item *it = &t->item[i];
		unsigned pos = n < max ? n++ : max;

		/* Insertion into the sorted top; pos == max: not in it
		 * unless it beats the last one. */
		while (pos > 0 && item_before(t, it, top[pos - 1])) {
			if (pos < max)
				top[pos] = top[pos - 1];
			pos--;
		}
		if (pos < max)
			top[pos] = it;
	}
	return n;
}
