/*
 * cli/target.c — target names: "tdp-ept", "tdp-npt+dbit", "ref".
 */
#include <stdio.h>
#include <string.h>

#include "cli/target.h"
#include "hw/backends.h"

const char *const default_compare_targets[] = {
	"tdp-ept", "tdp-ept-noad", "tdp-npt", "tdp-ept+dbit", "tdp-npt+dbit+eager", NULL,
};

/* The formats a TDP-style backend can build its tables in. */
static const struct {
	const char *name;
	enum spte_layout layout;
	bool ad;
	const char *what;
} formats[] = {
	{ "ept", SPTE_LAYOUT_EPT, true, "Intel EPT with accessed/dirty bits" },
	{ "ept-noad", SPTE_LAYOUT_EPT, false, "Intel EPT without A/D (access tracking emulated)" },
	{ "npt", SPTE_LAYOUT_NPT, true, "AMD NPT (x86-64 page-table format)" },
};

#define NR_FORMATS (sizeof(formats) / sizeof(formats[0]))

static int parse_modifier(const char *mod, size_t len, struct target *t)
{
	if (len == 4 && !strncmp(mod, "dbit", len))
		t->cfg.mmu.dirty_mode = MMU_DIRTY_DBIT;
	else if (len == 5 && !strncmp(mod, "eager", len))
		t->cfg.mmu.eager_split = true;
	else if (len == 5 && !strncmp(mod, "trace", len))
		t->cfg.mmu.trace = true;
	else
		return -1;
	return 0;
}

/* "tdp-npt" -> backend "tdp", format "npt". */
static int parse_backend_format(const char *spec, size_t len, struct target *t)
{
	unsigned i;

	for (i = 0; mmu_backends[i]; i++) {
		size_t n = strlen(mmu_backends[i]->name);
		unsigned f;

		if (len <= n + 1 || strncmp(spec, mmu_backends[i]->name, n) || spec[n] != '-')
			continue;
		for (f = 0; f < NR_FORMATS; f++) {
			if (strlen(formats[f].name) != len - n - 1 ||
			    strncmp(spec + n + 1, formats[f].name, len - n - 1))
				continue;
			t->cfg.backend = mmu_backends[i];
			t->cfg.mmu.layout = formats[f].layout;
			t->cfg.mmu.ept_ad = formats[f].ad;
			return 0;
		}
	}
	return -1;
}

int target_parse(const char *spec, const char *hw, struct target *t)
{
	const char *plus = strchr(spec, '+');
	size_t len = plus ? (size_t)(plus - spec) : strlen(spec);

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", spec);
	if (len == 3 && !strncmp(spec, "ref", 3) && !plus) {
		t->ex = &ref_executor;
		return 0;
	}
	t->ex = executor_by_name(hw ? hw : "sim");
	if (!t->ex || !t->ex->needs_backend) {
		fprintf(stderr, "mmulab: '%s' is not an executor that runs a backend\n",
			hw ? hw : "sim");
		return -1;
	}
	if (parse_backend_format(spec, len, t)) {
		fprintf(stderr, "mmulab: unknown target '%s'\n", spec);
		target_usage(stderr);
		return -1;
	}
	while (plus) {
		const char *mod = plus + 1;

		plus = strchr(mod, '+');
		if (parse_modifier(mod, plus ? (size_t)(plus - mod) : strlen(mod), t)) {
			fprintf(stderr, "mmulab: unknown modifier in target '%s'\n", spec);
			target_usage(stderr);
			return -1;
		}
	}
	if (t->cfg.mmu.dirty_mode == MMU_DIRTY_DBIT && !t->cfg.mmu.ept_ad &&
	    t->cfg.mmu.layout == SPTE_LAYOUT_EPT) {
		fprintf(stderr, "mmulab: target '%s': +dbit needs A/D bits (not ept-noad)\n", spec);
		return -1;
	}
	return 0;
}

static int target_add(const char *spec, const char *hw, struct target *t, unsigned max,
		      unsigned *n)
{
	if (*n == max) {
		fprintf(stderr, "mmulab: at most %u targets\n", max);
		return -1;
	}
	if (target_parse(spec, hw, &t[*n]))
		return -1;
	(*n)++;
	return 0;
}

int target_parse_list(const char *list, const char *const defaults[], const char *hw,
		      struct target *t, unsigned max, unsigned *n)
{
	char buf[512], *save = NULL, *tok;
	unsigned i;

	if (!list) {
		for (i = 0; defaults[i]; i++)
			if (target_add(defaults[i], hw, t, max, n))
				return -1;
		return 0;
	}
	if (strlen(list) >= sizeof(buf)) {
		fprintf(stderr, "mmulab: the target list is longer than %zu characters\n",
			sizeof(buf) - 1);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (target_add(tok, hw, t, max, n))
			return -1;
	return 0;
}

void target_usage(FILE *out)
{
	unsigned i, f;

	fprintf(out, "targets: ref, or BACKEND-FORMAT[+MODIFIER...]\n");
	for (i = 0; mmu_backends[i]; i++)
		fprintf(out, "  backend %-10s %s\n", mmu_backends[i]->name,
			mmu_backends[i]->description);
	for (f = 0; f < NR_FORMATS; f++)
		fprintf(out, "  format  %-10s %s\n", formats[f].name, formats[f].what);
	fprintf(out, "  modifiers: +dbit (dirty logging by D bits), +eager (eager page\n"
		"  splitting when logging starts), +trace (record MMU trace events)\n"
		"  e.g. tdp-ept, tdp-npt+dbit+eager\n");
}
