/* ct_load.c - -R FILE: conntrack's --load-file, the -I -A -U -D -F lines
 * of a file, or of stdin with "-".
 *
 * Every line is parsed before any runs, so that a typo on the last line
 * leaves the table untouched; then the lines run in order, the creates
 * batched.  Neither pass holds more than one line whatever the file's
 * size: input that cannot be read twice (a pipe) is copied to an unlinked
 * temporary file while it is checked, and the run reads the copy.  A big
 * file is checked by two processes, a half each.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ct_load.h"
#include "ct_write.h"
#include "ctadm.h"
#include "labels.h"
#include "opt_parse.h"

/* conntrack reads lines of up to 10239 characters and splits longer
 * ones; ctadm takes more and refuses, rather than splits, what is longer. */
#define LOAD_LINE_MAX 65536

/* Below this a file is checked by one process: a fork costs more than
 * half the check of a few thousand lines. */
#define LOAD_SPLIT_MIN (1 << 20)

#define LOAD_CMDS (CB_CREATE | CB_ADD | CB_UPDATE | CB_DELETE | CB_FLUSH | \
		   CB_CREATE_EXP | CB_DELETE_EXP | CB_FLUSH_EXP)
#define LOAD_CREATES (CB_CREATE | CB_ADD | CB_CREATE_EXP)

struct load_file {
	const char *name;      /* for messages: FILE, or "stdin" */
	int in;                /* the input: FILE's, or stdin */
	int fd;                /* what lines are read from now */
	FILE *copy;            /* the input, when it cannot be read twice */
	bool seekable;         /* read with pread(), so that two processes
				* can read halves of one description */
	off_t start;           /* where a seekable input's lines begin */
	off_t off;             /* where the next read begins, if seekable */
	off_t stop;            /* where reading ends, or -1 at the end */
	unsigned lineno;       /* of the line in line[] */
	unsigned commands;     /* lines that are neither blank nor comments */
	size_t pos, end;       /* what of rbuf is read and not yet taken */
	char rbuf[64 * 1024];
	char line[LOAD_LINE_MAX];
	char *argv[LOAD_WORDS_MAX + 2];    /* program name, words, NULL */
};

/* A word starts at w; store the end of the one being written. */
static int word_end(char **argv, int *n, int max, char *word, char **w,
		    const char **why)
{
	if (*w - word > LOAD_WORD_MAX) {
		*why = "word longer than 1023 characters";
		return -EINVAL;
	}
	if (*n == max) {
		*why = "too many words";
		return -EINVAL;
	}
	*(*w)++ = '\0';
	argv[(*n)++] = word;
	return 0;
}

/* The words are written over the line they come from: each character
 * written was read at or after the place it goes to. */
int load_line_split(char *line, char **argv, int max, const char **why)
{
	char *r = line, *w = line, *word = NULL;
	bool quote_open = false;
	int n = 0, ret;

	while (*r == ' ' || *r == '\t')
		r++;
	if (*r == '#')
		r += strlen(r);
	for (; *r; r++) {
		if (quote_open) {
			if (*r == '\\' && r[1]) {
				*w++ = *++r;
				continue;
			}
			if (*r != '"') {
				*w++ = *r;
				continue;
			}
			quote_open = false;
		} else if (*r == '"') {
			quote_open = true;
			word = word ? word : w;
			continue;
		} else if (*r != ' ' && *r != '\t') {
			word = word ? word : w;
			*w++ = *r;
			continue;
		} else if (!word) {
			continue;
		}
		ret = word_end(argv, &n, max, word, &w, why);
		if (ret < 0)
			return ret;
		word = NULL;
	}
	if (quote_open) {
		*why = "unterminated quote";
		return -EINVAL;
	}
	if (word) {
		ret = word_end(argv, &n, max, word, &w, why);
		if (ret < 0)
			return ret;
	}
	argv[n] = NULL;
	return n;
}

static int line_fail(struct ctadm *c, const struct load_file *lf,
		     const char *why)
{
	return ctadm_fail(c, CTADM_EUSAGE, "%s:%u: %s", lf->name, lf->lineno,
			  why);
}

