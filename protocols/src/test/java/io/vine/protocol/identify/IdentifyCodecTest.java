package io.vine.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.multiaddr.Multiaddr;
import io.vine.core.peer.PeerId;
import io.vine.protocol.identify.internal.pb.IdentifyProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdentifyCodecTest {
    private static final PrivKey KEY = Keys.generateEd25519();
    private static final PeerId PEER = PeerId.fromPublicKey(KEY.publicKey());

    @Test
    void roundTrip() {
        Multiaddr listen = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        Multiaddr observed = Multiaddr.parse("/ip6/::1/tcp/5555");
        IdentifyProto.Identify m = IdentifyCodec.encode(KEY.publicKey(), List.of(listen), observed,
                List.of("/a/1", "/b/2"), "vine/test");
        IdentifyInfo info = IdentifyCodec.decode(m, PEER).toInfo(Keys.generateEd25519().publicKey());
        assertThat(info).isEqualTo(new IdentifyInfo(KEY.publicKey(), List.of(listen), Optional.of(observed),
                List.of("/a/1", "/b/2"), "vine/test", "ipfs/0.1.0"));
    }

    @Test
    void ownMessageIsKeptUnderFourKiB() {
        List<Multiaddr> addrs = IntStream.range(0, 400)
                .mapToObj(i -> Multiaddr.parse("/ip4/10.0." + (i / 250) + "." + (i % 250) + "/tcp/" + (1000 + i)))
                .toList();
        List<String> protocols = IntStream.range(0, 400).mapToObj(i -> "/some/protocol/" + i).toList();
        IdentifyProto.Identify m = IdentifyCodec.encode(KEY.publicKey(), addrs, null, protocols, "vine/test");
        assertThat(m.getSerializedSize()).isLessThanOrEqualTo(IdentifyCodec.MAX_OWN_MESSAGE_BYTES);
        assertThat(m.getListenAddrsCount()).isZero();
        assertThat(m.getProtocolsCount()).isPositive().isLessThan(400);
        assertThat(m.getProtocolsList()).isEqualTo(protocols.subList(0, m.getProtocolsCount()));
        assertThat(m.hasObservedAddr()).isFalse();
    }

    @Test
    void countsAreBoundedAndProtocolsDeduplicated() {
        IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder();
        byte[] addr = Multiaddr.parse("/ip4/10.0.0.1/tcp/1").toBytes();
        for (int i = 0; i < IdentifyCodec.MAX_LISTEN_ADDRS + 10; i++) {
            b.addListenAddrs(ByteString.copyFrom(addr));
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IdentifyCodec.MAX_PROTOCOLS + 10; i++) {
            ids.add("/p/" + i);
        }
        b.addProtocols("/p/0").addAllProtocols(ids).addProtocols("").addProtocols("/" + "x".repeat(2000));
        IdentifyUpdate u = IdentifyCodec.decode(b.build(), PEER);
        assertThat(u.listenAddrs().orElseThrow()).hasSize(IdentifyCodec.MAX_LISTEN_ADDRS);
        assertThat(u.protocols().orElseThrow()).hasSize(IdentifyCodec.MAX_PROTOCOLS)
                .startsWith("/p/0", "/p/1").doesNotHaveDuplicates();
        assertThat(u.publicKey()).isEmpty();
    }

    @Test
    void peerIdSuffixOfAListenAddressIsStripped() {
        Multiaddr bare = Multiaddr.parse("/ip4/10.0.0.1/tcp/1");
        IdentifyProto.Identify m = IdentifyProto.Identify.newBuilder()
                .addListenAddrs(ByteString.copyFrom(bare.withPeerId(PEER).toBytes())).build();
        assertThat(IdentifyCodec.decode(m, PEER).listenAddrs()).contains(List.of(bare));
    }

    @Test
    void pushUpdatesOnlyTheFieldsItCarries() {
        IdentifyInfo before = new IdentifyInfo(KEY.publicKey(), List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")),
                Optional.empty(), List.of("/a/1"), "old/1", "ipfs/0.1.0");
        Multiaddr added = Multiaddr.parse("/ip4/10.0.0.2/tcp/2");
        IdentifyProto.Identify push = IdentifyProto.Identify.newBuilder()
                .addListenAddrs(ByteString.copyFrom(added.toBytes())).build();
        IdentifyInfo after = IdentifyCodec.decode(push, PEER).applyTo(before);
        assertThat(after).isEqualTo(new IdentifyInfo(KEY.publicKey(), List.of(added), Optional.empty(),
                List.of("/a/1"), "old/1", "ipfs/0.1.0"));
    }

    @Test
    void wrongKeyFails() {
        IdentifyProto.Identify m = IdentifyCodec.encode(Keys.generateEd25519().publicKey(), List.of(), null,
                List.of(), "x");
        assertThatThrownBy(() -> IdentifyCodec.decode(m, PEER)).isInstanceOf(IdentifyException.class)
                .hasMessageContaining(PEER.toString());
    }
}
