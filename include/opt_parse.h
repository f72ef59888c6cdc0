/* opt_parse.h - applying parsed options to the context (opt_apply.c),
 * shared by opt.c and the unit tests. */
#ifndef CTADM_OPT_PARSE_H
#define CTADM_OPT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "ctadm.h"

int opt_apply(struct ctadm *c, const struct opt_def *o, const char *arg);
/* Checks that need every option: coupled options, -z with filters. */
int opt_finish(struct ctadm *c);
const char *table_name(enum ct_table t);

/* Strict number parsing: the whole string, base 0 (0x.., 0..), <= max. */
int parse_uint(const char *s, uint64_t max, uint64_t *out);
/* An address with an optional /prefix (prefix -1 when absent). */
int parse_addr(const char *s, union ct_addr *a, int *family, int *prefix);

/* opt_proto.c: per-protocol options, NAT arguments, -o, labels. */
int proto_opt_apply(struct ctadm *c, const struct opt_def *o, const char *arg);
int nat_arg_parse(struct ctadm *c, const struct opt_def *o, const char *arg,
		  struct nat_match *m);
int output_apply(struct ctadm *c, const char *arg);
/* Load the connlabel map once (--labelmap, else the default path). */
int labelmap_ensure(struct ctadm *c);
/* Bit of label name (len bytes), or a bit number; -1 if unknown. */
int label_bit_lookup(const struct labelmap *m, const char *name, size_t len);

#endif
