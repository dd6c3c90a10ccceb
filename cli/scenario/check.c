/*
 * cli/scenario/check.c — memslots and page tables checked against each
 * other and against the VM: ids and names unique, memslots disjoint and
 * 4K-aligned below MAXPHYADDR, every guest-physical address the tables
 * use inside a memslot, maps of one set of tables disjoint and agreeing on
 * the tables they share, and a pool big enough for the tables they need.
 *
 * Errors are reported at the later of two conflicting elements, naming
 * the line of the earlier one, so the report reads in file order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario/loader.h"
#include "core/vm/mmio.h"
#include "core/x86/bits.h"

uint64_t scn_phys_limit(const struct scenario *s)
{
	return 1ULL << s->feat.maxphyaddr;
}

const struct scn_memslot *scn_memslot_at(const struct scn_memslot *slots, unsigned nr,
					 uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < nr; i++) {
		const struct scn_memslot *m = &slots[i];

		if (gpa >= m->base_gpa && gpa - m->base_gpa < m->size)
			return m;
	}
	return NULL;
}

bool scn_gpa_covered_by(const struct scn_memslot *slots, unsigned nr, uint64_t gpa,
			uint64_t len, uint64_t *hole)
{
	uint64_t last = gpa + len - 1, cur = gpa;
	const struct scn_memslot *m;
	unsigned hops;

	if (!len)
		return true;
	/* Each hop moves past one memslot, so there are at most nr of them. */
	for (hops = 0; hops <= nr; hops++) {
		m = scn_memslot_at(slots, nr, cur);
		if (!m)
			break;
		if (m->base_gpa + m->size - 1 >= last)
			return true;
		cur = m->base_gpa + m->size;
	}
	*hole = cur;
	return false;
}

bool scn_gpa_covered(const struct scenario *s, uint64_t gpa, uint64_t len, uint64_t *hole)
{
	return scn_gpa_covered_by(s->memslots, s->nr_memslots, gpa, len, hole);
}

const struct scn_mmio *scn_mmio_at(const struct scenario *s, uint64_t gpa, uint64_t len)
{
	unsigned i;

	for (i = 0; i < s->nr_mmio; i++) {
		const struct scn_mmio *m = &s->mmio[i];

		if (gpa < m->base + m->size && m->base < gpa + len)
			return m;
	}
	return NULL;
}

bool scn_check_gpa_in(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
		      uint64_t len, const struct scn_memslot *slots, unsigned nr)
{
	uint64_t limit = scn_phys_limit(ld->s), hole = gpa;

	if (gpa >= limit || len > limit - gpa) {
		scn_error(ld, line, "%s 0x%llx is beyond MAXPHYADDR %u (expected below 0x%llx)", what,
			  (unsigned long long)gpa, ld->s->feat.maxphyaddr, (unsigned long long)limit);
		return false;
	}
	if (scn_gpa_covered_by(slots, nr, gpa, len, &hole))
		return true;
	if (hole == gpa)
		scn_error(ld, line, "%s 0x%llx is outside every memslot (expected guest memory: an "
			  "address inside a <memslot>)", what, (unsigned long long)gpa);
	else
		scn_error(ld, line, "%s 0x%llx: its 0x%llx bytes run out of guest memory at 0x%llx "
			  "(expected all of them inside memslots)", what, (unsigned long long)gpa,
			  (unsigned long long)len, (unsigned long long)hole);
	return false;
}

bool scn_check_gpa_range(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
			 uint64_t len)
{
	return scn_check_gpa_in(ld, line, what, gpa, len, ld->s->memslots, ld->s->nr_memslots);
}

/*
 * Is [gpa, gpa+len) inside some memslot that a step creates, or that a
 * step moves there (then an access through a map may reach it later)?
 */
