/* SPDX-License-Identifier: ISC */
/*
 * plugin_api.h - the one interface between evbd and its plugins (shared
 * objects loaded at start, see evbd.conf(5) "plugin-dir" and "plugins").
 *
 * A plugin exports one object named `evbd_plugin` (EVBD_PLUGIN_SYMBOL) of
 * type struct evbd_plugin, with .abi = EVBD_PLUGIN_ABI.  evbd refuses a
 * plugin built for another ABI.  init() gets the operations evbd offers
 * (struct evbd_plugin_ops): file descriptors and timers on evbd's event
 * loop, ports by name or index, VSI requests and read-only views of VSIs,
 * the EVB MIB, the plugin's own [plugin NAME] configuration keys, and
 * logging.  The hooks tell the plugin about VSI and port changes, and
 * about a port that evbd stops serving and frees (port_removed).
 * Everything runs in evbd's one thread; no hook may block.
 *
 * A plugin includes this header only (and libc, its own files and its own
 * external libraries): every type and constant it needs is defined here,
 * under the plugin API's own names.  The protocol constants have the values
 * IEEE 802.1Qbg-2012 clause 41.2 gives them (evbd checks at compile time
 * that its own are the same); the MIB's value types and error codes are
 * SNMP's.  evbd's VSIs, ports and MIB are never handed out: a plugin sees
 * const views that evbd fills from them (struct evbd_vsi_view), and
 * evbd's internal structures may change without changing the ABI.
 *
 * The ABI is this header and nothing else: the layout of every structure
 * and the meaning of every constant and operation here.  Change any of them
 * and EVBD_PLUGIN_ABI goes up by one.
 */
#ifndef EVBD_PLUGIN_API_H
#define EVBD_PLUGIN_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVBD_PLUGIN_ABI	   5
#define EVBD_PLUGIN_SYMBOL "evbd_plugin"

/* ---------------- protocol constants (IEEE 802.1Qbg-2012 clause 41.2) ---------------- */

/* VSI TLV types (41.2.1): the four VDP commands. */
#define EVBD_VDP_PREASSOC    1
#define EVBD_VDP_PREASSOC_RR 2 /* with resource reservation */
#define EVBD_VDP_ASSOC	     3
#define EVBD_VDP_DEASSOC     4

/* The status octet (41.2.3).  In a request: the M and S bits (the hints);
 * in a response: KEEP (refused, the previous state kept), HARD (hard error)
 * and the reason code in the low 4 bits. */
#define EVBD_VDP_STATUS_RESPONSE 0x40
#define EVBD_VDP_STATUS_SBIT	 0x20 /* request: migrate from */
#define EVBD_VDP_STATUS_MBIT	 0x10 /* request: migrate to */
#define EVBD_VDP_STATUS_KEEP	 0x20 /* response */
#define EVBD_VDP_STATUS_HARD	 0x10 /* response */
#define EVBD_VDP_STATUS_REASON	 0x0f

/* Reason codes (41.2.3). */
#define EVBD_VDP_RSN_SUCCESS	  0
#define EVBD_VDP_RSN_INVALID_FMT  1
#define EVBD_VDP_RSN_NO_RESOURCES 2
#define EVBD_VDP_RSN_NO_MANAGER	  3 /* unable to contact the VSI manager */
#define EVBD_VDP_RSN_OTHER	  4
#define EVBD_VDP_RSN_INVALID_ID	  5 /* invalid VID, group ID or MAC address */

/* VSIID formats (41.2.6) and the VSIID and VSI Manager ID lengths. */
#define EVBD_VSIID_IPV4	 1
#define EVBD_VSIID_IPV6	 2
#define EVBD_VSIID_MAC	 3
#define EVBD_VSIID_LOCAL 4
#define EVBD_VSIID_UUID	 5
#define EVBD_VSIID_LEN	 16
#define EVBD_MGRID_LEN	 16

