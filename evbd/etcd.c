/* SPDX-License-Identifier: ISC */
/*
 * etcd.c - etcd v3's JSON/HTTP gateway over libcurl multi on libevent
 * (see etcd.h): one easy handle per request or watch, socket events and
 * one timer handed to curl_multi_socket_action, failover across the
 * endpoints, bounded answers and watch messages, base64.
 */
#include "evbd/etcd.h"

#include <curl/curl.h>
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/log.h"

struct etcd_req {
	struct etcd_req *next, *prev;
	struct etcd *e;
	CURL *easy;
	char *body;
	char path[48];
	unsigned ep;	/* endpoint index this attempt goes to */
	unsigned tries; /* endpoints tried */
	bool watch;
	etcd_cb cb;
	etcd_watch_cb wcb;
	void *ctx;
	char *buf; /* the answer (or a watch's unfinished message) */
	size_t len, cap, limit;
	bool overflow;
	bool lines; /* a watch holds a complete message not yet handed over */
	char err[CURL_ERROR_SIZE];
};

struct etcd_watch {
	struct etcd_req r;
};

struct etcd {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	struct cluster_conf conf;
	unsigned cur;	       /* the endpoint tried first */
	struct etcd_req *reqs; /* every request and watch in flight */
	unsigned outstanding;  /* requests among them */
	struct curl_slist *hdrs;
};

/* ---------------- base64 and JSON helpers ---------------- */

