/** {@code vine identity init|show|export-public|fingerprint}: the node's key file. */
package io.vine.cli.identity;