static int input_fail(struct ctadm *c, const struct load_file *lf, int err)
{
	return ctadm_fail(c, err, "-R %s: %s", lf->name, strerror(err));
}

/* More of the input into rbuf: its size, 0 at the end, or an error. */
static int rbuf_fill(struct ctadm *c, struct load_file *lf)
{
	size_t want = sizeof(lf->rbuf);
	ssize_t n;

	if (lf->stop >= 0 && (off_t)want > lf->stop - lf->off)
		want = (size_t)(lf->stop - lf->off);
	do
		n = lf->seekable ? pread(lf->fd, lf->rbuf, want, lf->off)
				 : read(lf->fd, lf->rbuf, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return input_fail(c, lf, errno);
	lf->off += n;
	lf->pos = 0;
	lf->end = (size_t)n;
	return (int)n;
}

/* The next line into lf->line, without its newline: 1, 0 at the end, or
 * a negative error.  Lines are cut from 64 KiB reads with memchr(): a
 * character at a time was a tenth of -R's time.  Input that cannot be
 * read twice is copied. */
static int line_read(struct ctadm *c, struct load_file *lf)
{
	size_t n = 0;
	bool newline = false;

	lf->lineno++;
	while (!newline) {
		const char *start = lf->rbuf + lf->pos, *nl;
		size_t take;
		int ret;

		if (lf->pos == lf->end) {
			ret = rbuf_fill(c, lf);
			if (ret < 0)
				return ret;
			if (ret == 0 && n == 0)
				return 0;
			if (ret == 0)
				break;  /* a last line without its newline */
			start = lf->rbuf;
		}
		nl = memchr(start, '\n', lf->end - lf->pos);
		take = nl ? (size_t)(nl - start) : lf->end - lf->pos;
		if (n + take > LOAD_LINE_MAX - 1)
			return line_fail(c, lf, "line longer than 65535 "
					 "characters");
		if (memchr(start, '\0', take))
			return line_fail(c, lf, "NUL character in the line");
		memcpy(lf->line + n, start, take);
		n += take;
		lf->pos += take + (nl != NULL);
		newline = nl != NULL;
	}
	lf->line[n] = '\0';
	if (lf->copy && lf->fd != fileno(lf->copy)) {
		fwrite(lf->line, 1, n, lf->copy);
		putc_unlocked('\n', lf->copy);
	}
	return 1;
}

static uint32_t line_cmd_bit(const struct ctadm *line)
{
	return line->table == TABLE_EXPECT ? line->cmd->exp_bit
					   : line->cmd->bit;
}

static int line_cmd_check(struct ctadm *line)
{
	bool named_table = line->table != TABLE_CONNTRACK;

	/* The namespace is the whole file's: entered once, before the
	 * batch socket opens. */
	if (line->netns)
		return ctadm_fail(line, CTADM_EUSAGE, "--netns: give it with "
				  "-R, not on a line of the file");
	if (line_cmd_bit(line) & LOAD_CMDS)
		return 0;
	return ctadm_fail(line, CTADM_EUSAGE,
			  "Cannot use command `-%c%s%s' with --load-file",
			  line->cmd->short_name, named_table ? " " : "",
			  named_table ? table_name(line->table) : "");
}

/* A context for one line, as main() makes one for a command line. */
static void line_ctx_init(struct ctadm *line, const struct ctadm *c)
{
	*line = (struct ctadm){
		.fmt = &fmt_text,
		.out = c->out,
		.labelmap_path = c->labelmap_path,
		.load_line = true,
	};
	line->fctx.out = c->out;
	line->fctx.now_ns = c->fctx.now_ns;
	line->fctx.event_ns = c->fctx.event_ns;
}

/* Parse lf->line into line: 1 for a command (release line->labelmap when
 * done with it), 0 for a blank or comment line, or a negative error. */
static int line_parse(struct ctadm *c, struct load_file *lf,
		      struct ctadm *line)
{
	const char *why;
	int n = load_line_split(lf->line, lf->argv + 1, LOAD_WORDS_MAX, &why);
	int ret;

	if (n < 0)
		return line_fail(c, lf, why);
	if (n == 0)
		return 0;
	line_ctx_init(line, c);
	ret = opt_parse(line, n + 1, lf->argv);
	if (ret == 0)
		ret = line_cmd_check(line);
	if (ret < 0) {
		labelmap_free(&line->labelmap);
		return line_fail(c, lf, line->err);
	}
	return 1;
}

static int load_open(struct ctadm *c, struct load_file *lf)
{
	bool is_stdin = strcmp(c->load_file, "-") == 0;
	struct stat st;

	lf->name = is_stdin ? "stdin" : c->load_file;
	lf->in = is_stdin ? STDIN_FILENO
			  : open(c->load_file, O_RDONLY | O_CLOEXEC);
	if (lf->in < 0)
		return ctadm_fail(c, CTADM_EUSAGE,
				  "Failed to open file %s for reading: %s",
				  c->load_file, strerror(errno));
	lf->fd = lf->in;
	lf->stop = -1;
	/* getopt permutes argv's pointers, never the strings. */
	lf->argv[0] = (char *)CTADM_NAME;
	if (fstat(lf->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		lf->start = lseek(lf->fd, 0, SEEK_CUR);
		lf->seekable = lf->start >= 0;
		lf->off = lf->start;
		if (lf->seekable)
			return 0;
	}
	lf->copy = tmpfile();
	if (!lf->copy)
		return ctadm_fail(c, errno, "-R %s: temporary copy: %s",
				  lf->name, strerror(errno));
	return 0;
}

static void load_close(struct load_file *lf)
{
	if (lf->in > STDIN_FILENO)
		close(lf->in);
	if (lf->copy)
		fclose(lf->copy);
}

/* Check the lines from where lf reads to where it stops. */
static int load_check_lines(struct ctadm *c, struct load_file *lf)
{
	struct ctadm line;
	int ret;

	while ((ret = line_read(c, lf)) > 0) {
		ret = line_parse(c, lf, &line);
		if (ret < 0)
			return ret;
		if (ret > 0) {
			lf->commands++;
			labelmap_free(&line.labelmap);
		}
	}
	return ret;
}

/* What the process that checks a file's second half tells the other. */
struct check_half {
	int ret;
	unsigned commands;
	char err[sizeof(((struct ctadm *)0)->err)];
};

/* Where a file big enough to be worth two processes splits: the start
 * of the first line past its middle, or 0 not to split. */
static off_t check_split_at(const struct load_file *lf)
{
	struct stat st;
	char buf[4096];
	ssize_t n;
	off_t mid;

	if (!lf->seekable || fstat(lf->fd, &st) < 0 ||
	    st.st_size - lf->start < LOAD_SPLIT_MIN)
		return 0;
	mid = lf->start + (st.st_size - lf->start) / 2;
	for (off_t at = mid; at - mid < LOAD_LINE_MAX; at += n) {
		const char *nl;

		n = pread(lf->fd, buf, sizeof(buf), at);
		if (n <= 0)
			return 0;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl)
			return at + (nl - buf) + 1;
	}
	return 0;
}

/* The line number the second half starts after: the first half's
 * newlines, counted without parsing them. */
static int lines_before(struct ctadm *c, struct load_file *lf, off_t mid)
{
	unsigned lines = 0;
	int ret;

	lf->stop = mid;
	while ((ret = rbuf_fill(c, lf)) > 0)
		for (const char *p = lf->rbuf, *end = p + ret;
		     (p = memchr(p, '\n', (size_t)(end - p))); p++)
			lines++;
	lf->stop = -1;
	lf->lineno = lines;
	return ret;
}

static void __attribute__((noreturn))
check_second_half(struct ctadm *c, struct load_file *lf, off_t mid, int fd)
{
	struct check_half r = { 0 };

	lf->off = lf->start;
	r.ret = lines_before(c, lf, mid);
	if (r.ret == 0) {
		lf->commands = 0;
		r.ret = load_check_lines(c, lf);
	}
	r.commands = lf->commands;
	memcpy(r.err, c->err, sizeof(r.err));
	_exit(write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

/* The check is the part of -R that cannot overlap the kernel's work: a
 * big file is checked by two processes, a half each (getopt, which the
 * check runs, keeps its state in globals: no threads).  An error in the
 * first half is the one reported, as a serial check would. */
static int load_check_halves(struct ctadm *c, struct load_file *lf,
			     off_t mid)
{
	struct check_half r = { .ret = -EPIPE };
	int fds[2], ret, status;
	pid_t pid;

	if (pipe(fds) < 0)
		return load_check_lines(c, lf);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return load_check_lines(c, lf);
	}
	if (pid == 0) {
		close(fds[0]);
		check_second_half(c, lf, mid, fds[1]);
	}
	close(fds[1]);
	lf->stop = mid;
	ret = load_check_lines(c, lf);
	lf->stop = -1;
	if (ret < 0)
		kill(pid, SIGKILL);
	else if (read(fds[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
		ret = ctadm_fail(c, EPIPE, "-R %s: the check of the file's "
				 "second half stopped", lf->name);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret < 0)
		return ret;
	if (r.ret < 0)
		memcpy(c->err, r.err, sizeof(c->err));
	lf->commands += r.commands;
	return r.ret;
}

static int load_check(struct ctadm *c, struct load_file *lf)
{
	off_t mid = check_split_at(lf);

	return mid > 0 ? load_check_halves(c, lf, mid)
		       : load_check_lines(c, lf);
}

static int load_rewind(struct ctadm *c, struct load_file *lf)
{
	lf->lineno = 0;
	lf->pos = lf->end = 0;
	lf->off = lf->start;
	if (!lf->copy)
		return 0;
	if (fflush(lf->copy) != 0 || ferror(lf->copy))
		return ctadm_fail(c, errno ? errno : EIO,
				  "-R %s: temporary copy: %s", lf->name,
				  strerror(errno ? errno : EIO));
	lf->fd = fileno(lf->copy);
	lf->seekable = true;
	lf->start = lf->off = 0;
	return 0;
}

/* Run one parsed line.  A line's own failure is reported and counted in
 * *failed; only ctadm's own errors (socket, memory) are returned. */
static int line_run(struct load_file *lf, struct create_batch *b,
		    struct ctadm *line, unsigned *failed)
{
	char where[256];
	int ret;

	snprintf(where, sizeof(where), "%s:%u", lf->name, lf->lineno);
	if (line_cmd_bit(line) & LOAD_CREATES)
		return create_batch_add(b, line, where);
	/* What the lines before this one create must exist when it runs. */
	ret = create_batch_flush(b);
	if (ret < 0)
		return ret;
	ret = line->cmd->run(line);
	/* As with conntrack -R, a -D or -U that matched nothing is no
	 * failure. */
	if (ret < 0 && ret != -CTADM_ENOMATCH) {
		fprintf(stderr, "%s: %s: %s\n", CTADM_NAME, where, line->err);
		(*failed)++;
	}
	return 0;
}

static int load_execute(struct ctadm *c, struct load_file *lf)
{
	struct create_batch *b;
	struct ctadm line;
	unsigned failed = 0;
	int ret = create_batch_open(&b, c);

	if (ret < 0)
		return ret;
	while ((ret = line_read(c, lf)) > 0) {
		/* Fails only if the file changed since it was checked. */
		ret = line_parse(c, lf, &line);
		if (ret < 0)
			break;
		if (ret == 0)
			continue;
		ret = line_run(lf, b, &line, &failed);
		labelmap_free(&line.labelmap);
		if (ret < 0)
			break;
	}
	if (ret == 0)
		ret = create_batch_flush(b);
	failed += create_batch_failed(b);
	create_batch_close(b);
	if (ret < 0)
		return ret;
	if (failed)
		return ctadm_fail(c, EIO, "-R %s: %u of %u lines failed",
				  lf->name, failed, lf->commands);
	return 0;
}

int ct_load_run(struct ctadm *c)
{
	struct load_file *lf = calloc(1, sizeof(*lf));
	int ret;

	if (!lf)
		return ctadm_fail(c, ENOMEM, "-R: %s", strerror(ENOMEM));
	ret = load_open(c, lf);
	if (ret == 0)
		ret = load_check(c, lf);
	if (ret == 0)
		ret = load_rewind(c, lf);
	if (ret == 0)
		ret = load_execute(c, lf);
	load_close(lf);
	free(lf);
	return ret;
}