static const char b64c[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void etcd_b64(const void *in, size_t n, char *out)
{
	const uint8_t *p = in;
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		out[o++] = b64c[v >> 18 & 63];
		out[o++] = b64c[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64c[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64c[v & 63] : '=';
	}
	out[o] = 0;
}

static int b64v(char c)
{
	const char *p = c ? strchr(b64c, c) : NULL;
	return p ? (int)(p - b64c) : -1;
}

long etcd_unb64(const char *in, uint8_t *out, size_t cap)
{
	size_t n = strlen(in), o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			v[k] = b64v(in[i + k]);
			if (in[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (v[k] < 0 || pad) {
				return -1;
			}
		}
		uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
			     (uint32_t)v[3];
		if (o + 3 - (size_t)pad > cap)
			return -1;
		out[o++] = (uint8_t)(x >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(x >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)x;
	}
	return (long)o;
}

int64_t etcd_i64(const json_t *o, const char *field, int64_t dflt)
{
	const json_t *v = json_object_get(o, field);
	char *end;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (!json_is_string(v))
		return dflt;
	long long x = strtoll(json_string_value(v), &end, 10);
	return *end ? dflt : (int64_t)x;
}

long etcd_kv_key(const json_t *kv, char *buf, size_t cap)
{
	const char *k = json_string_value(json_object_get(kv, "key"));
	long n = k && cap ? etcd_unb64(k, (uint8_t *)buf, cap - 1) : -1;

	if (n < 0 || memchr(buf, 0, (size_t)n))
		return -1;
	buf[n] = 0;
	return n;
}

static json_t *b64_str(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(4 * ((n + 2) / 3) + 1);
	json_t *j;

	if (!t)
		return NULL;
	etcd_b64(s, n, t);
	j = json_string(t);
	free(t);
	return j;
}

json_t *etcd_key_obj(const char *key, const char *range_end)
{
	json_t *o = json_object();

	json_object_set_new(o, "key", b64_str(key));
	if (range_end)
		json_object_set_new(o, "range_end", b64_str(range_end));
	return o;
}

void etcd_prefix_end(const char *prefix, char *out, size_t cap)
{
	size_t n = strlen(prefix);

	snprintf(out, cap, "%s", prefix);
	if (n && n < cap)
		out[n - 1]++; /* every prefix evbd uses ends with '/', below 0xff */
}

/* ---------------- requests ---------------- */

static void req_free(struct etcd_req *r)
{
	struct etcd *e = r->e;

	if (r->easy) {
		curl_multi_remove_handle(e->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	if (r->prev)
		r->prev->next = r->next;
	else if (e->reqs == r)
		e->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	if (!r->watch)
		e->outstanding--;
	free(r->body);
	free(r->buf);
	if (r->watch)
		free((struct etcd_watch *)r);
	else
		free(r);
}

static bool buf_add(struct etcd_req *r, const char *p, size_t n)
{
	if (r->len + n + 1 > r->limit) {
		r->overflow = true;
		return false;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b) {
			r->overflow = true;
			return false;
		}
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
	r->buf[r->len] = 0;
	return true;
}

/* A watch's first complete line (a JSON object {"result": {...}}) handed
 * over.  Called outside curl's callbacks (libcurl refuses its multi calls
 * from inside them, and the handler may start requests or stop watches). */
static void watch_line(struct etcd_req *r)
{
	char *nl = memchr(r->buf, '\n', r->len);
	json_error_t je;
	json_t *j;

	if (!nl) {
		r->lines = false;
		return;
	}
	j = json_loadb(r->buf, (size_t)(nl - r->buf), 0, &je);
	r->len -= (size_t)(nl - r->buf) + 1;
	memmove(r->buf, nl + 1, r->len);
	r->lines = memchr(r->buf, '\n', r->len) != NULL;
	json_t *res = json_object_get(j, "result");
	if (res)
		r->wcb(r->ctx, res, NULL); /* may free r */
	json_decref(j);
}

/* Every watch message received, one at a time (a handler may free any
 * watch, so the list is walked again after each). */
static void watch_lines(struct etcd *e)
{
	for (;;) {
		struct etcd_req *r = e->reqs;
		while (r && !r->lines)
			r = r->next;
		if (!r)
			return;
		watch_line(r);
	}
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct etcd_req *r = arg;

	if (!buf_add(r, p, size * n))
		return 0; /* ends the transfer: CURLE_WRITE_ERROR */
	if (r->watch && memchr(p, '\n', size * n))
		r->lines = true;
	return size * n;
}

static int start(struct etcd_req *r)
{
	struct etcd *e = r->e;
	const struct cluster_conf *c = &e->conf;
	char url[CLUSTER_URL_MAX + 64];

	if (!r->easy && !(r->easy = curl_easy_init()))
		return -ENOMEM;
	curl_easy_reset(r->easy);
	r->len = 0;
	r->overflow = false;
	r->ep = e->cur;
	snprintf(url, sizeof(url), "%s/v3/%s", c->endpoints[r->ep], r->path);
	curl_easy_setopt(r->easy, CURLOPT_URL, url);
	curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, e->hdrs);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->err);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)c->timeout_ms);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, r->watch ? 0L : (long)c->timeout_ms);
	if (r->watch) { /* a hung member sends nothing: the watch ends and starts elsewhere */
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_TIME, (long)c->lease_ttl);
	}
	curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	if (c->cert[0]) {
		curl_easy_setopt(r->easy, CURLOPT_SSLCERT, c->cert);
		curl_easy_setopt(r->easy, CURLOPT_SSLKEY, c->key);
	}
	if (c->ca[0])
		curl_easy_setopt(r->easy, CURLOPT_CAINFO, c->ca);
	r->err[0] = 0;
	r->tries++;
	return curl_multi_add_handle(e->multi, r->easy) == CURLM_OK ? 0 : -ENOMEM;
}

static struct etcd_req *req_new(struct etcd *e, size_t size, const char *path, json_t *body,
				bool watch)
{
	struct etcd_req *r = calloc(1, size);

	if (!r)
		return NULL;
	r->e = e;
	r->watch = watch;
	r->limit = watch ? ETCD_EVENT_MAX : ETCD_ANSWER_MAX;
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->body = json_dumps(body, JSON_COMPACT);
	r->next = e->reqs;
	if (e->reqs)
		e->reqs->prev = r;
	e->reqs = r;
	if (!watch)
		e->outstanding++;
	if (!r->body || start(r)) {
		req_free(r);
		return NULL;
	}
	return r;
}

