/*
 * core/x86/role.c — decoding roles for people and deriving child roles
 * (KVM's kvm_mmu_child_role).
 */
#include "core/x86/role.h"

#include "core/platform.h"
#include "core/x86/bits.h"

int role_describe(union mmu_page_role role, char *buf, unsigned size)
{
	char quadrant[16] = "";
	char smm[16] = "";

	if (role.quadrant)
		plat_snprintf(quadrant, sizeof(quadrant), " quadrant=%u", (unsigned)role.quadrant);
	if (role.smm)
		plat_snprintf(smm, sizeof(smm), " smm=%u", (unsigned)role.smm);
	return plat_snprintf(buf, size, "level=%u%s%s%s access=%c%c%c%s%s%s%s%s%s%s%s%s",
			     (unsigned)role.level,
			     role.has_4_byte_gpte ? " gpte32" : "",
			     quadrant,
			     role.direct ? " direct" : "",
			     (role.access & ACC_WRITE) ? 'w' : '-',
			     (role.access & ACC_USER) ? 'u' : '-',
			     (role.access & ACC_EXEC) ? 'x' : '-',
			     role.cr0_wp ? " cr0_wp" : "",
			     role.efer_nx ? " efer_nx" : "",
			     role.smep_andnot_wp ? " smep_andnot_wp" : "",
			     role.smap_andnot_wp ? " smap_andnot_wp" : "",
			     role.ad_disabled ? " ad_disabled" : "",
			     role.guest_mode ? " guest_mode" : "",
			     role.passthrough ? " passthrough" : "",
			     role.invalid ? " invalid" : "",
			     smm);
}

union mmu_page_role role_child(union mmu_page_role parent, unsigned access, bool direct)
{
	union mmu_page_role child = parent;

	MMU_ASSERT(parent.level > 1, "role 0x%08x has no child level", parent.word);
	MMU_ASSERT(!(access & ~ACC_ALL), "access 0x%x", access);
	child.level = parent.level - 1;
	child.access = access & ACC_ALL;
	child.direct = direct;
	/* Only the top page of a 5-level-over-4-level table is passthrough. */
	child.passthrough = 0;
	/*
	 * Quadrants split 32-bit guest tables; the shadow backend sets the
	 * child's quadrant itself (it depends on the parent entry's index).
	 */
	child.quadrant = 0;
	return child;
}
