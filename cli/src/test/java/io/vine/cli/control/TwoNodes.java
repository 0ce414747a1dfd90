package io.vine.cli.control;

import io.vine.cli.config.ConfigLoader;
import io.vine.cli.config.ResolvedConfig;
import io.vine.cli.config.TestConfigs;
import io.vine.cli.daemon.NodeRunner;
import io.vine.core.crypto.Keys;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.IdentityFile;
import io.vine.core.peer.PeerId;
import io.vine.tun.MemoryTunDevice;
import io.vine.tun.session.PathKind;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Two nodes (alpha bootstraps to beta) run as vine up runs them, on TCP loopback with in-memory TUN devices. */
public final class TwoNodes implements AutoCloseable {
    public static final PrivKey BETA_KEY = Keys.ed25519FromSeed(seed(2));
    public final NodeRunner alpha;
    public final NodeRunner beta;
    public final MemoryTunDevice alphaHost;
    public final Path alphaConfig;
    public final Path alphaToken;
    public final List<String> alphaLog = new CopyOnWriteArrayList<>();

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        s[0] = (byte) b;
        return s;
    }

    private static String config(String key, String address, String bootstrap, String token) {
        return TestConfigs.ids("""
                [node]
                name = "%s"
                network_id = "vine-test"
                identity_path = "%s.key"
                listen = ["/ip4/127.0.0.1/tcp/0"]
                [tun]
                name = "vine-%s"
                address = "%s"
                prefix_len = 16
                [[allowed_peers]]
                peer_id = "SELF"
                prefix = "10.42.1.0/24"
                [[allowed_peers]]
                peer_id = "BETA"
                prefix = "10.42.2.0/24"
                relay_capable = true
                %s
                [control]
                listen = "127.0.0.1:0"
                token_file = "%s"
                """.formatted(key, key, key, address, bootstrap, token));
    }

    public TwoNodes(Path dir) throws Exception {
        Path b = Files.createDirectories(dir.resolve("beta"));
        IdentityFile.save(b.resolve("beta.key"), BETA_KEY);
        Files.writeString(b.resolve("vine.toml"), config("beta", "10.42.2.1", "", "beta.token"));
        beta = NodeRunner.start(ResolvedConfig.resolve(ConfigLoader.load(b.resolve("vine.toml"))),
                c -> MemoryTunDevice.pair(c).device(), line -> { });
        String betaAddress = beta.node().swarm().listenAddresses().get(0).toString();

        Path a = Files.createDirectories(dir.resolve("alpha"));
        IdentityFile.save(a.resolve("alpha.key"), TestConfigs.SELF_KEY);
        alphaConfig = a.resolve("vine.toml");
        alphaToken = a.resolve("alpha.token");
        Files.writeString(alphaConfig, config("alpha", "10.42.1.1",
                "[[bootstrap_peers]]\npeer_id = \"" + TestConfigs.BETA + "\"\naddress = \"" + betaAddress + "\"", "alpha.token"));
        MemoryTunDevice[] host = new MemoryTunDevice[1];
        alpha = NodeRunner.start(ResolvedConfig.resolve(ConfigLoader.load(alphaConfig)), c -> {
            MemoryTunDevice.Pair p = MemoryTunDevice.pair(c);
            host[0] = p.host();
            return p.device();
        }, alphaLog::add);
        alphaHost = host[0];
        await(() -> alpha.node().sessionPath(TestConfigs.BETA).equals(Optional.of(PathKind.DIRECT))
                && alpha.node().routes().size() == 2, "alpha's direct session to beta and beta's route");
    }

    public String control() {
        return "127.0.0.1:" + alpha.controlAddress().getPort();
    }

    public static PeerId beta() {
        return TestConfigs.BETA;
    }

    /** Sends one UDP/IPv4 packet from 10.42.1.1 to {@code dst} into alpha's device. */
    public void sendFromAlpha(String dst) {
        byte[] payload = "hello".getBytes();
        ByteBuffer p = ByteBuffer.allocate(28 + payload.length);
        p.put((byte) 0x45).put((byte) 0).putShort((short) p.capacity()).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 42, 1, 1}).put(java.net.InetAddress.ofLiteral(dst).getAddress());
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((p.get(i) & 0xff) << 8) | (p.get(i + 1) & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        p.putShort(10, (short) ~sum);
        p.putShort((short) 4000).putShort((short) 5000).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        alphaHost.write(p.flip());
    }

    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        alpha.close();
        beta.close();
    }
}