int etcd_call(struct etcd *e, const char *path, json_t *body, etcd_cb cb, void *ctx)
{
	struct etcd_req *r = NULL;

	if (e->outstanding >= ETCD_OUTSTANDING_MAX) {
		json_decref(body);
		return -ENOBUFS;
	}
	r = req_new(e, sizeof(*r), path, body, false);
	json_decref(body);
	if (!r)
		return -ENOMEM;
	r->cb = cb;
	r->ctx = ctx;
	return 0;
}

unsigned etcd_outstanding(const struct etcd *e)
{
	return e->outstanding;
}

const char *etcd_endpoint(const struct etcd *e)
{
	return e->conf.endpoints[e->cur];
}

struct etcd_watch *etcd_watch(struct etcd *e, const char *key, const char *range_end, int64_t rev,
			      etcd_watch_cb cb, void *ctx)
{
	json_t *cr = etcd_key_obj(key, range_end), *body = json_object();

	if (rev > 0)
		json_object_set_new(cr, "start_revision", json_integer(rev));
	json_object_set_new(body, "create_request", cr);
	struct etcd_req *r = req_new(e, sizeof(struct etcd_watch), "watch", body, true);
	json_decref(body);
	if (!r)
		return NULL;
	r->wcb = cb;
	r->ctx = ctx;
	return (struct etcd_watch *)r;
}

void etcd_watch_stop(struct etcd_watch *w)
{
	if (w)
		req_free(&w->r);
}

/* ---------------- completion ---------------- */

static bool transport_failure(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
	       rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_SSL_CONNECT_ERROR ||
	       rc == CURLE_PARTIAL_FILE;
}

/* The endpoint of r failed: the next one is tried first from now on. */
static void endpoint_failed(struct etcd_req *r)
{
	struct etcd *e = r->e;

	if (e->cur == r->ep && e->conf.nendpoints > 1) {
		e->cur = (e->cur + 1) % e->conf.nendpoints;
		log_info("etcd endpoint %s did not answer (%s); trying %s",
			 e->conf.endpoints[r->ep], r->err[0] ? r->err : "no answer",
			 e->conf.endpoints[e->cur]);
	}
}

static void finish_call(struct etcd_req *r, CURLcode rc)
{
	struct etcd *e = r->e;
	long status = 0;
	char why[400];
	json_error_t je;
	json_t *j = NULL;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (transport_failure(rc)) {
		endpoint_failed(r);
		if (r->tries < e->conf.nendpoints) {
			curl_multi_remove_handle(e->multi, r->easy);
			if (!start(r))
				return;
		}
		snprintf(why, sizeof(why), "no etcd endpoint answered (the last, %s: %s)",
			 e->conf.endpoints[r->ep], r->err[0] ? r->err : curl_easy_strerror(rc));
		r->cb(r->ctx, -EIO, NULL, why);
	} else if (rc != CURLE_OK || r->overflow) {
		snprintf(why, sizeof(why), "the request to etcd at %s failed: %s",
			 e->conf.endpoints[r->ep],
			 r->overflow ? "the answer is larger than evbd takes"
				     : (r->err[0] ? r->err : curl_easy_strerror(rc)));
		r->cb(r->ctx, -EPROTO, NULL, why);
	} else if (!(j = json_loadb(r->buf ? r->buf : "", r->len, 0, &je)) || status != 200) {
		const char *msg = json_string_value(json_object_get(j, "message"));
		if (!msg)
			msg = json_string_value(json_object_get(j, "error"));
		snprintf(why, sizeof(why), "etcd at %s answered %s %ld%s%s",
			 e->conf.endpoints[r->ep], r->path, status, msg ? ": " : "",
			 msg ? msg : (j ? "" : " (not JSON)"));
		r->cb(r->ctx, -EPROTO, NULL, why);
	} else {
		r->cb(r->ctx, 0, j, NULL);
	}
	json_decref(j);
	req_free(r);
}

