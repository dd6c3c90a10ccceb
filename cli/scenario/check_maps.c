/*
 * cli/scenario/check_maps.c — the maps of one <page-tables> against each
 * other, so that building the tables (core/x86/ptbuild.c) cannot fail once
 * the scenario is accepted:
 *   - every page a map points to is guest memory (now, or once a step
 *     creates or moves a memslot there), or holds an MMIO range;
 *   - no two maps cover the same va (ptbuild: MMU_ECONFLICT);
 *   - maps that share a non-leaf entry ask for the same table-flags
 *     (ptbuild: an existing table granting other rights is a conflict);
 *   - the pool holds every table the maps need (ptbuild: MMU_ENOMEM);
 *   - no map meets the linear range its layout's paging mode reserves for
 *     the kmod executor's guest (check_rsv.c).
 * Maps are sorted by va once; each rule is then one pass, because maps
 * sharing a table entry, or overlapping, are neighbours in va order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario/loader.h"
#include "core/x86/bits.h"

static int cmp_va(const void *a, const void *b)
{
	const struct scn_mapping *x = *(const struct scn_mapping *const *)a;
	const struct scn_mapping *y = *(const struct scn_mapping *const *)b;

	if (x->va != y->va)
		return x->va < y->va ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static uint64_t map_size(const struct scn_page_tables *pt, const struct scn_mapping *m)
{
	return pt->fmt->level[m->level].page_size;
}

/* The paging mode whose vCPUs walk a layout (a 32-bit-pse vCPU is in 32-bit paging). */
static enum paging_mode layout_mode(const struct pt_format *fmt)
{
	if (fmt == &pt_format_pae)
		return PAGING_PAE;
	if (fmt == &pt_format_4level)
		return PAGING_4LEVEL;
	if (fmt == &pt_format_5level)
		return PAGING_5LEVEL;
	return PAGING_32;
}

static const char *size_name(uint64_t size)
{
	return size == PAGE_SIZE_4K ? "4K" : size == PAGE_SIZE_2M ? "2M" :
	       size == PAGE_SIZE_4M ? "4M" : "1G";
}

/* Of two maps, the one written later (reported) and the earlier (named). */
static void later_first(const struct scn_mapping **a, const struct scn_mapping **b)
{
	if ((*a)->line < (*b)->line) {
		const struct scn_mapping *t = *a;

		*a = *b;
		*b = t;
	}
}

/* No va covered twice: compare each map with the one reaching furthest so far. */
static bool check_overlaps(struct scn_loader *ld, const struct scn_page_tables *pt,
			   const struct scn_mapping **sorted)
{
	const struct scn_mapping *far = NULL, *a, *b;
	uint64_t far_last = 0;
	bool ok = true;
	unsigned i;

	for (i = 0; i < pt->nr_maps; i++) {
		const struct scn_mapping *m = sorted[i];
		uint64_t last = m->va + map_size(pt, m) - 1;

		if (far && m->va <= far_last) {
			a = m;
			b = far;
			later_first(&a, &b);
			if (a->va == b->va)
				scn_error(ld, a->line, "va 0x%llx is mapped twice in page-tables \"%s\" "
					  "(expected one map per va; the other is at line %d)",
					  (unsigned long long)a->va, pt->name, b->line);
			else
				scn_error(ld, a->line, "the %s map of va 0x%llx overlaps the %s map of va "
					  "0x%llx at line %d (expected each va mapped once)",
					  size_name(map_size(pt, a)), (unsigned long long)a->va,
					  size_name(map_size(pt, b)), (unsigned long long)b->va, b->line);
			ok = false;
		}
		if (!far || last > far_last) {
			far = m;
			far_last = last;
		}
	}
	return ok;
}

/* table-flags as written: "w u", "w", "u nx", ... */
static void describe_table_acc(unsigned acc, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", acc & ACC_WRITE ? "w " : "", acc & ACC_USER ? "u " : "",
		 acc & ACC_EXEC ? "" : "nx ");
	if (buf[0])
		buf[strlen(buf) - 1] = '\0';
}

