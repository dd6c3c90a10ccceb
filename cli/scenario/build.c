/*
 * cli/scenario/build.c — turn <scenario>, <vm>, <memslot>, <page-tables>,
 * <map> and <vcpu> elements into the structs of core/vm/scenario.h.
 *
 * Each element is checked on its own here (is this page size one the
 * table's paging mode has, is the va aligned to it, does the vCPU's paging
 * match its tables, ...); check.c then checks elements against each other.
 * An element with an error is reported once, at its line, and the rest of
 * the file is still read, so one run shows every independent mistake.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/scenario/loader.h"
#include "core/x86/bits.h"

#define DEFAULT_MAXPHYADDR 46

static const struct scn_flag_name memslot_flag_names[] = {
	{ "readonly", MEMSLOT_READONLY },
	{ "dirty-log", MEMSLOT_DIRTY_LOG },
	{ NULL, 0 },
};

/* <map flags=>: the architectural bit of each, except nx, w, u (rights, via ACC_*). */
#define MAPF_W   BIT_ULL(0)
#define MAPF_U   BIT_ULL(1)
#define MAPF_NX  BIT_ULL(2)
#define MAPF_A   BIT_ULL(3)
#define MAPF_D   BIT_ULL(4)
#define MAPF_G   BIT_ULL(5)
#define MAPF_PWT BIT_ULL(6)
#define MAPF_PCD BIT_ULL(7)
#define MAPF_PAT BIT_ULL(8)

static const struct scn_flag_name map_flag_names[] = {
	{ "w", MAPF_W }, { "u", MAPF_U }, { "nx", MAPF_NX }, { "a", MAPF_A },
	{ "d", MAPF_D }, { "g", MAPF_G }, { "pwt", MAPF_PWT }, { "pcd", MAPF_PCD },
	{ "pat", MAPF_PAT }, { NULL, 0 },
};

static const struct scn_flag_name table_flag_names[] = {
	{ "w", MAPF_W }, { "u", MAPF_U }, { "nx", MAPF_NX }, { NULL, 0 },
};

/* The paging="" names of page tables, in the order of table_formats[]. */
static const char *const table_paging_names[] = {
	"32-bit", "32-bit-pse", "pae", "4-level", "5-level", NULL,
};

static const struct pt_format *const table_formats[] = {
	&pt_format_32, &pt_format_32_pse, &pt_format_pae, &pt_format_4level, &pt_format_5level,
};

const char *scn_paging_name(const struct pt_format *fmt)
{
	unsigned i;

	for (i = 0; i < sizeof(table_formats) / sizeof(table_formats[0]); i++)
		if (table_formats[i] == fmt)
			return table_paging_names[i];
	return "?";
}

const struct scn_page_tables *scn_find_page_tables(const struct scenario *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->nr_page_tables; i++)
		if (s->page_tables[i].name && !strcmp(s->page_tables[i].name, name))
			return &s->page_tables[i];
	return NULL;
}

/* Number of element children called `name`. */
static unsigned count_children(const xmlNode *node, const char *name)
{
	const xmlNode *c;
	unsigned n = 0;

	for (c = node->children; c; c = c->next)
		n += scn_is(c, name);
	return n;
}

/* ---- <vm> and <memslot> --------------------------------------------------------- */

bool scn_build_memslot(struct scn_loader *ld, const xmlNode *node, struct scn_memslot *m)
{
	static const char *const backings[] = { "4K", "2M", "1G", NULL };
	uint64_t id = 0, flags = 0;
	int backing = 0;

	if (scn_attr_u64_req(ld, node, "id", &id) != SCN_ATTR_OK ||
	    scn_attr_u64_req(ld, node, "base", &m->base_gpa) != SCN_ATTR_OK ||
	    scn_attr_size_req(ld, node, "size", &m->size) != SCN_ATTR_OK ||
	    scn_attr_flags(ld, node, "flags", memslot_flag_names, &flags) == SCN_ATTR_BAD ||
	    scn_attr_enum(ld, node, "backing", backings, &backing) == SCN_ATTR_BAD)
		return false;
	if (id > UINT32_MAX) {
		scn_error(ld, scn_line(node), "memslot id %llu is too large (expected 0..%u)",
			  (unsigned long long)id, UINT32_MAX);
		return false;
	}
	m->line = (int)scn_line(node);
	m->id = (uint32_t)id;
	m->flags = (uint32_t)flags;
	m->backing = (uint8_t)(MMU_LEVEL_4K + backing);
	return true;
}

