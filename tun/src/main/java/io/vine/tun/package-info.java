/**
 * The overlay's device layer: {@link io.vine.tun.TunDevice} (one IP packet per read or write),
 * {@link io.vine.tun.TunConfig}, {@link io.vine.tun.MemoryTunDevice} for tests and demos without
 * root, {@link io.vine.tun.IpPacket} to check and address packets, and
 * {@link io.vine.tun.VirtioNetHeader} for offloaded frames. The Linux implementation is
 * {@link io.vine.tun.linux.LinuxTun} (Linux Documentation/networking/tuntap.rst, rtnetlink(7),
 * include/uapi/linux/virtio_net.h).
 */
package io.vine.tun;
