/* SPDX-License-Identifier: ISC */
/*
 * lldpad_conf.c - the libconfig subset lldpad writes (see lldpad_conf.h): a
 * recursive-descent reader over a cursor, depth and node count bounded, every
 * token checked against the end of the buffer.
 */
#include "lldpad_conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cur {
	const char *p, *end;
	unsigned line;
	struct lc_tree *t;
	char *err;
	size_t errlen;
	bool failed;
};

static int fail(struct cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cur *c, const char *fmt, ...)
{
	if (c->failed)
		return -1;
	int n = snprintf(c->err, c->errlen, "line %u: ", c->line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	c->failed = true;
	return -1;
}

/* Blanks and comments; -1 on a comment left open. */
static int skip(struct cur *c)
{
	while (c->p < c->end) {
		if (*c->p == '\n') {
			c->line++;
			c->p++;
		} else if (isspace((unsigned char)*c->p)) {
			c->p++;
		} else if (*c->p == '#' || (*c->p == '/' && c->p + 1 < c->end && c->p[1] == '/')) {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else if (*c->p == '/' && c->p + 1 < c->end && c->p[1] == '*') {
			unsigned start = c->line;
			for (c->p += 2; c->p < c->end; c->p++) {
				if (*c->p == '\n')
					c->line++;
				if (*c->p == '*' && c->p + 1 < c->end && c->p[1] == '/')
					break;
			}
			if (c->p >= c->end) {
				c->line = start;
				return fail(c, "a /* comment is never closed.");
			}
			c->p += 2;
		} else {
			break;
		}
	}
	return 0;
}

static bool at(struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static int new_node(struct cur *c, enum lc_type type, int parent, const char *name)
{
	struct lc_tree *t = c->t;
	if (t->count == LC_MAX_NODES)
		return fail(c, "more than %u settings and values; evbctl reads at most that many.",
			    LC_MAX_NODES);
	if (t->count == t->cap) { /* grows by doubling; no node pointer is held across */
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct lc_node *n = realloc(t->n, cap * sizeof(*n));
		if (!n)
			return fail(c, "out of memory.");
		t->n = n;
		t->cap = cap;
	}
	struct lc_node *n = &t->n[t->count];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->parent = parent;
	n->line = c->line;
	snprintf(n->name, sizeof(n->name), "%s", name);
	return (int)t->count++;
}

static int set_text(struct cur *c, int node, const char *s, size_t len)
{
	char *x = malloc(len + 1);
	if (!x)
		return fail(c, "out of memory.");
	memcpy(x, s, len);
	x[len] = 0;
	c->t->n[node].text = x;
	return 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* One "..." at c->p appended to buf (of *len octets). */
static int string_part(struct cur *c, char *buf, size_t *len)
{
	for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
		char ch = *c->p;
		if (ch == '\n')
			return fail(c, "a string runs past the end of its line.");
		if (ch == '\\') {
			if (++c->p >= c->end)
				break;
			static const char from[] = "\"\\ntrf", to[] = "\"\\\n\t\r\f";
			const char *e = strchr(from, *c->p);
			if (e && *c->p) {
				ch = to[e - from];
			} else if (*c->p == 'x' && c->end - c->p > 2 && hexval(c->p[1]) >= 0 &&
				   hexval(c->p[2]) >= 0) {
				ch = (char)(hexval(c->p[1]) * 16 + hexval(c->p[2]));
				c->p += 2;
			} else {
				return fail(c, "a string has the unknown escape '\\%c'.", *c->p);
			}
		}
		if (*len + 1 >= LC_MAX_VALUE)
			return fail(c, "a string is longer than %u octets.", LC_MAX_VALUE - 1);
		buf[(*len)++] = ch;
	}
	if (c->p >= c->end)
		return fail(c, "a string is never closed.");
	c->p++;
	return 0;
}

static int scalar(struct cur *c, int node)
{
	char buf[LC_MAX_VALUE];
	size_t len = 0;
	struct lc_node *n = &c->t->n[node];
	if (at(c, '"')) {
		n->type = LC_STRING;
		do { /* adjacent strings are one */
			if (string_part(c, buf, &len) || skip(c))
				return -1;
		} while (at(c, '"'));
		return set_text(c, node, buf, len);
	}
	const char *s = c->p;
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || strchr("+-._", *c->p)))
		c->p++;
	len = (size_t)(c->p - s);
	if (!len)
		return fail(c, "a value is missing or starts with '%c'.",
			    c->p < c->end ? *c->p : ' ');
	if (len >= LC_MAX_VALUE)
		return fail(c, "a value is longer than %u octets.", LC_MAX_VALUE - 1);
	memcpy(buf, s, len);
	buf[len] = 0;
	char *end;
	if (!strcasecmp(buf, "true") || !strcasecmp(buf, "false")) {
		n->type = LC_BOOL;
		return set_text(c, node, tolower((unsigned char)buf[0]) == 't' ? "true" : "false",
				tolower((unsigned char)buf[0]) == 't' ? 4 : 5);
	}
	strtoll(buf, &end, 0);
	if (end != buf && (!*end || !strcmp(end, "L") || !strcmp(end, "LL"))) {
		n->type = LC_INT;
		return set_text(c, node, buf, (size_t)(end - buf));
	}
	strtod(buf, &end);
	if (end != buf && !*end) {
		n->type = LC_FLOAT;
		return set_text(c, node, buf, len);
	}
	return fail(c, "'%s' is not a string, number or boolean.", buf);
}

static int value(struct cur *c, int node, unsigned depth);

/* Elements of a list or array up to close. */
static int elements(struct cur *c, int node, char close, unsigned depth)
{
	if (skip(c))
		return -1;
	while (!at(c, close)) {
		int e = new_node(c, LC_STRING, node, "");
		if (e < 0 || value(c, e, depth + 1) || skip(c))
			return -1;
		if (at(c, ','))
			c->p++;
		else if (!at(c, close))
			return fail(c, "a list or array needs ',' or '%c' here.", close);
		if (skip(c))
			return -1;
	}
	c->p++;
	return 0;
}

static int settings(struct cur *c, int parent, unsigned depth, bool top);

static int value(struct cur *c, int node, unsigned depth)
{
	if (depth >= LC_MAX_DEPTH)
		return fail(c, "groups and lists are nested deeper than %u.", LC_MAX_DEPTH);
	if (skip(c))
		return -1;
	struct lc_node *n = &c->t->n[node];
	if (at(c, '{')) {
		c->p++;
		n->type = LC_GROUP;
		return settings(c, node, depth + 1, false);
	}
	if (at(c, '(') || at(c, '[')) {
		char close = *c->p == '(' ? ')' : ']';
		n->type = close == ')' ? LC_LIST : LC_ARRAY;
		c->p++;
		return elements(c, node, close, depth);
	}
	return scalar(c, node);
}

static int setting(struct cur *c, int parent, unsigned depth)
{
	char name[LC_MAX_NAME];
	size_t len = 0;
	if (!isalpha((unsigned char)*c->p) && *c->p != '*')
		return fail(c, "a setting's name cannot start with '%c'.", *c->p);
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || strchr("-_*", *c->p))) {
		if (len + 1 >= sizeof(name))
			return fail(c, "a setting's name is longer than %u octets.",
				    LC_MAX_NAME - 1);
		name[len++] = *c->p++;
	}
	name[len] = 0;
	if (skip(c))
		return -1;
	if (!at(c, '=') && !at(c, ':'))
		return fail(c, "the setting '%s' needs '=' or ':' after its name.", name);
	c->p++;
	int node = new_node(c, LC_STRING, parent, name);
	if (node < 0 || value(c, node, depth) || skip(c))
		return -1;
	if (at(c, ';') || at(c, ','))
		c->p++;
	return 0;
}