enum scn_attr scn_attr_memslot_flags(struct scn_loader *ld, const xmlNode *node, uint32_t *out)
{
	uint64_t flags = 0;
	enum scn_attr ret = scn_attr_flags(ld, node, "flags", memslot_flag_names, &flags);

	if (ret == SCN_ATTR_OK)
		*out = (uint32_t)flags;
	return ret;
}

static void build_mmio(struct scn_loader *ld, const xmlNode *node)
{
	struct scenario *s = ld->s;
	struct scn_mmio *m = &s->mmio[s->nr_mmio];

	if (s->nr_mmio == SCN_MAX_MMIO) {
		scn_error(ld, scn_line(node), "too many mmio ranges (expected at most %d)",
			  SCN_MAX_MMIO);
		return;
	}
	if (scn_attr_u64_req(ld, node, "base", &m->base) != SCN_ATTR_OK ||
	    scn_attr_size_req(ld, node, "size", &m->size) != SCN_ATTR_OK)
		return;
	m->line = (int)scn_line(node);
	s->nr_mmio++;
}

static void build_vm(struct scn_loader *ld, const xmlNode *node)
{
	struct scenario *s = ld->s;
	uint64_t maxphyaddr = DEFAULT_MAXPHYADDR;
	const xmlNode *c;

	if (scn_attr_u64(ld, node, "maxphyaddr", &maxphyaddr) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "gbpages", &s->feat.gbpages) == SCN_ATTR_BAD)
		return;
	if (maxphyaddr < MAXPHYADDR_MIN || maxphyaddr > PT64_MAX_PHYS_BITS) {
		scn_error(ld, scn_line(node), "maxphyaddr %llu is out of range (expected %d..%d)",
			  (unsigned long long)maxphyaddr, MAXPHYADDR_MIN, PT64_MAX_PHYS_BITS);
		return;
	}
	s->feat.maxphyaddr = (uint8_t)maxphyaddr;
	for (c = node->children; c; c = c->next) {
		if (scn_is(c, "mmio"))
			build_mmio(ld, c);
		if (!scn_is(c, "memslot"))
			continue;
		if (s->nr_memslots == SCN_MAX_MEMSLOTS) {
			scn_error(ld, scn_line(c), "too many memslots (expected at most %d)",
				  SCN_MAX_MEMSLOTS);
			return;
		}
		if (scn_build_memslot(ld, c, &s->memslots[s->nr_memslots]))
			s->nr_memslots++;
	}
}

/* ---- <map> ---------------------------------------------------------------------- */

/* The level whose leaves are `size` bytes in `fmt`, or 0 if it has none. */
static int level_of_size(const struct pt_format *fmt, uint64_t size)
{
	int level;

	for (level = 1; level <= fmt->root_level; level++)
		if (fmt->level[level].page_size == size)
			return level;
	return 0;
}

/* What a page-size error should suggest, per format. */
static const char *sizes_of(const struct pt_format *fmt, bool gbpages)
{
	if (fmt == &pt_format_32)
		return "4K; 4M pages need 32-bit-pse page tables";
	if (fmt == &pt_format_32_pse)
		return "4K or 4M";
	if (fmt == &pt_format_pae)
		return "4K or 2M";
	return gbpages ? "4K, 2M or 1G" : "4K or 2M, or 1G with <vm gbpages=\"true\">";
}

/* Does the format use 64-bit, PAE-style entries (with XD, and pkeys in IA-32e)? */
static bool format_is_32bit(const struct pt_format *fmt)
{
	return fmt->entry_bytes == 4;
}

/*
 * Is `va` an address the tables translate?  32-bit and PAE paging have 32-bit
 * linear addresses; 4/5-level paging wants canonical ones (SDM 3.3.7.1).
 */
