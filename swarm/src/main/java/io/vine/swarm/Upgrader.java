package io.vine.swarm;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.vine.core.ConnectionException;
import io.vine.core.Direction;
import io.vine.core.HandshakeException;
import io.vine.core.MuxedSession;
import io.vine.core.SecureSession;
import io.vine.core.SecurityContext;
import io.vine.core.SecurityProtocol;
import io.vine.core.StreamChannel;
import io.vine.core.StreamMuxer;
import io.vine.core.crypto.PrivKey;
import io.vine.core.peer.PeerId;
import io.vine.swarm.multistream.MultistreamSelect;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Turns a raw connection into a secured, muxed one: multistream-select a security protocol, run its
 * handshake, check the remote against the expected peer and the gater, then take the muxer agreed in
 * the handshake or multistream-select one. Runs on the connection's event loop.
 */
final class Upgrader {

    /** The outcome of an upgrade. */
    record Upgraded(Channel channel, SecureSession session, String security, String muxer, MuxedSession muxed) {}

    /** Decides, once the remote is authenticated, whether the connection may go on. */
    interface SecuredCheck {
        void check(Direction direction, PeerId remote);
    }

    private final PrivKey localKey;
    private final Map<String, SecurityProtocol> securities = new LinkedHashMap<>();
    private final Map<String, StreamMuxer> muxers = new LinkedHashMap<>();
    private final Duration timeout;

    Upgrader(PrivKey localKey, List<SecurityProtocol> securities, List<StreamMuxer> muxers, Duration timeout) {
        this.localKey = localKey;
        securities.forEach(s -> this.securities.put(s.protocolId(), s));
        muxers.forEach(m -> this.muxers.put(m.protocolId(), m));
        this.timeout = timeout;
    }

    List<String> muxerIds() {
        return List.copyOf(muxers.keySet());
    }

    /**
     * Upgrades {@code raw}; must be called on its event loop before any byte was read from it.
     * {@code inbound} receives the streams the remote opens once the muxer runs.
     */
    CompletableFuture<Upgraded> upgrade(Channel raw, Direction direction, Optional<PeerId> expected,
            SecuredCheck securedCheck, Consumer<StreamChannel> inbound) {
        Attempt attempt = new Attempt(raw, direction, expected, securedCheck, inbound);
        attempt.start();
        return attempt.result;
    }

    private final class Attempt {
        final Channel raw;
        final Direction direction;
        final Optional<PeerId> expected;
        final SecuredCheck securedCheck;
        final Consumer<StreamChannel> inbound;
        final CompletableFuture<Upgraded> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        String security;

        Attempt(Channel raw, Direction direction, Optional<PeerId> expected, SecuredCheck securedCheck,
                Consumer<StreamChannel> inbound) {
            this.raw = raw;
            this.direction = direction;
            this.expected = expected;
            this.securedCheck = securedCheck;
            this.inbound = inbound;
        }

        void start() {
            timer = raw.eventLoop().schedule(
                    () -> fail(new HandshakeException("handshake did not complete within " + timeout)),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            raw.closeFuture().addListener(f -> fail(new ConnectionException("connection closed during the handshake")));
            negotiate(List.copyOf(securities.keySet()), securities::containsKey, this::secure);
        }

        void negotiate(List<String> ids, Predicate<String> supported, Consumer<String> next) {
            MultistreamSelect.Selection selection = new MultistreamSelect.Selection() {
                @Override
                public void selected(ChannelHandlerContext ctx, String protocol) {
                    try {
                        next.accept(protocol);
                    } catch (RuntimeException e) {
                        fail(e);
                    }
                }

                @Override
                public void failed(ChannelHandlerContext ctx, Throwable cause) {
                    fail(cause);
                }
            };
            if (direction == Direction.OUTBOUND) {
                MultistreamSelect.initiate(raw, ids, selection);
            } else {
                MultistreamSelect.respond(raw, supported, selection);
            }
        }

        void secure(String protocol) {
            security = protocol;
            SecurityContext context = new SecurityContext(
                    localKey, direction == Direction.OUTBOUND, expected, List.copyOf(muxers.keySet()));
            securities.get(protocol).secure(raw, context).whenComplete((session, error) -> {
                if (error != null) {
                    fail(error);
                    return;
                }
                try {
                    securedCheck.check(direction, session.remotePeer());
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                Optional<String> early = session.earlyMuxer().filter(muxers::containsKey);
                if (early.isPresent()) {
                    startMuxer(session, early.get());
                } else {
                    negotiate(List.copyOf(muxers.keySet()), muxers::containsKey, id -> startMuxer(session, id));
                }
            });
        }

        void startMuxer(SecureSession session, String muxerId) {
            if (result.isDone()) {
                return;
            }
            MuxedSession muxed = muxers.get(muxerId).start(raw, direction == Direction.OUTBOUND, inbound);
            timer.cancel(false);
            result.complete(new Upgraded(raw, session, security, muxerId, muxed));
        }

        void fail(Throwable cause) {
            if (result.isDone()) {
                return;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            Throwable unwrapped = Futures.unwrap(cause);
            result.completeExceptionally(unwrapped instanceof ConnectionException ? unwrapped
                    : new HandshakeException("upgrade failed: " + unwrapped.getMessage(), unwrapped));
            raw.close();
        }
    }
}
