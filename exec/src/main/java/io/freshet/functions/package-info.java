/**
 * The public base class of user-defined functions, which a user's jar compiles against. Imports nothing of Freshet.
 */
package io.freshet.functions;
