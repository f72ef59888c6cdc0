/* paths.c - the root of every /proc path, and the running kernel. */
#include <stdlib.h>
#include <sys/utsname.h>

#include "paths.h"

const char *proc_path(char *buf, size_t len, const char *rel)
{
	const char *root = getenv("CTADM_PROC_ROOT");

	snprintf(buf, len, "%s/%s", root && *root ? root : "/proc", rel);
	return buf;
}

const char *run_path(char *buf, size_t len, const char *rel)
{
	const char *root = getenv("CTADM_RUN_DIR");

	snprintf(buf, len, "%s/%s", root && *root ? root : "/run/ctadm", rel);
	return buf;
}

const char *dyndbg_control_override(void)
{
	const char *path = getenv("CTADM_DYNDBG_CONTROL");

	return path && *path ? path : NULL;
}

FILE *proc_open(const char *rel)
{
	char path[512];

	return fopen(proc_path(path, sizeof(path), rel), "re");
}

unsigned kernel_version(void)
{
	struct utsname u;
	unsigned maj = 0, min = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &maj, &min) != 2)
		return 0;
	return maj << 16 | min << 8;
}
