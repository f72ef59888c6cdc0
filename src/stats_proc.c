/* stats_proc.c - /proc/net/stat/nf_conntrack: a header line of column
 * names, then one line of hex values per CPU. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "stats_proc.h"

#define MAX_COLS CT_STAT_MAX

/* /proc's names for what ctnetlink calls otherwise; the columns that
 * ctnetlink no longer reports (always 0) map to NULL and are skipped. */
static const struct {
	const char *proc, *nl;
} col_names[] = {
	{ "entries", NULL },       { "searched", NULL },
	{ "new", NULL },           { "delete", NULL },
	{ "delete_list", NULL },   { "ignore", NULL },
	{ "chainlength", NULL },   { "icmp_error", "error" },
	{ "clashres", "clash_resolve" },
};

static const char *col_name(const char *proc, bool expect)
{
	bool is_exp = strncmp(proc, "expect_", 7) == 0;

	if (is_exp != expect)
		return NULL;
	for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
		if (strcmp(col_names[i].proc, proc) == 0)
			return col_names[i].nl;
	return proc;
}

struct header {
	unsigned n;
	char *word[MAX_COLS];       /* into the header line */
	const char *name[MAX_COLS]; /* NULL: column skipped */
};

static int header_parse(char *line, bool expect, struct header *h)
{
	char *save = NULL;

	h->n = 0;
	for (char *w = strtok_r(line, " \n", &save); w && h->n < MAX_COLS;
	     w = strtok_r(NULL, " \n", &save)) {
		h->word[h->n] = w;
		h->name[h->n] = col_name(w, expect);
		h->n++;
	}
	return h->n ? 0 : -EINVAL;
}

static int row_parse(char *line, const struct header *h, struct ct_stat *st)
{
	char *save = NULL, *w = strtok_r(line, " \n", &save);

	st->n = 0;
	for (unsigned i = 0; i < h->n && w; i++, w = strtok_r(NULL, " \n", &save)) {
		char *end;
		unsigned long v = strtoul(w, &end, 16);

		if (*end)
			return -EINVAL;
		if (!h->name[i])
			continue;
		st->item[st->n].name = h->name[i];
		st->item[st->n].value = (uint32_t)v;
		st->n++;
	}
	return 0;
}

int stats_proc_read(FILE *f, bool expect, ct_stat_cb cb, void *data)
{
	char head[1024], line[1024];
	struct header h;
	struct ct_stat st;
	int ret;

	if (!fgets(head, sizeof(head), f) || header_parse(head, expect, &h) < 0)
		return -EINVAL;
	for (st.cpu = 0; fgets(line, sizeof(line), f); st.cpu++) {
		ret = row_parse(line, &h, &st);
		if (ret < 0)
			return ret;
		ret = cb(&st, data);
		if (ret < 0)
			return ret;
	}
	return st.cpu ? 0 : -ENODATA;
}

int stats_from_proc(bool expect, ct_stat_cb cb, void *data)
{
	FILE *f = proc_open("net/stat/nf_conntrack");
	int ret;

	if (!f)
		return -errno;
	ret = stats_proc_read(f, expect, cb, data);
	fclose(f);
	return ret;
}
