package io.vine.security.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Offers one connection's certificate, whatever the peer asks for, when its key type fits. */
final class CertificateKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "libp2p";

    private final X509Certificate[] chain;
    private final PrivateKey key;
    private final String keyType;

    CertificateKeyManager(TlsCertificate.Issued issued) {
        this.chain = issued.chain().toArray(X509Certificate[]::new);
        this.key = issued.privateKey();
        this.keyType = issued.certificate().getPublicKey().getAlgorithm(); // "EC"
    }

    private String alias(String... keyTypes) {
        return keyTypes != null && Arrays.asList(keyTypes).contains(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return alias(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return alias(keyTypes);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return alias(keyType) == null ? null : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
