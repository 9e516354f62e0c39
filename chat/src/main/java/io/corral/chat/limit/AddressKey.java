package io.corral.chat.limit;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The part of a client address a limit counts by: an IPv4 address whole, an IPv6 address by its /64 (one household
 * or server gets a whole /64, so counting single IPv6 addresses would let it try 2^64 times).
 */
public final class AddressKey {
    private AddressKey() {
    }

    public static String of(String address) {
        try {
            InetAddress parsed = InetAddress.ofLiteral(address);
            if (parsed instanceof Inet6Address) {
                byte[] bytes = parsed.getAddress();
                var prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return parsed.getHostAddress();
        } catch (IllegalArgumentException e) {
            return address;  // "unix" (a local socket) and the like: counted as given
        }
    }
}
