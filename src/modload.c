/* modload.c - kernel modules through libkmod, which reads what modprobe
 * reads: /lib/modules/RELEASE's depmod indexes (dependencies, aliases)
 * and modprobe.d.  Built without libkmod (configure --without-libkmod),
 * ctadm names the modprobe command to run instead. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctadm.h"
#include "modload.h"

#ifdef HAVE_LIBKMOD
#include <libkmod.h>
#include <stdarg.h>
#include <unistd.h>

/* libkmod logs its errors to stderr; ctadm reports them through c->err. */
static void kmod_log_none(void *data, int priority, const char *file,
			  int line, const char *fn, const char *fmt,
			  va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	(void)fmt, (void)args;
}

/* The module NAME stands for (a name or an alias), as modprobe finds it. */
static int module_find(struct ctadm *c, struct kmod_ctx *ctx,
		       const char *name, struct kmod_module **mod)
{
	const char *dir = kmod_get_dirname(ctx);
	struct kmod_list *list = NULL;
	char dep[512];

	/* Without the index every lookup fails: say which file is missing. */
	snprintf(dep, sizeof(dep), "%s/modules.dep.bin", dir);
	if (access(dep, R_OK) < 0)
		return ctadm_fail(c, errno, "module %s: %s: %s (a kernel "
				  "without modules, or run depmod)", name, dep,
				  strerror(errno));
	if (kmod_module_new_from_lookup(ctx, name, &list) < 0 || !list)
		return ctadm_fail(c, ENOENT, "module %s: not found in %s",
				  name, dir);
	*mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	return 0;
}

static int module_insert(struct ctadm *c, struct kmod_module *mod,
			 const char *name)
{
	int state = kmod_module_get_initstate(mod);
	int ret;

	if (state == KMOD_MODULE_LIVE || state == KMOD_MODULE_BUILTIN ||
	    state == KMOD_MODULE_COMING)
		return 0;
	ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	if (ret == -EEXIST)     /* loaded by someone else meanwhile */
		return 0;
	if (ret == -EPERM)
		return ctadm_fail(c, EPERM, "module %s: loading it takes "
				  "CAP_SYS_MODULE and kernel.modules_disabled=0",
				  name);
	if (ret < 0)
		return ctadm_fail(c, -ret, "module %s: cannot load %s: %s",
				  name, kmod_module_get_path(mod) ?
				  kmod_module_get_path(mod) : "it",
				  strerror(-ret));
	fprintf(stderr, "%s: loaded module %s\n", CTADM_NAME, name);
	return 0;
}

int module_load(struct ctadm *c, const char *name)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);
	struct kmod_module *mod = NULL;
	int ret;

	if (!ctx)
		return ctadm_fail(c, ENOMEM, "module %s: libkmod: cannot "
				  "start (kmod_new failed)", name);
	kmod_set_log_fn(ctx, kmod_log_none, NULL);
	ret = module_find(c, ctx, name, &mod);
	if (ret == 0) {
		ret = module_insert(c, mod, name);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret;
}

#else

int module_load(struct ctadm *c, const char *name)
{
	return ctadm_fail(c, ENOTSUP, "module %s is not loaded and ctadm "
			  "was built without libkmod: run `modprobe %s' and "
			  "try again", name, name);
}

#endif
