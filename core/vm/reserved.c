/*
 * core/vm/reserved.c — the ranges of reserved.h as questions the loader
 * and the kernel module ask.
 */
#include "core/vm/reserved.h"

/* The numbers of reserved.h are the entries they name (SDM 4.3-4.5: 10, 9 bits of index). */
#define PDE32_SHIFT	22
#define PDPTE_SHIFT	30
#define PDE_PAE_SHIFT	21
#define PML4_SHIFT	39
#define PML5_SHIFT	48
#define VA32_END	(1ULL << 32)
_Static_assert(VM_RSV_VA_32BIT == (uint64_t)VM_RSV_PDE32_INDEX << PDE32_SHIFT, "PDE 1023");
_Static_assert(VM_RSV_VA_PAE == ((uint64_t)VM_RSV_PDPTE_INDEX << PDPTE_SHIFT |
				 (uint64_t)VM_RSV_PDE_PAE_INDEX << PDE_PAE_SHIFT),
	       "PDPTE 3, PDE 511");
_Static_assert(VM_RSV_VA_4LEVEL == (~0ULL << 47 | (uint64_t)VM_RSV_PML4_INDEX << PML4_SHIFT),
	       "PML4E 510, sign-extended");
_Static_assert(VM_RSV_VA_4LEVEL_SIZE == 1ULL << PML4_SHIFT, "one PML4E");
_Static_assert(VM_RSV_VA_5LEVEL == (~0ULL << 56 | (uint64_t)VM_RSV_PML5_INDEX << PML5_SHIFT),
	       "PML5E 511, sign-extended");
_Static_assert(VM_RSV_GPA + VM_RSV_GPA_SIZE == VA32_END, "the last MiB below 4 GiB");

bool vm_rsv_va(enum paging_mode mode, uint64_t *first, uint64_t *last)
{
	switch (mode) {
	case PAGING_32:
		*first = VM_RSV_VA_32BIT;
		*last = VA32_END - 1;
		return true;
	case PAGING_PAE:
		*first = VM_RSV_VA_PAE;
		*last = VA32_END - 1;
		return true;
	case PAGING_4LEVEL:
		*first = VM_RSV_VA_4LEVEL;
		*last = VM_RSV_VA_4LEVEL + VM_RSV_VA_4LEVEL_SIZE - 1;
		return true;
	case PAGING_5LEVEL:
		*first = VM_RSV_VA_5LEVEL;
		*last = ~0ULL;
		return true;
	case PAGING_OFF:
		break;
	}
	return false;
}

/* [a, a + len) and [first, last] meet; a + len may wrap past 2^64 (a 5-level range ends there). */
static bool meets(uint64_t a, uint64_t len, uint64_t first, uint64_t last)
{
	uint64_t a_last = a + len - 1;

	if (a_last < a)
		a_last = ~0ULL;
	return a <= last && a_last >= first;
}

bool vm_rsv_va_meets(enum paging_mode mode, uint64_t va, uint64_t len)
{
	uint64_t first, last;

	return len && vm_rsv_va(mode, &first, &last) && meets(va, len, first, last);
}

bool vm_rsv_gpa_meets(uint64_t gpa, uint64_t len)
{
	return len && meets(gpa, len, VM_RSV_GPA, VM_RSV_GPA + VM_RSV_GPA_SIZE - 1);
}
