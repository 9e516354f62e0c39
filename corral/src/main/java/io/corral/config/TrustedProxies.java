package io.corral.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose forwarding headers are believed ({@code --forwarded-allow-ips}): addresses, CIDR networks
 * ({@code 10.0.0.0/8}) or {@code *}. Literals only: a host name here would make every request wait on DNS.
 */
public final class TrustedProxies {
    private final boolean all;
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();
    private final String text;

    private TrustedProxies(String text, boolean all) {
        this.text = text;
        this.all = all;
    }

    static TrustedProxies parse(String raw) {
        String value = raw.strip();
        if (value.equals("*")) {
            return new TrustedProxies(value, true);
        }
        var proxies = new TrustedProxies(value, false);
        for (String part : value.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            int slash = item.indexOf('/');
            byte[] address = literal(slash < 0 ? item : item.substring(0, slash));
            int prefix = slash < 0 ? address.length * 8 : prefixOf(item.substring(slash + 1), address.length * 8);
            proxies.networks.add(address);
            proxies.prefixes.add(prefix);
        }
        return proxies;
    }

    private static byte[] literal(String text) {
        try {
            return InetAddress.ofLiteral(text).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (names are not resolved here)");
        }
    }

    private static int prefixOf(String text, int maxBits) {
        try {
            int bits = Integer.parseInt(text);
            if (bits >= 0 && bits <= maxBits) {
                return bits;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("network prefix '/" + text + "' must be 0 to " + maxBits);
    }

    /** Whether a peer at {@code address} may tell us who the client is. */
    public boolean trusts(InetAddress address) {
        if (all) {
            return true;
        }
        byte[] candidate = address.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes.get(i), candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, int prefix, byte[] candidate) {
        if (network.length != candidate.length) {
            return false;
        }
        int fullBytes = prefix / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (network[i] != candidate[i]) {
                return false;
            }
        }
        int restBits = prefix % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = 0xFF << (8 - restBits) & 0xFF;
        return (network[fullBytes] & mask) == (candidate[fullBytes] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
