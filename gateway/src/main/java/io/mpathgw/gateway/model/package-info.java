/**
 * Immutable snapshots of the gateway's state, as the REST API, the CLI and the web page see them. The daemon builds
 * them on each map's thread; everything outside the daemon reads only these. Field names are the JSON names.
 */
package io.mpathgw.gateway.model;
