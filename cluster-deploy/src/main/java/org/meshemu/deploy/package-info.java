/**
 * Assembling and running: {@link org.meshemu.deploy.SystemAssembler} builds the emulated system
 * from a scenario and a workload's plan, {@link org.meshemu.deploy.Runner} runs it on the kernel
 * and writes the report and outputs; {@code cli} is the {@code meshemu} command line.
 */
package org.meshemu.deploy;
