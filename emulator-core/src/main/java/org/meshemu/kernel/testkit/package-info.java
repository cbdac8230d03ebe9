/**
 * Components for testing models on the real kernel (in the spirit of Pekko's ActorTestKit): an
 * {@link org.meshemu.kernel.testkit.Injector} that emits scripted messages at given times and a
 * {@link org.meshemu.kernel.testkit.Recorder} that records what reaches it and when.
 */
package org.meshemu.kernel.testkit;
