/** The jline REPL and the script runner behind {@code bin/freshet}; depends on sql. */
package io.freshet.shell;
