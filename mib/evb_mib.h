/* SPDX-License-Identifier: ISC */
/*
 * evb_mib.h - the IEEE8021-EVB-MIB (802.1Q clause 17, 12.26) as a mib_tree over
 * a source of EVB state: the Sys scalars, SbpTable (bridge ports), URPTable
 * (station ports), EcpTable, VSIDBTable and VSIDBMacTable.  The source (evbd,
 * or a test) answers through struct mib_evb_ops; rows are read from its live
 * tables on each request.  Depends on libc and the vdp/ structures only.
 *
 * Numbering: one component (ID 1); ports are numbered by the source
 * (evbd: 1.. in configuration order).  The UAP and CAP S-channel tables
 * (S-channels negotiated by CDCP, vdp/cdcp.h) are read-only, their CAP
 * columns 4, 6 and 7 not served (an S-channel is no port of its own yet).
 * Not served: the deprecated Sys objects 6, 8 and 9, whose units the MIB
 * leaves open.
 */
#ifndef MIB_EVB_MIB_H
#define MIB_EVB_MIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mib/tree.h"
#include "vdp/cdcp.h"
#include "vdp/vsi.h"

#define MIB_EVB_ROOT	 1, 3, 111, 2, 802, 1, 1, 24 /* ieee8021BridgeEvbMib */
#define MIB_EVB_ROOT_LEN 8
extern const uint32_t mib_evb_root[MIB_EVB_ROOT_LEN];

/* The writable system defaults (Sys scalars). */
enum mib_evb_knob {
	MIB_EVB_LLDP_MANUAL = 0, /* SysEvbLldpManual (0/1) */
	MIB_EVB_ECP_MAX_RETRIES, /* SysEcpMaxRetries, R */
	MIB_EVB_ACK_TIMER_EXP,	 /* SysEcpDfltAckTimerExp, RTE */
	MIB_EVB_RWD_EXP,	 /* SysVdpDfltRsrcWaitDelayExp, RWD */
	MIB_EVB_RKA_EXP,	 /* SysVdpDfltReinitKeepAliveExp, RKA */
	MIB_EVB_KNOBS
};

struct mib_evb_sys {
	bool bridge;	 /* SysType: evbBridge(1) or evbStation(2) */
	uint32_t nports; /* SysNumExternalPorts */
	bool gid;	 /* SysEvbLldpGidCapable */
	int32_t knob[MIB_EVB_KNOBS];
	uint64_t start_us; /* when the source started (monotonic µs) */
	uint64_t now_us;   /* monotonic µs now */
};

/* One port (a row of SbpTable, URPTable and EcpTable). */
struct mib_evb_port {
	uint32_t num; /* port number, 1.. */
	int ifindex;  /* 0 while the interface does not exist */
	bool bridge;
	bool manual;				   /* LldpManual */
	uint8_t r, rte, rwd, rka;		   /* operating values */
	uint64_t rwd_us, rka_us;		   /* resourceWaitDelay, reinitKeepAlive */
	uint64_t tout_ka_us, resp_wait_us, ack_us; /* toutKeepAlive, respWaitDelay, ackTimer */
	uint32_t tx_frames, tx_retries, tx_failures, rx_frames; /* ECP */
};

/* One port that runs CDCP (a row of UAPConfigTable; its S-channels the
 * rows of CAPConfigTable). */
struct mib_evb_uap {
	uint32_t num; /* port number, 1.. */
	int ifindex;  /* 0 while the interface does not exist */
	bool station; /* CDCP role S; else B */
	uint16_t admin_chncap, oper_chncap;
	uint16_t pool_low, pool_high; /* bridge; 0 on a station */
	bool running;		      /* link up and the neighbour's CDCP TLV in force */
	bool remote;		      /* the neighbour's CDCP TLV is in force */
	bool remote_station;	      /* its role */
	uint16_t nchan;
	const struct cdcp_chan *chan; /* by SCID; valid until the next call into the source */
};

struct mib_evb_ops {
	void (*sys)(void *src, struct mib_evb_sys *out);
	/* The first port numbered above `after` (0: the first).  false: none. */
	bool (*port_next)(void *src, uint32_t after, struct mib_evb_port *out);
	/* The keys of port num's VSIs sorted by (VSIID format, VSIID), valid
	 * until the next call into the source; returns the count.  An index
	 * that may lag the table briefly: a key whose VSI is gone is skipped
	 * (vsi_find says NULL), a VSI added since may be missed by get-next. */
	size_t (*vsi_keys)(void *src, uint32_t num, const struct vdp_vsi_key **sorted);
	/* Port num's VSI with this key, or NULL. */
	const struct vdp_vsi *(*vsi_find)(void *src, uint32_t num, const struct vdp_vsi_key *k);
	/* Writes: check (commit false) or apply and persist.  MIB_OK or an
	 * SNMP error with a sentence in err. */
	int (*set_knob)(void *src, enum mib_evb_knob k, int32_t v, bool commit, char *err,
			size_t errlen);
	int (*set_port_manual)(void *src, uint32_t num, bool manual, bool commit, char *err,
			       size_t errlen);
	/* The first port running CDCP numbered above `after`.  false: none.
	 * May be NULL (no S-channels). */
	bool (*uap_next)(void *src, uint32_t after, struct mib_evb_uap *out);
};

struct mib_evb_src {
	const struct mib_evb_ops *ops;
	void *src;
};

struct mib_evb {
	struct mib_tree tree;
	struct mib_evb_src src; /* the tree's argument */
};

/* Build the tree over ops/src.  0 or -ENOMEM. */
int mib_evb_init(struct mib_evb *m, const struct mib_evb_ops *ops, void *src);
void mib_evb_free(struct mib_evb *m);

/* The names and types only, over an empty source (no ports, no VSIs):
 * for printing what a daemon sent (evbctl). */
int mib_evb_names(struct mib_evb *m);

/* TruthValue of the MIB. */
#define MIB_TRUE  1
#define MIB_FALSE 2

#endif