static bool check_map_va(struct scn_loader *ld, long line, const struct scn_page_tables *pt,
			 uint64_t va)
{
	unsigned bits = pt_va_bits(pt->fmt);
	uint64_t upper = va >> (bits - 1);

	if (!pt->fmt->va_sign_extended) {
		if (va >> 32) {
			scn_error(ld, line, "va 0x%llx is beyond the 32-bit linear addresses of %s paging "
				  "(expected va < 0x100000000)", (unsigned long long)va,
				  scn_paging_name(pt->fmt));
			return false;
		}
		return true;
	}
	if (upper != 0 && upper != (~0ULL >> (bits - 1))) {
		scn_error(ld, line, "va 0x%llx is not canonical for %s paging (expected bits 63:%u "
			  "all equal)", (unsigned long long)va, scn_paging_name(pt->fmt), bits - 1);
		return false;
	}
	return true;
}

/*
 * Can the leaf hold this gpa?  A 32-bit PTE holds 32 address bits, a PSE-36
 * 4M PDE 40 (SDM table 4-4); and no page lies beyond MAXPHYADDR.
 */
static bool check_map_gpa(struct scn_loader *ld, long line, const struct scn_page_tables *pt,
			  uint64_t gpa, uint64_t size)
{
	uint64_t limit = scn_phys_limit(ld->s);

	if (gpa + size - 1 >= limit || gpa + size < gpa) {
		scn_error(ld, line, "gpa 0x%llx is beyond MAXPHYADDR %u (expected the page below 0x%llx)",
			  (unsigned long long)gpa, ld->s->feat.maxphyaddr, (unsigned long long)limit);
		return false;
	}
	if (format_is_32bit(pt->fmt) && size == PAGE_SIZE_4K && (gpa >> 32)) {
		scn_error(ld, line, "gpa 0x%llx does not fit in a 32-bit PTE (expected below "
			  "0x100000000; only 4M pages reach higher, with PSE-36)", (unsigned long long)gpa);
		return false;
	}
	if (format_is_32bit(pt->fmt) && (gpa >> PT32_PSE36_MAX_PHYS_BITS)) {
		scn_error(ld, line, "gpa 0x%llx is beyond the %d address bits of a PSE-36 4M page "
			  "(expected below 0x%llx)", (unsigned long long)gpa, PT32_PSE36_MAX_PHYS_BITS,
			  1ULL << PT32_PSE36_MAX_PHYS_BITS);
		return false;
	}
	return true;
}

/* Flags only some formats have: XD (nx) and protection keys. */
static bool check_map_flags(struct scn_loader *ld, long line, const struct scn_page_tables *pt,
			    uint64_t flags, uint64_t table_flags, bool has_pkey, uint64_t pkey)
{
	const char *paging = scn_paging_name(pt->fmt);

	if (format_is_32bit(pt->fmt) && ((flags | table_flags) & MAPF_NX)) {
		scn_error(ld, line, "%s=\"nx\" in %s paging, whose entries have no XD bit (expected nx "
			  "only in pae, 4-level or 5-level page tables)",
			  (flags & MAPF_NX) ? "flags" : "table-flags", paging);
		return false;
	}
	if (has_pkey && !pt->fmt->va_sign_extended) {
		scn_error(ld, line, "pkey= in %s page tables: protection keys exist only in 4-level "
			  "and 5-level paging (expected no pkey)", paging);
		return false;
	}
	if (pkey > 15) {
		scn_error(ld, line, "pkey %llu is out of range (expected 0..15)",
			  (unsigned long long)pkey);
		return false;
	}
	return true;
}

/* ACC_* of a flags value: w, u, and exec unless nx. */
static unsigned flags_acc(uint64_t flags)
{
	return (flags & MAPF_W ? ACC_WRITE : 0) | (flags & MAPF_U ? ACC_USER : 0) |
	       (flags & MAPF_NX ? 0 : ACC_EXEC);
}

/* Leaf bits beyond P/W/U/XD, in the format's own encoding (SDM tables 4-4 to 4-20). */
static uint64_t flags_leaf_extra(uint64_t flags, int level, uint64_t pkey)
{
	uint64_t extra = pkey << PT64_PKEY_SHIFT;

	if (flags & MAPF_A)
		extra |= PT_ACCESSED;
	if (flags & MAPF_D)
		extra |= PT_DIRTY;
	if (flags & MAPF_G)
		extra |= PT_GLOBAL;
	if (flags & MAPF_PWT)
		extra |= PT_PWT;
	if (flags & MAPF_PCD)
		extra |= PT_PCD;
	if (flags & MAPF_PAT)
		extra |= level == 1 ? PT_PAT_4K : PT_PAT_LARGE;
	return extra;
}

