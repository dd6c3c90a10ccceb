/*
 * cli/cmd_gen.c — `mmulab gen --seed N [--steps M]`: a random scenario.
 *
 * Differential testing: the scenario carries no expectations; `mmulab
 * compare` runs it on ref and on every target and any difference is a bug
 * in a backend, the sim, or ref.  The same seed always gives the same file.
 *
 * What it draws: a paging mode and MAXPHYADDR, the control bits that
 * change permissions (CR0.WP, SMEP, SMAP, NXE, PKE and PKRU), a set of
 * mappings of every page size the mode allows with random leaf flags and
 * keys, a logged memslot, and steps: accesses of every kind, size, CPL and
 * AC to mapped and unmapped addresses, INVLPGs, CPL/AC/PKRU changes,
 * host-side writes of guest memory, dirty-log reads, and host reclaims and
 * migrations.  Guest tables and data never share a page, so no access
 * depends on TLB contents the architecture leaves undefined.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/gen_rng.h"

#define DATA_BASE 0x1000000ULL    /* data pages start at 16M, tables live below 1M */
#define MAIN_SLOT_SIZE (2ULL << 30)
#define LOG_SLOT_BASE (4ULL << 30)
#define LOG_SLOT_SIZE (4ULL << 20)
#define MAX_MAPS 24

struct gen_map {
	uint64_t va;      /* first byte */
	uint64_t size;    /* page size */
};

struct gen {
	struct rng rng;
	const char *paging;        /* layout name */
	bool long_mode;            /* 4- or 5-level */
	bool pae_format;           /* 8-byte entries (nx exists) */
	unsigned maxphyaddr;
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

static void gen_maps(struct gen *g)
{
	uint64_t next_gpa = DATA_BASE;
	unsigned i, n = 6 + rng_below(&g->rng, MAX_MAPS - 6);

	printf("  <page-tables name=\"pt\" paging=\"%s\" root=\"0x1000\" pool=\"0x2000-0x100000\">\n",
	       g->paging);
	for (i = 0; i < n; i++) {
		uint64_t size = pick_size(g), gpa;

		if (size == (1ULL << 30) && next_gpa + size > MAIN_SLOT_SIZE)
			size = 2ULL << 20;
		next_gpa = (next_gpa + size - 1) & ~(size - 1);
		gpa = next_gpa;
		next_gpa += size;
		/* 32-bit 4K pages must lie below 4 GiB; the main slot is below 2G anyway. */
		g->maps[i].size = size;
		g->maps[i].va = pick_va(g, i, size);
		printf("    <map va=\"0x%" PRIx64 "\" gpa=\"0x%" PRIx64 "\" size=\"%s\"",
		       g->maps[i].va, gpa, size == 4096 ? "4K" : size == (2ULL << 20) ? "2M" :
		       size == (4ULL << 20) ? "4M" : "1G");
		print_flags(g);
		if (g->long_mode && rng_below(&g->rng, 3) == 0)
			printf(" pkey=\"%u\"", rng_below(&g->rng, 16));
		printf("/>\n");
	}
	g->nr_maps = n;
	printf("  </page-tables>\n");
}

static void gen_vcpu(struct gen *g)
{
	printf("  <vcpu id=\"0\" paging=\"%s\" page-tables=\"pt\" wp=\"%s\" smep=\"%s\" smap=\"%s\"",
	       g->paging, rng_bool(&g->rng) ? "true" : "false",
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

static void gen_access(struct gen *g)
{
	static const char *const kinds[] = { "read", "write", "fetch" };
	unsigned size = 1u << rng_below(&g->rng, 4);
	const char *kind = kinds[rng_below(&g->rng, 3)];

	printf("    <%s va=\"0x%" PRIx64 "\" size=\"%u\"", kind, pick_access_va(g, size), size);
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

static void gen_step(struct gen *g)
{
	unsigned r = rng_below(&g->rng, 100);
	uint64_t page = LOG_SLOT_BASE + rng_below(&g->rng, LOG_SLOT_SIZE >> 12) * 4096;

	if (r < 70)
		gen_access(g);
	else if (r < 75)
		printf("    <invlpg va=\"0x%" PRIx64 "\"/>\n", pick_access_va(g, 8));
	else if (r < 80)
		printf("    <set reg=\"cpl\" value=\"%u\"/>\n", rng_bool(&g->rng) ? 3 : 0);
	else if (r < 84)
		printf("    <set reg=\"ac\" value=\"%u\"/>\n", rng_bool(&g->rng));
	else if (r < 87 && g->long_mode)
		printf("    <set reg=\"pkru\" value=\"0x%x\"/>\n", (unsigned)(rng_next(&g->rng) & 0xffffffffu));
	else if (r < 90)
		printf("    <write-gpa gpa=\"0x%" PRIx64 "\" value=\"0x%" PRIx64 "\"/>\n", page,
		       rng_next(&g->rng));
	else if (r < 96)
		printf("    <get-dirty-log slot=\"1\"/>\n");
	else
		printf("    <host-change gpa=\"0x%" PRIx64 "\" size=\"4K\" change=\"%s\"/>\n",
		       page, rng_bool(&g->rng) ? "reclaim" : "remap");
}

static void gen_scenario(uint64_t seed, unsigned steps)
{
	struct gen g = { .rng = rng_seed(seed) };
	unsigned i;

	g.paging = pagings[rng_below(&g.rng, 5)];
	g.long_mode = g.paging[0] == '4' || g.paging[0] == '5';
	g.pae_format = g.long_mode || !strcmp(g.paging, "pae");
	g.maxphyaddr = g.long_mode ? 40 + rng_below(&g.rng, 13) : 36 + rng_below(&g.rng, 5);
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<!-- generated by: mmulab gen --seed %" PRIu64 " --steps %u -->\n"
	       "<scenario name=\"gen-%" PRIu64 "\">\n"
	       "  <vm maxphyaddr=\"%u\">\n"
	       "    <memslot id=\"0\" base=\"0\" size=\"2G\"/>\n"
	       "    <memslot id=\"1\" base=\"0x%llx\" size=\"4M\" flags=\"dirty-log\"/>\n"
	       "  </vm>\n", seed, steps, seed, g.maxphyaddr, LOG_SLOT_BASE);
	gen_maps(&g);
	gen_vcpu(&g);
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
