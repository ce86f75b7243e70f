package io.freshet.planner.rel;

/**
 * The key whose value says when a window aggregation's group or a Top-N's window closes: its position among the
 * keys, and what to add to its value to get the window's end (the size for a window start, 1 ms for a window time).
 */
public record CloseKey(int position, long offsetMs) {
}
