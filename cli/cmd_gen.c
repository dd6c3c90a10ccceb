/*
 * cli/cmd_gen.c — `mmulab gen --seed N [--steps M]`: a random scenario.
 *
 * Differential testing: the scenario carries no expectations; `mmulab
 * compare` runs it on ref and on every target and any difference is a bug
 * in a backend, the sim, or ref.  The same seed always gives the same file.
 *
 * What it draws: a paging mode and MAXPHYADDR; two vCPUs on one set of
 * tables with their own CR0.WP, SMEP, SMAP, NXE, PKE and PKRU; mappings of
 * every page size the mode allows, with random leaf flags and keys, into
 * a main memslot, a dirty-logged memslot (4K- or 2M-backed) and an MMIO
 * range; and steps: accesses of every kind, size, CPL and AC to mapped and
 * unmapped addresses, reads on both vCPUs at once, INVLPGs, CPL/AC/PKRU
 * changes, host-side writes, dirty-log reads and clears, logging switched
 * off and on, and host reclaims, migrations and read-only marks of mapped
 * pages.  Guest tables and data never share a page, so no access depends
 * on TLB contents the architecture leaves undefined.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/gen_rng.h"

#define DATA_BASE 0x1000000ULL    /* data pages start at 16M, tables live below 1M */
#define LOG_SLOT_BASE 0xc0000000ULL /* below 4G: 32-bit paging reaches it */
#define LOG_SLOT_SIZE (8ULL << 20)
#define MMIO_BASE 0xc1000000ULL
#define MMIO_SIZE 0x10000ULL
#define MAX_MAPS 24
#define NR_VCPUS 2

struct gen_map {
	uint64_t va;      /* first byte */
	uint64_t gpa;     /* where it maps */
	uint64_t size;    /* page size */
	bool in_ram;      /* in a memslot (not the MMIO range) */
};

struct gen {
	struct rng rng;
	const char *paging;        /* layout name */
	bool long_mode;            /* 4- or 5-level */
	bool pae_format;           /* 8-byte entries (nx exists) */
	unsigned maxphyaddr;
	bool log_huge;             /* the logged slot is 2M-backed */
	bool logging;              /* the logged slot logs now */
	uint64_t next_main;        /* next free gpa in the main slot (below 1G) */
	uint64_t next_log;         /* next free gpa in the logged slot */
	uint64_t next_mmio;        /* next free gpa in the MMIO range */
	bool used_1g;              /* the one 1G page (at gpa 1G) is taken */
	struct gen_map maps[MAX_MAPS];
	unsigned nr_maps;
};

static const char *const pagings[] = { "32-bit", "32-bit-pse", "pae", "4-level", "5-level" };

static uint64_t pick_size(struct gen *g)
{
	unsigned r = rng_below(&g->rng, 10);

	if (r < 6)
		return 4096;
	if (!strcmp(g->paging, "32-bit"))
		return 4096;
	if (!strcmp(g->paging, "32-bit-pse"))
		return 4ULL << 20;
	if (g->long_mode && r == 9)
		return 1ULL << 30;
	return 2ULL << 20;
}

/* A canonical va for map i: 4M slots low, 1G slots above them, some in the upper half. */
static uint64_t pick_va(struct gen *g, unsigned i, uint64_t size)
{
	uint64_t va;

	if (size == (1ULL << 30))
		va = (uint64_t)(i + 1) << 30;
	else
		va = ((uint64_t)(i + 1) << 22) + rng_below(&g->rng, (uint32_t)((4ULL << 20) / size)) * size;
	if (g->long_mode && rng_below(&g->rng, 4) == 0)
		va |= !strcmp(g->paging, "5-level") ? 0xff00000000000000ULL : 0xffff800000000000ULL;
	return va;
}

static void print_flags(struct gen *g)
{
	static const char *const names[] = { "w", "u", "a", "d", "g" };
	unsigned i;

	printf(" flags=\"");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (rng_below(&g->rng, 2))
			printf("%s ", names[i]);
	if (g->pae_format && rng_below(&g->rng, 3) == 0)
		printf("nx");
	printf("\"");
}

