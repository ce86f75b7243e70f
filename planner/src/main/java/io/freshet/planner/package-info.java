/**
 * Calcite: the catalog adapter, validation, the logical plan and its translation into exec operators. Depends on
 * exec; never on sql, shell or a connector.
 */
package io.freshet.planner;
