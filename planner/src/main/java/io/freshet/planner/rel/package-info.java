/**
 * The streaming calling convention: {@link io.freshet.planner.rel.StreamRel} nodes, each the Calcite form of one
 * runtime operator (or a fused few), that carry their columns' time attributes and implement themselves into an
 * {@link io.freshet.exec.plan.StreamPlan}.
 */
package io.freshet.planner.rel;
