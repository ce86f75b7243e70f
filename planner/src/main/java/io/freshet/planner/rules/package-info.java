/**
 * The rules that convert Calcite's logical plan into the streaming convention ({@link
 * io.freshet.planner.rules.StreamRules}), and the refusals of plan shapes the runtime does not run.
 */
package io.freshet.planner.rules;
