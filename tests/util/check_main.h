/*
 * tests/util/check_main.h — one Check suite per test file, one binary each.
 *
 * A test file defines `static Suite *NAME_suite(void)` and ends with
 * TEST_MAIN(NAME_suite).  Tests fork (CK_FORK), so a crash is one failed
 * test, not a dead run.
 */
#ifndef MMULAB_TESTS_CHECK_MAIN_H
#define MMULAB_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define TEST_MAIN(suite_fn)                                          \
	int main(void)                                               \
	{                                                            \
		SRunner *sr = srunner_create(suite_fn());            \
		int failed;                                          \
		srunner_run_all(sr, CK_NORMAL);                      \
		failed = srunner_ntests_failed(sr);                  \
		srunner_free(sr);                                    \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;         \
	}

#endif
