/** The run report ({@code report.json}): every figure with its unit in its name; see docs/REPORT.md for definitions. */
package org.meshemu.report;
