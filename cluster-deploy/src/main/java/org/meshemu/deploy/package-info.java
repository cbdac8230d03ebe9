/**
 * Assembling and running: {@link org.meshemu.deploy.SystemAssembler} builds the emulated system
 * from a scenario and a workload's plan, {@link org.meshemu.deploy.Runner} runs it on the kernel
 * and writes the report and outputs; {@code cli} is the {@code meshemu} command line, {@code sweep}
 * runs many points of one scenario ({@code meshemu sweep}) and {@code cluster} runs over several JVMs.
 */
package org.meshemu.deploy;
