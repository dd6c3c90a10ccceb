/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/vmx/vmx.h — Intel VMX with EPT, as a vendor of hv.h.
 */
#ifndef MMULAB_HW_KMOD_VMX_VMX_H
#define MMULAB_HW_KMOD_VMX_VMX_H

#include "hw/kmod/hv.h"

extern const struct hv_ops vmx_ops;

#endif
