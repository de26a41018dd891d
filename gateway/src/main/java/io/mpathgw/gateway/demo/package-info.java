/**
 * Demo mode ({@code mpathgw.demo=true}, {@code mpathgw demo}): {@link io.mpathgw.gateway.demo.DemoArray}, a simulated
 * dual-controller ALUA array in the same process, started by {@link io.mpathgw.gateway.demo.DemoStartup} before the
 * daemon and named to it by {@link io.mpathgw.gateway.demo.DemoConfigSource}; its faults over REST through
 * {@link io.mpathgw.gateway.demo.DemoResource} ({@code mpathgw demo fault …}).
 */
package io.mpathgw.gateway.demo;