static bool covered_later(const struct scenario *s, uint64_t gpa, uint64_t len)
{
	unsigned i, j;

	for (i = 0; i < s->nr_steps; i++) {
		const struct scn_step *st = &s->steps[i];
		uint64_t size = 0;

		if (st->kind == STEP_MEMSLOT_CREATE) {
			size = st->u.slot.size;
		} else if (st->kind == STEP_MEMSLOT_MOVE) {
			for (j = 0; j < s->nr_memslots; j++)
				if (s->memslots[j].id == st->u.slot.id)
					size = s->memslots[j].size;
			for (j = 0; j < i; j++)
				if (s->steps[j].kind == STEP_MEMSLOT_CREATE &&
				    s->steps[j].u.slot.id == st->u.slot.id)
					size = s->steps[j].u.slot.size;
		}
		if (size && gpa >= st->u.slot.base_gpa && len <= size &&
		    gpa - st->u.slot.base_gpa <= size - len)
			return true;
	}
	return false;
}

bool scn_check_map_target(struct scn_loader *ld, long line, uint64_t gpa, uint64_t len)
{
	uint64_t limit = scn_phys_limit(ld->s), hole;

	if (gpa < limit && len <= limit - gpa &&
	    (scn_mmio_at(ld->s, gpa, len) || covered_later(ld->s, gpa, len)) &&
	    !scn_gpa_covered(ld->s, gpa, len, &hole))
		return true;
	return scn_check_gpa_range(ld, line, "map gpa", gpa, len);
}

/* ---- memslots ------------------------------------------------------------------ */

/* One memslot on its own, then against the ones before it. */
static void check_memslot(struct scn_loader *ld, unsigned i)
{
	const struct scenario *s = ld->s;
	const struct scn_memslot *m = &s->memslots[i];
	uint64_t limit = scn_phys_limit(s);
	char what[24];
	unsigned j;

	if (m->base_gpa & (PAGE_SIZE_4K - 1)) {
		scn_error(ld, m->line, "memslot %u base 0x%llx is not 4K aligned (expected a multiple "
			  "of 0x1000)", m->id, (unsigned long long)m->base_gpa);
		return;
	}
	if (!m->size || (m->size & (PAGE_SIZE_4K - 1))) {
		scn_error(ld, m->line, "memslot %u size 0x%llx is not a positive multiple of 4K "
			  "(expected e.g. 4K, 2M or 0x3000)", m->id, (unsigned long long)m->size);
		return;
	}
	if (m->base_gpa >= limit || m->size > limit - m->base_gpa) {
		scn_error(ld, m->line, "memslot %u at 0x%llx of size 0x%llx goes beyond MAXPHYADDR %u "
			  "(expected it to end at or below 0x%llx)", m->id,
			  (unsigned long long)m->base_gpa, (unsigned long long)m->size,
			  s->feat.maxphyaddr, (unsigned long long)limit);
		return;
	}
	snprintf(what, sizeof(what), "memslot %u", m->id);
	if (!scn_check_backing(ld, m->line, m) ||
	    !scn_check_rsv_gpa(ld, m->line, what, m->base_gpa, m->size))
		return;
	for (j = 0; j < s->nr_mmio; j++) {
		const struct scn_mmio *o = &s->mmio[j];

		if (m->base_gpa < o->base + o->size && o->base < m->base_gpa + m->size) {
			scn_error(ld, o->line, "mmio [0x%llx, 0x%llx) overlaps memslot %u at line %d "
				  "(expected device ranges outside memory)", (unsigned long long)o->base,
				  (unsigned long long)(o->base + o->size), m->id, m->line);
			return;
		}
	}
	for (j = 0; j < i; j++) {
		const struct scn_memslot *o = &s->memslots[j];

		if (o->id == m->id) {
			scn_error(ld, m->line, "memslot id %u is already used at line %d (expected "
				  "unique ids)", m->id, o->line);
			return;
		}
		if (m->base_gpa < o->base_gpa + o->size && o->base_gpa < m->base_gpa + m->size) {
			scn_error(ld, m->line, "memslot %u [0x%llx, 0x%llx) overlaps memslot %u "
				  "[0x%llx, 0x%llx) at line %d (expected disjoint memslots)", m->id,
				  (unsigned long long)m->base_gpa,
				  (unsigned long long)(m->base_gpa + m->size), o->id,
				  (unsigned long long)o->base_gpa,
				  (unsigned long long)(o->base_gpa + o->size), o->line);
			return;
		}
	}
}

static const char *backing_name(uint8_t backing)
{
	return backing == MMU_LEVEL_1G ? "1G" : backing == MMU_LEVEL_2M ? "2M" : "4K";
}