/* Take `size` bytes, aligned, from [*next, end); false if they do not fit. */
static bool take(uint64_t *next, uint64_t end, uint64_t size, uint64_t *gpa)
{
	uint64_t at = (*next + size - 1) & ~(size - 1);

	if (at + size > end)
		return false;
	*gpa = at;
	*next = at + size;
	return true;
}

/*
 * Where a map goes: the MMIO range (4K only), the logged slot, or the main
 * slot — small pages below 1G, and at most one 1G page, at gpa 1G.
 */
static void place(struct gen *g, struct gen_map *m)
{
	unsigned r = rng_below(&g->rng, 10);

	m->in_ram = true;
	if (m->size == 4096 && r == 0 && take(&g->next_mmio, MMIO_BASE + MMIO_SIZE, 4096, &m->gpa)) {
		m->in_ram = false;
		return;
	}
	if (m->size <= (2ULL << 20) && r < 4 &&
	    take(&g->next_log, LOG_SLOT_BASE + LOG_SLOT_SIZE, m->size, &m->gpa))
		return;
	if (m->size == (1ULL << 30)) {
		if (!g->used_1g) {
			g->used_1g = true;
			m->gpa = 1ULL << 30;
			return;
		}
		m->size = 2ULL << 20;
	}
	take(&g->next_main, 1ULL << 30, m->size, &m->gpa);
}

static void gen_maps(struct gen *g)
{
	unsigned i, n = 6 + rng_below(&g->rng, MAX_MAPS - 6);

	printf("  <page-tables name=\"pt\" paging=\"%s\" root=\"0x1000\" pool=\"0x2000-0x100000\">\n",
	       g->paging);
	for (i = 0; i < n; i++) {
		struct gen_map *m = &g->maps[i];

		m->size = pick_size(g);
		place(g, m);
		m->va = pick_va(g, i, m->size);
		printf("    <map va=\"0x%" PRIx64 "\" gpa=\"0x%" PRIx64 "\" size=\"%s\"",
		       m->va, m->gpa, m->size == 4096 ? "4K" : m->size == (2ULL << 20) ? "2M" :
		       m->size == (4ULL << 20) ? "4M" : "1G");
		print_flags(g);
		if (g->long_mode && rng_below(&g->rng, 3) == 0)
			printf(" pkey=\"%u\"", rng_below(&g->rng, 16));
		printf("/>\n");
	}
	g->nr_maps = n;
	printf("  </page-tables>\n");
}

static void gen_vcpu(struct gen *g, unsigned id)
{
	printf("  <vcpu id=\"%u\" paging=\"%s\" page-tables=\"pt\" wp=\"%s\" smep=\"%s\" smap=\"%s\"",
	       id, g->paging, rng_bool(&g->rng) ? "true" : "false",
	       rng_bool(&g->rng) ? "true" : "false", rng_bool(&g->rng) ? "true" : "false");
	if (g->pae_format)
		printf(" nxe=\"%s\"", rng_bool(&g->rng) ? "true" : "false");
	if (g->long_mode && rng_bool(&g->rng))
		printf(" pke=\"true\" pkru=\"0x%x\"", (unsigned)(rng_next(&g->rng) & 0xffffffffu));
	printf("/>\n");
}

/* An address to access: inside a map (most of the time) or in an unmapped hole. */
static uint64_t pick_access_va(struct gen *g, unsigned size)
{
	const struct gen_map *m = &g->maps[rng_below(&g->rng, g->nr_maps)];
	uint64_t off;

	if (rng_below(&g->rng, 8) == 0)
		return (m->va + m->size + 0x1000) & ~(uint64_t)(size - 1);
	off = rng_below(&g->rng, (uint32_t)(m->size < (1ULL << 24) ? m->size : (1ULL << 24)));
	return (m->va + off) & ~(uint64_t)(size - 1);
}

