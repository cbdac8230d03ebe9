/**
 * Scripted studies ({@code meshemu sweep}): a sweep file ({@link org.meshemu.deploy.sweep.SweepFile})
 * names a base scenario and axes over scenario paths; {@link org.meshemu.deploy.sweep.Sweep} checks
 * every point, runs the missing ones on long-lived point worker JVMs
 * ({@link org.meshemu.deploy.sweep.PointWorkers}, {@link org.meshemu.deploy.sweep.PointWorker}), each
 * exactly as {@code meshemu run} into its own directory, and writes {@code results.csv}, the plots and
 * {@code summary.md}.
 */
package org.meshemu.deploy.sweep;
