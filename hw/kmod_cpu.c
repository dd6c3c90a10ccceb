/*
 * hw/kmod_cpu.c — the CPU's features from /proc/cpuinfo, and what a
 * request needs of them (see kmod_cpu.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/x86/bits.h"
#include "hw/kmod_cpu.h"

/* Is `word` one of the space-separated words of `list` (of length len)? */
static bool has_word(const char *list, size_t len, const char *word)
{
	size_t n = strlen(word), i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && list[j] != ' ' && list[j] != '\t')
			j++;
		if (j - i == n && !strncmp(list + i, word, n))
			return true;
		i = j + 1;
	}
	return false;
}

/* The words of one "key : words" line into cpu. */
static void parse_flags(struct kmod_cpu *cpu, const char *w, size_t len, bool vmx_line)
{
	/* Older kernels list the VMX features among the flags: take both lines. */
	cpu->ept |= has_word(w, len, "ept");
	cpu->ept_ad |= has_word(w, len, "ept_ad");
	cpu->ept_1gb |= has_word(w, len, "ept_1gb");
	cpu->ept_5level |= has_word(w, len, "ept_5level");
	if (vmx_line)
		return;
	cpu->svm = has_word(w, len, "svm");
	cpu->npt = has_word(w, len, "npt");
	cpu->vmx = has_word(w, len, "vmx");
	cpu->la57 = has_word(w, len, "la57");
	cpu->smep = has_word(w, len, "smep");
	cpu->smap = has_word(w, len, "smap");
	cpu->pku = has_word(w, len, "pku");
	cpu->nx = has_word(w, len, "nx");
	cpu->gbpages = has_word(w, len, "pdpe1gb");
}

void kmod_cpu_parse(struct kmod_cpu *cpu, const char *text)
{
	const char *line = text;
	bool seen = false;

	memset(cpu, 0, sizeof(*cpu));
	while (*line) {
		const char *end = strchr(line, '\n'), *colon;
		size_t len = end ? (size_t)(end - line) : strlen(line), key;

		/* The first processor's block ends at its blank line. */
		if (!len && seen)
			break;
		colon = memchr(line, ':', len);
		if (colon) {
			key = (size_t)(colon - line);
			while (key && (line[key - 1] == ' ' || line[key - 1] == '\t'))
				key--;
			if (key == 13 && !strncmp(line, "address sizes", 13))
				cpu->phys_bits = (unsigned)strtoul(colon + 1, NULL, 10);
			if ((key == 5 && !strncmp(line, "flags", 5)) ||
			    (key == 9 && !strncmp(line, "vmx flags", 9))) {
				const char *w = colon + 1;

				while (*w == ' ')
					w++;
				parse_flags(cpu, w, (size_t)(line + len - w), key == 9);
				cpu->known |= key == 5;
			}
			seen = true;
		}
		line += len + (end ? 1 : 0);
	}
}

void kmod_cpu_read(struct kmod_cpu *cpu)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	size_t cap = 1 << 16, n;
	char *text;

	memset(cpu, 0, sizeof(*cpu));
	if (!f)
		return;
	/* One processor's block is a few KiB; the first 64 KiB hold it. */
	text = malloc(cap);
	if (text) {
		n = fread(text, 1, cap - 1, f);
		text[n] = '\0';
		kmod_cpu_parse(cpu, text);
		free(text);
	}
	fclose(f);
}

/* Say what is lacking: "AMD SVM ..." into why; true. */
static bool lacks(char *why, size_t size, const char *what)
{
	snprintf(why, size, "%s", what);
	return true;
}

bool kmod_cpu_lacks_vm(const struct kmod_cpu *cpu, bool npt, bool ept_ad, bool gbpages,
		       unsigned maxphyaddr, char *why, size_t size)
{
	if (!cpu->known)
		return false;
	/* SVM walks NPT tables and VMX walks EPT tables (APM 15.25, SDM 29.3). */
	if (npt && !(cpu->svm && cpu->npt))
		return lacks(why, size, "AMD SVM with nested paging (NPT)");
	if (!npt && !(cpu->vmx && cpu->ept))
		return lacks(why, size, "Intel VMX with EPT");
	if (!npt && ept_ad && !cpu->ept_ad)
		return lacks(why, size, "EPT accessed and dirty bits (ept_ad)");
	/* The TDP tables map a guest's 1 GiB pages with 1 GiB leaves of their own. */
	if (gbpages && npt && !cpu->gbpages)
		return lacks(why, size, "1 GiB pages (pdpe1gb)");
	if (gbpages && !npt && !cpu->ept_1gb)
		return lacks(why, size, "1 GiB EPT pages (ept_1gb)");
	/* 4-level tables map 48 bits of guest-physical space; NPT has the host's depth. */
	if (maxphyaddr > 48 && npt && !cpu->la57)
		return lacks(why, size,
			     "5-level paging (LA57): NPT on a 4-level host maps 48 bits of guest-physical space");
	if (maxphyaddr > 48 && !npt && !cpu->ept_5level)
		return lacks(why, size,
			     "5-level EPT (ept_5level): 4-level EPT maps 48 bits of guest-physical space");
	return false;
}

bool kmod_cpu_lacks_vcpu(const struct kmod_cpu *cpu, const struct x86_paging_regs *regs,
			 char *why, size_t size)
{
	if (!cpu->known)
		return false;
	/* A guest may set a CR4 bit only if the CPU has the feature (SDM 2.5). */
	if ((regs->cr4 & CR4_LA57) && !cpu->la57)
		return lacks(why, size, "5-level paging (LA57)");
	if ((regs->cr4 & CR4_SMEP) && !cpu->smep)
		return lacks(why, size, "SMEP");
	if ((regs->cr4 & CR4_SMAP) && !cpu->smap)
		return lacks(why, size, "SMAP");
	if ((regs->cr4 & CR4_PKE) && !cpu->pku)
		return lacks(why, size, "protection keys (PKU)");
	if ((regs->efer & EFER_NXE) && !cpu->nx)
		return lacks(why, size, "NX (execute disable)");
	return false;
}

bool kmod_cpu_lacks_maxphyaddr(const struct kmod_cpu *cpu, unsigned maxphyaddr, char *why,
			       size_t size)
{
	if (!cpu->known || !cpu->phys_bits || maxphyaddr <= cpu->phys_bits)
		return false;
	snprintf(why, size, "a MAXPHYADDR of %u: it has %u, so its walks fault on the guest's address bits %u..%u (SDM 4.5.4)",
		 maxphyaddr, cpu->phys_bits, cpu->phys_bits, maxphyaddr - 1);
	return true;
}