static int settings(struct cur *c, int parent, unsigned depth, bool top)
{
	for (;;) {
		if (skip(c))
			return -1;
		if (c->p >= c->end) {
			if (top)
				return 0;
			return fail(c, "a group opened with '{' is never closed.");
		}
		if (*c->p == '}') {
			if (top)
				return fail(c, "a '}' closes no group.");
			c->p++;
			return 0;
		}
		if (setting(c, parent, depth))
			return -1;
	}
}

int lc_parse(const char *buf, size_t len, struct lc_tree *t, char *err, size_t errlen)
{
	struct cur c = {
	    .p = buf, .end = buf + len, .line = 1, .t = t, .err = err, .errlen = errlen};
	memset(t, 0, sizeof(*t));
	if (len > LC_MAX_INPUT)
		return snprintf(err, errlen, "the file is larger than %u octets.", LC_MAX_INPUT),
		       -1;
	if (memchr(buf, 0, len))
		return snprintf(err, errlen, "the file holds a NUL octet: not a configuration."),
		       -1;
	return settings(&c, -1, 0, true);
}

void lc_free(struct lc_tree *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->n[i].text);
	free(t->n);
	memset(t, 0, sizeof(*t));
}

int lc_child(const struct lc_tree *t, int parent, const char *name)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->n[i].parent == parent && !strcmp(t->n[i].name, name))
			return (int)i;
	return -1;
}
