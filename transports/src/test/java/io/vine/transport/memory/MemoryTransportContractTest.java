package io.vine.transport.memory;

import io.vine.transport.TransportContractTest;

class MemoryTransportContractTest extends TransportContractTest {
    MemoryTransportContractTest() {
        super(MemoryTransport::new, "/memory/0");
    }
}
