/* modload.h - loading a kernel module the way modprobe does. */
#ifndef CTADM_MODLOAD_H
#define CTADM_MODLOAD_H

struct ctadm;

/* Load module NAME and the modules it depends on, unless it is loaded
 * or built in already; says "ctadm: loaded module NAME" on stderr when
 * it loaded it.  0, or a ctadm_fail() error ("module NAME: why"), also
 * when ctadm was built without libkmod. */
int module_load(struct ctadm *c, const char *name);

#endif
