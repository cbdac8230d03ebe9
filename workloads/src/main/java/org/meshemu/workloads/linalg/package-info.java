/** Dense linear-algebra workloads: GEMM by Cannon's compute-shift on a mesh, GEMV with a tree reduction. */
package org.meshemu.workloads.linalg;