static void print_access(struct gen *g, const char *kind, unsigned vcpu, bool in_thread)
{
	unsigned size = 1u << rng_below(&g->rng, 4);

	printf("    %s<%s va=\"0x%" PRIx64 "\" size=\"%u\"", in_thread ? "    " : "", kind,
	       pick_access_va(g, size), size);
	if (!in_thread && vcpu)
		printf(" vcpu=\"%u\"", vcpu);
	if (rng_bool(&g->rng))
		printf(" cpl=\"3\"");
	if (rng_below(&g->rng, 4) == 0)
		printf(" ac=\"%s\"", rng_bool(&g->rng) ? "true" : "false");
	if (rng_below(&g->rng, 10) == 0)
		printf(" implicit=\"true\"");
	if (kind[0] == 'w')
		printf(" value=\"0x%" PRIx64 "\"", rng_next(&g->rng) &
		       (size == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * size)) - 1));
	printf("/>\n");
}

static void gen_access(struct gen *g)
{
	static const char *const kinds[] = { "read", "write", "fetch" };

	print_access(g, kinds[rng_below(&g->rng, 3)], rng_below(&g->rng, NR_VCPUS), false);
}

/*
 * Both vCPUs at once.  Reads and fetches only: their results cannot depend
 * on the interleaving (A bits set twice are set once).
 */
static void gen_threads(struct gen *g)
{
	unsigned v, i;

	printf("    <threads>\n");
	for (v = 0; v < NR_VCPUS; v++) {
		printf("      <thread vcpu=\"%u\">\n", v);
		for (i = 0; i < 4; i++)
			print_access(g, rng_bool(&g->rng) ? "read" : "fetch", v, true);
		printf("      </thread>\n");
	}
	printf("    </threads>\n");
}

/* A host change of a mapped RAM page (the whole host page when it is huge-backed). */
static void gen_host_change(struct gen *g)
{
	static const char *const changes[] = { "reclaim", "remap", "readonly" };
	const struct gen_map *m = &g->maps[rng_below(&g->rng, g->nr_maps)];
	bool in_log = m->gpa >= LOG_SLOT_BASE;
	uint64_t unit = in_log && g->log_huge ? (2ULL << 20) : 4096;
	uint64_t off = m->size > unit ? rng_below(&g->rng, (uint32_t)(m->size / unit)) * unit : 0;

	if (!m->in_ram)
		return;
	printf("    <host-change gpa=\"0x%" PRIx64 "\" size=\"%s\" change=\"%s\"/>\n",
	       (m->gpa + off) & ~(unit - 1), unit == 4096 ? "4K" : "2M",
	       changes[rng_below(&g->rng, 3)]);
}

static void gen_dirty_step(struct gen *g)
{
	unsigned r = rng_below(&g->rng, 10);

	if (r < 2) {
		g->logging = !g->logging;
		printf("    <memslot-flags id=\"1\" flags=\"%s\"/>\n", g->logging ? "dirty-log" : "");
	} else if (!g->logging) {
		return;
	} else if (r < 4) {
		uint64_t first = rng_below(&g->rng, LOG_SLOT_SIZE >> 12);

		printf("    <clear-dirty-log slot=\"1\" first=\"%" PRIu64 "\" count=\"%u\"/>\n",
		       first, 1 + rng_below(&g->rng, (uint32_t)((LOG_SLOT_SIZE >> 12) - first)));
	} else {
		printf("    <get-dirty-log slot=\"1\"/>\n");
	}
}

