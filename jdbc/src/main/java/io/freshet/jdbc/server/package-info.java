/** {@code bin/freshet server}: the engine served over Avatica's JSON protocol on HTTP. */
package io.freshet.jdbc.server;
