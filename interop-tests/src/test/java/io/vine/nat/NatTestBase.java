package io.vine.nat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh {@link NatTopology} for each test (root only, skipped otherwise) and the vine nodes the test
 * starts in it, stopped in reverse before the namespaces are removed, also when the test fails.
 */
abstract class NatTestBase {
    NatTopology net;
    private final List<NatNode> nodes = new ArrayList<>();

    @BeforeEach
    void buildTopology() throws Exception {
        assumeTrue(NatTopology.available(), "needs root, ip and iptables");
        net = new NatTopology();
    }

    @AfterEach
    void removeTopology() throws Exception {
        for (NatNode n : nodes.reversed()) {
            n.close();
        }
        if (net != null) {
            net.close();
        }
    }

    /** Starts a vine node in namespace {@code ns} with {@code args}; stopped after the test. */
    NatNode start(String ns, String... args) throws Exception {
        NatNode n = new NatNode(ns, args);
        nodes.add(n);
        return n;
    }
}
