/*
 * cli/scenario/check_layout.c — memslot, dirty-log and host steps against
 * the memslot layout at that step.
 *
 * The loader follows the layout through the steps: it starts as the
 * <vm>'s memslots, and <memslot-create>, <memslot-delete>, <memslot-move>
 * and <memslot-flags> change it exactly as core/vm/vm_slots.c will.  So a
 * step is checked against the memslots that exist when it runs: an id that
 * was deleted is unknown again, a get-dirty-log needs a slot that logs at
 * that point, a host change must lie in memory that exists then.  A step
 * with an error changes nothing, so one mistake is reported once.  A
 * get-dirty-log step gets its slot's base at that point (slot_base).
 */
#include <stdio.h>
#include <string.h>

#include "cli/scenario/loader.h"
#include "core/x86/bits.h"

void scn_layout_init(struct scn_layout *l, const struct scenario *s)
{
	memcpy(l->slots, s->memslots, sizeof(s->memslots[0]) * s->nr_memslots);
	l->nr = s->nr_memslots;
}

static struct scn_memslot *find(struct scn_layout *l, uint32_t id)
{
	unsigned i;

	for (i = 0; i < l->nr; i++)
		if (l->slots[i].id == id)
			return &l->slots[i];
	return NULL;
}

/* The slot a step names, or NULL after saying it does not exist here. */
static struct scn_memslot *named_slot(struct scn_loader *ld, struct scn_layout *l,
				      const struct scn_step *st, uint32_t id)
{
	struct scn_memslot *m = find(l, id);

	if (!m)
		scn_error(ld, st->line, "unknown memslot %u (expected the id of a memslot that "
			  "exists at this step)", id);
	return m;
}

static unsigned long long end_of(const struct scn_memslot *m)
{
	return (unsigned long long)(m->base_gpa + m->size);
}

/*
 * Can memslot m (not yet in the layout, or `self` moved) sit at its range:
 * 4K-aligned, below MAXPHYADDR, aligned to its backing, clear of the other
 * memslots and of every MMIO range?
 */
static bool check_place(struct scn_loader *ld, const struct scn_layout *l, long line,
			const struct scn_memslot *m, const struct scn_memslot *self)
{
	const struct scenario *s = ld->s;
	uint64_t limit = scn_phys_limit(s);
	const struct scn_mmio *io;
	char what[24];
	unsigned i;

	if (m->base_gpa & (PAGE_SIZE_4K - 1)) {
		scn_error(ld, line, "memslot %u base 0x%llx is not 4K aligned (expected a multiple "
			  "of 0x1000)", m->id, (unsigned long long)m->base_gpa);
		return false;
	}
	if (!m->size || (m->size & (PAGE_SIZE_4K - 1))) {
		scn_error(ld, line, "memslot %u size 0x%llx is not a positive multiple of 4K "
			  "(expected e.g. 4K, 2M or 0x3000)", m->id, (unsigned long long)m->size);
		return false;
	}
	if (m->base_gpa >= limit || m->size > limit - m->base_gpa) {
		scn_error(ld, line, "memslot %u at 0x%llx of size 0x%llx goes beyond MAXPHYADDR %u "
			  "(expected it to end at or below 0x%llx)", m->id,
			  (unsigned long long)m->base_gpa, (unsigned long long)m->size,
			  s->feat.maxphyaddr, (unsigned long long)limit);
		return false;
	}
	snprintf(what, sizeof(what), "memslot %u", m->id);
	if (!scn_check_backing(ld, line, m) ||
	    !scn_check_rsv_gpa(ld, line, what, m->base_gpa, m->size))
		return false;
	for (i = 0; i < l->nr; i++) {
		const struct scn_memslot *o = &l->slots[i];

		if (o != self && m->base_gpa < o->base_gpa + o->size &&
		    o->base_gpa < m->base_gpa + m->size) {
			scn_error(ld, line, "memslot %u [0x%llx, 0x%llx) overlaps memslot %u "
				  "[0x%llx, 0x%llx) of line %d (expected disjoint memslots)", m->id,
				  (unsigned long long)m->base_gpa, end_of(m), o->id,
				  (unsigned long long)o->base_gpa, end_of(o), o->line);
			return false;
		}
	}
	io = scn_mmio_at(s, m->base_gpa, m->size);
	if (io) {
		scn_error(ld, line, "memslot %u [0x%llx, 0x%llx) overlaps mmio [0x%llx, 0x%llx) "
			  "at line %d (expected memory outside device ranges)", m->id,
			  (unsigned long long)m->base_gpa, end_of(m), (unsigned long long)io->base,
			  (unsigned long long)(io->base + io->size), io->line);
		return false;
	}
	return true;
}

static void step_create(struct scn_loader *ld, struct scn_layout *l, const struct scn_step *st)
{
	const struct scn_memslot *o = find(l, st->u.slot.id);
	struct scn_memslot m = {
		.line = st->line, .id = st->u.slot.id, .base_gpa = st->u.slot.base_gpa,
		.size = st->u.slot.size, .flags = st->u.slot.flags, .backing = st->u.slot.backing,
	};

	if (o) {
		scn_error(ld, st->line, "memslot id %u is already used by the memslot of line %d "
			  "(expected an id no memslot has at this step)", m.id, o->line);
		return;
	}
	if (l->nr == SCN_MAX_MEMSLOTS) {
		scn_error(ld, st->line, "too many memslots at this step (expected at most %d)",
			  SCN_MAX_MEMSLOTS);
		return;
	}
	if (check_place(ld, l, st->line, &m, NULL))
		l->slots[l->nr++] = m;
}

