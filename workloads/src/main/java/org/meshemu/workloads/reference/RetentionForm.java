package org.meshemu.workloads.reference;

/**
 * How RetNet's retention runs over the prompt; decoding after the prompt is always recurrent.
 *
 * <p>PARALLEL and CHUNKWISE process the whole prompt at once and then seed the recurrent state from it;
 * RECURRENT feeds the prompt one token at a time.
 */
public enum RetentionForm {
    PARALLEL, RECURRENT, CHUNKWISE
}
