/* paths.h - every /proc path ctadm reads, built from one root so that
 * tests can point it at fixtures (CTADM_PROC_ROOT, default /proc). */
#ifndef CTADM_PATHS_H
#define CTADM_PATHS_H

#include <stddef.h>
#include <stdio.h>

/* root + "/" + rel into buf; returns buf. */
const char *proc_path(char *buf, size_t len, const char *rel);
FILE *proc_open(const char *rel);
/* The same for ctadm's run-time state (debug on): root $CTADM_RUN_DIR
 * (tests) or /run/ctadm. */
const char *run_path(char *buf, size_t len, const char *rel);
/* $CTADM_DYNDBG_CONTROL: the dynamic-debug control file to use instead of
 * the kernel's (tests point it at a fixture), or NULL. */
const char *dyndbg_control_override(void);
/* Kernel version as major * 65536 + minor * 256 (0 if unknown). */
unsigned kernel_version(void);
#define KERNEL_VERSION_AT_LEAST(maj, min) (kernel_version() >= ((maj) << 16 | (min) << 8))

#endif