static void step_move(struct scn_loader *ld, struct scn_layout *l, const struct scn_step *st)
{
	struct scn_memslot *m = named_slot(ld, l, st, st->u.slot.id), moved;

	if (!m)
		return;
	moved = *m;
	moved.base_gpa = st->u.slot.base_gpa;
	if (check_place(ld, l, st->line, &moved, m))
		m->base_gpa = moved.base_gpa;
}

/* As KVM_SET_USER_MEMORY_REGION on an existing slot: only dirty logging may change. */
static void step_flags(struct scn_loader *ld, struct scn_layout *l, const struct scn_step *st)
{
	struct scn_memslot *m = named_slot(ld, l, st, st->u.slot.id);

	if (!m)
		return;
	if ((m->flags ^ st->u.slot.flags) & MEMSLOT_READONLY) {
		scn_error(ld, st->line, "memslot-flags would %s readonly on memslot %u (expected "
			  "only dirty-log to change; delete and re-create the slot instead)",
			  (m->flags & MEMSLOT_READONLY) ? "clear" : "set", m->id);
		return;
	}
	m->flags = st->u.slot.flags;
}

/* The slot of a dirty-log step: it exists and logs. */
static const struct scn_memslot *logging_slot(struct scn_loader *ld, struct scn_layout *l,
					      const struct scn_step *st)
{
	const struct scn_memslot *m = named_slot(ld, l, st, st->u.dirty.slot);

	if (m && !(m->flags & MEMSLOT_DIRTY_LOG)) {
		scn_error(ld, st->line, "memslot %u does not log dirty pages at this step "
			  "(expected flags=\"dirty-log\" on it, or a <memslot-flags> before)", m->id);
		return NULL;
	}
	return m;
}

static void step_dirty(struct scn_loader *ld, struct scn_layout *l, struct scn_step *st)
{
	const struct scn_memslot *m = logging_slot(ld, l, st);
	uint64_t npages;

	if (!m)
		return;
	npages = m->size >> PAGE_SHIFT;
	if (st->kind == STEP_DIRTY_LOG_GET) {
		uint64_t last = st->u.dirty.nr_pages ? st->u.dirty.pages[st->u.dirty.nr_pages - 1] : 0;

		/* Only the layout knows where the slot is now; judging the log needs it. */
		st->u.dirty.slot_base = m->base_gpa;

		if (st->u.dirty.nr_pages && last >= npages)
			scn_error(ld, st->line, "expected dirty page %llu is beyond memslot %u, which "
				  "has %llu pages (expected pages 0..%llu)", (unsigned long long)last,
				  m->id, (unsigned long long)npages, (unsigned long long)(npages - 1));
		return;
	}
	if (st->u.dirty.first > npages || st->u.dirty.count > npages - st->u.dirty.first)
		scn_error(ld, st->line, "clear-dirty-log of pages %llu+%llu runs beyond memslot %u, "
			  "which has %llu pages (expected first + count <= %llu)",
			  (unsigned long long)st->u.dirty.first, (unsigned long long)st->u.dirty.count,
			  m->id, (unsigned long long)npages, (unsigned long long)npages);
}

/*
 * A host change replaces whole host pages: in a 2M- or 1G-backed slot the
 * range must start and end on that slot's host-page boundaries (where it
 * starts or ends inside the slot).
 */
static void step_host(struct scn_loader *ld, struct scn_layout *l, const struct scn_step *st)
{
	uint64_t start = st->u.host.gpa, end = st->u.host.gpa + st->u.host.size;
	const char *what = st->kind == STEP_HOST_AGE ? "host-age gpa" : "host-change gpa";
	unsigned i;

	if (!scn_check_gpa_in(ld, st->line, what, start, st->u.host.size, l->slots, l->nr) ||
	    st->kind == STEP_HOST_AGE)
		return;
	for (i = 0; i < l->nr; i++) {
		const struct scn_memslot *m = &l->slots[i];
		uint64_t page = scn_backing_bytes(m->backing), slot_end = m->base_gpa + m->size;
		bool head = start > m->base_gpa && start < slot_end;
		bool tail = end > m->base_gpa && end < slot_end;

		if ((head && ((start - m->base_gpa) & (page - 1))) ||
		    (tail && ((end - m->base_gpa) & (page - 1)))) {
			scn_error(ld, st->line, "host-change [0x%llx, 0x%llx) covers part of a host "
				  "page of memslot %u, which is backed by %s pages (expected whole "
				  "host pages: multiples of 0x%llx)", (unsigned long long)start,
				  (unsigned long long)end, m->id,
				  m->backing == MMU_LEVEL_1G ? "1G" : "2M", (unsigned long long)page);
			return;
		}
	}
}

void scn_layout_step(struct scn_loader *ld, struct scn_layout *l, struct scn_step *st)
{
	struct scn_memslot *m;

	switch (st->kind) {
	case STEP_MEMSLOT_CREATE:
		step_create(ld, l, st);
		return;
	case STEP_MEMSLOT_DELETE:
		m = named_slot(ld, l, st, st->u.slot.id);
		if (m)
			*m = l->slots[--l->nr];
		return;
	case STEP_MEMSLOT_MOVE:
		step_move(ld, l, st);
		return;
	case STEP_MEMSLOT_FLAGS:
		step_flags(ld, l, st);
		return;
	case STEP_DIRTY_LOG_GET:
	case STEP_DIRTY_LOG_CLEAR:
		step_dirty(ld, l, st);
		return;
	case STEP_HOST_INVALIDATE:
	case STEP_HOST_AGE:
		step_host(ld, l, st);
		return;
	default:
		return;
	}
}