/* The level for size=, or 0 after reporting that the format has no such page. */
static int map_level(struct scn_loader *ld, const xmlNode *node, const struct scn_page_tables *pt)
{
	static const char *const names[] = { "4K", "2M", "4M", "1G", NULL };
	static const uint64_t sizes[] = { PAGE_SIZE_4K, PAGE_SIZE_2M, PAGE_SIZE_4M, PAGE_SIZE_1G };
	int which = 0, level;

	if (scn_attr_enum(ld, node, "size", names, &which) == SCN_ATTR_BAD)
		return 0;
	level = level_of_size(pt->fmt, sizes[which]);
	if (level == 3 && !ld->s->feat.gbpages) {
		scn_error(ld, scn_line(node), "size=\"1G\" needs 1 GiB pages, which this vm lacks "
			  "(expected %s)", sizes_of(pt->fmt, false));
		return 0;
	}
	if (!level)
		scn_error(ld, scn_line(node), "size=\"%s\" is not a page size of %s paging (expected %s)",
			  names[which], scn_paging_name(pt->fmt), sizes_of(pt->fmt, ld->s->feat.gbpages));
	return level;
}

static void build_map(struct scn_loader *ld, const xmlNode *node, struct scn_page_tables *pt)
{
	struct scn_mapping *m = &pt->maps[pt->nr_maps];
	uint64_t flags = 0, table_flags = MAPF_W | MAPF_U, pkey = 0, size;
	long line = scn_line(node);
	enum scn_attr has_pkey;

	if (scn_attr_u64_req(ld, node, "va", &m->va) != SCN_ATTR_OK ||
	    scn_attr_u64_req(ld, node, "gpa", &m->gpa) != SCN_ATTR_OK ||
	    scn_attr_flags(ld, node, "flags", map_flag_names, &flags) == SCN_ATTR_BAD ||
	    scn_attr_flags(ld, node, "table-flags", table_flag_names, &table_flags) == SCN_ATTR_BAD)
		return;
	has_pkey = scn_attr_u64(ld, node, "pkey", &pkey);
	if (has_pkey == SCN_ATTR_BAD)
		return;
	m->level = map_level(ld, node, pt);
	if (!m->level)
		return;
	size = pt->fmt->level[m->level].page_size;
	if ((m->va | m->gpa) & (size - 1)) {
		scn_error(ld, line, "%s 0x%llx is not aligned to its %s page (expected a multiple of 0x%llx)",
			  (m->va & (size - 1)) ? "va" : "gpa",
			  (unsigned long long)((m->va & (size - 1)) ? m->va : m->gpa),
			  size == PAGE_SIZE_4K ? "4K" : size == PAGE_SIZE_2M ? "2M" :
			  size == PAGE_SIZE_4M ? "4M" : "1G", (unsigned long long)size);
		return;
	}
	if (!check_map_va(ld, line, pt, m->va) || !check_map_gpa(ld, line, pt, m->gpa, size) ||
	    !check_map_flags(ld, line, pt, flags, table_flags, has_pkey == SCN_ATTR_OK, pkey))
		return;
	m->line = (int)line;
	m->acc = flags_acc(flags);
	m->leaf_extra = flags_leaf_extra(flags, m->level, pkey);
	m->table_acc = flags_acc(table_flags);
	pt->nr_maps++;
}

/* ---- <page-tables> ------------------------------------------------------------------- */

static void build_page_tables(struct scn_loader *ld, const xmlNode *node,
			      struct scn_page_tables *pt)
{
	unsigned nr = count_children(node, "map");
	int paging = 0;
	const xmlNode *c;

	pt->line = (int)scn_line(node);
	pt->name = scn_attr_dup(node, "name");
	if (!pt->name) {
		scn_error(ld, pt->line, "<page-tables> has no name= (expected one)");
		return;
	}
	if (scn_attr_enum(ld, node, "paging", table_paging_names, &paging) != SCN_ATTR_OK ||
	    scn_attr_u64_req(ld, node, "root", &pt->root) != SCN_ATTR_OK ||
	    scn_attr_range(ld, node, "pool", &pt->pool_start, &pt->pool_end) == SCN_ATTR_BAD)
		return;
	pt->fmt = table_formats[paging];
	if (nr > SCN_LOAD_MAX_MAPS - ld->nr_maps) {
		scn_error(ld, pt->line, "too many maps (expected at most %d in all page tables)",
			  SCN_LOAD_MAX_MAPS);
		return;
	}
	ld->nr_maps += nr;
	pt->maps = calloc(nr ? nr : 1, sizeof(*pt->maps));
	if (!pt->maps) {
		scn_error(ld, pt->line, "out of memory for %u maps", nr);
		return;
	}
	for (c = node->children; c; c = c->next)
		if (scn_is(c, "map"))
			build_map(ld, c, pt);
}