/*
 * Do two maps with different table-flags go through the same non-leaf
 * entry?  They share the entry at `level` iff their vas agree on every bit
 * that indexes levels root..level.  A PAE PDPTE has no rights (SDM 4.4.1),
 * so maps may differ there.
 */
static bool check_shared_tables(struct scn_loader *ld, const struct scn_page_tables *pt,
				const struct scn_mapping **sorted)
{
	const struct pt_format *fmt = pt->fmt;
	char a_acc[16], b_acc[16];
	bool ok = true;
	unsigned i;
	int level;

	for (i = 1; i < pt->nr_maps; i++) {
		const struct scn_mapping *a = sorted[i], *b = sorted[i - 1];
		int lowest = (a->level > b->level ? a->level : b->level) + 1;

		if (a->table_acc == b->table_acc)
			continue;
		for (level = fmt->root_level; level >= lowest; level--) {
			uint8_t shift = fmt->level[level].va_shift;

			if ((a->va >> shift) != (b->va >> shift))
				break;
			if (fmt == &pt_format_pae && level == PAE_PDPT_LEVEL)
				continue;
			later_first(&a, &b);
			describe_table_acc(a->table_acc, a_acc, sizeof(a_acc));
			describe_table_acc(b->table_acc, b_acc, sizeof(b_acc));
			scn_error(ld, a->line, "table-flags=\"%s\" differ from table-flags=\"%s\" of the "
				  "map at line %d, which shares this map's level-%d table entry (expected "
				  "the same table-flags)", a_acc, b_acc, b->line, level);
			ok = false;
			break;
		}
	}
	return ok;
}

/*
 * Tables ptbuild takes from the pool: one table at `level` (< root level)
 * for every distinct va range it covers among maps whose leaf is at or
 * below `level`.
 */
static uint64_t tables_needed(const struct scn_page_tables *pt, const struct scn_mapping **sorted)
{
	const struct pt_format *fmt = pt->fmt;
	uint64_t need = 0, prev = 0;
	bool first;
	unsigned i;
	int level;

	for (level = 1; level < fmt->root_level; level++) {
		unsigned span = fmt->level[level].va_shift + fmt->level[level].index_bits;

		first = true;
		for (i = 0; i < pt->nr_maps; i++) {
			uint64_t covered = sorted[i]->va >> span;

			if (sorted[i]->level > level || (!first && covered == prev))
				continue;
			need++;
			prev = covered;
			first = false;
		}
	}
	return need;
}

void scn_check_maps(struct scn_loader *ld, const struct scn_page_tables *pt)
{
	const struct scn_mapping **sorted;
	uint64_t need, have;
	bool ok = true;
	unsigned i;

	for (i = 0; i < pt->nr_maps; i++) {
		const struct scn_mapping *m = &pt->maps[i];

		ok &= scn_check_map_target(ld, m->line, m->gpa, map_size(pt, m)) &&
		      scn_check_rsv_va(ld, m->line, "map va", layout_mode(pt->fmt), m->va,
				       map_size(pt, m));
	}
	if (!ok || !pt->nr_maps)
		return;
	sorted = malloc(pt->nr_maps * sizeof(*sorted));
	if (!sorted) {
		scn_error(ld, pt->line, "out of memory checking %u maps", pt->nr_maps);
		return;
	}
	for (i = 0; i < pt->nr_maps; i++)
		sorted[i] = &pt->maps[i];
	qsort(sorted, pt->nr_maps, sizeof(*sorted), cmp_va);
	if (check_overlaps(ld, pt, sorted) && check_shared_tables(ld, pt, sorted)) {
		need = tables_needed(pt, sorted);
		have = (pt->pool_end - pt->pool_start) / PAGE_SIZE_4K;
		if (need > have)
			scn_error(ld, pt->line, "the pool holds %llu page tables, but the maps of \"%s\" "
				  "need %llu (expected pool= of at least 0x%llx bytes)",
				  (unsigned long long)have, pt->name, (unsigned long long)need,
				  (unsigned long long)(need * PAGE_SIZE_4K));
	}
	free(sorted);
}