uint64_t scn_backing_bytes(uint8_t backing)
{
	return backing == MMU_LEVEL_1G ? PAGE_SIZE_1G : backing == MMU_LEVEL_2M ? PAGE_SIZE_2M :
	       PAGE_SIZE_4K;
}

bool scn_check_backing(struct scn_loader *ld, long line, const struct scn_memslot *m)
{
	uint64_t align = scn_backing_bytes(m->backing);

	if (!((m->base_gpa | m->size) & (align - 1)))
		return true;
	scn_error(ld, line, "memslot %u [0x%llx, 0x%llx) is not aligned to its %s backing "
		  "(expected base and size multiples of 0x%llx)", m->id,
		  (unsigned long long)m->base_gpa, (unsigned long long)(m->base_gpa + m->size),
		  backing_name(m->backing), (unsigned long long)align);
	return false;
}

/* One <mmio> range on its own, then against the ones before it. */
static void check_mmio(struct scn_loader *ld, unsigned i)
{
	const struct scenario *s = ld->s;
	const struct scn_mmio *m = &s->mmio[i];
	uint64_t limit = scn_phys_limit(s);
	unsigned j;

	if ((m->base | m->size) & (MMIO_REG_BYTES - 1) || !m->size) {
		scn_error(ld, m->line, "mmio [0x%llx, +0x%llx) is not whole 8-byte registers "
			  "(expected base and size positive multiples of 8)",
			  (unsigned long long)m->base, (unsigned long long)m->size);
		return;
	}
	if (m->base >= limit || m->size > limit - m->base) {
		scn_error(ld, m->line, "mmio at 0x%llx of size 0x%llx goes beyond MAXPHYADDR %u "
			  "(expected it to end at or below 0x%llx)", (unsigned long long)m->base,
			  (unsigned long long)m->size, s->feat.maxphyaddr, (unsigned long long)limit);
		return;
	}
	if (!scn_check_rsv_gpa(ld, m->line, "mmio", m->base, m->size))
		return;
	for (j = 0; j < i; j++) {
		const struct scn_mmio *o = &s->mmio[j];

		if (m->base < o->base + o->size && o->base < m->base + m->size) {
			scn_error(ld, m->line, "mmio [0x%llx, 0x%llx) overlaps mmio [0x%llx, 0x%llx) "
				  "at line %d (expected disjoint ranges)", (unsigned long long)m->base,
				  (unsigned long long)(m->base + m->size), (unsigned long long)o->base,
				  (unsigned long long)(o->base + o->size), o->line);
			return;
		}
	}
}

/* ---- the root and the pool of one set of page tables --------------------------------- */

/* Bytes of the root table: 4 KiB, or 32 for the PAE PDPT (SDM 4.4.1). */
static uint64_t root_bytes(const struct pt_format *fmt)
{
	return (1ULL << fmt->level[fmt->root_level].index_bits) * fmt->entry_bytes;
}

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static bool check_root(struct scn_loader *ld, const struct scn_page_tables *pt)
{
	uint64_t bytes = root_bytes(pt->fmt);

	if (pt->root & (bytes - 1)) {
		scn_error(ld, pt->line, "root 0x%llx is not aligned (expected a multiple of 0x%llx "
			  "for %s tables)", (unsigned long long)pt->root, (unsigned long long)bytes,
			  scn_paging_name(pt->fmt));
		return false;
	}
	/* Outside IA-32e mode CR3 holds 32 bits (SDM 4.3, 4.4.1). */
	if (!pt->fmt->va_sign_extended && (pt->root >> 32)) {
		scn_error(ld, pt->line, "root 0x%llx is above 4 GiB, out of reach of the 32-bit CR3 "
			  "of %s paging (expected below 0x100000000)", (unsigned long long)pt->root,
			  scn_paging_name(pt->fmt));
		return false;
	}
	return scn_check_gpa_range(ld, pt->line, "root", pt->root, bytes);
}

