/*
 * hw/dirty_tables.c — guest page-table pages in dirty logs (dirty_tables.h).
 */
#include "core/x86/bits.h"
#include "hw/dirty_tables.h"
#include "hw/run.h"

const char *exec_walks_write_tables(const struct exec_config *cfg)
{
	/* Every backend today runs under a second stage (TDP) that cfg.mmu describes. */
	if (!cfg->backend)
		return NULL;
	if (cfg->mmu.layout == SPTE_LAYOUT_NPT)
		return "npt";   /* APM 15.25.5: guest-table accesses are user-mode writes */
	if (cfg->mmu.ept_ad)
		return "ept with A/D"; /* SDM 29.3.5: writes when the EPTP enables A/D */
	return NULL;
}

bool scenario_holds_tables(const struct scenario *s, uint64_t gpa)
{
	uint64_t page = gpa & ~(PAGE_SIZE_4K - 1);
	unsigned i;

	for (i = 0; i < s->nr_page_tables; i++) {
		const struct scn_page_tables *pt = &s->page_tables[i];

		/* A PAE root is a 32-byte PDPT: its page counts whole. */
		if (page == (pt->root & ~(PAGE_SIZE_4K - 1)) ||
		    (page >= pt->pool_start && page < pt->pool_end))
			return true;
	}
	return false;
}

/* The expect= pages of word w: the list is sorted, so find its first page there. */
static uint64_t expect_word(const struct scn_step *st, uint64_t w)
{
	const uint64_t *pages = st->u.dirty.pages;
	unsigned lo = 0, hi = st->u.dirty.nr_pages;
	uint64_t bits = 0;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (pages[mid] < w * 64)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->u.dirty.nr_pages && pages[lo] / 64 == w; lo++)
		bits |= 1ULL << (pages[lo] % 64);
	return bits;
}

/* Of the extra pages in `extra` (word w), those in T. */
static uint64_t tables_of(const struct dirty_diff *d, uint64_t w, uint64_t extra)
{
	uint64_t tables = 0;
	unsigned b;

	for (b = 0; b < 64; b++) {
		uint64_t gpa = d->st->u.dirty.slot_base + (w * 64 + b) * PAGE_SIZE_4K;

		if ((extra >> b & 1) && scenario_holds_tables(d->s, gpa))
			tables |= 1ULL << b;
	}
	return tables;
}

uint64_t dirty_diff_word(const struct dirty_diff *d, uint64_t w, enum dirty_kind kind)
{
	uint64_t valid = d->npages - w * 64 >= 64 ? ~0ULL : (1ULL << (d->npages % 64)) - 1;
	uint64_t log = d->log[w] & valid;
	uint64_t strict = (d->strict ? d->strict[w] : expect_word(d->st, w)) & valid;
	uint64_t extra = log & ~strict;

	switch (kind) {
	case DIRTY_LOGGED:
		return log;
	case DIRTY_STRICT:
		return log & strict;
	case DIRTY_MISSING:
		return strict & ~log;
	case DIRTY_TABLES:
		return extra ? tables_of(d, w, extra) : 0;
	case DIRTY_OTHER:
		return extra ? extra & ~tables_of(d, w, extra) : 0;
	}
	return 0;
}

bool dirty_diff_has(const struct dirty_diff *d, enum dirty_kind kind)
{
	uint64_t w;

	for (w = 0; w * 64 < d->npages; w++)
		if (dirty_diff_word(d, w, kind))
			return true;
	return false;
}

bool dirty_diff_allowed(const struct dirty_diff *d, const char *walks)
{
	return !dirty_diff_has(d, DIRTY_MISSING) && !dirty_diff_has(d, DIRTY_OTHER) &&
	       (walks || !dirty_diff_has(d, DIRTY_TABLES));
}

/* describe_page_bits wants one kind of one diff behind a single pointer. */
struct kind_of_diff {
	const struct dirty_diff *d;
	enum dirty_kind kind;
};

static uint64_t kind_word(const void *ctx, uint64_t w)
{
	const struct kind_of_diff *k = ctx;

	return dirty_diff_word(k->d, w, k->kind);
}

void describe_dirty_kind(const struct dirty_diff *d, enum dirty_kind kind, char *buf,
			 size_t size)
{
	struct kind_of_diff k = { .d = d, .kind = kind };

	describe_page_bits(kind_word, &k, d->npages, buf, size);
}
