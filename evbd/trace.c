/* SPDX-License-Identifier: ISC */
/*
 * trace.c - pcap trace of every frame sent and received (see trace.h).
 */
#include "evbd/trace.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <sys/time.h>

#include "evbd/log.h"

struct evbd_trace {
	pcap_t *dead;
	pcap_dumper_t *dump;
};

struct evbd_trace *trace_open(const char *path)
{
	struct evbd_trace *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->dead = pcap_open_dead(DLT_EN10MB, 65535);
	t->dump = t->dead ? pcap_dump_open(t->dead, path) : NULL;
	if (!t->dump) {
		log_err("cannot write the trace file %s: %s", path,
			t->dead ? pcap_geterr(t->dead) : "out of memory");
		trace_close(t);
		return NULL;
	}
	return t;
}

void trace_frame(struct evbd_trace *t, const uint8_t *frame, size_t len)
{
	if (!t)
		return;
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len};
	gettimeofday(&h.ts, NULL);
	pcap_dump((u_char *)t->dump, &h, frame);
}

void trace_flush(struct evbd_trace *t)
{
	if (t)
		pcap_dump_flush(t->dump);
}

void trace_close(struct evbd_trace *t)
{
	if (!t)
		return;
	if (t->dump)
		pcap_dump_close(t->dump);
	if (t->dead)
		pcap_close(t->dead);
	free(t);
}