static bool check_pool(struct scn_loader *ld, const struct scn_page_tables *pt)
{
	uint64_t root_end = pt->root + root_bytes(pt->fmt);

	if (pt->pool_end == pt->pool_start)
		return true;
	if ((pt->pool_start | pt->pool_end) & (PAGE_SIZE_4K - 1)) {
		scn_error(ld, pt->line, "pool 0x%llx-0x%llx is not 4K aligned (expected START and END "
			  "multiples of 0x1000; END is the first byte past the pool)",
			  (unsigned long long)pt->pool_start, (unsigned long long)pt->pool_end);
		return false;
	}
	/* 32-bit entries hold 32-bit table addresses (SDM table 4-5). */
	if (pt->fmt->entry_bytes == 4 && pt->pool_end > (1ULL << 32)) {
		scn_error(ld, pt->line, "pool 0x%llx-0x%llx reaches above 4 GiB, where 32-bit entries "
			  "cannot point (expected it below 0x100000000)",
			  (unsigned long long)pt->pool_start, (unsigned long long)pt->pool_end);
		return false;
	}
	if (!scn_check_gpa_range(ld, pt->line, "pool", pt->pool_start,
				 pt->pool_end - pt->pool_start))
		return false;
	if (ranges_overlap(pt->pool_start, pt->pool_end, pt->root, root_end)) {
		scn_error(ld, pt->line, "pool 0x%llx-0x%llx overlaps the root table at 0x%llx "
			  "(expected the root outside the pool)", (unsigned long long)pt->pool_start,
			  (unsigned long long)pt->pool_end, (unsigned long long)pt->root);
		return false;
	}
	return true;
}

/* Names are unique, and tables of different <page-tables> do not share memory: each build zeroes its own. */
static bool check_tables_apart(struct scn_loader *ld, unsigned i)
{
	const struct scn_page_tables *pt = &ld->s->page_tables[i];
	uint64_t root_end = pt->root + root_bytes(pt->fmt);
	unsigned j;

	for (j = 0; j < i; j++) {
		const struct scn_page_tables *o = &ld->s->page_tables[j];

		if (!strcmp(pt->name, o->name)) {
			scn_error(ld, pt->line, "page-tables \"%s\" is already defined at line %d "
				  "(expected unique names)", pt->name, o->line);
			return false;
		}
	}
	for (j = 0; j < i; j++) {
		const struct scn_page_tables *o = &ld->s->page_tables[j];
		uint64_t o_root_end = o->root + root_bytes(o->fmt);
		const char *what = NULL;

		if (ranges_overlap(pt->root, root_end, o->root, o_root_end) ||
		    ranges_overlap(pt->root, root_end, o->pool_start, o->pool_end))
			what = "root";
		else if (ranges_overlap(pt->pool_start, pt->pool_end, o->root, o_root_end) ||
			 ranges_overlap(pt->pool_start, pt->pool_end, o->pool_start, o->pool_end))
			what = "pool";
		if (what) {
			scn_error(ld, pt->line, "the %s of page-tables \"%s\" overlaps the memory of "
				  "page-tables \"%s\" at line %d (expected separate roots and pools)",
				  what, pt->name, o->name, o->line);
			return false;
		}
	}
	return true;
}

/* ---- vCPUs ------------------------------------------------------------------------------ */

static void check_vcpu_ids(struct scn_loader *ld)
{
	const struct scenario *s = ld->s;
	unsigned i, j;

	for (i = 0; i < s->nr_vcpus; i++) {
		for (j = 0; j < i; j++) {
			if (s->vcpus[j].id == s->vcpus[i].id) {
				scn_error(ld, s->vcpus[i].line, "vcpu id %u is already used at line %d "
					  "(expected unique ids)", s->vcpus[i].id, s->vcpus[j].line);
				break;
			}
		}
	}
}

void scn_check_vm(struct scn_loader *ld)
{
	const struct scenario *s = ld->s;
	unsigned i;

	for (i = 0; i < s->nr_mmio; i++)
		check_mmio(ld, i);
	/* Memslots are checked against mmio ranges: only once those are sound. */
	for (i = 0; i < s->nr_memslots && !ld->diag->nr_errors; i++)
		check_memslot(ld, i);
	/* Addresses are checked against memslots: only once those are sound. */
	for (i = 0; i < s->nr_page_tables && !ld->diag->nr_errors; i++) {
		const struct scn_page_tables *pt = &s->page_tables[i];

		if (check_tables_apart(ld, i) && check_root(ld, pt) && check_pool(ld, pt))
			scn_check_maps(ld, pt);
	}
	check_vcpu_ids(ld);
}
