/**
 * Linux TUN devices through the Foreign Function &amp; Memory API: the /dev/net/tun ioctls
 * (Documentation/networking/tuntap.rst), rtnetlink requests (rtnetlink(7): RTM_NEWLINK, RTM_NEWADDR,
 * RTM_NEWROUTE) and setns(2) for network namespaces. Only {@link io.vine.tun.linux.LinuxTun} is public.
 */
package io.vine.tun.linux;
