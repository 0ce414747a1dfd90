package io.vine.transport.tcp;

import io.vine.transport.TransportContractTest;

class TcpTransportContractTest extends TransportContractTest {
    TcpTransportContractTest() {
        super(TcpTransport::new, "/ip4/127.0.0.1/tcp/0");
    }

    @Override
    protected boolean supportsHalfClose() {
        return true;
    }
}
