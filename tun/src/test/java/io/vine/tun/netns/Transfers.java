package io.vine.tun.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The TCP transfer of the netns tests, run inside a node's JVM: a server that reads one connection to
 * its end and reports byte count and SHA-256, and a client that writes pseudo-random data at a paced
 * rate (16 KiB every 10 ms) until told to finish, bounded to 64 MiB and 120 s.
 */
final class Transfers implements AutoCloseable {
    static final int CHUNK = 16 * 1024;
    static final long MAX_BYTES = 64L << 20;
    static final long MAX_NANOS = 120_000_000_000L;

    private ServerSocket server;
    private final AtomicLong received = new AtomicLong();
    private CompletableFuture<String> serverResult;
    private Socket client;
    private final AtomicLong written = new AtomicLong();
    private volatile boolean finishing;
    private CompletableFuture<String> clientResult;

    String serve(InetAddress address, int port) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(address, port));
        serverResult = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("transfer-server").start(() -> {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                s.setSoTimeout(30_000);
                MessageDigest sha = sha256();
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    sha.update(buf, 0, n);
                    received.addAndGet(n);
                }
                serverResult.complete(received.get() + " " + HexFormat.of().formatHex(sha.digest()));
            } catch (IOException | RuntimeException e) {
                serverResult.completeExceptionally(e);
            }
        });
        return "listening " + server.getLocalSocketAddress();
    }

    /** "done bytes sha" when the connection ended, else "running bytes". */
    String served() {
        return progress(serverResult, received);
    }

    String send(InetAddress address, int port) throws IOException {
        client = new Socket();
        client.connect(new InetSocketAddress(address, port), 10_000);
        clientResult = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("transfer-client").start(() -> {
            long start = System.nanoTime();
            try (Socket s = client; OutputStream out = s.getOutputStream()) {
                MessageDigest sha = sha256();
                Random random = new Random(42);
                byte[] chunk = new byte[CHUNK];
                while (!finishing && written.get() < MAX_BYTES && System.nanoTime() - start < MAX_NANOS) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                    sha.update(chunk);
                    written.addAndGet(chunk.length);
                    Thread.sleep(10);
                }
                out.flush();
                s.shutdownOutput();
                clientResult.complete(written.get() + " " + HexFormat.of().formatHex(sha.digest()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                clientResult.completeExceptionally(e);
            }
        });
        return "connected " + client.getLocalSocketAddress() + " -> " + client.getRemoteSocketAddress();
    }

    /** "done bytes sha" when the client has closed, else "running bytes". */
    String sent() {
        return progress(clientResult, written);
    }

    String finish() {
        finishing = true;
        return "finishing";
    }

    private static String progress(CompletableFuture<String> result, AtomicLong bytes) {
        if (result == null) {
            throw new IllegalStateException("no transfer started");
        }
        if (result.isCompletedExceptionally()) {
            return "failed " + result.exceptionNow();
        }
        return result.isDone() ? "done " + result.join() : "running " + bytes.get();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        finishing = true;
        try {
            if (server != null) {
                server.close();
            }
            if (client != null) {
                client.close();
            }
        } catch (IOException ignored) {
            // closing at exit
        }
    }
}