static void finish_watch(struct etcd_req *r, CURLcode rc)
{
	char why[400];

	/* watch_lines() handed over what came before the end */
	if (transport_failure(rc))
		endpoint_failed(r);
	snprintf(why, sizeof(why), "the watch on etcd at %s ended: %s", r->e->conf.endpoints[r->ep],
		 r->overflow	  ? "a message was larger than evbd takes"
		 : rc == CURLE_OK ? "the server closed it"
				  : (r->err[0] ? r->err : curl_easy_strerror(rc)));
	etcd_watch_cb cb = r->wcb;
	void *ctx = r->ctx;
	req_free(r);
	cb(ctx, NULL, why);
}

static void check_done(struct etcd *e)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(e->multi, &left))) {
		struct etcd_req *r;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r->watch)
			finish_watch(r, m->data.result);
		else
			finish_call(r, m->data.result);
	}
}

/* ---------------- libevent glue ---------------- */

static void on_socket_ev(evutil_socket_t fd, short what, void *arg)
{
	struct etcd *e = arg;
	int running, flags = (what & EV_READ ? CURL_CSELECT_IN : 0) |
			     (what & EV_WRITE ? CURL_CSELECT_OUT : 0);

	curl_multi_socket_action(e->multi, fd, flags, &running);
	watch_lines(e);
	check_done(e);
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct etcd *e = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	watch_lines(e);
	check_done(e);
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct etcd *e = arg;
	struct event *ev = sockp;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ev)
			event_free(ev);
		curl_multi_assign(e->multi, s, NULL);
		return 0;
	}
	short kind = (short)((what & CURL_POLL_IN ? EV_READ : 0) |
			     (what & CURL_POLL_OUT ? EV_WRITE : 0) | EV_PERSIST);
	if (ev)
		event_free(ev);
	ev = event_new(e->base, s, kind, on_socket_ev, e);
	if (!ev)
		return -1;
	event_add(ev, NULL);
	curl_multi_assign(e->multi, s, ev);
	return 0;
}

static int on_timer_set(CURLM *multi, long ms, void *arg)
{
	struct etcd *e = arg;
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	(void)multi;
	if (ms < 0)
		evtimer_del(e->timer);
	else
		evtimer_add(e->timer, &tv);
	return 0;
}

int etcd_open(struct event_base *base, const struct cluster_conf *c, struct etcd **out)
{
	static bool global;
	struct etcd *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (!global && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
		global = true;
	if (!e || !global || !(e->multi = curl_multi_init()) ||
	    !(e->timer = evtimer_new(base, on_timer, e)) ||
	    !(e->hdrs = curl_slist_append(NULL, "Content-Type: application/json"))) {
		log_err("cannot start the etcd client: out of memory");
		etcd_close(e);
		return -ENOMEM;
	}
	e->base = base;
	e->conf = *c;
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, e);
	curl_multi_setopt(e->multi, CURLMOPT_TIMERFUNCTION, on_timer_set);
	curl_multi_setopt(e->multi, CURLMOPT_TIMERDATA, e);
	curl_multi_setopt(e->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
	*out = e;
	return 0;
}

void etcd_close(struct etcd *e)
{
	if (!e)
		return;
	while (e->reqs) {
		struct etcd_req *r = e->reqs;
		if (!r->watch && r->cb)
			r->cb(r->ctx, -ECANCELED, NULL, "evbd is stopping its etcd client");
		req_free(r);
	}
	if (e->multi)
		curl_multi_cleanup(e->multi);
	if (e->timer)
		event_free(e->timer);
	curl_slist_free_all(e->hdrs);
	free(e);
}