static void gen_step(struct gen *g)
{
	unsigned r = rng_below(&g->rng, 100);
	uint64_t page = LOG_SLOT_BASE + rng_below(&g->rng, LOG_SLOT_SIZE >> 12) * 4096;

	if (r < 65)
		gen_access(g);
	else if (r < 69)
		gen_threads(g);
	else if (r < 73)
		printf("    <invlpg va=\"0x%" PRIx64 "\" vcpu=\"%u\"/>\n", pick_access_va(g, 8),
		       rng_below(&g->rng, NR_VCPUS));
	else if (r < 77)
		printf("    <set vcpu=\"%u\" reg=\"cpl\" value=\"%u\"/>\n",
		       rng_below(&g->rng, NR_VCPUS), rng_bool(&g->rng) ? 3 : 0);
	else if (r < 80)
		printf("    <set vcpu=\"%u\" reg=\"ac\" value=\"%u\"/>\n",
		       rng_below(&g->rng, NR_VCPUS), rng_bool(&g->rng));
	else if (r < 83 && g->long_mode)
		printf("    <set vcpu=\"%u\" reg=\"pkru\" value=\"0x%x\"/>\n",
		       rng_below(&g->rng, NR_VCPUS), (unsigned)(rng_next(&g->rng) & 0xffffffffu));
	else if (r < 86)
		printf("    <write-gpa gpa=\"0x%" PRIx64 "\" value=\"0x%" PRIx64 "\"/>\n", page,
		       rng_next(&g->rng));
	else if (r < 95)
		gen_dirty_step(g);
	else
		gen_host_change(g);
}

static void gen_scenario(uint64_t seed, unsigned steps)
{
	struct gen g = { .rng = rng_seed(seed), .next_main = DATA_BASE,
			 .next_log = LOG_SLOT_BASE, .next_mmio = MMIO_BASE, .logging = true };
	unsigned i;

	g.paging = pagings[rng_below(&g.rng, 5)];
	g.long_mode = g.paging[0] == '4' || g.paging[0] == '5';
	g.pae_format = g.long_mode || !strcmp(g.paging, "pae");
	g.maxphyaddr = g.long_mode ? 40 + rng_below(&g.rng, 13) : 36 + rng_below(&g.rng, 5);
	g.log_huge = rng_bool(&g.rng);
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<!-- generated by: mmulab gen, seed %" PRIu64 ", %u steps -->\n"
	       "<scenario name=\"gen-%" PRIu64 "\">\n"
	       "  <vm maxphyaddr=\"%u\">\n"
	       "    <memslot id=\"0\" base=\"0\" size=\"2G\"/>\n"
	       "    <memslot id=\"1\" base=\"0x%" PRIx64 "\" size=\"8M\" flags=\"dirty-log\""
	       " backing=\"%s\"/>\n"
	       "    <mmio base=\"0x%" PRIx64 "\" size=\"0x%" PRIx64 "\"/>\n"
	       "  </vm>\n", seed, steps, seed, g.maxphyaddr, (uint64_t)LOG_SLOT_BASE,
	       g.log_huge ? "2M" : "4K", (uint64_t)MMIO_BASE, (uint64_t)MMIO_SIZE);
	gen_maps(&g);
	for (i = 0; i < NR_VCPUS; i++)
		gen_vcpu(&g, i);
	printf("  <steps>\n");
	for (i = 0; i < steps; i++)
		gen_step(&g);
	printf("  </steps>\n</scenario>\n");
}

int cmd_gen(int argc, char **argv)
{
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "steps", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 1;
	unsigned steps = 60;
	char *end;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:n:h", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			if (*end) {
				fprintf(stderr, "mmulab gen: --seed wants a number, got '%s'\n", optarg);
				return EXIT_INVALID;
			}
			break;
		case 'n':
			steps = (unsigned)strtoul(optarg, &end, 0);
			if (*end || !steps || steps > 100000) {
				fprintf(stderr, "mmulab gen: --steps wants 1..100000, got '%s'\n", optarg);
				return EXIT_INVALID;
			}
			break;
		case 'h':
			printf("usage: mmulab gen [--seed N] [--steps M]\n\n"
			       "Prints a random scenario (no expectations) for differential testing:\n"
			       "  mmulab gen --seed 7 > /tmp/g.xml && mmulab compare /tmp/g.xml\n"
			       "The same seed always gives the same scenario.\n");
			return 0;
		default:
			return EXIT_INVALID;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: mmulab gen [--seed N] [--steps M]\n");
		return EXIT_INVALID;
	}
	gen_scenario(seed, steps);
	return 0;
}