/* ---- <vcpu> --------------------------------------------------------------------------- */

/* The paging="" names of a vCPU: "off", then the table layouts. */
static const char *const vcpu_paging_names[] = {
	"off", "32-bit", "32-bit-pse", "pae", "4-level", "5-level", NULL,
};

/*
 * The registers of a vCPU in `paging` (an index in vcpu_paging_names) with
 * its tables at `root`: CR0.PE|PG, CR4.PSE or PAE (+LA57), EFER.LME|LMA in
 * IA-32e mode (LMA follows LME and PG, SDM 9.8.5).
 */
static void vcpu_mode_regs(struct x86_paging_regs *r, int paging, uint64_t root)
{
	static const uint64_t cr4_of[] = {
		0, 0, CR4_PSE, CR4_PAE, CR4_PAE, CR4_PAE | CR4_LA57,
	};

	r->cr0 |= CR0_PE | (paging ? CR0_PG : 0);
	r->cr4 |= cr4_of[paging];
	if (paging >= 4)
		r->efer |= EFER_LME | EFER_LMA;
	r->cr3 = root;
}

/* The switches: CR0.WP, CR4.SMEP/SMAP/PKE, EFER.NXE, PKRU, CPL, EFLAGS.AC. */
static bool vcpu_switches(struct scn_loader *ld, const xmlNode *node, struct scn_vcpu *v)
{
	bool wp = false, smep = false, smap = false, pke = false, nxe = false, ac = false;
	static const char *const cpls[] = { "0", "1", "2", "3", NULL };
	uint64_t pkru = 0;
	int cpl = 0;

	if (scn_attr_bool(ld, node, "wp", &wp) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "smep", &smep) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "smap", &smap) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "pke", &pke) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "nxe", &nxe) == SCN_ATTR_BAD ||
	    scn_attr_bool(ld, node, "ac", &ac) == SCN_ATTR_BAD ||
	    scn_attr_u64(ld, node, "pkru", &pkru) == SCN_ATTR_BAD ||
	    scn_attr_enum(ld, node, "cpl", cpls, &cpl) == SCN_ATTR_BAD)
		return false;
	if (pkru > UINT32_MAX) {
		scn_error(ld, scn_line(node), "pkru 0x%llx is wider than 32 bits (expected at most "
			  "0xffffffff)", (unsigned long long)pkru);
		return false;
	}
	v->regs.cr0 = wp ? CR0_WP : 0;
	v->regs.cr4 = (smep ? CR4_SMEP : 0) | (smap ? CR4_SMAP : 0) | (pke ? CR4_PKE : 0);
	v->regs.efer = nxe ? EFER_NXE : 0;
	v->regs.pkru = (uint32_t)pkru;
	v->cpl = (uint8_t)cpl;
	v->eflags_ac = ac;
	return true;
}

/* The vCPU's tables: required with paging on, and laid out for its paging mode. */
static bool vcpu_tables(struct scn_loader *ld, const xmlNode *node, int paging, uint64_t *root)
{
	const struct scn_page_tables *pt;
	char *name = scn_attr_dup(node, "page-tables");
	long line = scn_line(node);
	bool ok = false;

	*root = 0;
	if (!name) {
		if (paging)
			scn_error(ld, line, "vcpu with paging=\"%s\" has no page-tables= (expected the "
				  "name of a <page-tables>)", vcpu_paging_names[paging]);
		return !paging;
	}
	pt = scn_find_page_tables(ld->s, name);
	if (!pt)
		scn_error(ld, line, "unknown page-tables \"%.40s\" (expected the name of a "
			  "<page-tables> above)", name);
	else if (paging && strcmp(scn_paging_name(pt->fmt), vcpu_paging_names[paging]))
		scn_error(ld, line, "vcpu paging=\"%s\" cannot use page-tables \"%.40s\", which are "
			  "%s (expected paging=\"%s\")", vcpu_paging_names[paging], name,
			  scn_paging_name(pt->fmt), scn_paging_name(pt->fmt));
	else
		ok = true;
	if (ok)
		*root = pt->root;
	free(name);
	return ok;
}

