/*
 * cli/scenario/check_rsv.c — the ranges no scenario may use
 * (core/vm/reserved.h): the linear range of each paging mode, where the
 * kmod executor hooks its guest into the vCPU's tables for a run, and the
 * guest-physical range its guest lives in.  They are rejected for every
 * executor, so that a scenario gives the same answers on all of them.
 */
#include <stdio.h>

#include "cli/scenario/loader.h"
#include "core/vm/reserved.h"

/* "[first, end)" of a range that may end at 2^64. */
static void describe_range(uint64_t first, uint64_t last, char *buf, size_t size)
{
	if (last == ~0ULL)
		snprintf(buf, size, "[0x%llx, 2^64)", (unsigned long long)first);
	else
		snprintf(buf, size, "[0x%llx, 0x%llx)", (unsigned long long)first,
			 (unsigned long long)last + 1);
}

bool scn_check_rsv_va(struct scn_loader *ld, long line, const char *what,
		      enum paging_mode mode, uint64_t va, uint64_t len)
{
	uint64_t first, last;
	char range[48];

	if (!vm_rsv_va_meets(mode, va, len))
		return true;
	vm_rsv_va(mode, &first, &last);
	describe_range(first, last, range, sizeof(range));
	scn_error(ld, line, "%s 0x%llx is in %s, which %s paging reserves for the kmod executor's "
		  "guest (expected an address outside it; see \"Reserved ranges\" in "
		  "docs/scenario-format.md)", what, (unsigned long long)va, range,
		  paging_mode_name(mode));
	return false;
}

bool scn_check_rsv_gpa(struct scn_loader *ld, long line, const char *what, uint64_t gpa,
		       uint64_t len)
{
	char range[48];

	if (!vm_rsv_gpa_meets(gpa, len))
		return true;
	describe_range(VM_RSV_GPA, VM_RSV_GPA + VM_RSV_GPA_SIZE - 1, range, sizeof(range));
	scn_error(ld, line, "%s [0x%llx, 0x%llx) overlaps %s, the guest-physical range reserved for "
		  "the kmod executor's guest (expected memory and devices outside it; see \"Reserved "
		  "ranges\" in docs/scenario-format.md)", what, (unsigned long long)gpa,
		  (unsigned long long)(gpa + len), range);
	return false;
}
