/**
 * DRAM banks as components. {@link org.meshemu.dram.Bank} serves reads and writes of tiles in
 * arrival order with a fixed access latency and a data rate.
 */
package org.meshemu.dram;
