/**
 * {@code mpathgw dmsetup|multipathd|multipath|sessions}: the admin's tools of a Linux multipath host, answered by a
 * running gateway over its REST API and printed as dmsetup, multipathd and multipath print. Plain Java (no Quarkus
 * boot): {@link io.mpathgw.gateway.cli.Main} starts in well under a second.
 */
package io.mpathgw.gateway.cli;
