/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/svm/svm.h — AMD SVM with nested paging, as a vendor of hv.h.
 */
#ifndef MMULAB_HW_KMOD_SVM_SVM_H
#define MMULAB_HW_KMOD_SVM_SVM_H

#include "hw/kmod/hv.h"

extern const struct hv_ops svm_ops;

#endif
