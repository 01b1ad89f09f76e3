package org.jdarknet.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.global.dnnl.cpu_isa;
import org.jdarknet.Log;

/**
 * The instruction set oneDNN dispatches to on this CPU, as oneDNN itself found it, and what that
 * means for the low precisions: whether bf16 products exist in hardware, and whether int8 dot
 * products have VNNI. oneDNN's ISA values are bit sets, each including the ones below it.
 */
final class CpuIsa {
    private static final AtomicBoolean WARNED_OF_SLOW_INT8 = new AtomicBoolean();

    private CpuIsa() {
    }

    /**
     * Warns, once a process, when int8 computes without VNNI: oneDNN's kernels then sum in 16 bits
     * and gain about half what VNNI gives over fp32 (docs/precision-cpu.md). Called as the first
     * int8 kernel is made, so that a run refused before computing anything says only why.
     */
    static void warnOfSlowInt8() {
        if (!hasVnni() && !WARNED_OF_SLOW_INT8.getAndSet(true)) {
            Log.warn("--precision int8: this CPU (" + name() + ") has no VNNI, so oneDNN's int8 kernels gain far"
                    + " less over fp32 here than with VNNI");
        }
    }

    /** oneDNN's name of the ISA its kernels use here, e.g. {@code avx2}. */
    static String name() {
        return dnnl.get_effective_cpu_isa().toString();
    }

    /**
     * Whether oneDNN computes bf16 dot products here (AVX-512 bf16, AMX, or AVX2 with VNNI-2's bf16
     * conversions). Without them the bf16 backend computes its convolutions in fp32.
     */
    static boolean hasBf16() {
        return includes(cpu_isa.avx512_core_bf16) || includes(cpu_isa.avx2_vnni_2);
    }

    /**
     * Whether int8 dot products have VNNI. Without it oneDNN multiplies with 16-bit intermediate
     * sums and, to keep them from saturating, halves the int8 weights of signed inputs (so each
     * weight loses its lowest bit).
     */
    static boolean hasVnni() {
        return includes(cpu_isa.avx2_vnni) || includes(cpu_isa.avx512_core_vnni);
    }

    private static boolean includes(cpu_isa isa) {
        int effective = dnnl.get_effective_cpu_isa().value;
        return (effective & isa.value) == isa.value;
    }
}
