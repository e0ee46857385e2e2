/*
 * fuzz_evbd_ipc.c - libFuzzer target for the control socket's receive path:
 * arbitrary datagrams (with or without credentials, as root or not) into
 * evbd/ipc.c's handle_datagram, against a station and a bridge port, with
 * waiters answered, ports removed and bridges' timers run in between.
 * Input: [flags:1][datagram...]; flags bit 0 credentials, 1 non-root uid,
 * 2 non-root gid, 3 run the station's timers, 4 remove the station port.
 * The EVB MIB (evbd/mib.c) is served over the two ports: walks, gets and
 * sets (kept in a fake meta table of one entry).
 */
#include "evbd/evbd.c"
#include "evbd/ipc.c"
#include "evbd/ipc_admin.c"
#include "evbd/ipc_msg.c"
#include "evbd/ipc_vsi.c"
#include "evbd/mib.c"
#include "evbd/policy.c"
#include "evbd/vsitype.c"
#include "vdp/eth.h"

static uint64_t NOW = 1;
uint64_t evbd_now(void)
{
	return NOW;
}
void evbd_port_kick(struct evbd_port *p)
{
	(void)p;
}
int store_meta_get(struct evbd_store *s, const char *key, char *buf, size_t len)
{
	(void)s, (void)key, (void)buf, (void)len;
	return -ENOENT;
}
int store_meta_put(struct evbd_store *s, const char *key, const char *value)
{
	(void)s, (void)key, (void)value;
	return 0;
}
void port_reconfigure(struct evbd_port *p, const struct port_conf *pc)
{
	p->conf = *pc;
}
void log_msg(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}
/* No plugin is loaded here: one fake command, "fz", that needs admin. */
int plugins_command(struct evbd *d, const char *name, bool *changes, char *out, size_t outlen)
{
	(void)d;
	*changes = true;
	if (!strcmp(name, "fz"))
		return -1;
	snprintf(out, outlen, "no plugin offers '%s'", name);
	return name[0] ? ENOENT : 0;
}
int plugins_command_run(struct evbd *d, const char *name, int argc, const char *const *argv,
			char *out, size_t outlen)
{
	(void)d;
	(void)name;
	size_t off = 0;
	out[0] = 0;
	for (int i = 0; i < argc && off < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s ", argv[i]);
	return 0;
}
int port_vsi_request(struct evbd_port *p, const struct vdp_request *r, struct vdp_vsi **vp,
		     uint8_t *reason)
{
	return vdp_port_request(&p->vdp, r, NOW, vp, reason);
}
static void chg(void *ctx, struct vdp_port *vp, struct vdp_vsi *v, const struct vdp_sm_out *out)
{
	(void)vp;
	struct evbd_port *p = ctx;
	ipc_vsi_changed(p->d->ipc, p, v, out);
}
static const struct vdp_port_ops ops = {.vsi_changed = chg};
static struct evbd D;
static struct evbd_port *PS[2];
static struct evbd_ipc *IPC;

static void setup(void)
{
	D.base = event_base_new();
	for (int i = 0; i < 2; i++) {
		PS[i] = calloc(1, sizeof(*PS[i]));
		PS[i]->d = &D;
		snprintf(PS[i]->ifname, 16, i ? "br0" : "st0");
		uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)i};
		vdp_port_init(&PS[i]->vdp, i ? EVB_ROLE_BRIDGE : EVB_ROLE_STATION, mac, &ops, PS[i],
			      1);
		PS[i]->lldp.nbr.valid = true;
		PS[i]->lldp.nbr.chassis.len = 255;
	}
	struct evb_oper o = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14};
	vdp_port_start(&PS[0]->vdp, &o, NOW);
	D.ports = PS;
	D.nports = 2;
	vsitype_db_open(NULL, &D.types); /* the VSI type requests too */
	evbd_mib_open(&D);
	IPC = calloc(1, sizeof(*IPC));
	IPC->d = &D;
	IPC->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, NETLINK_USERSOCK);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	bind(IPC->fd, (struct sockaddr *)&sa, sizeof(sa));
	IPC->retry_ev = evtimer_new(D.base, on_retry, IPC);
	IPC->retry_us = IPC_RETRY_MIN_US;
	D.ipc = IPC;
	snprintf(D.conf.admin_group, sizeof(D.conf.admin_group), "nogroup");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!IPC)
		setup();
	if (size < 1 || size > sizeof(IPC->rbuf))
		return 0;
	NOW += 1000;
	memcpy(IPC->rbuf, data + 1, size - 1);
	struct evb_ipc_from from = {
	    .sa = {.nl_family = AF_NETLINK, .nl_pid = 4242},
	    .salen = sizeof(struct sockaddr_nl),
	    .has_cred = data[0] & 1,
	    .cred = {.pid = 1, .uid = (data[0] & 2) ? 65534 : 0, .gid = (data[0] & 4) ? 65534 : 0}};
	handle_datagram(IPC, &from, size - 1);
	if (data[0] & 8) /* a bridge answer of some kind for waiters */
		vdp_port_run(&PS[0]->vdp, NOW += 5000000);
	if (data[0] & 16)
		ipc_port_removed(IPC, PS[0]);
	if (PS[0]->vdp.vsis.count > 5000) {
		ipc_port_removed(IPC, PS[0]);
		vdp_port_free(&PS[0]->vdp);
		vdp_port_init(&PS[0]->vdp, EVB_ROLE_STATION, PS[0]->mac, &ops, PS[0], 1);
	}
	return 0;
}