/* Filter info formats (41.2.8) and the PS/PCP/VID word of an entry. */
#define EVBD_FIF_VID	     1
#define EVBD_FIF_MACVID	     2
#define EVBD_FIF_GROUPVID    3
#define EVBD_FIF_GROUPMACVID 4
#define EVBD_PSPCPVID_PS     0x8000
#define EVBD_PSPCPVID_PCP    0x7000
#define EVBD_PSPCPVID_VID    0x0fff
#define EVBD_VID_MAX	     4094
/* Entries of one VSI at most: what one 511-octet VSI TLV holds (format 1). */
#define EVBD_VSI_FILTERS_MAX 243

/* ---------------- VSIs ---------------- */

struct evbd_vsi_key {
	uint8_t format; /* EVBD_VSIID_* */
	uint8_t id[EVBD_VSIID_LEN];
};

/* One filter entry.  mac: formats 2 and 4, else zero; group_id: formats 3
 * and 4, else 0; vid 0 asks the bridge to choose; pcp counts when ps. */
struct evbd_vsi_filter {
	uint32_t group_id;
	uint8_t mac[6];
	uint16_t vid;
	uint8_t pcp;
	bool ps;
};

/* What evbd reports of a VSI (evbctl vsi list: "state"). */
enum evbd_vsi_result {
	EVBD_VSI_PENDING = 0, /* requested, no answer yet */
	EVBD_VSI_PREASSOCIATED,
	EVBD_VSI_PREASSOCIATED_RR,
	EVBD_VSI_ASSOCIATED,
	EVBD_VSI_DEASSOCIATED,
	EVBD_VSI_FAILED,
};

/* What a machine step did to a VSI (the vsi_changed hook; may combine). */
#define EVBD_VSI_EV_NOTIFY 0x01 /* its result or reason changed */
#define EVBD_VSI_EV_BIND   0x02 /* bridge: now associated, bind the dataplane */
#define EVBD_VSI_EV_UNBIND 0x04 /* bridge: it left the associated state */
#define EVBD_VSI_EV_REMOVE 0x08 /* it ended and is removed after the hook */

/* A read-only copy of one VSI, filled by evbd.  It and its filters stay
 * valid only as long as the call that gave it says. */
struct evbd_vsi_view {
	struct evbd_vsi_key key;
	uint32_t type_id; /* 24 bits */
	uint8_t type_version;
	uint8_t mgrid[EVBD_MGRID_LEN]; /* VSI Manager ID; all zero: none */
	uint8_t command;       /* station: last asked; bridge: being answered (EVBD_VDP_*) */
	uint8_t in_force;      /* the command in force (EVBD_VDP_*), 0 none */
	uint8_t hints;	       /* station: EVBD_VDP_STATUS_MBIT / _SBIT of the request */
	uint8_t result;	       /* enum evbd_vsi_result */
	uint8_t status;	       /* last status octet received (station) or sent (bridge) */
	uint8_t reason;	       /* last reason code (EVBD_VDP_RSN_*) */
	uint8_t filter_format; /* EVBD_FIF_* */
	uint16_t nfilters;     /* <= EVBD_VSI_FILTERS_MAX */
	const struct evbd_vsi_filter *filters;
	unsigned events; /* the vsi_changed hook: EVBD_VSI_EV_*; else 0 */
};

/* A station's request, as `evbctl vsi associate ...` makes. */
struct evbd_vsi_request {
	uint8_t command; /* EVBD_VDP_PREASSOC .. EVBD_VDP_DEASSOC */
	uint8_t hints;	 /* EVBD_VDP_STATUS_MBIT / _SBIT, or 0 */
	struct evbd_vsi_key key;
	uint32_t type_id;
	uint8_t type_version;
	uint8_t mgrid[EVBD_MGRID_LEN];
	uint8_t filter_format;
	uint16_t nfilters; /* 0 for a De-Associate that names none */
	const struct evbd_vsi_filter *filters;
};

/* Walk of a port's VSIs: start zeroed; its content is evbd's. */
struct evbd_vsi_cursor {
	size_t opaque[2];
};

