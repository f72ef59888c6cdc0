/* ct_load.h - -R FILE: run the -I -A -U -D -F lines of a file. */
#ifndef CTADM_CT_LOAD_H
#define CTADM_CT_LOAD_H

struct ctadm;

/* conntrack's limits (iptables' add_param_to_argv): characters in a word,
 * words on a line. */
#define LOAD_WORD_MAX 1023
#define LOAD_WORDS_MAX 255

int ct_load_run(struct ctadm *c);

/* Split one line of a -R file (without its newline) in place into at most
 * max words, conntrack's way: leading blanks are skipped, a line that is
 * then empty or starts with '#' has no words, words are separated by
 * spaces and tabs, and double quotes group words, a backslash inside them
 * taking the next character as it is.  A closing quote ends the word.
 * argv needs max + 1 slots: argv[n] is NULL.  Returns the number of words,
 * or -EINVAL with *why saying what is wrong with the line. */
int load_line_split(char *line, char **argv, int max, const char **why);

#endif
