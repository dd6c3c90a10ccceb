/*
 * core/mmu/stats.c — names and meanings of the MMU statistics, generated
 * from the MMU_STATS X-macro so a new counter needs one line in stats.h.
 */
#include "core/mmu/stats.h"

#include <stddef.h>

static const char *const mmu_stat_names[MMU_NR_STATS] = {
#define MMU_STAT_NAME(e, name, what) [MMU_STAT_##e] = name,
	MMU_STATS(MMU_STAT_NAME)
#undef MMU_STAT_NAME
};

static const char *const mmu_stat_whats[MMU_NR_STATS] = {
#define MMU_STAT_WHAT(e, name, what) [MMU_STAT_##e] = what,
	MMU_STATS(MMU_STAT_WHAT)
#undef MMU_STAT_WHAT
};

const char *mmu_stat_name(enum mmu_stat s)
{
	return (unsigned)s < MMU_NR_STATS ? mmu_stat_names[s] : "?";
}

const char *mmu_stat_what(enum mmu_stat s)
{
	return (unsigned)s < MMU_NR_STATS ? mmu_stat_whats[s] : "?";
}
