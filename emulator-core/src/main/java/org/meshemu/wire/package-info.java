/**
 * The messages that cross from one hardware model to another, like SST's SimpleNetwork and
 * StandardMem interfaces: a core and the NoC agree on {@link org.meshemu.wire.Packet}, a core and a
 * memory on {@link org.meshemu.wire.MemoryRequest} and {@link org.meshemu.wire.MemoryResponse}.
 * Models depend on these, never on each other.
 */
package org.meshemu.wire;
