package io.freshet.planner;

/**
 * The session's settings that the streaming rules read, handed to them through the planner's context.
 *
 * @param stateTtlMs how long, in event time, a join without a time bound keeps a row; 0 keeps it for ever
 */
public record PlannerSettings(long stateTtlMs) {
}
