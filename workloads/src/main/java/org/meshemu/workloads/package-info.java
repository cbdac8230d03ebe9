/**
 * Models of computation: a {@link org.meshemu.workloads.Workload} (registered by its scenario
 * {@code kind}) turns a scenario into a {@link org.meshemu.workloads.Plan}: a tile program per
 * core, the tiles resident in each bank before the run, where the outputs will be, and an
 * independent plain-Java reference of the same outputs.
 */
package org.meshemu.workloads;