static void build_vcpu(struct scn_loader *ld, const xmlNode *node)
{
	struct scenario *s = ld->s;
	struct scn_vcpu *v = &s->vcpus[s->nr_vcpus];
	uint64_t id = 0, root = 0;
	int paging = 0;

	if (scn_attr_u64_req(ld, node, "id", &id) != SCN_ATTR_OK ||
	    scn_attr_enum(ld, node, "paging", vcpu_paging_names, &paging) != SCN_ATTR_OK)
		return;
	if (id >= SCN_MAX_VCPUS) {
		scn_error(ld, scn_line(node), "vcpu id %llu is too large (expected 0..%d)",
			  (unsigned long long)id, SCN_MAX_VCPUS - 1);
		return;
	}
	if (!vcpu_switches(ld, node, v) || !vcpu_tables(ld, node, paging, &root))
		return;
	vcpu_mode_regs(&v->regs, paging, root);
	v->line = (int)scn_line(node);
	v->id = (uint32_t)id;
	s->nr_vcpus++;
}

/* ---- <scenario> -------------------------------------------------------------------------- */

/* The description's text without the white space around it (the file indents it). */
static void build_description(struct scn_loader *ld, const xmlNode *node)
{
	xmlChar *text = xmlNodeGetContent(node);
	const char *start;
	size_t len;
	char *copy;

	if (!text)
		return;
	start = (const char *)text + strspn((const char *)text, " \t\r\n");
	len = strlen(start);
	while (len && strchr(" \t\r\n", start[len - 1]))
		len--;
	copy = malloc(len + 1);
	if (copy) {
		memcpy(copy, start, len);
		copy[len] = '\0';
	}
	xmlFree(text);
	free((void *)ld->s->description);
	ld->s->description = copy;
	if (!copy)
		scn_error(ld, scn_line(node), "out of memory");
}

/* Allocate every <page-tables> up front: vCPUs and steps refer to them by pointer. */
static bool alloc_page_tables(struct scn_loader *ld, const xmlNode *root)
{
	unsigned nr = count_children(root, "page-tables");

	if (nr > SCN_LOAD_MAX_PAGE_TABLES) {
		scn_error(ld, scn_line(root), "too many page-tables (expected at most %d)",
			  SCN_LOAD_MAX_PAGE_TABLES);
		return false;
	}
	ld->s->page_tables = calloc(nr ? nr : 1, sizeof(*ld->s->page_tables));
	if (!ld->s->page_tables) {
		scn_error(ld, scn_line(root), "out of memory");
		return false;
	}
	return true;
}

void scn_build(struct scn_loader *ld, const xmlNode *root)
{
	struct scenario *s = ld->s;
	const xmlNode *c;

	if (!root || !scn_is(root, "scenario")) {
		scn_error(ld, root ? scn_line(root) : 0, "the root element is not <scenario>");
		return;
	}
	s->name = scn_attr_dup(root, "name");
	if (!s->name) {
		scn_error(ld, scn_line(root), "<scenario> has no name= (expected one)");
		return;
	}
	if (!alloc_page_tables(ld, root))
		return;
	/* Until <vm> says otherwise: the defaults, so later checks have sane limits. */
	s->feat.maxphyaddr = DEFAULT_MAXPHYADDR;
	s->feat.gbpages = true;
	for (c = root->children; c; c = c->next) {
		if (scn_is(c, "description")) {
			build_description(ld, c);
		} else if (scn_is(c, "vm")) {
			build_vm(ld, c);
		} else if (scn_is(c, "page-tables")) {
			build_page_tables(ld, c, &s->page_tables[s->nr_page_tables++]);
		} else if (scn_is(c, "vcpu")) {
			if (s->nr_vcpus == SCN_MAX_VCPUS) {
				scn_error(ld, scn_line(c), "too many vcpus (expected at most %d)",
					  SCN_MAX_VCPUS);
				return;
			}
			build_vcpu(ld, c);
		} else if (scn_is(c, "steps")) {
			scn_build_steps(ld, c);
		}
	}
}