/* ---------------- the EVB MIB (SNMP's types) ---------------- */

#define EVBD_OID_MAX 128 /* sub-identifiers (SNMP's limit) */

struct evbd_oid {
	uint32_t len;
	uint32_t a[EVBD_OID_MAX];
};

/* Value types: the BER tags of SNMP (BITS travel as an OCTET STRING). */
enum evbd_mib_type {
	EVBD_MIB_INTEGER = 0x02,    /* INTEGER, Integer32, enumerations, TruthValue */
	EVBD_MIB_OCTETS = 0x04,	    /* OCTET STRING, MacAddress, BITS */
	EVBD_MIB_COUNTER32 = 0x41,  /* Counter32 */
	EVBD_MIB_UNSIGNED32 = 0x42, /* Unsigned32 / Gauge32 */
	EVBD_MIB_TIMETICKS = 0x43,  /* TimeTicks (centiseconds) */
};

#define EVBD_MIB_OCTETS_MAX 32

struct evbd_mib_value {
	uint8_t type; /* enum evbd_mib_type */
	uint8_t len;  /* EVBD_MIB_OCTETS: octets in s */
	union {
		int32_t i;  /* EVBD_MIB_INTEGER */
		uint32_t u; /* EVBD_MIB_COUNTER32, _UNSIGNED32, _TIMETICKS */
		uint8_t s[EVBD_MIB_OCTETS_MAX];
	};
};

/* SNMP error-status values (RFC 3416) the MIB returns, and the varbind
 * exceptions of a get. */
enum evbd_mib_err {
	EVBD_MIB_OK = 0,
	EVBD_MIB_ERR_NO_ACCESS = 6,
	EVBD_MIB_ERR_WRONG_TYPE = 7,
	EVBD_MIB_ERR_WRONG_LENGTH = 8,
	EVBD_MIB_ERR_WRONG_VALUE = 10,
	EVBD_MIB_ERR_NO_CREATION = 11,
	EVBD_MIB_ERR_INCONSISTENT_VALUE = 12,
	EVBD_MIB_ERR_RESOURCE_UNAVAILABLE = 13,
	EVBD_MIB_ERR_COMMIT_FAILED = 14,
	EVBD_MIB_ERR_NOT_WRITABLE = 17,
	EVBD_MIB_NO_SUCH_OBJECT = 128,
	EVBD_MIB_NO_SUCH_INSTANCE = 129,
	EVBD_MIB_END_OF_VIEW = 130,
};

/* ---------------- operations and hooks ---------------- */

struct evbd;
struct evbd_port;
struct evbd_plugin_fd;
struct evbd_plugin_timer;

/* Log levels of ops->log (same as evbd's). */
enum evbd_plugin_log { EVBD_PL_ERR = 0, EVBD_PL_WARN, EVBD_PL_NOTICE, EVBD_PL_INFO, EVBD_PL_DEBUG };

/* What a plugin may know of a port. */
struct evbd_plugin_port_info {
	const char *ifname;
	int ifindex;  /* 0 while the interface does not exist */
	bool present; /* the interface exists */
	bool link_up;
	bool station;	 /* role: station (true) or bridge (false) */
	bool negotiated; /* EVB negotiated with the neighbour */
	bool rr;	 /* reflective relay negotiated (port_changed tells of changes) */
};

/* A port's own EVB settings (ABI 5, port_evb_get / port_evb_set). */
struct evbd_evb_settings {
	bool station;		  /* the role (read only) */
	uint8_t r, rte, rwd, rka; /* ECP retries 0..7; exponents 0..31 */
	bool rrreq;		  /* station: ask for reflective relay */
	bool rrcap;		  /* bridge: capable of reflective relay */
	bool gid;		  /* group IDs (SGID / BGID) */
};

