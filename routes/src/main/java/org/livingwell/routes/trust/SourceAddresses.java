package org.livingwell.routes.trust;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Source addresses in CIDR notation ({@code 10.20.0.0/16}, {@code 127.0.0.1/32}, {@code ::1/128}; a bare address
 * means that address alone), IPv4 and IPv6.
 */
public final class SourceAddresses {

    private record Block(byte[] network, int prefixBits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - restBits)) & 0xff;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    private final List<Block> blocks;
    private final List<String> written;

    private SourceAddresses(List<Block> blocks, List<String> written) {
        this.blocks = blocks;
        this.written = written;
    }

    /** @throws IllegalArgumentException for anything that is not an address or a CIDR block (no host names) */
    public static SourceAddresses parse(List<String> cidrs) {
        return new SourceAddresses(cidrs.stream().map(String::strip).map(SourceAddresses::block).toList(), List.copyOf(cidrs));
    }

    private static Block block(String cidr) {
        String[] parts = cidr.split("/", 2);
        if (!parts[0].matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("Not an IP address or CIDR block: " + cidr);
        }
        byte[] network;
        try {
            network = InetAddress.getByName(parts[0]).getAddress(); // a literal: no name look-up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP address or CIDR block: " + cidr, e);
        }
        int prefixBits = network.length * 8;
        if (parts.length == 2) {
            try {
                prefixBits = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a CIDR prefix length: " + cidr, e);
            }
            if (prefixBits < 0 || prefixBits > network.length * 8) {
                throw new IllegalArgumentException("Prefix length out of range: " + cidr);
            }
        }
        return new Block(network, prefixBits);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return blocks.stream().anyMatch(block -> block.contains(bytes));
    }

    @Override
    public String toString() {
        return String.join(", ", written);
    }
}
