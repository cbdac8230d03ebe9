/**
 * The emulation kernel: simulated time, the component SPI (typed ports and channels) and the
 * windowed conservative synchronisation protocol that makes a run's results independent of how
 * its components are spread over threads and partitions.
 *
 * <p>Models (cores, routers, links, banks) implement {@link org.meshemu.kernel.Component}; the
 * kernel hosts each one in its own actor ({@link org.meshemu.kernel.ComponentActor}) and drives
 * them window by window through one {@link org.meshemu.kernel.NodeSync} per partition under a
 * {@link org.meshemu.kernel.WindowRoot}. See docs/ARCHITECTURE.md for the protocol as built.
 */
package org.meshemu.kernel;
