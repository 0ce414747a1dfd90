package io.vine.security.tls;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateFactorySpi;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bouncycastle.util.Properties;

/**
 * Lets the JDK's TLS engine accept the certificates of js-libp2p (and others), whose issuer and
 * subject are empty names. The libp2p spec does not ask for names, but RFC 5280 does, and the JDK's
 * X.509 parser refuses an empty issuer outright ("Empty issuer DN not allowed"), inside the TLS
 * engine, before any trust manager runs; there is no option to relax it.
 *
 * <p>{@link #install()} therefore puts a small X.509 {@link CertificateFactory} first in the JVM's
 * provider list: it hands every certificate to the provider that would otherwise parse it (the JDK's),
 * and only when that refuses an empty issuer, parses it again with BouncyCastle, allowing that one
 * deviation for the call. Every other certificate is parsed exactly as before; nothing about trust
 * changes (a libp2p certificate is trusted only through the libp2p extension). The system property
 * {@value #OPT_OUT} set to {@code true} leaves the provider list alone (then peers with such
 * certificates cannot connect).
 */
final class EmptyIssuerCertificates {
    /** Set to true to keep the JVM's certificate parsing untouched. */
    static final String OPT_OUT = "vine.tls.strictCertificateParsing";

    static final String PROVIDER_NAME = "VineLibp2pX509";

    private static final String BC_ALLOW_EMPTY_ISSUER = "org.bouncycastle.x509.allow_empty_issuer_cert";

    private EmptyIssuerCertificates() {}

    /** Installs the lenient factory once per JVM, unless {@value #OPT_OUT} is true. */
    static synchronized void install() {
        if (Boolean.getBoolean(OPT_OUT) || Security.getProvider(PROVIDER_NAME) != null) {
            return;
        }
        Security.insertProviderAt(new LenientProvider(), 1);
    }

    /** Runs {@code parse} with BouncyCastle allowing an empty issuer name on this thread. */
    static <T> T allowingEmptyIssuer(Callable<T> parse) throws Exception {
        Properties.setThreadOverride(BC_ALLOW_EMPTY_ISSUER, true);
        try {
            return parse.call();
        } finally {
            Properties.removeThreadOverride(BC_ALLOW_EMPTY_ISSUER);
        }
    }

    /** Parses one DER certificate, with an empty issuer allowed. */
    static X509Certificate parse(byte[] der) throws CertificateException {
        try {
            return allowingEmptyIssuer(() -> (X509Certificate) new org.bouncycastle.jcajce.provider.asymmetric.x509
                    .CertificateFactory().engineGenerateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException e) {
            throw e;
        } catch (Exception e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    private static boolean emptyIssuer(Throwable t) {
        for (int i = 0; t != null && i < 8; i++, t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Empty issuer DN")) {
                return true;
            }
        }
        return false;
    }

    private static final class LenientProvider extends Provider {
        LenientProvider() {
            super(PROVIDER_NAME, "1.0", "X.509 parsing that also accepts the empty issuer names of libp2p TLS certificates");
            putService(new Service(this, "CertificateFactory", "X.509", LenientFactory.class.getName(), List.of(), Map.of()) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    return new LenientFactory(delegate());
                }
            });
        }

        /** The factory this JVM would use without us. */
        private static CertificateFactory delegate() throws NoSuchAlgorithmException {
            for (Provider p : Security.getProviders("CertificateFactory.X.509")) {
                if (!PROVIDER_NAME.equals(p.getName())) {
                    try {
                        return CertificateFactory.getInstance("X.509", p);
                    } catch (CertificateException e) {
                        // try the next one
                    }
                }
            }
            throw new NoSuchAlgorithmException("no other X.509 CertificateFactory");
        }
    }

    /** Delegates everything; falls back to BouncyCastle only for a refused empty issuer. */
    private static final class LenientFactory extends CertificateFactorySpi {
        private final CertificateFactory delegate;

        LenientFactory(CertificateFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public Certificate engineGenerateCertificate(InputStream in) throws CertificateException {
            if (!in.markSupported()) {
                return delegate.generateCertificate(in); // cannot re-read: no fallback
            }
            in.mark(Integer.MAX_VALUE);
            try {
                return delegate.generateCertificate(in);
            } catch (CertificateException e) {
                if (!emptyIssuer(e)) {
                    throw e;
                }
                try {
                    in.reset();
                    return allowingEmptyIssuer(() -> new org.bouncycastle.jcajce.provider.asymmetric.x509
                            .CertificateFactory().engineGenerateCertificate(in));
                } catch (Exception again) {
                    e.addSuppressed(again);
                    throw e;
                }
            }
        }

        @Override
        public Collection<? extends Certificate> engineGenerateCertificates(InputStream in) throws CertificateException {
            return delegate.generateCertificates(in);
        }

        @Override
        public CRL engineGenerateCRL(InputStream in) throws CRLException {
            return delegate.generateCRL(in);
        }

        @Override
        public Collection<? extends CRL> engineGenerateCRLs(InputStream in) throws CRLException {
            return delegate.generateCRLs(in);
        }

        @Override
        public CertPath engineGenerateCertPath(InputStream in) throws CertificateException {
            return delegate.generateCertPath(in);
        }

        @Override
        public CertPath engineGenerateCertPath(InputStream in, String encoding) throws CertificateException {
            return delegate.generateCertPath(in, encoding);
        }

        @Override
        public CertPath engineGenerateCertPath(List<? extends Certificate> certificates) throws CertificateException {
            return delegate.generateCertPath(certificates);
        }

        @Override
        public Iterator<String> engineGetCertPathEncodings() {
            return delegate.getCertPathEncodings();
        }
    }
}
