#include "core/errors.h"

const char *mmu_strerror(int err)
{
	switch (err) {
	case MMU_OK: return "success";
	case MMU_ENOMEM: return "out of host memory";
	case MMU_EINVAL: return "invalid argument";
	case MMU_ENOSLOT: return "guest-physical address is in no memslot";
	case MMU_ERANGE: return "address out of range";
	case MMU_ECONFLICT: return "conflicts with an existing mapping";
	case MMU_EREADONLY: return "memslot is read-only";
	case MMU_ENOVCPU: return "no such vCPU";
	case MMU_EOVERLAP: return "memslot overlaps another memslot";
	case MMU_EMODE: return "control registers do not form a valid paging mode";
	case MMU_EUNSUPPORTED: return "not supported by this model";
	}
	return "unknown error";
}
