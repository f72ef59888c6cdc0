/* print.h - pieces the text and save formatters share. */
#ifndef CTADM_PRINT_H
#define CTADM_PRINT_H

#include <stdint.h>

#include "fmt.h"

/* conntrack's suffix for an event a process caused (nlmsg_pid != 0):
 * " [USERSPACE] portid=N progname=NAME", the name only when found.
 * Nothing for dumps or kernel-made events. */
void print_userspace(struct fmt_ctx *f, uint8_t kind);
/* Drop the last byte written if it is a blank: the libraries build lines
 * field by field, each with a trailing blank, then cut the last one. */
void print_drop_blank(struct out *o);

#endif
