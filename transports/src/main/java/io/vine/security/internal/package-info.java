/** What the security protocols share; not for use outside vine's transports. */
package io.vine.security.internal;
