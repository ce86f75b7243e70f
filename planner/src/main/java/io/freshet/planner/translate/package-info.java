/** Translation of Calcite's row expressions, Calcs and aggregate calls into the runtime's expressions and calls. */
package io.freshet.planner.translate;
