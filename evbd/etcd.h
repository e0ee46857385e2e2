/* SPDX-License-Identifier: ISC */
/*
 * etcd.h - a client of etcd v3's JSON/HTTP gateway (the /v3/ paths of
 * etcd 3.4, Debian 12's etcd-server: kv/range, kv/put, kv/txn,
 * lease/grant, lease/keepalive, watch; keys and values in base64), over
 * libcurl's multi interface driven by evbd's libevent loop
 * (curl_multi_socket_action from socket and timer events), so no request
 * ever blocks the loop.
 *
 * It owns the HTTP side only: the endpoints and failover (a request that
 * cannot reach one endpoint, or gets no answer within the timeout, is sent
 * to the next one, each endpoint tried once; the endpoint that answered is
 * used first from then on), the bound on requests outstanding, the bound on
 * an answer's size, watches as streams of newline-separated JSON objects
 * (a watch that received nothing for lease-ttl seconds ends, as its member
 * may hang; the caller starts it again),
 * TLS client settings, and base64.  What the keys mean is cluster.c's.
 */
#ifndef EVBD_ETCD_H
#define EVBD_ETCD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbd/cluster_conf.h"

struct event_base;
struct etcd;
struct etcd_watch;

#define ETCD_OUTSTANDING_MAX 256	 /* requests sent or waiting, watches apart */
#define ETCD_ANSWER_MAX	     (32u << 20) /* octets of one answer */
#define ETCD_EVENT_MAX	     (32u << 20) /* octets of one watch message */
#define ETCD_KEY_MAX	     512	 /* octets of a key (decoded) */

/* An answer: err 0 and the body (a JSON object, borrowed for the call);
 * or err < 0, ans NULL and a sentence in why: -EIO no endpoint answered,
 * -EPROTO an endpoint answered with an error or with something that is not
 * JSON, -ECANCELED the client is closing. */
typedef void (*etcd_cb)(void *ctx, int err, json_t *ans, const char *why);
/* A watch's messages (each "result" object, borrowed), then once
 * ans == NULL with why when the stream ended (the watch is then freed). */
typedef void (*etcd_watch_cb)(void *ctx, json_t *ans, const char *why);

/* 0, or -ENOMEM / -EIO after logging a sentence. */
int etcd_open(struct event_base *base, const struct cluster_conf *c, struct etcd **out);
/* Outstanding requests are answered -ECANCELED, watches end silently. */
void etcd_close(struct etcd *e);

/* POST body (taken, also on failure) to /v3/<path> ("kv/range").  0, or
 * -ENOBUFS when ETCD_OUTSTANDING_MAX requests are outstanding, -ENOMEM;
 * cb is not called then. */
int etcd_call(struct etcd *e, const char *path, json_t *body, etcd_cb cb, void *ctx);
/* Requests outstanding now. */
unsigned etcd_outstanding(const struct etcd *e);
/* The endpoint requests go to first now. */
const char *etcd_endpoint(const struct etcd *e);

/* Watch [key, range_end) from revision rev (0: from now).  NULL on ENOMEM. */
struct etcd_watch *etcd_watch(struct etcd *e, const char *key, const char *range_end, int64_t rev,
			      etcd_watch_cb cb, void *ctx);
/* Stop a watch; its callback is not called again. */
void etcd_watch_stop(struct etcd_watch *w);

/* base64 of n octets into out (cap >= 4 * ((n + 2) / 3) + 1), NUL-ended. */
void etcd_b64(const void *in, size_t n, char *out);
/* Decode base64 text into out; the octets, or -1 when the text is not
 * base64 or does not fit in cap. */
long etcd_unb64(const char *in, uint8_t *out, size_t cap);
/* A JSON object field holding an int64 (the gateway writes them as
 * strings); dflt when missing or not a number. */
int64_t etcd_i64(const json_t *o, const char *field, int64_t dflt);
/* The key of a kv object into buf (NUL-ended): its length, or -1. */
long etcd_kv_key(const json_t *kv, char *buf, size_t cap);
/* {"key": b64(key)} plus, when range_end, {"range_end": b64(range_end)}. */
json_t *etcd_key_obj(const char *key, const char *range_end);
/* The end of the range of every key starting with prefix ("/a/" -> "/a0"). */
void etcd_prefix_end(const char *prefix, char *out, size_t cap);

#endif