typedef void (*evbd_plugin_fd_cb)(int fd, void *arg);
typedef void (*evbd_plugin_timer_cb)(void *arg);
/* An IPC command of the plugin (`evbctl plugin NAME ARGS...`): write what
 * evbctl prints into out (a NUL-terminated text of at most outlen octets)
 * and return 0, or a positive errno with a sentence in out. */
typedef int (*evbd_plugin_cmd_cb)(void *arg, int argc, const char *const *argv, char *out,
				  size_t outlen);

struct evbd_plugin_ops {
	unsigned abi; /* EVBD_PLUGIN_ABI of the daemon */
	struct evbd *d;

	/* Call cb whenever fd is readable, until fd_del.  NULL on ENOMEM. */
	struct evbd_plugin_fd *(*fd_add)(struct evbd *d, int fd, evbd_plugin_fd_cb cb, void *arg);
	void (*fd_del)(struct evbd_plugin_fd *f); /* NULL ok; does not close fd */

	/* One-shot timers: arm (again) to fire after delay_us; disarm; free. */
	struct evbd_plugin_timer *(*timer_new)(struct evbd *d, evbd_plugin_timer_cb cb, void *arg);
	void (*timer_arm)(struct evbd_plugin_timer *t, uint64_t delay_us);
	void (*timer_disarm)(struct evbd_plugin_timer *t);
	void (*timer_free)(struct evbd_plugin_timer *t); /* NULL ok */

	/* Ports: by interface name or index (NULL when evbd has none). */
	struct evbd_port *(*port_find)(struct evbd *d, const char *ifname);
	struct evbd_port *(*port_find_ifindex)(struct evbd *d, int ifindex);
	void (*port_info)(const struct evbd_port *p, struct evbd_plugin_port_info *info);

	/* Station port: submit a VSI command, as evbctl's requests do (written
	 * to the state database before it returns, sent at the end of the loop
	 * turn).  0, -EOPNOTSUPP (bridge port),
	 * -EINVAL (*reason says why), -ENOENT (De-Associate of an unknown VSI),
	 * -ENOMEM.  vsi_find tells what became of the VSI. */
	int (*vsi_request)(struct evbd_port *p, const struct evbd_vsi_request *r, uint8_t *reason);
	/* Views of VSIs: one by key, or the next of the port's (start with a
	 * zeroed cursor); NULL when there is none (more).  A view stays valid
	 * until the plugin calls vsi_find, vsi_next or vsi_request again, and
	 * at most until it returns to evbd. */
	const struct evbd_vsi_view *(*vsi_find)(struct evbd_port *p, const struct evbd_vsi_key *k);
	const struct evbd_vsi_view *(*vsi_next)(struct evbd_port *p, struct evbd_vsi_cursor *c);
	size_t (*vsi_count)(struct evbd_port *p);

	/* Value of key in the plugin's [plugin NAME] section, NULL if absent.
	 * keys() visits every key of the section (to refuse unknown ones). */
	const char *(*conf_get)(struct evbd *d, const char *plugin, const char *key);
	void (*conf_keys)(struct evbd *d, const char *plugin,
			  void (*visit)(void *arg, const char *key, unsigned line), void *arg);

