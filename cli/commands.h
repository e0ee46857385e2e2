/* SPDX-License-Identifier: ISC */
/*
 * commands.h - evbctl's control commands over the evbd control channel:
 * `vsi` (associate, preassociate, preassociate-rr, deassociate, list),
 * `port` (show), `batch` (many commands from a file over one socket,
 * pipelined), `vsitype` (the bridge's VSI type database), `plugin`, `mib`
 * and `stats` (evbd's own counters and store state).  The argument
 * parsers and renderers are shared by the single commands and batch mode.
 */
#ifndef EVBCTL_COMMANDS_H
#define EVBCTL_COMMANDS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbctl.h"
#include "ipc_client.h"
#include "vdp/vsi.h"
#include "writer.h"

/* Exit status when a waited-for command was refused by the bridge, or the
 * bridge never answered (the reason is on stderr). */
#define EVBCTL_REFUSED 3

extern const struct evbctl_cmd vsi_cmd;
extern const struct evbctl_cmd port_cmd;
extern const struct evbctl_cmd batch_cmd;
extern const struct evbctl_cmd vsitype_cmd;
extern const struct evbctl_cmd plugin_cmd;
extern const struct evbctl_cmd mib_cmd;
extern const struct evbctl_cmd stats_cmd;
extern const struct evbctl_cmd config_cmd; /* cmd_config.c: needs no evbd */
extern const struct evbctl_cmd fleet_cmd;

/* `fleet where` / `vsi where`: argv "uuid U" or "vsiid F:V" (argc 2); what
 * names the command in messages.  An EVBCTL status. */
int fleet_where(struct writer *w, int argc, char **argv, const char *what);
extern const struct evbctl_cmd monitor_cmd;

/* `vsi` arguments after the word "vsi". */
enum vsi_sub {
	VSI_SUB_LIST = 0,
	/* otherwise the VDP TLV type of the command: VDP_TLV_PREASSOC .. DEASSOC */
	VSI_SUB_SHOW = 16, /* one VSI with its history */
};

struct vsi_args {
	int sub; /* VSI_SUB_LIST or VDP_TLV_* */
	char dev[IF_NAMESIZE];
	bool have_type, have_version;
	uint32_t type_id;
	uint8_t type_ver;
	bool have_id;
	struct vdp_vsi_key key;
	uint8_t fif;
	uint16_t nfilters;
	struct vdp_filter filters[VDP_MAX_FILTERS];
	bool have_mgrid, have_hints;
	uint8_t mgrid[VDP_MGRID_LEN];
	uint8_t hints;
	bool wait;
	int wait_ms;
};

/* Parse `vsi` arguments (argv[0] is the sub-command word).  0,
 * EVBCTL_USAGE with a sentence in err, or EVBCTL_HELP. */
int vsi_parse(int argc, char **argv, struct vsi_args *a, char *err, size_t errlen);
/* Build the request into buf (EVBD_IPC_MAX_MSG octets). */
struct nlmsghdr *vsi_build(const struct vsi_args *a, void *buf);
/* Timeout for the request's answer (ms). */
int vsi_timeout_ms(const struct vsi_args *a);
/* Run parsed `vsi` arguments over an open client, writing to w. */
int vsi_exec(struct writer *w, struct ipc_client *c, const struct vsi_args *a);

/* `port show [dev IF]` over an open client. */
int port_exec(struct writer *w, struct ipc_client *c, int argc, char **argv);

/* A VSI message's attributes into the writer: a table row in text, an object
 * in JSON.  -EBADMSG when a nested attribute is malformed. */
int vsi_render(struct writer *w, const struct ipc_attrs *a);

/* Ask evbd for its own state (STATS_GET).  0, or -1 with a sentence in err.
 * (cmd_stats.c) */
int stats_fetch(struct ipc_daemon *d, int timeout_ms, char *err, size_t cap);
/* An uptime as "3h2m", "5m7s", "2d4h". */
void stats_uptime_str(uint64_t us, char *buf, size_t cap);

/* The negotiated EVB values with the timers they give, as "negotiated". */
void port_render_oper(struct writer *w, const struct evb_oper *o);

/* An event (EVB_MSG_EVENT) through the writer: an object in JSON, one line
 * (a scalar keyed `key`) in text.  (cmd_monitor.c) */
void event_render(struct writer *w, const char *key, const struct ipc_event *e);

/* Parse the user's manager ID (0-255, up to 16 characters, or 32 hex
 * digits; mgrid_str in decode.h prints the same forms back).  0 / -EINVAL. */
int mgrid_parse(const char *s, uint8_t out[VDP_MGRID_LEN]);

/* Strict unsigned number up to max: decimal, or 0x-hex when hex_ok; no
 * sign, no blanks.  (cmd_vsi.c) */
bool cli_parse_num(const char *s, bool hex_ok, uint64_t max, uint64_t *out);

/* Exit status for an answer's errno (0 ok, refusal/timeout of a wait, other). */
int status_of_errno(int err, bool wait);

#endif
