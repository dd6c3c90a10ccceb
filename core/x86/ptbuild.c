/*
 * core/x86/ptbuild.c — the generic creator: page tables of any format,
 * written into guest memory one mapping at a time.
 *
 * Everything format-specific goes through struct pt_format, so the same
 * loop builds 32-bit, PAE, 4/5-level and EPT tables.  A mapping is first
 * checked all the way down without writing anything (conflicts, and how
 * many new tables it needs from the pool); only then are tables linked and
 * the leaf written.  So an error leaves the tables exactly as they were,
 * and the pool is consumed in mapping order: the same list of mappings
 * always yields the same tables at the same gpas.
 */
#include "core/errors.h"
#include "core/x86/bits.h"
#include "core/x86/ptbuild.h"

/* 4 KiB for every root but the PAE PDPT: 4 entries, 32 bytes (SDM 4.4.1). */
static uint64_t root_bytes(const struct pt_format *fmt)
{
	return (1ULL << fmt->level[fmt->root_level].index_bits) * fmt->entry_bytes;
}

static int zero_table(const struct pt_builder *b, uint64_t gpa, uint64_t bytes)
{
	uint64_t off;
	int ret;

	for (off = 0; off < bytes; off += b->fmt->entry_bytes) {
		ret = b->mem->write(b->mem->opaque, gpa + off, b->fmt->entry_bytes, 0);
		if (ret)
			return ret;
	}
	return 0;
}

int ptbuild_init(struct pt_builder *b, const struct pt_format *fmt,
		 const struct guest_mem *mem, uint64_t root, uint64_t pool_start,
		 uint64_t pool_end)
{
	uint64_t bytes;

	if (!fmt || !mem)
		return MMU_EINVAL;
	bytes = root_bytes(fmt);
	if ((root & (bytes - 1)) || (pool_start & (PAGE_SIZE_4K - 1)) ||
	    (pool_end & (PAGE_SIZE_4K - 1)) || pool_start > pool_end)
		return MMU_EINVAL;
	/* Outside IA-32e mode CR3 is 32 bits wide: 32-bit and PAE roots lie below 4 GiB. */
	if (pt_va_bits(fmt) == 32 && (root >> 32))
		return MMU_ERANGE;
	b->fmt = fmt;
	b->mem = mem;
	b->root = root;
	b->pool_next = pool_start;
	b->pool_end = pool_end;
	return zero_table(b, root, bytes);
}

/*
 * Is `va` an address the format translates?  Linear addresses of 4/5-level
 * paging must be canonical (a non-canonical one would alias a canonical
 * one's entry); others must fit the format's width.
 */
static bool va_in_range(const struct pt_format *fmt, uint64_t va)
{
	unsigned bits = pt_va_bits(fmt);
	uint64_t upper;

	if (!fmt->va_sign_extended)
		return (va >> bits) == 0;
	upper = va >> (bits - 1);
	return upper == 0 || upper == (~0ULL >> (bits - 1));
}

static int check_mapping(const struct pt_builder *b, uint64_t va, uint64_t pa,
			 int level, unsigned acc)
{
	const struct pt_format *fmt = b->fmt;
	uint64_t size, leaf;

	if (level < 1 || level > fmt->root_level || !fmt->level[level].page_size)
		return MMU_EINVAL;
	size = fmt->level[level].page_size;
	if ((va & (size - 1)) || (pa & (size - 1)))
		return MMU_EINVAL;
	if (!va_in_range(fmt, va))
		return MMU_ERANGE;
	/* An address the leaf cannot encode (e.g. > 4 GiB in a 32-bit PTE). */
	leaf = fmt->make_leaf(fmt, pa, level, acc);
	if (fmt->leaf_addr(fmt, leaf, level) != pa)
		return MMU_ERANGE;
	return 0;
}

/*
 * Walk from the root towards `level` without writing.  Returns 0 with
 * *missing = the first level whose entry is not present (0 if none: the
 * path exists down to the leaf's table) and *table = the table holding it;
 * or MMU_ECONFLICT / a guest_mem error.
 */
static int find_path(const struct pt_builder *b, uint64_t va, int level,
		     unsigned table_acc, int *missing, uint64_t *table)
{
	const struct pt_format *fmt = b->fmt;
	uint64_t entry;
	int l, ret;

	*table = b->root;
	*missing = 0;
	for (l = fmt->root_level; l >= level; l--) {
		uint64_t gpa = *table + (uint64_t)pt_index(fmt, va, l) * fmt->entry_bytes;

		ret = b->mem->read(b->mem->opaque, gpa, fmt->entry_bytes, &entry);
		if (ret)
			return ret;
		if (!fmt->is_present(entry)) {
			*missing = l;
			return 0;
		}
		/* Already mapped here, or below it (a table under a huge leaf's slot). */
		if (l == level)
			return MMU_ECONFLICT;
		/* A huge leaf covers the path. */
		if (fmt->is_leaf(fmt, entry, l))
			return MMU_ECONFLICT;
		/* The existing table would grant other rights than asked for. */
		if (fmt->access(entry) !=
		    fmt->access(fmt->make_table(fmt, fmt->table_addr(entry), l, table_acc)))
			return MMU_ECONFLICT;
		*table = fmt->table_addr(entry);
	}
	return 0;
}

int ptbuild_map(struct pt_builder *b, uint64_t va, uint64_t pa, int level,
		unsigned acc, uint64_t leaf_extra, unsigned table_acc)
{
	const struct pt_format *fmt = b->fmt;
	uint64_t table, entry;
	int missing, l, ret;

	ret = check_mapping(b, va, pa, level, acc);
	if (ret)
		return ret;
	ret = find_path(b, va, level, table_acc, &missing, &table);
	if (ret)
		return ret;
	/* Levels missing..level+1 each need a new table from the pool. */
	if (missing > level) {
		uint64_t need = (uint64_t)(missing - level) * PAGE_SIZE_4K;

		uint64_t last = b->pool_next + need - PAGE_SIZE_4K;

		if (b->pool_end - b->pool_next < need)
			return MMU_ENOMEM;
		/* A table the entries cannot point to (above 4 GiB in 32-bit paging). */
		if (fmt->table_addr(fmt->make_table(fmt, last, level + 1, table_acc)) != last)
			return MMU_ERANGE;
	}
	for (l = missing; l > level; l--) {
		uint64_t new_table = b->pool_next;

		ret = zero_table(b, new_table, PAGE_SIZE_4K);
		if (!ret)
			ret = b->mem->write(b->mem->opaque,
					    table + (uint64_t)pt_index(fmt, va, l) * fmt->entry_bytes,
					    fmt->entry_bytes,
					    fmt->make_table(fmt, new_table, l, table_acc));
		if (ret)
			return ret;
		b->pool_next += PAGE_SIZE_4K;
		table = new_table;
	}
	/* leaf_extra is ORed in unchecked: a scenario may set reserved bits on purpose. */
	entry = fmt->make_leaf(fmt, pa, level, acc) | leaf_extra;
	return b->mem->write(b->mem->opaque,
			     table + (uint64_t)pt_index(fmt, va, level) * fmt->entry_bytes,
			     fmt->entry_bytes, entry);
}