	void (*log)(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	uint64_t (*now)(void); /* monotonic µs */
	/* Add an IPC command NAME (unique among plugins, [a-z0-9-], <= 31
	 * octets).  `changes`: it changes state, so only root or the admin
	 * group may run it; else anyone may.  0, -EEXIST, -EINVAL, -ENOSPC. */
	int (*ipc_command_add)(struct evbd *d, const char *name, bool changes,
			       evbd_plugin_cmd_cb cb, void *arg);

	/* The EVB MIB (IEEE8021-EVB-MIB), as `evbctl mib` sees it; mib_root is
	 * its subtree (ieee8021BridgeEvbMib).  get: EVBD_MIB_OK or
	 * EVBD_MIB_NO_SUCH_OBJECT / _NO_SUCH_INSTANCE; getnext: EVBD_MIB_OK or
	 * EVBD_MIB_END_OF_VIEW; set: check only (commit false) or check and
	 * apply (persisted), EVBD_MIB_OK or an SNMP error with a sentence in
	 * err.  mib_err_name: SNMP's name of an error ("notWritable"). */
	const struct evbd_oid *mib_root;
	int (*mib_get)(struct evbd *d, const struct evbd_oid *o, struct evbd_mib_value *v);
	int (*mib_getnext)(struct evbd *d, const struct evbd_oid *o, struct evbd_oid *next,
			   struct evbd_mib_value *v);
	int (*mib_set)(struct evbd *d, const struct evbd_oid *o, const struct evbd_mib_value *v,
		       bool commit, char *err, size_t errlen);
	const char *(*mib_err_name)(int err);
	/* evbd's state directory (a plugin may keep files under it). */
	const char *(*state_dir)(struct evbd *d);

	/* ABI 5: whether a peer with these credentials may change state, by
	 * the rule of evbd's own control socket: uid 0, or a member of
	 * evbd.conf's admin-group. */
	bool (*cred_trusted)(struct evbd *d, uint32_t uid, uint32_t gid);

	/* ABI 5: a port's own EVB settings (evbd.conf's [port] keys r, rte,
	 * rwd, rka, reflective-relay, group-id; the EVB TLV fields of 802.1Q
	 * D.2.13), and the LLDP TLVs of the port and of its neighbour.
	 * evb_set applies new settings at once (renegotiated and advertised)
	 * and keeps them in the state database, where they outrank the
	 * [port] section at every start and SIGHUP until set again; the role
	 * cannot change.  Call it only for a peer that cred_trusted admits.
	 * 0, or -EINVAL (out of range, another role) or -EIO (not saved, the
	 * settings unchanged) with a sentence in err.
	 * lldp_tlvs writes the port's LLDPDU (neighbour false) or the
	 * neighbour's as evbd keeps it (chassis ID, port ID, TTL, EVB TLV)
	 * as TLVs with their 2-octet headers (IEEE 802.1AB 8.4), End TLV
	 * included: the octets written, 0 without a neighbour, or -ENOSPC. */
	void (*port_evb_get)(const struct evbd_port *p, struct evbd_evb_settings *s);
	int (*port_evb_set)(struct evbd_port *p, const struct evbd_evb_settings *s, char *err,
			    size_t errlen);
	int (*port_lldp_tlvs)(const struct evbd_port *p, bool neighbour, uint8_t *buf, size_t cap);
};

struct evbd_plugin {
	const char *name; /* as in evbd.conf "plugins = ..." */
	unsigned abi;	  /* EVBD_PLUGIN_ABI the plugin was built with */
	/* Start: 0, or a negative errno after logging a sentence (the plugin is
	 * then skipped and fini is not called).  *state is passed to the rest. */
	int (*init)(const struct evbd_plugin_ops *ops, void **state);
	void (*fini)(void *state);
	/* A VSI's machine step did what v->events says; called before a
	 * removed VSI is freed.  v is valid until the hook returns.  May be NULL. */
	void (*vsi_changed)(void *state, struct evbd_port *p, const struct evbd_vsi_view *v);
	/* A port's interface appeared, vanished, or its link changed.  May be NULL. */
	void (*port_changed)(void *state, struct evbd_port *p);
	/* The port left evbd's configuration (SIGHUP re-read an evbd.conf that
	 * no longer names it) and is freed when the hook returns: after it p is
	 * invalid, so the plugin drops everything it keeps for p and undoes what
	 * it did for it.  port_changed has told just before that the interface
	 * vanished (present false).  During the hook port_info, vsi_find,
	 * vsi_next and vsi_count still work on p (its VSIs stay in evbd's state
	 * database and come back if the port is configured again, as a new
	 * struct evbd_port); port_find and port_find_ifindex no longer return
	 * it; vsi_request must not be called on it.  May be NULL. */
	void (*port_removed)(void *state, struct evbd_port *p);
};

#endif
