package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void blocksMatchTheirPrefixOnlyIpv4AndIpv6() throws Exception {
        SourceAddresses allowed = SourceAddresses.parse(List.of("10.20.0.0/16", "192.168.1.77", "172.16.0.0/12", "fd00::/8"));
        assertThat(allowed.contains(InetAddress.getByName("10.20.255.1"))).isTrue();
        assertThat(allowed.contains(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(allowed.contains(InetAddress.getByName("192.168.1.77"))).isTrue();
        assertThat(allowed.contains(InetAddress.getByName("192.168.1.78"))).isFalse();
        assertThat(allowed.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
        assertThat(allowed.contains(InetAddress.getByName("172.32.0.1"))).isFalse();
        assertThat(allowed.contains(InetAddress.getByName("fd12:3456::1"))).isTrue();
        assertThat(allowed.contains(InetAddress.getByName("fe80::1"))).isFalse();
    }

    @Test
    void theDefaultIsThisMachineOnly() throws Exception {
        SourceAddresses loopback = MllpAccess.loopbackOnly().allowedSources();
        assertThat(loopback.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(loopback.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(loopback.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(loopback.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void namesAndBadPrefixesAreRefused() {
        assertThatThrownBy(() -> SourceAddresses.parse(List.of("trust-engine.example"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddresses.parse(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SourceAddresses.parse(List.of("10.0.0.0/x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
