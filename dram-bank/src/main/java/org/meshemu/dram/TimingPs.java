package org.meshemu.dram;

/**
 * The timing parameters of a {@link DramStandard} converted once from cycles to picoseconds, so
 * the scheduling code reads like the rules it implements ({@code act + t.rcd()}).
 */
record TimingPs(long tck, long burst, long cl, long cwl, long rcd, long rp, long ras, long rc,
                long rrdS, long rrdL, long faw, long wr, long rtp, long wtr, long ccdS, long ccdL,
                long refi, long rfc) {

    static TimingPs of(DramStandard s) {
        return new TimingPs(s.tCKps(), s.ps(s.burstCycles()), s.ps(s.nCL()), s.ps(s.nCWL()), s.ps(s.nRCD()),
                s.ps(s.nRP()), s.ps(s.nRAS()), s.ps(s.nRC()), s.ps(s.nRRD_S()), s.ps(s.nRRD_L()), s.ps(s.nFAW()),
                s.ps(s.nWR()), s.ps(s.nRTP()), s.ps(s.nWTR()), s.ps(s.nCCD_S()), s.ps(s.nCCD_L()),
                s.ps(s.nREFI()), s.ps(s.nRFC()));
    }

    /** Rounds {@code ps} up to the next clock edge: commands issue on edges. */
    long alignUp(long ps) {
        return Math.floorDiv(ps + tck - 1, tck) * tck;
    }

    /** Column command to first data beat. */
    long casLatency(boolean write) {
        return write ? cwl : cl;
    }
}
