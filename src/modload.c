/* modload.c - kernel modules through libkmod, which reads what modprobe
 * reads: /lib/modules/RELEASE's depmod indexes (dependencies, aliases)
 * and modprobe.d.  Built without libkmod (configure --without-libkmod),
 * ctadm names the modprobe command to run instead.
 *
 * libkmod is opened with dlopen() only when a module must be loaded:
 * linked in, it brings libcrypto, libzstd and liblzma into every run of
 * ctadm, which costs each -C or -S a third of its start-up time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctadm.h"
#include "modload.h"

#ifdef HAVE_LIBKMOD
#include <dlfcn.h>
#include <libkmod.h>
#include <stddef.h>
#include <stdarg.h>
#include <unistd.h>

#define LIBKMOD_SONAME "libkmod.so.2"

/* The libkmod functions ctadm calls, typed by libkmod.h's prototypes. */
struct kmod_api {
	__typeof__(kmod_new) *kmod_new;
	__typeof__(kmod_unref) *kmod_unref;
	__typeof__(kmod_set_log_fn) *kmod_set_log_fn;
	__typeof__(kmod_get_dirname) *kmod_get_dirname;
	__typeof__(kmod_module_new_from_lookup) *kmod_module_new_from_lookup;
	__typeof__(kmod_module_get_module) *kmod_module_get_module;
	__typeof__(kmod_module_unref_list) *kmod_module_unref_list;
	__typeof__(kmod_module_unref) *kmod_module_unref;
	__typeof__(kmod_module_get_initstate) *kmod_module_get_initstate;
	__typeof__(kmod_module_probe_insert_module) *kmod_module_probe_insert_module;
	__typeof__(kmod_module_get_path) *kmod_module_get_path;
};

#define KMOD_SYM(f) { #f, offsetof(struct kmod_api, f) }
static const struct {
	const char *name;
	size_t offset;
} kmod_syms[] = {
	KMOD_SYM(kmod_new), KMOD_SYM(kmod_unref), KMOD_SYM(kmod_set_log_fn),
	KMOD_SYM(kmod_get_dirname), KMOD_SYM(kmod_module_new_from_lookup),
	KMOD_SYM(kmod_module_get_module), KMOD_SYM(kmod_module_unref_list),
	KMOD_SYM(kmod_module_unref), KMOD_SYM(kmod_module_get_initstate),
	KMOD_SYM(kmod_module_probe_insert_module),
	KMOD_SYM(kmod_module_get_path),
};

static int kmod_api_open(struct ctadm *c, const char *name,
			 struct kmod_api *api, void **handle)
{
	*handle = dlopen(LIBKMOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!*handle)
		return ctadm_fail(c, ENOTSUP, "module %s is not loaded and %s "
				  "cannot be opened (%s): install libkmod2 or "
				  "run `modprobe %s'", name, LIBKMOD_SONAME,
				  dlerror(), name);
	for (size_t i = 0; i < sizeof(kmod_syms) / sizeof(kmod_syms[0]); i++) {
		void *fn = dlsym(*handle, kmod_syms[i].name);

		if (!fn) {
			dlclose(*handle);
			return ctadm_fail(c, ENOTSUP, "module %s: %s has no %s",
					  name, LIBKMOD_SONAME,
					  kmod_syms[i].name);
		}
		memcpy((char *)api + kmod_syms[i].offset, &fn, sizeof(fn));
	}
	return 0;
}

/* libkmod logs its errors to stderr; ctadm reports them through c->err. */
static void kmod_log_none(void *data, int priority, const char *file,
			  int line, const char *fn, const char *fmt,
			  va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	(void)fmt, (void)args;
}

/* The module NAME stands for (a name or an alias), as modprobe finds it. */
static int module_find(struct ctadm *c, const struct kmod_api *k,
		       struct kmod_ctx *ctx, const char *name,
		       struct kmod_module **mod)
{
	const char *dir = k->kmod_get_dirname(ctx);
	struct kmod_list *list = NULL;
	char dep[512];

	/* Without the index every lookup fails: say which file is missing. */
	snprintf(dep, sizeof(dep), "%s/modules.dep.bin", dir);
	if (access(dep, R_OK) < 0)
		return ctadm_fail(c, errno, "module %s: %s: %s (a kernel "
				  "without modules, or run depmod)", name, dep,
				  strerror(errno));
	if (k->kmod_module_new_from_lookup(ctx, name, &list) < 0 || !list)
		return ctadm_fail(c, ENOENT, "module %s: not found in %s",
				  name, dir);
	*mod = k->kmod_module_get_module(list);
	k->kmod_module_unref_list(list);
	return 0;
}

static int module_insert(struct ctadm *c, const struct kmod_api *k,
			 struct kmod_module *mod, const char *name)
{
	int state = k->kmod_module_get_initstate(mod);
	const char *path;
	int ret;

	if (state == KMOD_MODULE_LIVE || state == KMOD_MODULE_BUILTIN ||
	    state == KMOD_MODULE_COMING)
		return 0;
	ret = k->kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						 NULL);
	if (ret == -EEXIST)     /* loaded by someone else meanwhile */
		return 0;
	if (ret == -EPERM)
		return ctadm_fail(c, EPERM, "module %s: loading it takes "
				  "CAP_SYS_MODULE and kernel.modules_disabled=0",
				  name);
	path = k->kmod_module_get_path(mod);
	if (ret < 0)
		return ctadm_fail(c, -ret, "module %s: cannot load %s: %s",
				  name, path ? path : "it", strerror(-ret));
	fprintf(stderr, "%s: loaded module %s\n", CTADM_NAME, name);
	return 0;
}

static int module_load_with(struct ctadm *c, const struct kmod_api *k,
			    const char *name)
{
	struct kmod_ctx *ctx = k->kmod_new(NULL, NULL);
	struct kmod_module *mod = NULL;
	int ret;

	if (!ctx)
		return ctadm_fail(c, ENOMEM, "module %s: libkmod: cannot "
				  "start (kmod_new failed)", name);
	k->kmod_set_log_fn(ctx, kmod_log_none, NULL);
	ret = module_find(c, k, ctx, name, &mod);
	if (ret == 0) {
		ret = module_insert(c, k, mod, name);
		k->kmod_module_unref(mod);
	}
	k->kmod_unref(ctx);
	return ret;
}

int module_load(struct ctadm *c, const char *name)
{
	struct kmod_api k;
	void *handle;
	int ret = kmod_api_open(c, name, &k, &handle);

	if (ret < 0)
		return ret;
	ret = module_load_with(c, &k, name);
	dlclose(handle);
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
