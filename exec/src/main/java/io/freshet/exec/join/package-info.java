/**
 * Joins of two streams: the interval join, whose state each side keeps only until the watermark proves that no
 * row of the other side can still match it.
 */
package io.freshet.exec.join;
